"""The first hour in a real clinic, in a real browser: nothing a person typed is lost.

- A patient types their date of birth with a two-digit year ("3/4/85") into the plan link's
  date box: it opens the plan instead of costing one of the five tries.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from plans.links import plan_link_create
from plans.models import Plan

from .helpers import screenshot
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
