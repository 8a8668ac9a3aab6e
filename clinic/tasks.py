"""Clinic-wide Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from .audit import seal_pending
from .links import mail as link_mail
from .models import WorkerHeartbeat

LINK_MAIL_TRIES = 6  # about 15 minutes of backoff (30 s doubling), then "failed" for staff


class MailFailed(Exception):
    """A mail that could not be sent; carries only the error type (never the address)."""


@shared_task(bind=True, acks_late=True, max_retries=LINK_MAIL_TRIES - 1, ignore_result=True)
def link_mail_task(self, label: str, pk: int, base_url: str) -> str:
    """Mail a patient their private link (clinic/links/mail.py): by the link's model and id,
    the token derived again in the worker."""
    try:
        return link_mail.link_mail_send(label, pk, base_url)
    except OSError as error:  # SMTP and connection errors; their text can hold the address
        if self.request.retries >= self.max_retries:
            link_mail.link_mail_failed(label, pk)
            return "failed"
        failure = MailFailed(f"{label} {pk}: {type(error).__name__}")
        raise self.retry(exc=failure, countdown=min(600, 30 * 2**self.request.retries)) from None


@shared_task(ignore_result=True)
def worker_heartbeat_task() -> None:
    """Record that a worker is alive and consuming; /health/ reads it."""
    WorkerHeartbeat.objects.update_or_create(
        worker=socket.gethostname(), defaults={"beat_at": timezone.now()}
    )


@shared_task(ignore_result=True)
def audit_seal_task() -> None:
    """Link the audit rows committed since the last run into the hash chain."""
    seal_pending()


@shared_task(ignore_result=True)
def sessions_clear_task() -> None:
    """Delete expired sessions (Django's clearsessions): logged-out staff and old patient
    links would otherwise stay in the table for good."""
    from clinic.session_store import SessionStore

    SessionStore.clear_expired()
