"""A runner whose answers raise a hard-stop red flag is told at once what to do, on a phone;
the clinicians get a mail through the real worker; the clinician sees the flag on top of the
chart and the evaluation editor and must acknowledge it before signing."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from clinic.tests.factories import BASE_URL, actor_for
from intake.models import Patient
from intake.services import intake_link_create

from .helpers import login, mail_to, screenshot

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FEMORAL_NECK_SIGNS = ("fn_groin_pain_activity", "fn_hop_pain", "fn_night_pain")


def exactly(label: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")


def questionnaire_link(live_server, demo, patient) -> str:
    _link, url, _sent = intake_link_create(
        patient=patient,
        actor=actor_for(demo["frontdesk"]),
        base_url=BASE_URL,
        email=False,
    )
    return live_server.url + url.split("testserver", 1)[1]


def fill_with_hip_signs(page, link: str) -> None:
    page.goto(link)
    page.get_by_role("link", name="Start").click()
    for heading in ("Your running", "What's bothering you", "Past injuries"):
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if heading == "What's bothering you":
            page.get_by_label(exactly("Hip")).check()
            page.get_by_label(exactly("Right")).check()
            page.get_by_label(exactly("Gradually")).check()
            page.get_by_label(exactly("Pain right now (0–10)")).fill("4")
            page.get_by_label(exactly("Pain at its best in the last week (0–10)")).fill("2")
            page.get_by_label(exactly("Pain at its worst in the last week (0–10)")).fill("7")
            page.get_by_label(exactly("It hurts during runs")).check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health questions")
    radios = page.locator("input[type=radio][value=no]")
    for index in range(radios.count()):
        radios.nth(index).check()
    for key in FEMORAL_NECK_SIGNS:
        page.locator(f"input[name={key}][value=yes]").check()
    triad = page.locator("input[name=triad_dietary_restriction][value='0']")
    if triad.count():  # asked of female athletes only
        triad.check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label(re.compile(r"I have read the privacy notice")).check()
    page.get_by_label(re.compile(r"I agree to be assessed and treated")).check()
    page.get_by_role("button", name="Send to the clinic").click()


def test_a_hard_stop_patient_is_told_to_call_today_and_the_clinician_cannot_miss_it(
    demo, live_server, new_context, celery_worker
):
    patient = Patient.objects.get(legal_first_name="Tom")
    page = new_context("phone").new_page()
    fill_with_hip_signs(page, questionnaire_link(live_server, demo, patient))

    expect(page.get_by_role("heading", level=1)).to_have_text("Please call the clinic today")
    expect(page.get_by_text("Stop running")).to_be_visible()
    call = page.locator("main").get_by_role("link", name=settings.CLINIC_PHONE)
    expect(call).to_have_attribute("href", re.compile(r"^tel:\d{10}$"))
    expect(page.get_by_text("will go through it with you at your visit")).to_have_count(0)
    screenshot(page, "first-hour-red-flag-patient")
    page.context.close()

    notice = mail_to(demo["clinician"].email, "Red flag needs a decision today")
    assert patient.legal_last_name not in notice.subject + notice.body

    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(live_server.url + patient.get_absolute_url())
    banner = page.get_by_role("alert").filter(has_text="Red flag to decide today")
    expect(banner).to_contain_text("Suspected femoral neck bone stress injury")
    screenshot(page, "first-hour-red-flag-chart")

    page.get_by_label(exactly("Kind of evaluation")).select_option("initial")
    page.get_by_role("button", name="New", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial evaluation")
    expect(page.get_by_role("alert").filter(has_text="Red flag to decide today")).to_be_visible()
    screenshot(page, "first-hour-red-flag-editor")
    page.get_by_role("link", name="Record the decision").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suspected femoral neck")
