"""A runner's whole way through the clinic, in a real browser.

A prospective runner books a discovery call on a phone; the front desk records the call and
turns it into a patient; the patient fills in the questionnaire on a phone (leaving midway and
coming back with the same link); the clinician accepts it, records an evaluation (the
measurement grid by keyboard only), signs it, builds and issues a plan; the PDF is rendered by
a real Celery worker while the version page waits for it; the patient opens the plan link and
downloads the PDF. One test, because every step needs what the one before it made.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from playwright.sync_api import expect

from clinic.tests.factories import BASE_URL, actor_for
from intake import measurements
from intake.models import DiscoveryCall, Evaluation, Intake, Patient, Visit, VisitType
from plans.models import Plan, PlanVersion, RenderStatus

from .helpers import (
    PDF_TIMEOUT_MS,
    L,
    first_url,
    login,
    login_with_second_factor,
    mail_to,
    pdf_text,
    screenshot,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RUNNER = {
    "name": "Robin Quinn",
    "first": "Robin",
    "last": "Quinn",
    "email": "robin.quinn@example.com",
    "phone": "(415) 555-0199",
    "born": datetime.date(1991, 7, 23),
}

# The grid, typed left → right, row by row (the order of intake.measurements.MEASUREMENTS).
GRID_VALUES = {
    "rom_hip_flexion": ("115", "120"),
    "rom_hip_extension": ("15", "20"),
    "rom_hip_internal_rotation": ("30", "35"),
    "rom_hip_external_rotation": ("40", "40"),
    "rom_hip_abduction": ("35", "40"),
    "rom_knee_flexion": ("130", "135"),
    "rom_knee_extension": ("0", "0"),
    "rom_ankle_dorsiflexion": ("15", "18"),
    "rom_knee_to_wall": ("9", "11"),
    "mmt_hip_abductors": ("4-", "5"),
    "hhd_hip_abductors": ("14.5", "19.0"),
    "mmt_hip_extensors": ("4", "5"),
    "hhd_hip_extensors": ("20", "24"),
    "mmt_hip_external_rotators": ("4+", "5"),
    "hhd_hip_external_rotators": ("11", "13"),
    "mmt_quadriceps": ("5", "5"),
    "hhd_quadriceps": ("38", "41"),
    "mmt_hamstrings": ("5", "5"),
    "hhd_hamstrings": ("25", "26"),
    "mmt_calf": ("4", "5"),
    "hhd_calf": ("60", "66"),
    "calf_raises_reps": ("18", "25"),
    "squat_single_leg_quality": ("poor", "good"),
    "hop_single_distance": ("120", "150"),
    "hop_triple_distance": ("380", "440"),
    "hop_6m_timed": ("2.4", "2.1"),
    "hop_single_count": ("40", "55"),
    "y_balance_anterior": ("58", "63"),
    "y_balance_composite": ("88", "95"),
    "bridge_single_leg_reps": ("15", "22"),
}
LEFS_ANSWERS = [4, 4, 4, 4, 4, 3, 4, 4, 3, 4, 4, 3, 3, 4, 4, 2, 2, 1, 1, 4]
CADENCE = 164


def _local(dt: datetime.datetime) -> datetime.datetime:
    return dt.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def test_a_runner_goes_from_booking_a_call_to_downloading_their_plan(
    demo, celery_worker, live_server, new_context, tmp_path, settings
):
    settings.TWO_FACTOR_REQUIRED = True  # as in production: the clinician enrols on first login
    base = live_server.url
    call = book_a_call(base, new_context)
    intake_url = front_desk_converts_the_call(base, new_context, demo, call)
    patient_fills_in_the_questionnaire(intake_url, new_context)
    version_page, version = clinician_evaluates_and_issues(base, new_context, demo, celery_worker)
    pdf_turns_ready_without_reload(version_page, celery_worker)
    plan_url = clinician_sends_the_plan_link(version_page)
    patient_downloads_the_pdf(plan_url, new_context, version, tmp_path)


def _next_weekday() -> datetime.date:
    """Tomorrow, or the Monday after a weekend: the demo clinician works Monday to Friday."""
    day = datetime.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    day += datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


# --------------------------------------------------------------------- a. booking (phone)


def book_a_call(base, new_context) -> DiscoveryCall:
    page = new_context("phone").new_page()
    page.goto(f"{base}/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Book a free 15-minute discovery call"
    )
    screenshot(page, "01-book-slots")
    # The second free time: the first may fall inside the minimum notice while we type.
    slot = page.locator("a.slot").nth(1)
    slot_label = slot.inner_text().strip()
    slot.click()
    page.wait_for_url(re.compile(r"/book/\?slot="))
    expect(page.get_by_text(f"at {slot_label}")).to_be_visible()

    page.get_by_label(L("Your name")).fill(RUNNER["name"])
    page.get_by_label(L("E-mail")).fill(RUNNER["email"])
    page.get_by_label(L("Phone")).fill(RUNNER["phone"])
    page.get_by_label(L("Where does it hurt?")).select_option("knee")
    page.get_by_label(L("For how long?")).fill("6 weeks")
    page.get_by_label(L("Goal race (if any)")).fill("California International Marathon")
    page.get_by_label(L("What is going on? (optional)")).fill("Left knee hurts after 5 miles.")
    page.get_by_label(re.compile(r"I agree that the clinic may contact me")).check()
    screenshot(page, "02-book-form")
    page.get_by_role("button", name="Book the call").click()

    page.wait_for_url(f"{base}/book/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is booked")
    expect(page.get_by_text(f"at {slot_label}")).to_be_visible()
    screenshot(page, "03-book-done")

    call = DiscoveryCall.objects.get(email=RUNNER["email"])
    assert call.name == RUNNER["name"] and call.phone == "+14155550199"
    assert _local(call.start).strftime("%-I:%M %p") == slot_label

    # The confirmation mail comes from the Celery worker, with a calendar invite.
    message = mail_to(RUNNER["email"], "Your free discovery call")
    assert "/book/m/" in message.body  # the private link to cancel or move the call
    invites = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(invites) == 1, message.attachments
    _filename, content, mimetype = invites[0]
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == call.start
    assert event.decoded("DTEND") == call.end
    assert str(event["UID"]).startswith(str(call.uid))
    assert "discovery call" in str(event["SUMMARY"]).lower()
    attendee = event["ATTENDEE"]
    attendees = attendee if isinstance(attendee, list) else [attendee]
    assert any(RUNNER["email"] in str(a) for a in attendees)
    page.context.close()
    return call


# -------------------------------------------------------------- b. front desk (desktop)


def front_desk_converts_the_call(base, new_context, demo, call) -> str:
    page = new_context("desktop").new_page()
    login(page, base, "frontdesk", demo["password"])
    screenshot(page, "04-dashboard-frontdesk")

    page.get_by_role("link", name="Calls").click()
    day = _local(call.start).date().isoformat()
    page.goto(f"{base}/calls/?day={day}")
    entry = page.get_by_role("link", name=re.compile(rf"{RUNNER['name']}"))
    expect(entry).to_contain_text(_local(call.start).strftime("%-I:%M %p"))
    screenshot(page, "05-call-calendar")
    entry.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(RUNNER["name"])
    page.get_by_label(L("Outcome")).select_option("evaluation_booked")
    page.get_by_label(L("Notes from the call")).fill("Good fit. Initial evaluation booked.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Saved.")).to_be_visible()
    screenshot(page, "06-call-detail")
    call.refresh_from_db()
    assert call.outcome == "evaluation_booked"

    page.get_by_role("link", name="Convert to patient").click()
    expect(page.get_by_label(L("Legal first name"))).to_have_value(RUNNER["first"])
    expect(page.get_by_label(L("Legal last name"))).to_have_value(RUNNER["last"])
    page.get_by_label(L("Date of birth")).fill(RUNNER["born"].isoformat())
    page.get_by_label(L("Sex")).select_option("female")
    expect(page.get_by_label(L("Send the pre-visit questionnaire link"))).to_be_checked()
    expect(page.get_by_label(re.compile(r"by e-mail"))).to_be_checked()
    expect(page.get_by_label(L("Then book the initial evaluation"))).to_be_checked()
    screenshot(page, "07-call-convert")
    page.get_by_role("button", name="Add patient").click()

    # Straight on to booking the evaluation, with the call's clinician and the next weekday.
    expect(page.get_by_role("alert").filter(has_text="is now a patient")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Book a visit for {RUNNER['first']} {RUNNER['last']}"
    )
    expect(page.get_by_label(L("Visit"))).to_have_value(
        str(VisitType.objects.get(key="initial_evaluation").pk)
    )
    page.get_by_label(L("Date")).fill(_next_weekday().isoformat())
    page.get_by_role("button", name="Show free times that day").click()
    first_free = (
        page.get_by_role("group", name=re.compile("Free that day")).get_by_role("button").first
    )
    label = first_free.inner_text().strip()
    screenshot(page, "07b-visit-free-times")
    first_free.click()
    expect(page.get_by_role("alert").filter(has_text="Booked: Initial evaluation,")).to_be_visible()
    expect(page.get_by_text(label).first).to_be_visible()
    screenshot(page, "07c-visit-booked")
    visit = Visit.objects.get(patient__email=RUNNER["email"])
    assert visit.visit_type.key == "initial_evaluation" and visit.clinician == call.clinician
    assert _local(visit.start).strftime("%-I:%M %p") == label
    assert mail_to(RUNNER["email"], "Your visit at").attachments  # with its invite
    page.get_by_role("link", name="Calendar").first.click()
    page.goto(f"{base}/calendar/?day={_local(visit.start).date().isoformat()}&who=all")
    expect(page.locator("a.cal-entry").filter(has_text=RUNNER["first"])).to_be_visible()
    page.keyboard.press("ArrowRight")  # the calendar's keys: the next day
    expect(page).to_have_url(re.compile(r"day=\d{4}-\d{2}-\d{2}"))
    screenshot(page, "07d-calendar")
    page.go_back()
    page.locator("a.cal-entry").filter(has_text=RUNNER["first"]).click()
    page.get_by_role("link", name=f"{RUNNER['first']} {RUNNER['last']}").first.click()

    new_link = page.get_by_label(L("New link (shown once, valid 7 days)"))
    intake_url = new_link.input_value()
    assert intake_url.startswith(f"{base}/q/"), intake_url
    screenshot(page, "08-patient-chart-frontdesk")

    patient = Patient.objects.get(email=RUNNER["email"])
    assert patient.date_of_birth == RUNNER["born"]
    call.refresh_from_db()
    assert call.patient_id == patient.pk
    message = mail_to(RUNNER["email"], "questionnaire")
    assert first_url(message.body, "/q/") == intake_url

    page.get_by_role("link", name="Patients").first.click()
    expect(page.get_by_role("link", name=f"{RUNNER['last']}, {RUNNER['first']}")).to_be_visible()
    screenshot(page, "09-patient-list")
    page.context.close()
    return intake_url


# ---------------------------------------------------- c. the questionnaire (phone, resumed)


def patient_fills_in_the_questionnaire(intake_url, new_context) -> None:
    page = new_context("phone").new_page()
    page.goto(intake_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello {RUNNER['first']},")
    screenshot(page, "10-questionnaire-start")
    page.get_by_role("link", name="Start").click()

    # 1. Your running
    expect(page.get_by_role("heading", level=1)).to_have_text("Your running")
    page.get_by_label(L("How many years have you been running?")).fill("6")
    page.get_by_label(L("Runs in a usual week")).fill("4")
    page.get_by_label(re.compile(r"Distance in a usual week")).fill("25")
    page.get_by_label(re.compile(r"Easy-run pace")).fill("9:30")
    page.get_by_label(L("Road")).check()
    page.get_by_label(L("Your next goal race")).fill("California International Marathon")
    screenshot(page, "11-questionnaire-1-running")
    page.get_by_role("button", name="Save and continue").click()

    # 2. What's bothering you
    expect(page.get_by_role("heading", level=1)).to_have_text("What's bothering you")
    page.get_by_label(L("Knee")).check()
    page.get_by_label(L("Left")).check()
    page.get_by_label(L("Gradually")).check()
    page.get_by_label(L("Pain right now (0–10)")).fill("3")
    page.get_by_label(L("Pain at its best in the last week (0–10)")).fill("1")
    page.get_by_label(L("Pain at its worst in the last week (0–10)")).fill("6")
    page.get_by_label(L("It hurts during runs")).check()
    screenshot(page, "12-questionnaire-2-complaint")
    page.get_by_role("button", name="Save and continue").click()

    # 3. Past injuries: the runner stops here and closes the browser.
    expect(page.get_by_role("heading", level=1)).to_have_text("Past injuries")
    screenshot(page, "13-questionnaire-3-history")
    intake = Intake.objects.get(patient__email=RUNNER["email"])
    assert set(intake.completed_steps) == {"profile", "complaint"}
    page.context.close()

    # Later, on a fresh browser with only the link.
    page = new_context("phone").new_page()
    page.goto(intake_url)
    resume = page.get_by_role("link", name="Continue where you left off")
    expect(resume).to_be_visible()
    screenshot(page, "14-questionnaire-resume")
    resume.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past injuries")
    assert page.url.endswith("/history/")
    page.get_by_role("button", name="Back").click()  # what was saved before is still there
    expect(page.get_by_label(L("Pain right now (0–10)"))).to_have_value("3")
    expect(page.get_by_label(L("Knee"))).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past injuries")
    page.get_by_role("button", name="Save and continue").click()

    # 4. Health questions: every answer "No".
    expect(page.get_by_role("heading", level=1)).to_have_text("Health questions")
    radios = page.locator("input[type=radio][value=no]")
    for index in range(radios.count()):
        radios.nth(index).check()
    page.locator("input[name=triad_dietary_restriction][value='0']").check()  # "No"
    screenshot(page, "15-questionnaire-4-health")
    page.get_by_role("button", name="Save and continue").click()

    # 5. Consent and send
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent and send")
    page.get_by_label(re.compile(r"I have read the privacy notice")).check()
    page.get_by_label(re.compile(r"I agree to be assessed and treated")).check()
    screenshot(page, "16-questionnaire-5-consent")
    page.get_by_role("button", name="Send to the clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you — your answers were sent")
    screenshot(page, "17-questionnaire-done")
    intake.refresh_from_db()
    assert intake.status == "awaiting_review"
    page.context.close()


# ------------------------------------------------------------ d. the clinician (desktop)


def clinician_evaluates_and_issues(base, new_context, demo, worker):
    page = new_context("desktop").new_page()
    login_with_second_factor(page, base, "clinician", demo["password"])
    screenshot(page, "18-dashboard-clinician")

    page.get_by_role("link", name="Patients").first.click()
    page.get_by_role("link", name=f"{RUNNER['last']}, {RUNNER['first']}").click()
    screenshot(page, "19-patient-chart-clinician")
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Questionnaire")
    expect(page.get_by_text("9:30 per mile")).to_be_visible()
    screenshot(page, "20-intake-review")
    page.get_by_role("button", name="Accept into the record").click()
    expect(page.get_by_text("Accepted", exact=True).first).to_be_visible()

    page.get_by_label(L("Kind of evaluation")).select_option("initial")
    page.get_by_role("button", name="New", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial evaluation")
    screenshot(page, "21-evaluation-editor")
    evaluation_url = page.url

    page.get_by_label(L("Involved side")).select_option("left")
    page.get_by_label(L("Subjective")).fill("Left lateral knee pain for 6 weeks, worse downhill.")
    page.get_by_label(L("Assessment")).fill("Patellofemoral pain, irritable after 5 miles.")

    type_the_grid_by_keyboard(page)

    # An empty measure's items are fetched when it is opened (htmx).
    page.locator("summary", has_text="Lower Extremity Functional Scale").click()
    for item, points in enumerate(LEFS_ANSWERS, start=1):
        page.locator(f"#id_om-LEFS-{item}").fill(str(points))
    page.locator("#sec-outcomes").scroll_into_view_if_needed()
    screenshot(page, "21b-evaluation-outcome-measure-open")
    page.get_by_label(L("Setting")).select_option("treadmill")
    page.get_by_label(L("Cadence (steps/min)")).fill(str(CADENCE))
    page.get_by_label(L("ICD-10-CM code")).fill("M22.2X2")
    page.get_by_label(L("Primary")).check()
    page.get_by_role("button", name="Save and review for signing").click()

    # The evaluation as it will be signed.
    expect(page.get_by_role("alert").filter(has_text="Evaluation saved.")).to_be_visible()
    assert page.url != evaluation_url and "/edit/" not in page.url
    expect(page.get_by_text("M22.2X2")).to_be_visible()
    expect(page.get_by_text(f"{sum(LEFS_ANSWERS)} / 80")).to_be_visible()
    expect(page.get_by_text(f"{CADENCE} steps/min")).to_be_visible()
    expect(page.get_by_text("Suggested target")).to_be_visible()
    hop = page.get_by_role("row", name=re.compile("Single hop for distance"))
    expect(hop).to_contain_text("80.0 %")  # 120 ÷ 150, involved left: below 90 % is flagged
    screenshot(page, "22-evaluation-detail")
    evaluation = Evaluation.objects.get(patient__email=RUNNER["email"])
    stored = {m.key: (m.left, m.right) for m in evaluation.measurements.all()}
    assert stored["mmt_hip_abductors"] == ("4-", "5")
    assert stored["squat_single_leg_quality"] == ("poor", "good")
    assert len(stored) == len(GRID_VALUES)

    page.locator("summary", has_text="Sign…").click()  # signing asks first
    screenshot(page, "22b-evaluation-sign-confirm")
    page.get_by_role("button", name="Sign the evaluation").click()
    expect(page.get_by_role("alert").filter(has_text="Evaluation signed.")).to_be_visible()
    screenshot(page, "23-evaluation-signed")

    page.get_by_role("button", name="Generate a plan").click()
    expect(page.get_by_role("alert").filter(has_text="Plan proposed")).to_be_visible()
    screenshot(page, "24-plan-editor")
    edit_the_plan(page)
    screenshot(page, "25-plan-editor-edited")

    # Hold the worker back so that the version page shows the PDF still queued.
    worker.stop()
    page.locator("summary", has_text="Issue to the patient…").click()  # issuing asks first
    # The link goes out in a later step of this journey, from the editor's link card.
    page.get_by_label("E-mail the patient their plan link now").uncheck()
    screenshot(page, "25b-plan-issue-confirm")
    page.get_by_role("button", name="Issue version 1").click()
    expect(page.get_by_role("alert").filter(has_text="Version 1 issued")).to_be_visible()
    version = PlanVersion.objects.get(plan__patient__email=RUNNER["email"])
    assert version.render.status == RenderStatus.QUEUED
    return page, version


def type_the_grid_by_keyboard(page) -> None:
    """Focus the first cell, then only type and press Tab: left → right, row by row."""
    cells = [
        (f"id_m_{defn.key}_{side}", GRID_VALUES[defn.key][index])
        for defn in measurements.MEASUREMENTS
        for index, side in enumerate(("l", "r"))
    ]
    assert len(cells) == 2 * len(GRID_VALUES)
    page.locator(f"#{cells[0][0]}").focus()
    for position, (cell_id, value) in enumerate(cells):
        active = page.evaluate("document.activeElement.id")
        assert active == cell_id, f"cell {position}: focus is on {active!r}, not {cell_id!r}"
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    for cell_id, value in cells:
        expect(page.locator(f"#{cell_id}")).to_have_value(value)


def edit_the_plan(page) -> None:
    """Change a dosage and reorder, through htmx: the page itself never reloads."""
    editor_url = page.url
    plan = Plan.objects.get(patient__email=RUNNER["email"])
    items = list(plan.items.select_related("exercise").order_by("order"))
    assert len(items) >= 2, "the rules proposed fewer than two exercises"
    page.evaluate("window.__e2eSamePage = true")

    first = page.locator("#plan-items article").first
    first.locator("summary", has_text="Change dosage or note").click()
    new_sets = (items[0].sets or 2) + 1
    first.get_by_label(L("Sets")).fill(str(new_sets))
    first.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#plan-items article").first.locator("p strong")).to_have_text(
        re.compile(rf"\b{new_sets}\b")
    )
    items[0].refresh_from_db()
    assert items[0].sets == new_sets

    names = [item.exercise.name for item in items]
    page.locator("#plan-items article").first.get_by_role("button", name="Move down").click()
    headings = page.locator("#plan-items article h2")
    expect(headings.nth(0)).to_contain_text(names[1])
    expect(headings.nth(1)).to_contain_text(names[0])
    order = list(plan.items.order_by("order").values_list("exercise__name", flat=True))
    assert order[:2] == [names[1], names[0]]
    assert page.url == editor_url and page.evaluate("window.__e2eSamePage") is True


# ----------------------------------------------------- e. the PDF turns ready in the page


def pdf_turns_ready_without_reload(page, worker) -> None:
    status = page.locator("#render-status")
    expect(status).to_contain_text("PDF queued")
    screenshot(page, "26-version-pdf-queued")
    url = page.url
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.evaluate("window.__e2eSamePage = true")

    worker.start()  # the message waited in Redis; the new worker picks it up
    expect(status).to_contain_text("PDF ready", timeout=PDF_TIMEOUT_MS)
    assert page.url == url
    assert navigations == [], f"the page navigated while waiting: {navigations}"
    assert page.evaluate("window.__e2eSamePage") is True, "the page was reloaded"
    expect(status.get_by_role("link", name="Download PDF")).to_be_visible()
    screenshot(page, "27-version-pdf-ready")


# ------------------------------------------------------------ f. the patient's plan link


def clinician_sends_the_plan_link(page) -> str:
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Plan").click()
    page.get_by_role("button", name="Send the patient their link").click()
    expect(page.get_by_role("alert").filter(has_text="plan link is being e-mailed")).to_be_visible()
    plan_url = page.get_by_label(L("New link (shown once)")).input_value()
    assert "/p/" in plan_url
    message = mail_to(RUNNER["email"], "")  # the newest mail to the runner, sent by the worker
    assert first_url(message.body, "/p/") == plan_url
    page.reload()  # the link's card says where its mail is
    expect(page.locator(".badge", has_text="E-mailed").first).to_be_visible()
    page.context.close()
    return plan_url


def patient_downloads_the_pdf(plan_url, new_context, version, tmp_path) -> None:
    page = new_context("phone").new_page()
    page.goto(plan_url)
    expect(page.get_by_text("please confirm your date of birth")).to_be_visible()
    expect(page.get_by_text(RUNNER["last"])).to_have_count(0)  # nothing before the check
    screenshot(page, "28-patient-plan-check")
    page.get_by_label(L("Your date of birth")).fill(RUNNER["born"].isoformat())
    page.get_by_role("button", name="Open my plan").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Your home exercises, {RUNNER['first']}"
    )
    names = [item["name"] for item in version.snapshot["items"]]
    for name in names:
        expect(page.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()
    screenshot(page, "29-patient-plan")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the printable PDF").click()
    download = download_info.value
    assert download.suggested_filename == "home-exercises-v1.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert version.snapshot["patient_name"] in text
    assert RUNNER["name"] in text
    missing = [name for name in names if name not in text]
    assert not missing, f"exercises missing from the PDF: {missing}"


# ---------------------------------------------------------- smaller journeys, and app bugs


def test_a_returning_patient_sees_which_steps_are_saved(demo, live_server, new_context):

    from intake.services import intake_link_create

    frontdesk = demo["frontdesk"]
    patient = Patient.objects.get(legal_first_name="Tom")
    _link, url, _sent = intake_link_create(
        patient=patient, actor=actor_for(frontdesk), base_url=BASE_URL, email=False
    )
    link = live_server.url + url.split("testserver", 1)[1]

    page = new_context("phone").new_page()
    page.goto(link)
    page.get_by_role("link", name="Start").click()
    page.get_by_label(L("How many years have you been running?")).fill("3")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What's bothering you")
    page.context.close()

    page = new_context("phone").new_page()
    page.goto(link)
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()
    steps = page.locator("main ol > li")
    expect(steps).to_have_count(5, timeout=3_000)
    expect(steps.nth(0)).to_contain_text("saved")


def test_the_plan_link_mail_is_titled_for_the_plan_not_the_questionnaire(
    demo, live_server, new_context, celery_worker
):
    plan = Plan.objects.get(patient__legal_first_name="Priya")
    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("button", name="Send the patient their link").click()
    expect(page.get_by_role("alert").filter(has_text="plan link is being e-mailed")).to_be_visible()
    message = mail_to(plan.patient.email, "")
    assert "/p/" in message.body
    assert "questionnaire" not in message.subject.lower(), message.subject
