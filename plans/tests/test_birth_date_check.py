"""The private links' date-of-birth check reads a date the way the patient meant it, and only a
real, possible date that does not match spends one of the five tries."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import UserFactory
from plans import services
from plans.models import PatientPlanLink
from plans.services.links import plan_link_create

from .test_plans import request_for, signed_evaluation

BORN = datetime.date(1985, 3, 4)
# Late in the year, so that "3/4/25" is already in the past and "3/4/27" is not yet.
TODAY = datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)


@pytest.fixture
def plan_link(db):
    """(link, url) of an issued plan for a patient born on BORN."""
    clinician = UserFactory(username="dob-clinician", role=Role.CLINICIAN)
    evaluation = signed_evaluation(clinician, "M22.2X2")
    evaluation.patient.date_of_birth = BORN
    evaluation.patient.save(update_fields=["date_of_birth"])
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", request=request_for(clinician)
    )
    services.plan_issue(plan=plan, request=request_for(clinician))
    link, token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    return link, reverse("plans:patient_plan", args=[token])


def tries_spent(link) -> int:
    link.refresh_from_db()
    return link.failed_checks


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    # What Chromium's date box sends for "3/4/85", and the same typed where there is no box.
    ["0085-03-04", "3/4/85", "03/04/1985", "1985-03-04"],
)
def test_a_two_digit_year_is_read_as_the_patients_birth_year_and_opens_the_plan(
    client, plan_link, typed
):
    link, url = plan_link
    page = client.post(url, {"date_of_birth": typed}).content.decode()
    assert "Your home exercises," in page
    assert "does not match" not in page
    assert tries_spent(link) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0185-03-04", "more than 120 years ago; please check the year"),
        ("1900-03-04", "more than 120 years ago; please check the year"),
        ("2027-03-04", "cannot be in the future"),
        ("1985-02-30", "There is no such date"),
        ("2/30/1985", "There is no such date"),
        ("the fourth of March", "Please enter the date as month/day/year"),
        ("", "Please enter your date of birth."),
    ],
    ids=["year-0185", "121-years", "future", "30-feb-iso", "30-feb-typed", "words", "empty"],
)
def test_an_impossible_or_unreadable_date_is_explained_and_costs_no_try(
    client, plan_link, typed, message
):
    link, url = plan_link
    response = client.post(url, {"date_of_birth": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "tries left" not in page and "does not match" not in page
    assert f'value="{typed}"' in page if typed else 'name="date_of_birth"' in page
    assert tries_spent(link) == 0
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).exists()
    # All five tries are still there: the right date still opens the plan.
    assert (
        "Your home exercises," in client.post(url, {"date_of_birth": "1985-03-04"}).content.decode()
    )


@pytest.mark.django_db
def test_impossible_dates_never_lock_the_link(client, plan_link):
    link, url = plan_link
    for _ in range(PatientPlanLink.MAX_BIRTH_DATE_TRIES + 2):
        assert client.post(url, {"date_of_birth": "0185-03-04"}).status_code == 200
    link.refresh_from_db()
    assert link.locked_at is None and link.failed_checks == 0


@pytest.mark.django_db
def test_a_wrong_date_says_how_it_was_read_and_keeps_it_in_the_box(client, plan_link):
    link, url = plan_link
    page = client.post(url, {"date_of_birth": "0086-03-04"}).content.decode()
    assert "March 4, 1986 does not match our records. 4 tries left." in page
    assert 'value="1986-03-04"' in page  # what was read, so the patient sees the year
    assert tries_spent(link) == 1


@pytest.mark.django_db
def test_a_two_digit_year_takes_the_century_that_puts_the_birth_in_the_past(client, plan_link):
    link, url = plan_link
    # On 26 November 2026, "25" is 2025 (in the past) but "27" is 1927 (2027 is ahead).
    assert (
        "March 4, 2025 does not match"
        in client.post(url, {"date_of_birth": "3/4/25"}).content.decode()
    )
    assert (
        "March 4, 1927 does not match"
        in client.post(url, {"date_of_birth": "3/4/27"}).content.decode()
    )
    assert timezone.localdate() == datetime.date(2026, 11, 26)
