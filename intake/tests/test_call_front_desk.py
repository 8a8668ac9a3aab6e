"""Discovery calls at the front desk: the calendar, booking by phone, the outcome, each
clinician's own calls, and converting a call into a patient with a questionnaire link."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory
from intake.models import CallManageLink, DiscoveryCall, IntakeLink, Patient

from .helpers import DETAILS, at


@pytest.mark.django_db
def test_front_desk_sees_the_calendar_books_by_phone_and_records_the_outcome(
    client, caller_clinician, frozen
):
    desk = UserFactory(username="desk", role=Role.FRONT_DESK)
    client.force_login(desk)
    key = f"{caller_clinician.pk}-{int(at(1, 10).timestamp())}"
    response = client.post(
        reverse("intake:call_new"), {**DETAILS, "clinician_slot": key, "name": "Phone Caller"}
    )
    call = DiscoveryCall.objects.get()
    assert response["Location"] == reverse("intake:call_detail", args=[call.pk])
    assert call.source == "phone" and call.booked_by == desk
    today = client.get(reverse("intake:call_calendar")).content.decode()
    assert "Phone Caller" in today
    week = client.get(reverse("intake:call_calendar"), {"view": "week", "day": "2026-12-01"})
    assert "Phone Caller" in week.content.decode()
    assert "Phone Caller" in client.get(reverse("clinic:dashboard")).content.decode()
    client.post(
        reverse("intake:call_detail", args=[call.pk]),
        {"outcome": "evaluation_booked", "notes": "Wants to run CIM"},
    )
    call.refresh_from_db()
    assert (call.outcome, call.notes) == ("evaluation_booked", "Wants to run CIM")
    recorded = AuditEvent.objects.get(action=AuditAction.CHANGED, object_id=str(call.pk))
    assert (recorded.actor, recorded.detail) == (desk, "outcome and notes")


@pytest.mark.django_db
def test_a_clinician_sees_only_their_own_calls(client, booked):
    other = UserFactory(username="other-clin", role=Role.CLINICIAN)
    client.force_login(other)
    assert client.get(reverse("intake:call_detail", args=[booked.pk])).status_code == 404
    client.force_login(booked.clinician)
    assert client.get(reverse("intake:call_detail", args=[booked.pk])).status_code == 200


@pytest.mark.django_db
def test_converting_a_call_creates_the_patient_and_sends_the_questionnaire(
    client, booked, link_mails_sent
):
    desk = UserFactory(username="desk2", role=Role.FRONT_DESK)
    client.force_login(desk)
    url = reverse("intake:call_convert", args=[booked.pk])
    form = client.get(url).content.decode()
    assert 'value="Robin"' in form and 'value="Quinn"' in form
    data = {
        "legal_first_name": "Robin",
        "legal_last_name": "Quinn",
        "date_of_birth": "1991-02-03",
        "email": "robin@example.com",
        "phone": "+14155550199",
        "status": "prospect",
        "referral_source": "discovery_call",
        "send_link": "1",
        "send_mail": "on",
    }
    with link_mails_sent():
        response = client.post(url, data)
    patient = Patient.objects.get(legal_last_name="Quinn")
    assert response["Location"] == patient.get_absolute_url()
    booked.refresh_from_db()
    assert booked.patient == patient
    assert IntakeLink.objects.filter(intake__patient=patient).count() == 1
    assert any("/q/" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_converting_warns_about_a_patient_who_already_exists(client, booked):
    PatientFactory(
        legal_first_name="Robin", legal_last_name="Quinn", date_of_birth=datetime.date(1991, 2, 3)
    )
    desk = UserFactory(username="desk3", role=Role.FRONT_DESK)
    client.force_login(desk)
    response = client.post(
        reverse("intake:call_convert", args=[booked.pk]),
        {
            "legal_first_name": "Robin",
            "legal_last_name": "Quinn",
            "date_of_birth": "1991-02-03",
            "status": "prospect",
        },
    )
    assert "already exists" in response.content.decode()
    assert Patient.objects.filter(legal_last_name="Quinn").count() == 1
    assert CallManageLink.objects.count() == 0


@pytest.mark.django_db
def test_the_call_calendar_shrugs_off_far_off_dates(client, frontdesk):
    client.force_login(frontdesk)
    for day in ("0001-01-01", "9999-12-31"):
        assert (
            client.get(reverse("intake:call_calendar"), {"day": day, "view": "week"}).status_code
            == 200
        )
