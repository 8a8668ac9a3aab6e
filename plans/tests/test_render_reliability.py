"""Render jobs survive failure: real Redis broker, real Celery workers, real PostgreSQL.

The job row is the truth and the Celery message only a doorbell (plans/rendering.py). These
tests break the doorbell on purpose: a render that always fails, an issue that rolls back, a
wiped broker, a worker killed mid-render and a duplicate delivery. Every job must still end in
one right state, with one stored PDF whose SHA-256 is the job's checksum.

They own the broker's Redis database (the suite's test broker): each test starts and ends by
emptying it. All waits are bounded and every worker is stopped, even when a test fails.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.db import connection, transaction

from clinic.celery import app
from clinic.tests.factories import (
    PlanFactory,
    PlanVersionFactory,
    SignedEvaluationFactory,
    actor_for,
)
from plans import pdf, services
from plans.models import Exercise, PlanItem, PlanVersion, RenderJob, RenderStatus
from plans.services.rendering import render_job_run, render_jobs_sweep
from plans.tasks import plan_pdf_render_task


def reliability_test(test):
    """A worker test on committed data (workers use their own connections); the groups made
    by data migrations must survive the flush, hence serialized_rollback. Under a minute."""
    test = pytest.mark.timeout(60)(test)
    test = pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    return pytest.mark.worker(test)


QUEUE = "celery"  # the default queue: a Redis list of waiting messages


# --- helpers ------------------------------------------------------------------------------


def wait_for(predicate, timeout: float, interval: float = 0.05):
    """Poll until predicate() is truthy or the deadline passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def job_state(job_id: int) -> RenderJob:
    return RenderJob.objects.get(pk=job_id)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_pdfs(media_root: Path, plan_id: int | None = None) -> list[Path]:
    base = media_root / "plans" / (str(plan_id) if plan_id is not None else "")
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []


def issue_plan(clinician, *, every_exercise: bool = False) -> RenderJob:
    """Generate and issue a plan (its own committed transaction); returns its render job."""
    plan = PlanFactory(evaluation__clinician=clinician)  # left patellofemoral pain
    if every_exercise:  # a long PDF: the whole library, so a render takes a while
        extra = Exercise.objects.filter(active=True).exclude(pk__in=plan.items.values("exercise"))
        for order, exercise in enumerate(extra, start=plan.items.count() + 1):
            dosage = exercise.dosage()
            PlanItem.objects.create(plan=plan, exercise=exercise, order=order, **dosage)
    return RenderJob.objects.get(version=PlanVersionFactory(plan=plan))


@contextmanager
def task_runs():
    """What each finished render task returned, as seen by the worker (task_postrun)."""
    runs: list[tuple[tuple, str, object]] = []

    def record(sender=None, args=None, retval=None, state=None, **_):
        if sender is not None and sender.name == plan_pdf_render_task.name:
            runs.append((tuple(args or ()), state, retval))

    task_postrun.connect(record, weak=False)
    try:
        yield runs
    finally:
        task_postrun.disconnect(record)


def pool_children(pid: int) -> list[int]:
    """Child process ids of pid, from /proc (no psutil here)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(children))


def stop_worker_process(worker: subprocess.Popen) -> None:
    """Warm shutdown of the master (it stops its pool), then SIGKILL whatever is left of the
    process group it leads (it was started in a session of its own)."""
    if worker.poll() is None:
        worker.terminate()
        with suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=15)
    with suppress(ProcessLookupError):  # ProcessLookupError: the group is already gone
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=5)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no worker log)"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def broker():
    url = app.conf.broker_url or ""
    if not url.startswith("redis://"):
        pytest.skip(
            "optional outside make test: needs the Redis broker (make test sets "
            "CELERY_BROKER_URL=redis://…)"
        )
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# --- tests --------------------------------------------------------------------------------


@reliability_test
def test_a_render_that_always_fails_ends_failed_after_the_capped_attempts(
    broker, media_root, settings, monkeypatch, clinician, celery_worker
):
    settings.RENDER_MAX_ATTEMPTS = 3
    calls: list[int] = []  # the cap as the worker thread sees it, one entry per render

    def broken_render(html: str) -> bytes:
        calls.append(django_settings.RENDER_MAX_ATTEMPTS)
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(pdf, "render_pdf", broken_render)

    with celery_worker.running():
        job = issue_plan(clinician)
        # Retries are countdown (ETA) messages held by the worker: wait for the final state.
        final = wait_for(
            lambda: job_state(job.pk).status == RenderStatus.FAILED, timeout=30, interval=0.1
        )
        assert final, f"never failed: {job_state(job.pk).__dict__}"
        failed = job_state(job.pk)
        time.sleep(4)  # longer than the next backoff would be: nothing may come back
        assert broker.llen(QUEUE) == 0
        assert broker.hlen("unacked") == 0, "a message is still held unacknowledged"
        later = job_state(job.pk)

    assert calls == [3, 3, 3], "the worker rendered a different number of times than the cap"
    assert failed.attempts == settings.RENDER_MAX_ATTEMPTS == 3
    assert failed.error == "RuntimeError: WeasyPrint exploded"
    assert failed.finished_at is not None and not failed.checksum and not failed.file.name
    assert (later.status, later.attempts, later.finished_at) == (
        RenderStatus.FAILED,
        3,
        failed.finished_at,
    )
    assert broker.llen(QUEUE) == 0  # stopping the worker handed nothing back either
    assert stored_pdfs(media_root) == []


@reliability_test
def test_a_transaction_that_rolls_back_enqueues_nothing(broker, media_root, clinician):
    actor = actor_for(clinician)
    plan = PlanFactory(evaluation__clinician=clinician)
    before = broker.llen(QUEUE)

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        version = services.plan_issue(plan=plan, actor=actor)
        assert RenderJob.objects.filter(version=version).exists()  # inside, it is there
        raise RolledBack

    assert not PlanVersion.objects.exists()
    assert not RenderJob.objects.exists()
    assert broker.llen(QUEUE) == before == 0
    assert broker.dbsize() == 0  # not even a binding: nothing was published


@reliability_test
def test_flushing_redis_with_jobs_queued_loses_no_job(
    broker, media_root, settings, clinician, celery_worker
):
    jobs = [issue_plan(clinician) for _ in range(3)]  # no worker: the messages wait in Redis
    assert broker.llen(QUEUE) == 3

    broker.flushdb()  # Redis wiped (restart without persistence, failover, FLUSHALL …)
    assert broker.llen(QUEUE) == 0
    assert {j.status for j in RenderJob.objects.all()} == {RenderStatus.QUEUED}

    settings.RENDER_SWEEP_AFTER_SECONDS = 0
    assert render_jobs_sweep() == 3  # what beat's render_jobs_sweep_task does
    assert broker.llen(QUEUE) == 3

    with celery_worker.running():
        ready = wait_for(
            lambda: RenderJob.objects.filter(status=RenderStatus.READY).count() == 3,
            timeout=45,
            interval=0.2,
        )
    assert ready, list(RenderJob.objects.values("pk", "status", "attempts", "error"))

    for job in jobs:
        job.refresh_from_db()
        files = stored_pdfs(media_root, job.version.plan_id)
        assert [str(p.relative_to(media_root)) for p in files] == [job.file.name]
        assert sha256(files[0]) == job.checksum
        assert job.attempts == 1 and job.error == ""
    assert broker.llen(QUEUE) == 0


@reliability_test
def test_killing_the_worker_mid_render_still_gives_one_ready_pdf(
    broker, media_root, settings, tmp_path, clinician
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "optional outside make test: the worker process needs a database it can share "
            "(make test uses PostgreSQL)"
        )
    settings.RENDER_MAX_ATTEMPTS = 3
    job = issue_plan(clinician, every_exercise=True)  # the message waits in Redis
    assert len(job.version.snapshot["items"]) == Exercise.objects.filter(active=True).count()

    test_db = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": urlparse(os.environ["DATABASE_URL"])._replace(path=f"/{test_db}").geturl(),
        "CELERY_BROKER_URL": app.conf.broker_url,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "CLINIC_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(media_root),
        "RENDER_MAX_ATTEMPTS": str(settings.RENDER_MAX_ATTEMPTS),
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "worker.log"
    command = [
        *(sys.executable, "-m", "celery", "-A", "clinic", "worker"),
        *("--pool=prefork", "--concurrency=1", "-Q", QUEUE, "--loglevel=INFO"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        *("-n", f"rel-kill-{os.getpid()}@%h"),
    ]
    with log.open("wb") as out:
        worker = subprocess.Popen(  # its own process group, so cleanup reaches its children
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        rendering = wait_for(
            lambda: job_state(job.pk).status == RenderStatus.RENDERING, timeout=30, interval=0.01
        )
        assert rendering, f"the worker never started the render:\n{tail(log)}"
        children = pool_children(worker.pid)
        assert len(children) == 1, f"expected one pool process, got {children}"
        os.kill(children[0], signal.SIGKILL)  # mid-render: the message is not acknowledged
        killed_at = job_state(job.pk)
        assert killed_at.attempts == 1
        assert killed_at.status == RenderStatus.RENDERING, "the render finished before the kill"

        done = wait_for(
            lambda: job_state(job.pk).status in (RenderStatus.READY, RenderStatus.FAILED),
            timeout=40,
            interval=0.1,
        )
        final = job_state(job.pk)
        assert done, f"stuck {final.status} after the kill:\n{tail(log)}"
        assert worker.poll() is None, f"the worker itself died:\n{tail(log)}"
        replacement = pool_children(worker.pid)
        assert replacement and children[0] not in replacement
        # The row turns READY a moment before the master acknowledges the message: stopping
        # the worker in between would hand the message back. Wait for the acknowledgement.
        acknowledged = wait_for(
            lambda: (
                "succeeded in" in log.read_text(errors="replace")
                and broker.llen(QUEUE) == 0
                and broker.hlen("unacked") == 0
            ),
            timeout=15,
            interval=0.1,
        )
        assert acknowledged, f"the finished render was never acknowledged:\n{tail(log)}"
    finally:
        print(f"worker log (shown when the test fails):\n{tail(log, 80)}")
        stop_worker_process(worker)

    assert final.status == RenderStatus.READY, f"{final.error}\n{tail(log)}"
    assert final.attempts == 2, "one killed attempt and one that finished"
    files = stored_pdfs(media_root)
    assert [str(p.relative_to(media_root)) for p in files] == [final.file.name]
    assert sha256(files[0]) == final.checksum
    assert "WorkerLostError" in log.read_text(errors="replace")
    assert broker.llen(QUEUE) == 0 and broker.hlen("unacked") == 0  # shutdown gave none back


@reliability_test
def test_a_duplicate_delivery_renders_nothing_twice(
    broker, media_root, monkeypatch, clinician, celery_worker
):
    job = issue_plan(clinician)  # its own message waits in Redis: a first duplicate
    assert render_job_run(job.pk) == "ready"  # rendered here, in the test process
    job.refresh_from_db()
    path = media_root / job.file.name
    before = (job.status, job.checksum, job.file.name, path.stat().st_mtime_ns, job.attempts)
    assert before[0] == RenderStatus.READY and before[4] == 1

    renders: list[str] = []
    real_render = pdf.render_pdf

    def counted_render(html: str) -> bytes:
        renders.append(html)
        return real_render(html)

    monkeypatch.setattr(pdf, "render_pdf", counted_render)

    plan_pdf_render_task.delay(job.pk)  # a second duplicate, sent on purpose
    assert broker.llen(QUEUE) == 2
    with task_runs() as runs, celery_worker.running():
        assert wait_for(lambda: len(runs) >= 2, timeout=30), runs
        time.sleep(1)  # anything more would show up now

    assert runs == [((job.pk,), "SUCCESS", "already-ready")] * 2
    assert renders == []
    job.refresh_from_db()
    assert (
        job.status,
        job.checksum,
        job.file.name,
        path.stat().st_mtime_ns,
        job.attempts,
    ) == before
    assert stored_pdfs(media_root) == [path]
    assert sha256(path) == job.checksum
    assert broker.llen(QUEUE) == 0


# --- a bug found on the way ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_generated_plantar_heel_pain_plan_can_be_issued_as_generated(clinician):
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M72.2")  # plantar heel
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
    )
    assert plan.items.filter(exercise__key="short_foot").exists()
    version = services.plan_issue(plan=plan, actor=actor_for(clinician))
    assert RenderJob.objects.filter(version=version).exists()
