"""The pre-visit questionnaire through the patient's private link, end to end on PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import actor_for
from intake import services
from intake.models import Intake, IntakeLink, IntakeStatus, RedFlagAlert

from .helpers import COMPLAINT, HISTORY, PROFILE, fill_all, step


@pytest.mark.django_db
def test_patient_completes_the_questionnaire_and_it_awaits_review(client, intake_link, patient):
    token, path = intake_link
    assert client.get(path).status_code == 200
    fill_all(client, path)
    response = client.post(step(path, "consent"), {"privacy": "on", "treatment": "on"})
    assert response.status_code == 302
    intake = Intake.objects.get(patient=patient)
    assert intake.status == IntakeStatus.AWAITING_REVIEW
    assert intake.privacy_notice_version and intake.treatment_consent_at is not None
    assert intake.profile.weekly_distance_km == Decimal("40.23")  # 25 miles, stored in km
    assert intake.profile.easy_pace_sec_per_km == 354  # 9:30/mi
    assert intake.complaint.pain_worst == 6
    assert intake.prior_injuries.get().diagnosis == "Shin splints"
    assert intake.submitted_answers["complaint"]  # the original is kept
    assert not RedFlagAlert.objects.exists()
    assert IntakeLink.objects.get().state == "used"
    # The used link now shows a thank-you page and cannot change anything.
    page = client.get(path)
    assert "your answers were sent" in page.content.decode()
    client.post(step(path, "complaint"), {**COMPLAINT, "pain_now": "9"})
    intake.complaint.refresh_from_db()
    assert intake.complaint.pain_now == 3


@pytest.mark.django_db
def test_an_abandoned_invalid_step_keeps_what_was_typed_and_resumes(client, intake_link):
    _, path = intake_link
    client.post(step(path, "profile"), PROFILE)
    bad = {**COMPLAINT, "pain_now": "14", "mechanism": "Downhill long run"}
    response = client.post(step(path, "complaint"), bad)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 10" in response.content.decode()
    # The patient closes the tab and comes back later with the same link.
    client.cookies.clear()
    start = client.get(path).content.decode()
    assert "Continue where you left off" in start
    again = client.get(step(path, "complaint")).content.decode()
    assert 'value="14"' in again and "Downhill long run" in again
    assert 'value="Pegasus 41"' in client.get(step(path, "profile")).content.decode()


@pytest.mark.django_db
def test_the_same_step_submitted_twice_changes_nothing_twice(client, intake_link, patient):
    _, path = intake_link
    client.post(step(path, "history"), HISTORY)
    client.post(step(path, "history"), HISTORY)  # a double click or the back button
    intake = Intake.objects.get(patient=patient)
    assert intake.prior_injuries.count() == 1
    fill_all(client, path)
    consent = {"privacy": "on", "treatment": "on"}
    client.post(step(path, "consent"), consent)
    client.post(step(path, "consent"), consent)
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, detail="submitted").count() == 1


@pytest.mark.django_db
def test_consent_is_required_to_send(client, intake_link, patient):
    _, path = intake_link
    fill_all(client, path)
    response = client.post(step(path, "consent"), {"privacy": "on"})
    assert response.status_code == 200
    assert Intake.objects.get(patient=patient).status == IntakeStatus.DRAFT


@pytest.mark.django_db
def test_sending_before_finishing_every_step_points_to_what_is_missing(client, intake_link):
    _, path = intake_link
    client.post(step(path, "profile"), PROFILE)
    response = client.post(step(path, "consent"), {"privacy": "on", "treatment": "on"})
    assert response.status_code == 302 and "complaint" in response["Location"]


@pytest.mark.django_db
def test_link_expires_after_seven_days(client, intake_link):
    _, path = intake_link
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature broken
        lambda t: "x" + t,  # value changed
        lambda t: t.split(":")[0],  # signature removed
        lambda t: "not-a-token",
    ],
)
def test_tampered_links_get_a_clear_page(client, intake_link, mangle):
    token, _ = intake_link
    response = client.get(reverse("intake:self_intake", args=[mangle(token)]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_link_stops_working(client, intake_link, frontdesk):
    _, path = intake_link
    link = IntakeLink.objects.get()
    client.force_login(frontdesk)
    client.post(reverse("intake:intake_link_revoke", args=[link.pk]))
    client.logout()
    assert client.get(path).status_code == 410
    assert client.post(step(path, "profile"), PROFILE).status_code == 410


@pytest.mark.django_db
def test_a_new_link_replaces_the_old_one(client, intake_link, frontdesk, patient):
    _, old_path = intake_link
    client.force_login(frontdesk)
    client.post(reverse("intake:patient_send_link", args=[patient.pk]), {})
    client.logout()
    assert client.get(old_path).status_code == 410
    assert IntakeLink.objects.active().count() == 1


@pytest.mark.django_db
def test_the_link_is_mailed_without_patient_data_in_the_subject(
    client, frontdesk, patient, mailoutbox, link_mails_sent
):
    client.force_login(frontdesk)
    with link_mails_sent():
        client.post(reverse("intake:patient_send_link", args=[patient.pk]), {"send_mail": "on"})
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [patient.email]
    assert "Jordan" not in mail.subject and "Ellis" not in mail.subject
    assert "/q/" in mail.body
    assert IntakeLink.objects.get().sent_by_mail


@pytest.mark.django_db
def test_free_text_with_a_script_tag_is_kept_and_shown_as_text(
    client, intake_link, clinician, patient
):
    _, path = intake_link
    script = '<script>alert("x")</script>'
    fill_all(client, path)
    client.post(step(path, "complaint"), {**COMPLAINT, "mechanism": script})
    client.post(step(path, "consent"), {"privacy": "on", "treatment": "on"})
    intake = Intake.objects.get(patient=patient)
    assert intake.complaint.mechanism == script
    client.force_login(clinician)
    page = client.get(reverse("intake:intake_review", args=[intake.pk])).content.decode()
    assert script not in page and "&lt;script&gt;" in page


@pytest.mark.django_db
def test_a_step_is_saved_from_plain_values_and_a_key_it_does_not_have_is_refused(
    patient, frontdesk
):
    actor = actor_for(frontdesk)
    intake = services.intake_start(patient=patient, source="staff", by=frontdesk)
    services.intake_step_save(intake=intake, step="profile", data={"runs_per_week": 4}, actor=actor)
    services.intake_step_save(
        intake=intake,
        step="history",
        data=[{"region": "knee", "diagnosis": "ITB syndrome", "year": 2023}],
        actor=actor,
    )
    intake.refresh_from_db()
    assert intake.profile.runs_per_week == 4 and intake.completed_steps == ["profile", "history"]
    assert intake.prior_injuries.get().diagnosis == "ITB syndrome"
    for key, data in [
        ("profile", {"intake_id": 7}),
        ("complaint", {"pain_today": 3}),
        ("history", [{"region": "knee", "surgery": True}]),
        ("billing", {}),
    ]:
        with pytest.raises(ValueError):
            services.intake_step_save(intake=intake, step=key, data=data, actor=actor)
