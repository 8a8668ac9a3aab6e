"""A patient's private link is e-mailed by a worker after the request commits
(clinic/links/mail.py): never from a transaction that may still roll back, never twice, with
only the link's id in the broker, and with the outcome shown to staff."""

import logging
import time

import pytest
from celery.signals import before_task_publish
from django.core import mail
from django.db import transaction
from django.urls import reverse

from clinic.access import Role
from clinic.links import MailStatus
from clinic.links.mail import WORKER_LABEL
from clinic.models import AuditAction, AuditEvent
from clinic.tasks import LINK_MAIL_TRIES, link_mail_task
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import IntakeLink
from intake.services import intake_link_create

BASE_URL = "http://testserver/"


class Rollback(Exception):
    pass


@pytest.fixture
def desk(db):
    return UserFactory(username="mail-desk", role=Role.FRONT_DESK)


@pytest.fixture
def patient(db):
    return PatientFactory(email="runner@example.com")


def create(patient, desk, *, email=True):
    return intake_link_create(
        patient=patient, actor=actor_for(desk), base_url=BASE_URL, email=email
    )


def send(link):
    """Run the task's own code in this thread, as the worker would."""
    return link_mail_task.apply(args=(link._meta.label, link.pk, BASE_URL))


@pytest.fixture
def smtp_down(settings):
    """The real SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


@pytest.mark.django_db
def test_the_mail_waits_for_the_commit(patient, desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        link, _url, queued = create(patient, desk)
    assert queued and link.mail_status == MailStatus.QUEUED
    assert len(callbacks) == 1 and mail.outbox == []  # nothing sent inside the transaction
    queued_row = AuditEvent.objects.get(detail="e-mail queued")
    assert queued_row.actor_id == desk.pk and queued_row.patient_id == patient.pk


@pytest.mark.django_db
def test_a_rolled_back_request_mails_nothing(patient, desk, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        create(patient, desk)
        raise Rollback
    assert callbacks == [] and mail.outbox == [] and not IntakeLink.objects.exists()


@pytest.mark.django_db
def test_the_worker_sends_once_a_link_that_opens(client, patient, desk):
    link, url, _queued = create(patient, desk)
    assert send(link).get() == MailStatus.SENT
    assert send(link).get() == MailStatus.SENT  # a redelivered task: claimed already
    (message,) = mail.outbox
    assert message.to == [patient.email] and url in message.body
    assert patient.legal_first_name not in message.subject
    link.refresh_from_db()
    assert link.mail_status == MailStatus.SENT and link.sent_by_mail
    sent = AuditEvent.objects.get(action=AuditAction.SENT)
    assert (sent.actor_label, sent.patient_id, sent.detail) == (
        WORKER_LABEL,
        patient.pk,
        "by e-mail",
    )
    assert client.get(url.split("testserver", 1)[1]).status_code == 200


@pytest.mark.django_db
def test_a_patient_without_an_address_gets_no_queued_mail(desk):
    link, url, queued = create(PatientFactory(email=""), desk)
    assert not queued and link.mail_status == MailStatus.NONE and url


@pytest.mark.django_db
def test_a_link_revoked_before_the_worker_runs_is_not_mailed(patient, desk):
    link, _url, _queued = create(patient, desk)
    link.revoke(actor=actor_for(desk))
    assert send(link).get() == MailStatus.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db
def test_smtp_down_is_retried_then_marked_failed_with_no_address_in_the_log(
    patient, desk, smtp_down, caplog
):
    link, _url, _queued = create(patient, desk)
    caplog.set_level(logging.INFO)
    # Run eagerly, each retry follows at once; a worker waits the countdown between them.
    assert send(link).get() == "failed"
    retries = [r.getMessage() for r in caplog.records if " retry: Retry in " in r.getMessage()]
    waits = [message.split("Retry in ", 1)[1].split(":", 1)[0] for message in retries]
    assert waits == ["30s", "60s", "120s", "240s", "480s"][: LINK_MAIL_TRIES - 1]
    link.refresh_from_db()
    assert link.mail_status == MailStatus.FAILED and mail.outbox == []
    assert not AuditEvent.objects.filter(action=AuditAction.SENT).exists()
    assert patient.email not in caplog.text and "ConnectionRefusedError" in caplog.text


@pytest.mark.django_db
def test_the_chart_shows_where_each_links_mail_is(client, patient, desk, smtp_down):
    sent, _url, _queued = create(patient, desk)
    IntakeLink.objects.filter(pk=sent.pk).update(mail_status=MailStatus.SENT, revoked_at=None)
    failed, _url, _queued = create(patient, desk)
    send(failed)
    client.force_login(desk)
    chart = client.get(patient.get_absolute_url()).content.decode()
    assert "E-mailed</span>" in chart and "E-mail failed</span>" in chart


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_worker_mails_the_link_with_only_its_id_in_the_broker(
    client, patient, desk, celery_worker
):
    published = []

    def keep(body=None, **_kwargs):
        published.append(repr(body))

    before_task_publish.connect(keep, weak=False)
    try:
        client.force_login(desk)
        with celery_worker.running():
            client.post(reverse("intake:patient_send_link", args=[patient.pk]), {"send_mail": "on"})
            assert wait_for(lambda: mail.outbox), "the worker never sent the mail"
    finally:
        before_task_publish.disconnect(keep)
    link = IntakeLink.objects.get()
    token = link.token()
    assert token in mail.outbox[0].body
    assert published and all(token not in body for body in published)
    assert all(patient.email not in body for body in published)
    link.refresh_from_db()
    assert link.mail_status == MailStatus.SENT
