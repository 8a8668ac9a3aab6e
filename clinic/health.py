"""Health checks for /health/: the database, the Celery broker, and a live worker."""

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .celery import app
from .models import WorkerHeartbeat


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker (Redis, or the filesystem in development) accepts a connection."""

    url: str | None = dataclasses.field(default=None, repr=False)  # default: the app's
    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        try:
            with app.connection_for_write(self.url) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # kombu raises many types; the status is what matters
            raise ServiceUnavailable("Broker unreachable") from exc


@dataclasses.dataclass
class WorkerHeartbeatCheck(HealthCheck):
    """A worker ran the beat-scheduled heartbeat task recently (so beat and worker live)."""

    def run(self) -> None:
        max_age = datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
        latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
        last = latest.first()
        if last is None:
            raise ServiceUnavailable("No worker heartbeat yet")
        if timezone.now() - last > max_age:
            raise ServiceUnavailable("Worker heartbeat is stale")
