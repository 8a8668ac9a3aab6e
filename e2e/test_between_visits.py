"""Between visits, in a real browser: what the patient logs and what the clinician then sees.

The demo's Priya has her plan re-issued with the walk-run program; the next morning, on a
phone, she opens her plan link, confirms her date of birth, logs today's exercises, then logs
yesterday's run (pain during and the next morning) with the FIT file from her watch. On a
desktop the clinician finds the alert on the dashboard, the logged day, the run and the
watch's figures on the chart's between-visits card, and the run with its watch file on the
plan page.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from clinic.tests.factories import actor_for
from plans import services
from plans.models import ExerciseLog, Plan, RunLog
from plans.services.links import plan_link_create
from plans.tests import fit_samples

from .helpers import DESKTOP, PHONE, L, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# fit_samples.run_with_session(): 5 km in 30:00 of timer time, 85.5 strides/min of one leg.
WATCH_CADENCE = "171 steps/min"
# Priya's evaluation measured 164 steps/min: the target is 5–10 % more (intake.measurements).
CADENCE_TARGET = "172–180 steps/min"
RUN_PAIN, MORNING_PAIN = 6, 3  # above PAIN_ACCEPTABLE_MAX (5): the clinician is alerted


def test_the_patient_logs_between_visits_and_the_clinician_sees_it(
    demo, live_server, new_context, private_media, tmp_path, monkeypatch
):
    base = live_server.url
    plan, version, token = plan_with_a_run_program(demo["clinician"])
    issued = timezone.localdate(version.issued_at)
    fit = watch_file_of_a_run(tmp_path, monkeypatch, issued)

    # The next morning, in the clinic's time zone (the server's clock only; the browser's
    # clock only measures timeouts).
    tomorrow = datetime.datetime.combine(
        issued + datetime.timedelta(days=1),
        datetime.time(9),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(tomorrow, tick=True):
        today = timezone.localdate()
        page = new_context("phone").new_page()
        patient_opens_the_plan(page, f"{base}/p/{token}/", plan)
        patient_logs_todays_exercises(page, version, today)
        patient_logs_yesterdays_run(page, fit, issued)
        page.context.close()

        page = new_context("desktop").new_page()
        login(page, base, "clinician", demo["password"])
        clinician_sees_the_alert_and_the_chart(page, plan)
        clinician_sees_the_run_on_the_plan_page(page, plan)


# ------------------------------------------------------------------------------ set-up


def plan_with_a_run_program(clinician):
    """(plan, version, token): Priya's demo plan re-issued with the walk-run program at
    stage 1, and a fresh link as if mailed to her."""
    plan = Plan.objects.get(patient__legal_first_name="Priya")
    plan.return_to_run, plan.run_stage = True, 1
    plan.save(update_fields=["return_to_run", "run_stage"])
    version = services.plan_issue(plan=plan, actor=actor_for(clinician))
    assert version.number == 2 and version.snapshot["return_to_run"]
    _link, token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    return plan, version, token


def watch_file_of_a_run(tmp_path, monkeypatch, day: datetime.date):
    """The watch's FIT file of a run at 7:30 in the morning of ``day`` (clinic time)."""
    start = datetime.datetime.combine(
        day, datetime.time(7, 30), tzinfo=timezone.get_current_timezone()
    )
    monkeypatch.setattr(fit_samples, "START", start)  # the samples' run starts at START
    path = tmp_path / "Morning_Run.fit"
    path.write_bytes(fit_samples.run_with_session(dynamics=True))
    return path


# ------------------------------------------------------------------------ the patient


def patient_opens_the_plan(page, plan_url: str, plan) -> None:
    page.goto(plan_url)
    expect(page.get_by_text("please confirm your date of birth")).to_be_visible()
    page.get_by_label(L("Your date of birth")).fill(plan.patient.date_of_birth.isoformat())
    page.get_by_role("button", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your home exercises, Priya")
    expect(page.get_by_role("link", name="Log a run")).to_be_visible()
    screenshot(page, "40-patient-plan-with-logs")
    page.get_by_role("link", name="Log today's exercises").click()


def patient_logs_todays_exercises(page, version, today: datetime.date) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Log your exercises")
    expect(page.get_by_label(L("Day"))).to_have_value(today.isoformat())
    past = page.get_by_role("region", name="Past days").get_by_role("listitem")
    expect(past).to_have_count(2)  # today and yesterday, when the version was issued
    expect(past.filter(has_text="Missed")).to_have_count(1)  # yesterday
    expect(past.filter(has_text="Not logged yet")).to_have_count(1)  # today is not over
    screenshot(page, "41-exercise-log-empty")

    items = version.snapshot["items"]
    assert len(items) >= 2, "the demo plan has fewer than two exercises"
    for index, item in enumerate(items):
        status = "Partly" if index == 0 else "Done"
        exercise = page.get_by_role("group", name=item["name"], exact=True)
        exercise.get_by_text(status, exact=True).click()
        expect(exercise.get_by_role("radio", name=status, exact=True)).to_be_checked()
    page.get_by_label(L("Pain during the exercises (0–10)")).fill("2")
    page.get_by_label(L("Effort (RPE 0–10)")).fill("6")
    screenshot(page, "42-exercise-log-filled")
    page.get_by_role("button", name="Save my log").click()

    day = f"{today:%A}, {today:%B} {today.day}"
    expect(page.get_by_role("alert")).to_have_text(f"Saved your log for {day}. Thank you!")
    entry = past.filter(has_text=f"{today:%a}, {today:%b} {today.day}")
    expect(entry).to_contain_text(
        re.compile(rf"Done: {len(items) - 1} · Partly: 1\s*Pain 2/10 · effort 6/10")
    )
    expect(entry.get_by_role("link", name="Edit")).to_be_visible()
    expect(past.filter(has_text="Missed")).to_have_count(1)
    screenshot(page, "43-exercise-log-saved")
    log = ExerciseLog.objects.get(plan=version.plan)
    assert (log.day, log.pain_during, log.effort) == (today, 2, 6)
    assert log.exercises[items[0]["key"]] == "partly"

    page.get_by_role("navigation", name="Your plan").get_by_role("link", name="Log a run").click()


def patient_logs_yesterdays_run(page, fit_path, day: datetime.date) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a run")
    expect(page.get_by_role("heading", name="You are at stage 1")).to_be_visible()
    expect(page.get_by_text("Run 3 minutes, walk 2 minutes")).to_be_visible()
    expect(page.get_by_text("No run logged yet.")).to_be_visible()
    screenshot(page, "44-run-log-empty")

    page.get_by_label(L("Day")).fill(day.isoformat())
    answer(page, "Did you do the run as prescribed, to the end?", "No")
    page.get_by_label(L("Worst pain during the run (0–10)")).fill(str(RUN_PAIN))
    answer(page, "Did you feel pain in a bone?", "No")
    page.get_by_label(L("Pain the next morning (0–10)")).fill(str(MORNING_PAIN))
    answer(page, "The next morning, is the pain or stiffness worse than before the run?", "No")
    page.get_by_label(L("File from your watch (optional)")).set_input_files(fit_path)
    screenshot(page, "45-run-log-filled")
    page.get_by_role("button", name="Save my run").click()

    expect(page.get_by_role("alert").filter(has_text="Saved your log for")).to_have_text(
        f"Saved your log for {day:%A}, {day:%B} {day.day}. Thank you!"
    )
    expect(page.get_by_role("alert").filter(has_text="Read the watch file")).to_have_text(
        f"Read the watch file: 30:00, 3.1 miles, {WATCH_CADENCE}."
    )
    runs = page.get_by_role("region", name="Your runs").get_by_role("listitem")
    expect(runs).to_have_count(1)
    run = runs.first
    expect(run).to_contain_text(f"{day:%a}, {day:%b} {day.day} · stage 1")
    expect(run).to_contain_text(
        f"Not as prescribed · pain {RUN_PAIN}/10 · next morning {MORNING_PAIN}/10"
    )
    expect(run).to_contain_text("Watch (FIT): 30:00 · 3.1 miles · 9:39 /mi")
    expect(run).to_contain_text(f"cadence {WATCH_CADENCE}")
    expect(run).to_contain_text("ground contact 246 ms (left 49.8 %)")
    # Pain above 5 during the run: the rule tells her to contact the clinic.
    next_step = page.get_by_role("status").filter(has_text="What next")
    expect(next_step.get_by_role("heading")).to_have_text("What next: stop and contact the clinic")
    expect(next_step).to_contain_text(f"Your pain reached {RUN_PAIN}/10 during the run.")
    screenshot(page, "46-run-log-saved")
    saved = RunLog.objects.get(day=day)
    assert (saved.stage, saved.pain_during, saved.pain_next_morning) == (1, RUN_PAIN, MORNING_PAIN)
    assert round(saved.watch_file.cadence_spm) == 171


def answer(page, question: str, choice: str) -> None:
    """A yes/no question: the buttons are the labels of visually hidden radios."""
    group = page.get_by_role("group", name=question, exact=True)
    group.get_by_text(choice, exact=True).click()
    expect(group.get_by_role("radio", name=choice, exact=True)).to_be_checked()


# ---------------------------------------------------------------------- the clinician


def clinician_sees_the_alert_and_the_chart(page, plan) -> None:
    patient = plan.patient
    alerts = page.get_by_role("region", name="Alerts between visits")
    alert = alerts.get_by_role("listitem").filter(has_text=patient.display_name)
    expect(alert).to_contain_text("Pain above the plan's rule")
    expect(alert).to_contain_text(f"Run: pain {RUN_PAIN}/10 during the run.")
    screenshot(page, "47-dashboard-alert")
    alert.get_by_role("link", name=patient.display_name).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(patient.legal_last_name)
    card = page.get_by_role("region", name="Between visits")
    expect(card.get_by_role("heading", name="Home-exercise adherence")).to_be_visible()
    # Issued yesterday: one row for the days since the plan began, today's log the only one.
    since = card.get_by_role("row", name=re.compile("Since the plan began"))
    expect(since.get_by_role("cell").nth(0)).to_contain_text("(2 days)")
    expect(since.get_by_role("cell").nth(1)).to_have_text("1 of 2 days")
    expect(card.get_by_role("row", name=re.compile("Last 2 weeks"))).to_have_count(0)
    expect(card.get_by_text(f"pain {RUN_PAIN}/10 · morning {MORNING_PAIN}/10")).to_be_visible()
    expect(card.get_by_text(f"Cadence target: {CADENCE_TARGET}")).to_be_visible()
    gait = card.get_by_role("table", name=re.compile("Cadence and ground-contact balance"))
    row = gait.get_by_role("row").nth(1)
    expect(row).to_contain_text("171")
    expect(row).to_contain_text("below the target")
    expect(row).to_contain_text("49.8 %")
    expect(card.get_by_role("img", name="Pain between visits")).to_be_visible()
    page.set_viewport_size(PHONE)  # the chart shrinks: the page never scrolls sideways
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the chart is {width} px wide on a phone"
    page.set_viewport_size(DESKTOP)
    card.scroll_into_view_if_needed()
    screenshot(page, "48-chart-between-visits")
    card.get_by_role("link", name="Open the plan").click()


def clinician_sees_the_run_on_the_plan_page(page, plan) -> None:
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/"))
    panel = page.get_by_role("region", name=re.compile(r"Return to run · stage 1"))
    expect(panel.get_by_text("The rule proposes: stop and contact the clinic")).to_be_visible()
    run = panel.get_by_role("listitem").filter(has_text="stage 1 · not as prescribed")
    expect(run).to_contain_text(f"pain {RUN_PAIN}/10 · morning {MORNING_PAIN}/10")
    expect(run).to_contain_text(f"cadence {WATCH_CADENCE}")
    expect(run.get_by_role("link", name="Download the watch file")).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(page, "49-plan-run-progress")
