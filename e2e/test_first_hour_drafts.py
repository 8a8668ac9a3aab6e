"""The first hour in a real clinic, in a real browser: nothing a person typed is lost.

- A patient types their date of birth with a two-digit year ("3/4/85") into the plan link's
  date box: it opens the plan instead of costing one of the five tries.
- A clinician types notes and a grid value, then uploads a gait photo: both are still there
  (saved with the photo) after the page comes back.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from intake.models import GaitMedia, Measurement, Patient
from intake.services.evaluations import evaluation_start
from plans.links import plan_link_create
from plans.models import Plan

from .helpers import login, screenshot
from .test_journeys import L

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


# ------------------------------------------------------------ the date-of-birth check


def test_a_two_digit_year_in_the_date_of_birth_opens_the_plan_and_costs_no_try(
    demo, live_server, new_context
):
    plan = Plan.objects.select_related("patient").get(patient__legal_first_name="Priya")
    plan.patient.date_of_birth = datetime.date(1985, 3, 4)
    plan.patient.save(update_fields=["date_of_birth"])
    link, token = plan_link_create(plan=plan, by=demo["clinician"], purpose="mail")
    page = new_context("phone").new_page()
    page.goto(f"{live_server.url}/p/{token}/")
    box = page.get_by_label(L("Your date of birth"))

    # A year that cannot be a birth year is explained on the page and costs nothing.
    box.press_sequentially("3/4/0185")
    page.get_by_role("button", name="Open my plan").click()
    expect(page.get_by_text("more than 120 years ago; please check the year")).to_be_visible()
    expect(page.get_by_text("tries left")).to_have_count(0)
    expect(box).to_have_value("0185-03-04")  # the entry is kept
    screenshot(page, "50-patient-plan-check-year")

    link.refresh_from_db()
    assert link.failed_checks == 0

    # A possible date that is not theirs costs a try, and says how it was read.
    box.press_sequentially("3/4/86")
    page.get_by_role("button", name="Open my plan").click()
    expect(
        page.get_by_text("March 4, 1986 does not match our records. 4 tries left.")
    ).to_be_visible()
    expect(box).to_have_value("1986-03-04")
    screenshot(page, "51-patient-plan-check-wrong")

    # Typed as people write it on paper; the date box sends the year as 0085.
    box.press_sequentially("3/4/85")
    assert box.input_value() == "0085-03-04"
    page.get_by_role("button", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your home exercises, Priya")
    link.refresh_from_db()
    assert link.failed_checks == 1 and link.locked_at is None


# ------------------------------------------------------------------ the gait upload


def _png(path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).line((160, 20, 150, 190), fill="navy", width=6)  # a leg, roughly
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


def test_a_gait_upload_keeps_what_was_typed_in_the_editor(
    demo, live_server, new_context, private_media, tmp_path
):
    clinician = demo["clinician"]
    jordan = Patient.objects.get(legal_first_name="Jordan")
    draft = evaluation_start(patient=jordan, kind="initial", request=_request(clinician))
    photo = tmp_path / "side-view.png"
    _png(photo)

    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(f"{live_server.url}/evaluations/{draft.pk}/edit/")
    page.get_by_label(L("Objective findings")).fill("Left hip drops at midstance")
    page.locator("#id_m_rom_hip_flexion_l").fill("112")
    page.get_by_label(L("Photo or short video")).set_input_files(photo)
    page.get_by_role("button", name=re.compile(r"upload$", re.IGNORECASE)).click()

    expect(page.get_by_role("alert").filter(has_text="uploaded")).to_be_visible()
    expect(page.get_by_label(L("Objective findings"))).to_have_value("Left hip drops at midstance")
    expect(page.locator("#id_m_rom_hip_flexion_l")).to_have_value("112")
    gallery = page.locator("#sec-gait img")
    expect(gallery).to_have_count(1)
    assert gallery.evaluate("img => img.complete && img.naturalWidth") == 320
    draft.refresh_from_db()
    assert draft.objective_notes == "Left hip drops at midstance"
    assert Measurement.objects.get(evaluation=draft, key="rom_hip_flexion").left == "112"
    assert GaitMedia.objects.filter(evaluation=draft).count() == 1
    page.locator("#sec-gait").scroll_into_view_if_needed()
    screenshot(page, "52-evaluation-gait-uploaded")

    # A file that is not a photo: refused on the same page, the typing kept, nothing saved.
    page.get_by_label(L("Objective findings")).fill("Changed, then a bad file")
    fake = tmp_path / "notes.png"
    fake.write_text("<html>not a photo</html>")
    page.get_by_label(L("Photo or short video")).set_input_files(fake)
    page.get_by_role("button", name="Save and upload").click()
    expect(page.get_by_text("Choose the file again")).to_be_visible()
    expect(page.get_by_label(L("Objective findings"))).to_have_value("Changed, then a bad file")
    page.get_by_text("Choose the file again").scroll_into_view_if_needed()
    screenshot(page, "53-evaluation-gait-refused")
    draft.refresh_from_db()
    assert draft.objective_notes == "Left hip drops at midstance"
    assert GaitMedia.objects.filter(evaluation=draft).count() == 1
