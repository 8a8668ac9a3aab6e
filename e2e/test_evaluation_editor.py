"""The evaluation editor takes several diagnoses and goals in one save, and a code found by
the ICD search goes into a row with one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from intake.models import Evaluation, Patient

from .helpers import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_several_diagnoses_and_goals_in_one_save_and_a_searched_code_picked(
    demo, live_server, new_context
):
    patient = Patient.objects.get(legal_first_name="Tom")
    evaluation = Evaluation.objects.create(
        patient=patient, clinician=demo["clinician"], kind="initial", involved_side="left"
    )
    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(f"{live_server.url}/evaluations/{evaluation.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Initial evaluation")

    codes = page.locator("[data-formset=dx] input[name$='-code']")
    codes.nth(0).fill("M22.2X2")
    page.get_by_label("Search all ICD-10-CM codes").fill("M76.62")
    page.get_by_role("button", name="Use this code").click()  # no empty row: one is added
    expect(codes).to_have_count(2)
    expect(codes.nth(1)).to_have_value("M76.62")
    # M76.62 is mid-portion or insertional Achilles: the clinician says which.
    page.locator("[data-formset=dx] select[name$='-condition']").nth(1).select_option(
        "achilles_insertional"
    )
    page.get_by_role("button", name="Add a diagnosis").click()
    codes.nth(2).fill("M76.32")

    goals = page.locator("[data-formset=goals] input[name$='-text']")
    terms = page.locator("[data-formset=goals] select[name$='-term']")
    terms.nth(0).select_option("short")
    goals.nth(0).fill("Run 5 miles without knee pain")
    page.get_by_role("button", name="Add a goal").click()
    terms.nth(1).select_option("long")
    goals.nth(1).fill("Race the CIM in December")
    date = page.locator("[data-formset=goals] input[name$='-target_date']").first
    box = date.bounding_box()
    assert box and box["width"] >= 150, box  # the date box is not cut off
    screenshot(page, "first-hour-editor-rows")

    page.get_by_role("button", name="Save", exact=True).last.click()
    errors = page.locator(".invalid-feedback").all_inner_texts()
    assert not errors, errors
    expect(page.get_by_role("alert").filter(has_text="Evaluation saved.")).to_be_visible()
    assert sorted(evaluation.diagnoses.values_list("code", flat=True)) == [
        "M22.2X2",
        "M76.32",
        "M76.62",
    ]
    assert evaluation.diagnoses.get(code="M76.62").condition == "achilles_insertional"
    assert evaluation.goals.count() == 2
