"""The first hour in a real clinic, in a real browser: a clinician filling in the LEFS sees
what 0 and 4 mean and a running total that follows the typing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clinic.tests.factories import actor_for
from intake.models import Patient
from intake.services.evaluations import evaluation_start

from .helpers import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _editor(demo):
    jordan = Patient.objects.get(legal_first_name="Jordan")
    return evaluation_start(patient=jordan, kind="initial", actor=actor_for(demo["clinician"]))


def test_the_lefs_shows_its_scale_and_a_running_total_as_the_clinician_types(
    demo, live_server, new_context
):
    draft = _editor(demo)
    page = new_context("desktop").new_page()
    login(page, live_server.url, "clinician", demo["password"])
    page.goto(f"{live_server.url}/evaluations/{draft.pk}/edit/")

    lefs = page.locator("details", has=page.locator("summary", has_text="Lower Extremity"))
    lefs.locator("summary").click()  # the items are fetched now (htmx)
    scale = lefs.locator("#om-LEFS-scale")
    expect(scale).to_contain_text("0 = extreme difficulty or unable to perform the activity")
    expect(scale).to_contain_text("4 = no difficulty")
    first = page.locator("#id_om-LEFS-1")
    expect(first).to_have_attribute("placeholder", "0–4")
    # The scale is what a screen reader hears with each item.
    assert first.evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
    ).startswith("Scale: Each item: 0 =")
    total = lefs.locator("output[data-om-total]")
    expect(total).to_have_text("0 / 80 (0 of 20 answered)")

    for item, points in enumerate([4, 3, 2, 4, 1], start=1):
        page.locator(f"#id_om-LEFS-{item}").press_sequentially(str(points))
    expect(total).to_have_text("14 / 80 (5 of 20 answered)")

    # A value outside the scale is flagged and left out of the total, not silently added.
    page.locator("#id_om-LEFS-6").press_sequentially("7")
    expect(total).to_have_text("14 / 80 (5 of 20 answered; 1 entry not counted: outside 0–4)")
    expect(page.locator("#id_om-LEFS-6")).to_have_class(re.compile("is-invalid"))
    page.locator("#id_om-LEFS-6").fill("3")
    expect(total).to_have_text("17 / 80 (6 of 20 answered)")
    page.locator("#id_om-LEFS-2").fill("")  # a cleared answer leaves the total
    expect(total).to_have_text("14 / 80 (5 of 20 answered)")
    lefs.scroll_into_view_if_needed()
    screenshot(page, "60-evaluation-lefs-running-total")

    # Saved (incomplete, so unscored) and drawn again: the server totals it the same way.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="saved")).to_be_visible()
    page.goto(f"{live_server.url}/evaluations/{draft.pk}/edit/")
    drawn = page.locator("details", has=page.locator("summary", has_text="Lower Extremity"))
    expect(drawn.locator("output[data-om-total]")).to_have_text("14 / 80 (5 of 20 answered)")

    # Another measure works the same way: FAAM Sports as a percentage of the answered items.
    faam = page.locator("details", has=page.locator("summary", has_text="Sports"))
    faam.locator("summary").click()
    expect(faam.locator("#om-FAAM-SPORTS-scale")).to_contain_text("leave an item blank for N/A")
    for item in range(1, 8):
        page.locator(f"#id_om-FAAM-SPORTS-{item}").press_sequentially("3")
    expect(faam.locator("output[data-om-total]")).to_have_text(
        "21 / 28 = 75.0 % (7 of 8 answered; at least 7 needed)"
    )
    faam.scroll_into_view_if_needed()
    screenshot(page, "61-evaluation-faam-running-total")
