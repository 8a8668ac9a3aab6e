"""Background-rendered files: the database row is the truth, the Celery message only the doorbell.

One set of rules for every kind of file (a ``Pipeline``: plan PDFs here, letters and patient
copies in plans/services/documents.py):

- a job is enqueued only after the transaction that made it commits; a rollback sends nothing.
- ``job_run`` is idempotent: a finished job is never rendered again, a failed one is never
  retried by a late duplicate, and a PostgreSQL advisory lock keeps two workers from rendering
  the same job at once (a killed worker's lock dies with its connection).
- ``jobs_sweep`` (Celery beat) re-enqueues jobs stuck queued or rendering, so even a wiped
  Redis loses no job.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from plans import pdf
from plans.models import RenderedFile, RenderJob, RenderStatus

from .links import plan_link_create

logger = logging.getLogger(__name__)
ADVISORY_NAMESPACE = 7301  # pg_try_advisory_lock(namespace, job id): plan PDFs


class RenderRetry(Exception):
    """The render failed but has attempts left: the task retries with backoff."""


def _always_current(job) -> bool:
    return True


@dataclass(frozen=True)
class Pipeline:
    """One kind of background-rendered file: its rows, its lock, and how it is made."""

    model: type[RenderedFile]
    lock_namespace: int  # each pipeline its own advisory-lock namespace
    related: tuple[str, ...]  # select_related when loading a job
    produce: Callable[[RenderedFile], tuple[bytes, str]]  # (file content, stored file name)
    enqueue: Callable[[int], None]  # called after commit with the job id
    is_current: Callable[[RenderedFile], bool] = _always_current  # a READY file still right


@contextlib.contextmanager
def render_lock(job_id: int, namespace: int = ADVISORY_NAMESPACE):
    """True when this process may render the job now (always True off PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, job_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, job_id])


def _is_done(pipeline: Pipeline, job) -> bool:
    return (
        job.status == RenderStatus.READY
        and bool(job.checksum)
        and pipeline.is_current(job)
        and bool(job.file.name)
        and job.file.storage.exists(job.file.name)
    )


def job_run(pipeline: Pipeline, job_id: int) -> str:
    """Render one job if it still needs it; returns what happened (for logs and tests)."""
    with render_lock(job_id, pipeline.lock_namespace) as acquired:
        if not acquired:
            return "busy"  # a duplicate delivery while another worker renders it
        job = pipeline.model.objects.select_related(*pipeline.related).filter(pk=job_id).first()
        if job is None:
            return "missing"
        if _is_done(pipeline, job):
            return "already-ready"
        if job.status == RenderStatus.FAILED:
            return "failed"
        if job.attempts >= settings.RENDER_MAX_ATTEMPTS:
            # Every attempt so far died without reporting (killed worker, hard time limit).
            job.status, job.finished_at = RenderStatus.FAILED, timezone.now()
            job.error = job.error or f"Gave up after {job.attempts} attempts that never finished."
            job.save(update_fields=["status", "finished_at", "error"])
            return "failed"
        return _render(pipeline, job)


def _render(pipeline: Pipeline, job) -> str:
    job.status, job.started_at = RenderStatus.RENDERING, timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "attempts"])
    try:
        content, name = pipeline.produce(job)
    except Exception as error:  # WeasyPrint, storage, time limit: all end in the job row
        return _failed(job, error)
    if job.file.name:
        job.file.storage.delete(job.file.name)
    job.file.save(name, ContentFile(content), save=False)
    job.checksum = hashlib.sha256(content).hexdigest()
    job.status, job.error, job.finished_at = RenderStatus.READY, "", timezone.now()
    job.save(update_fields=["file", "checksum", "status", "error", "finished_at"])
    return "ready"


def _failed(job, error: Exception) -> str:
    logger.warning(
        "%s %s attempt %s failed: %s", type(job).__name__, job.pk, job.attempts, type(error)
    )
    job.error = f"{type(error).__name__}: {error}"[:300]
    if job.attempts >= settings.RENDER_MAX_ATTEMPTS:
        job.status, job.finished_at = RenderStatus.FAILED, timezone.now()
        job.save(update_fields=["error", "status", "finished_at"])
        return "failed"
    job.status = RenderStatus.QUEUED
    job.save(update_fields=["error", "status"])
    raise RenderRetry(job.error)


def job_retry(pipeline: Pipeline, job) -> None:
    """Staff retry a failed job: attempts start again from zero (the caller audits)."""
    pipeline.model.objects.filter(pk=job.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.QUEUED, attempts=0, error="", enqueued_at=timezone.now()
    )
    transaction.on_commit(lambda: pipeline.enqueue(job.pk))


def jobs_sweep(pipeline: Pipeline) -> int:
    """Enqueue again the jobs stuck beyond the timeout (lost messages, killed workers)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.RENDER_SWEEP_AFTER_SECONDS)
    jobs = pipeline.model.objects
    stuck = list(
        jobs.filter(status=RenderStatus.QUEUED, enqueued_at__lt=cutoff).values_list("pk", flat=True)
    ) + list(
        jobs.filter(status=RenderStatus.RENDERING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if stuck:
        jobs.filter(pk__in=stuck).update(enqueued_at=timezone.now())
        for job_id in stuck:
            pipeline.enqueue(job_id)
    return len(stuck)


# ------------------------------------------------------------------ plan PDFs


def render_job_create(version) -> RenderJob:
    """Called inside the issuing transaction; the task is enqueued only after commit."""
    job = RenderJob.objects.create(
        version=version,
        content_hash=pdf.content_hash(version.snapshot),
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(lambda: render_job_enqueue(job.pk))
    return job


def render_job_enqueue(job_id: int) -> None:
    from plans.tasks import plan_pdf_render_task

    plan_pdf_render_task.delay(job_id)


def _plan_pdf(job: RenderJob) -> tuple[bytes, str]:
    document = pdf.render_pdf(pdf.plan_html(job.version.snapshot, online_url=_print_url(job)))
    name = f"plan-{job.version.plan_id}-v{job.version.number}-{job.content_hash[:12]}.pdf"
    return document, name


def _print_url(job: RenderJob) -> str:
    """A private link for the QR code, made in the worker so its token only goes on paper."""
    _link, token = plan_link_create(
        plan=job.version.plan,
        by=job.version.issued_by,
        purpose="print",
        version_number=job.version.number,
    )
    return settings.SITE_URL.rstrip("/") + reverse("plans:patient_plan", args=[token])


PLAN_PDF = Pipeline(
    model=RenderJob,
    lock_namespace=ADVISORY_NAMESPACE,
    related=("version__plan",),
    produce=_plan_pdf,
    enqueue=render_job_enqueue,
    # A snapshot or page size other than the one rendered means the PDF is out of date.
    is_current=lambda job: job.content_hash == pdf.content_hash(job.version.snapshot),
)


def render_job_run(job_id: int) -> str:
    return job_run(PLAN_PDF, job_id)


def render_job_retry(*, job: RenderJob, actor: Actor) -> None:
    """Staff retry a failed plan PDF."""
    job_retry(PLAN_PDF, job)
    audit(actor, AuditAction.CHANGED, obj=job, patient=job.version.plan.patient, detail="retry")


def render_jobs_sweep() -> int:
    return jobs_sweep(PLAN_PDF)
