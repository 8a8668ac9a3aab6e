"""The patient's own visits through their plan link (issue 21): the upcoming ones listed, and
a cancel that says when it counts as late; another patient's visit is never found."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.models import AuditEvent
from clinic.tests.factories import PatientFactory, actor_for
from intake.models import Visit, VisitStatus, VisitType
from intake.services import visits
from intake.tests.helpers import working_hours

from .helpers import START, issued_plan, unlock


@pytest.fixture
def opened(clinician, client):
    working_hours(clinician, weekdays=range(7), hours=((0, 23),))
    with time_machine.travel(START, tick=False):  # Tuesday 9:00 UTC (1:00 in Los Angeles)
        plan, version, token = issued_plan(clinician)
        unlock(client, plan, token)
        yield plan, token


def book(patient, clinician, hours_ahead):
    start = (START + datetime.timedelta(hours=hours_ahead)).replace(minute=0)
    return visits.visit_book(
        patient=patient,
        clinician=clinician,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=start,
        actor=actor_for(clinician),
    )


@pytest.mark.django_db
def test_the_plan_page_lists_the_next_visits_with_a_late_mark(client, clinician, opened):
    plan, token = opened
    soon = book(plan.patient, clinician, 5)
    later = book(plan.patient, clinician, 72)
    book(PatientFactory(), clinician, 30)  # someone else's
    page = client.get(reverse("plans:patient_plan", args=[token])).content.decode()
    assert "Your next visits" in page
    assert reverse("plans:patient_visit_cancel", args=[token, soon.pk]) in page
    assert reverse("plans:patient_visit_cancel", args=[token, later.pk]) in page
    assert page.count("Cancel (late)") == 1
    assert page.count("btn-outline-danger") == 2


@pytest.mark.django_db
def test_the_patient_cancels_a_visit_and_inside_the_notice_it_is_late(client, clinician, opened):
    plan, token = opened
    soon, later = book(plan.patient, clinician, 5), book(plan.patient, clinician, 72)
    url = reverse("plans:patient_visit_cancel", args=[token, soon.pk])
    page = client.get(url).content.decode()
    assert "late cancellation" in page and "Yes, cancel this visit" in page
    assert client.post(url).status_code == 302
    assert (
        "counts as a late"
        not in client.get(
            reverse("plans:patient_visit_cancel", args=[token, later.pk])
        ).content.decode()
    )
    client.post(reverse("plans:patient_visit_cancel", args=[token, later.pk]))
    statuses = dict(Visit.objects.values_list("pk", "status"))
    assert statuses == {soon.pk: VisitStatus.LATE_CANCEL, later.pk: VisitStatus.CANCELLED}
    event = AuditEvent.objects.filter(detail=VisitStatus.LATE_CANCEL).get()
    assert event.actor_label == "patient (plan link)" and event.actor_id is None
    again = client.get(reverse("plans:patient_visit_cancel", args=[token, soon.pk]))
    assert "This visit is cancelled" in again.content.decode()  # the link clicked twice
    client.post(reverse("plans:patient_visit_cancel", args=[token, soon.pk]))
    assert Visit.objects.get(pk=soon.pk).status == VisitStatus.LATE_CANCEL


@pytest.mark.django_db
def test_another_patients_visit_is_not_found_and_stays_booked(client, clinician, opened):
    _plan, token = opened
    theirs = book(PatientFactory(), clinician, 30)
    url = reverse("plans:patient_visit_cancel", args=[token, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == VisitStatus.BOOKED


@pytest.mark.django_db
def test_without_the_birth_date_check_nothing_is_cancelled(clinician, opened):
    from django.test import Client

    plan, token = opened
    visit = book(plan.patient, clinician, 30)
    fresh = Client()
    response = fresh.post(reverse("plans:patient_visit_cancel", args=[token, visit.pk]))
    assert response.status_code == 200 and "date of birth" in response.content.decode().lower()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED
