"""Care-team visibility and emergency ("break the glass") access to other records."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import EmergencyAccess, Patient

pytestmark = pytest.mark.django_db

REASON = "Covering for Dr Lee today; the patient is in the clinic with new knee pain."


@pytest.fixture
def team():
    me = UserFactory(role="Clinician", username="me")
    colleague = UserFactory(role="Clinician", username="colleague")
    admin = UserFactory(role="Clinic admin", username="boss", email="boss@example.com")
    theirs = PatientFactory(primary_clinician=colleague, legal_last_name="Theirs")
    mine = PatientFactory(primary_clinician=me, legal_last_name="Mine")
    unassigned = PatientFactory(primary_clinician=None, legal_last_name="Nobody")
    return me, colleague, admin, theirs, mine, unassigned


def test_a_clinician_sees_their_care_team_and_unassigned_patients(team):
    me, colleague, admin, theirs, mine, unassigned = team
    assert set(Patient.objects.visible_to(me)) == {mine, unassigned}
    assert set(Patient.objects.visible_to(colleague)) == {theirs, unassigned}
    assert not Patient.objects.visible_to(admin).exists()
    frontdesk = UserFactory(role="Front desk")
    assert set(Patient.objects.visible_to(frontdesk)) == {theirs, mine, unassigned}


def test_evaluating_a_patient_puts_them_on_the_care_team(team):
    from intake.services.evaluations import evaluation_start

    me, colleague, admin, theirs, mine, unassigned = team
    evaluation_start(patient=theirs, kind="initial", actor=actor_for(me))
    assert theirs in Patient.objects.visible_to(me)


def test_another_clinicians_chart_is_404_and_search_offers_emergency_access(team, client):
    me, colleague, admin, theirs, mine, unassigned = team
    client.force_login(me)
    assert client.get(reverse("intake:patient_detail", args=[theirs.pk])).status_code == 404
    page = client.post(reverse("intake:patient_list"), {"q": "Theirs"}).content.decode()
    assert "Other patients of the clinic" in page
    assert reverse("intake:emergency_access", args=[theirs.pk]) in page


def test_emergency_access_needs_a_reason_and_keeps_what_was_typed(team, client):
    me, colleague, admin, theirs, mine, unassigned = team
    client.force_login(me)
    url = reverse("intake:emergency_access", args=[theirs.pk])
    response = client.post(url, {"reason": "need it"})
    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert "need it" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert client.get(reverse("intake:patient_detail", args=[theirs.pk])).status_code == 404


def test_emergency_access_opens_flags_reports_and_expires(
    team, client, django_capture_on_commit_callbacks
):
    me, colleague, admin, theirs, mine, unassigned = team
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:emergency_access", args=[theirs.pk]), {"reason": REASON}
        )
    assert response.status_code == 302
    grant = EmergencyAccess.objects.get()
    assert (grant.user, grant.patient, grant.reason) == (me, theirs, REASON)
    assert AuditEvent.objects.filter(
        action=AuditAction.EMERGENCY_ACCESS, actor=me, patient=theirs
    ).exists()
    # The admin is told, without patient data in the mail.
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]
    assert "Theirs" not in mail.outbox[0].subject + mail.outbox[0].body
    chart = client.get(reverse("intake:patient_detail", args=[theirs.pk]))
    assert chart.status_code == 200
    assert "Emergency access" in chart.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, actor=me, patient=theirs, detail="emergency access"
    ).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=4, minutes=1)):
        client = Client()  # the idle logoff ended the old session long before
        client.force_login(me)
        assert client.get(reverse("intake:patient_detail", args=[theirs.pk])).status_code == 404


def test_the_clinic_admin_reviews_emergency_access(team, client):
    me, colleague, admin, theirs, mine, unassigned = team
    grant = EmergencyAccess.objects.create(
        patient=theirs, user=me, reason=REASON, expires_at=timezone.now()
    )
    client.force_login(admin)
    dashboard = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Emergency access to review" in dashboard and "record #" in dashboard
    page = client.get(reverse("intake:emergency_review_list")).content.decode()
    assert REASON in page
    client.post(reverse("intake:emergency_review", args=[grant.pk]), {"note": "Checked with Lee"})
    grant.refresh_from_db()
    assert grant.reviewed_by == admin and grant.review_note == "Checked with Lee"
    # Clinicians cannot review, nor see the list.
    client.force_login(me)
    assert client.get(reverse("intake:emergency_review_list")).status_code == 403


def test_front_desk_cannot_use_emergency_access(team, client):
    me, colleague, admin, theirs, mine, unassigned = team
    client.force_login(UserFactory(role="Front desk"))
    assert client.get(reverse("intake:emergency_access", args=[theirs.pk])).status_code == 403
