"""Accessibility in a real browser: axe-core on every key page, labels on every form field,
and the booking form and the measurement grid done with the keyboard alone.

A form control counts as unlabelled when its label does not reach it (the browser's own
element.labels, which catches duplicate ids that axe-core cannot see).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from clinic.tests.factories import BASE_URL, actor_for
from intake import measurements
from intake.forms.discovery_calls import time_key
from intake.models import DiscoveryCall, Evaluation, Intake, Patient
from intake.services import discovery_calls as calls
from intake.services import intake_link_create
from intake.services.evaluations import evaluation_start
from plans.models import Plan
from plans.services.coach import coach_link_create
from plans.services.links import plan_link_create

from .helpers import axe_problems, describe, focused, screenshot, unlabelled_fields

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass
class World:
    """The demo data plus what the pages below need, made through the app's services."""

    base: str
    users: dict
    paths: dict = field(default_factory=dict)


@pytest.fixture
def world(demo, private_media, live_server) -> World:
    clinician, frontdesk = demo["clinician"], demo["frontdesk"]
    priya = Patient.objects.get(legal_first_name="Priya")
    jordan = Patient.objects.get(legal_first_name="Jordan")
    lucia = Patient.objects.get(legal_last_name="Fernández")

    _link, url, _sent = intake_link_create(
        patient=lucia, actor=actor_for(frontdesk), base_url=BASE_URL, email=False
    )
    questionnaire = url.split("testserver", 1)[1]

    slot = calls.open_slots()[0]
    call = calls.call_book(
        clinician_id=slot.clinician_id,
        start=slot.start,
        details={
            "name": "Robin Quinn",
            "email": "robin@example.com",
            "phone": "+14155550199",
            "call_type": "phone",
            "area": "knee",
            "how_long": "6 weeks",
            "goal_race": "",
            "goal_race_date": None,
            "story": "Knee hurts after 5 miles",
            "heard_from": "web",
        },
        source="phone",
        actor=actor_for(frontdesk),
    )
    call.patient = Patient.objects.get(legal_first_name="Tom")  # converted: the calendar marks it
    call.save(update_fields=["patient"])
    draft = evaluation_start(patient=jordan, kind="initial", actor=actor_for(clinician))
    plan = Plan.objects.get(patient=priya)
    version = plan.versions.get()
    _plan_link, plan_token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    _coach, coach_url = coach_link_create(
        plan=plan,
        show_diagnosis=False,
        base_url="http://testserver",
        actor=actor_for(clinician),
        coach_name="Coach Sam",
    )
    admin = User.objects.get(username="admin")
    signed = Evaluation.objects.get(patient=priya)
    intake = Intake.objects.get(patient=jordan)
    first_slot = calls.open_slots()[0]

    day = call.start.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    paths = {
        "login": "/accounts/login/",
        "dashboard": "/",
        "patient-list": "/patients/",
        "chart": f"/patients/{priya.pk}/",
        "chart-red-flag": f"/patients/{jordan.pk}/",
        "questionnaire-start": questionnaire,
        "intake-review": f"/intakes/{intake.pk}/",
        "evaluation-editor": f"/evaluations/{draft.pk}/edit/",
        "evaluation-detail": f"/evaluations/{signed.pk}/",
        "plan-editor": f"/plans/{plan.pk}/",
        "version": f"/plan-versions/{version.pk}/",
        "booking": "/book/",
        "booking-form": f"/book/?slot={time_key(first_slot.start)}",
        "call-calendar": f"/calls/?day={day.isoformat()}",
        "call-detail": f"/calls/{call.pk}/",
        "patient-plan": f"/p/{plan_token}/",
        "patient-exercise-log": f"/p/{plan_token}/log/",
        "patient-run-log": f"/p/{plan_token}/runs/",
        "coach-page": coach_url.split("testserver", 1)[1],
        "two-factor-setup": "/accounts/two-factor/setup/",
        "security": "/accounts/security/",
        "emergency-review": "/emergency-access/",
        "audit-export": reverse("clinic:audit_export"),
        "statistics": "/statistics/",
    }
    for step in ("profile", "complaint", "history", "screen", "consent"):
        paths[f"questionnaire-{step}"] = f"{questionnaire}{step}/"
    return World(
        base=live_server.url,
        users={"clinician": clinician, "frontdesk": frontdesk, "admin": admin},
        paths=paths,
    )


def _logged_in(new_context, world: World, username: str, kind: str = "desktop"):
    """A browser context with a staff session (the login form itself is tested elsewhere)."""
    client = Client()
    client.force_login(world.users[username])
    context = new_context(kind)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": world.base}]
    )
    return context


# (page, who opens it, viewport)
PAGES = [
    ("login", None, "desktop"),
    ("dashboard", "clinician", "desktop"),
    ("patient-list", "frontdesk", "desktop"),
    ("chart", "clinician", "desktop"),
    ("chart-red-flag", "clinician", "desktop"),
    ("questionnaire-start", None, "phone"),
    ("questionnaire-profile", None, "phone"),
    ("questionnaire-complaint", None, "phone"),
    ("questionnaire-history", None, "phone"),
    ("questionnaire-screen", None, "phone"),
    ("questionnaire-consent", None, "phone"),
    ("intake-review", "clinician", "desktop"),
    ("evaluation-editor", "clinician", "desktop"),
    ("evaluation-detail", "clinician", "desktop"),
    ("plan-editor", "clinician", "desktop"),
    ("version", "clinician", "desktop"),
    ("booking", None, "phone"),
    ("booking-form", None, "phone"),
    ("call-calendar", "frontdesk", "desktop"),
    ("call-detail", "frontdesk", "desktop"),
    ("patient-plan-check", None, "phone"),
    ("patient-plan", None, "phone"),
    ("patient-exercise-log", None, "phone"),
    ("patient-run-log", None, "phone"),
    ("coach-page", None, "phone"),
    ("two-factor-setup", "clinician", "desktop"),
    ("security", "frontdesk", "desktop"),
    ("emergency-review", "admin", "desktop"),
    ("audit-export", "admin", "desktop"),
    ("statistics", "admin", "desktop"),
]


def _open(new_context, world, name, who, kind):
    context = _logged_in(new_context, world, who, kind) if who else new_context(kind)
    page = context.new_page()
    if name == "patient-plan-check":
        page.goto(world.base + world.paths["patient-plan"])
    elif name in ("patient-plan", "patient-exercise-log", "patient-run-log"):
        page.goto(world.base + world.paths[name])
        page.get_by_label(re.compile("Your date of birth")).fill(
            Patient.objects.get(legal_first_name="Priya").date_of_birth.isoformat()
        )
        page.get_by_role("button", name="Open my plan").click()
        if name == "patient-plan":
            expect(page.get_by_role("heading", level=1)).to_contain_text("Your home exercises,")
    else:
        response = page.goto(world.base + world.paths[name])
        assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize(("name", "who", "kind"), PAGES, ids=[p[0] for p in PAGES])
def test_key_page_has_labelled_fields_and_no_serious_axe_violations(
    world, new_context, name, who, kind
):
    page = _open(new_context, world, name, who, kind)
    screenshot(page, f"a11y-{name}")
    problems = []
    unlabelled = unlabelled_fields(page)
    if unlabelled:
        problems.append("unlabelled-field:\n    " + "\n    ".join(unlabelled))
    violations = axe_problems(page)
    if violations:
        problems.append(describe(violations))
    assert not problems, f"{name}:\n" + "\n".join(problems)


# ---------------------------------------------------------------- keyboard alone: booking

BOOKING_TYPING = {
    "name": "Kay Board",
    "email": "kay.board@example.com",
    "phone": "(415) 555-0123",
    "how_long": "3 weeks",
    "story": "Shin pain on long runs.",
}


def _tab_through_the_booking(page, base) -> list[dict]:
    """Book a call with Tab, typing, Space and Enter only. Returns every focus stop."""
    page.goto(f"{base}/book/")
    slots_passed = 0
    for _ in range(30):  # to the second free time (the first may expire while we type)
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        slots_passed += "slot=" in href
        if slots_passed == 2:
            break
    else:
        raise AssertionError("Tab never reached two free times on /book/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book/\?slot="))

    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now is not None, "focus left the page"
        if stops and (now["name"], now["id"], now["text"]) == (
            stops[-1]["name"],
            stops[-1]["id"],
            stops[-1]["text"],
        ):
            continue  # the parts of one date field
        stops.append(now)
        if now["name"] in BOOKING_TYPING:
            page.keyboard.type(BOOKING_TYPING[now["name"]])
        elif now["name"] == "area":
            page.keyboard.type("Shin")  # a select chooses by typing
        elif now["name"] == "consent":
            page.keyboard.press("Space")
        elif now["tag"] == "button" and "Book the call" in now["text"]:
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/book/done/")
            return stops
    raise AssertionError(f"Tab never reached 'Book the call'; stops: {stops}")


def test_a_call_can_be_booked_with_the_keyboard_alone(live_server, demo, new_context):
    page = new_context("desktop").new_page()
    stops = _tab_through_the_booking(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is booked")
    call = DiscoveryCall.objects.get(email=BOOKING_TYPING["email"])
    assert (call.name, call.phone, call.area, call.how_long) == (
        "Kay Board",
        "+14155550123",
        "shin",
        "3 weeks",
    )
    names = [s["name"] for s in stops if s["name"]]
    assert names == [
        "name",
        "email",
        "phone",
        "call_type",
        "area",
        "how_long",
        "goal_race",
        "goal_race_date",
        "story",
        "heard_from",
        "consent",
    ], stops


def test_keyboard_focus_never_lands_on_an_invisible_field_while_booking(
    live_server, demo, new_context
):
    page = new_context("desktop").new_page()
    stops = _tab_through_the_booking(page, live_server.url)
    hidden = [s for s in stops if not s["visible"] or s["ariaHidden"]]
    assert hidden == [], f"focus went to fields a person cannot see: {hidden}"


# ------------------------------------------------------- keyboard alone: measurement grid


def test_the_measurement_grid_is_filled_and_saved_with_the_keyboard_alone(world, new_context):
    page = _logged_in(new_context, world, "clinician").new_page()
    page.goto(world.base + world.paths["evaluation-editor"])
    cells = [f"id_m_{defn.key}_{side}" for defn in measurements.MEASUREMENTS for side in ("l", "r")]
    values = {cell: str(20 + index % 7) for index, cell in enumerate(cells)}
    values.update({"id_m_squat_single_leg_quality_l": "fair", "id_m_hop_6m_timed_l": "2.5"})
    for cell in cells:
        if "_mmt_" in cell or cell.startswith("id_m_mmt_"):
            values[cell] = "4+"
    values["id_m_hop_6m_timed_r"] = "2.2"
    values["id_m_squat_single_leg_quality_r"] = "good"
    values["id_m_rom_knee_extension_l"] = "-5"
    values["id_m_rom_knee_extension_r"] = "0"
    values["id_m_rom_knee_to_wall_l"] = "8"
    values["id_m_rom_knee_to_wall_r"] = "10"
    values["id_m_rom_ankle_dorsiflexion_l"] = "12"
    values["id_m_rom_ankle_dorsiflexion_r"] = "15"

    page.locator(f"#{cells[0]}").focus()  # the one step that is not a key press
    for index, cell in enumerate(cells):
        assert page.evaluate("document.activeElement.id") == cell
        page.keyboard.type(values[cell])
        page.keyboard.press("Enter" if index == len(cells) - 1 else "Tab")

    expect(page.get_by_role("alert").filter(has_text="Evaluation saved.")).to_be_visible()
    evaluation = Evaluation.objects.get(pk=int(world.paths["evaluation-editor"].split("/")[2]))
    stored = {m.key: (m.left, m.right) for m in evaluation.measurements.all()}
    assert len(stored) == len(measurements.MEASUREMENTS)
    assert stored["rom_knee_extension"] == ("-5", "0")
    assert stored["mmt_calf"] == ("4+", "4+")
