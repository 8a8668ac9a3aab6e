"""Clinic-wide Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(ignore_result=True)
def worker_heartbeat_task() -> None:
    """Record that a worker is alive and consuming; /health/ reads it."""
    WorkerHeartbeat.objects.update_or_create(
        worker=socket.gethostname(), defaults={"beat_at": timezone.now()}
    )
