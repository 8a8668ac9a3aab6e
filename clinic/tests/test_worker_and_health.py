"""A real Celery worker consumes from the real broker and its effect lands in the database."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from health_check.exceptions import ServiceUnavailable

from clinic.health import Broker
from clinic.models import WorkerHeartbeat
from clinic.tasks import worker_heartbeat_task


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_runs_the_heartbeat_task_and_health_turns_green(client, celery_worker):
    assert client.get(reverse("health")).status_code == 503  # no worker has beaten yet

    with celery_worker.running():
        worker_heartbeat_task.delay()
        assert wait_for(WorkerHeartbeat.objects.exists), "the worker never ran the task"

    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert all(value == "OK" for value in response.json().values())


# The health view runs its checks in another thread, so the data must be committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_reports_a_stale_worker_heartbeat_as_unavailable(client):
    WorkerHeartbeat.objects.create(
        worker="old-host", beat_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert "stale" in " ".join(response.json().values())


def test_broker_check_fails_when_nothing_listens():
    with pytest.raises(ServiceUnavailable, match="Broker unreachable"):
        Broker(url="redis://127.0.0.1:1/0").run()  # nothing listens on port 1


def test_broker_check_passes_on_the_configured_broker():
    Broker().run()
