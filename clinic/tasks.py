"""Clinic-wide Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from .audit import seal_pending
from .models import WorkerHeartbeat


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
