"""Render jobs: the database row is the truth, the Celery message only the doorbell.

- ``render_job_enqueue`` runs after the issuing transaction commits; a rollback sends nothing.
- ``render_job_run`` is idempotent: a finished job is never rendered again, a failed one is
  never retried by a late duplicate, and a PostgreSQL advisory lock keeps two workers from
  rendering the same job at once (a killed worker's lock dies with its connection).
- ``render_jobs_sweep`` (Celery beat) re-enqueues jobs stuck queued or rendering, so even a
  wiped Redis loses no job.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from clinic.audit import audit
from clinic.models import AuditAction

from . import pdf
from .links import plan_link_create
from .models import RenderJob, RenderStatus

logger = logging.getLogger(__name__)
ADVISORY_NAMESPACE = 7301  # pg_try_advisory_lock(namespace, job id): render jobs


class RenderRetry(Exception):
    """The render failed but has attempts left: the task retries with backoff."""


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
    from .tasks import plan_pdf_render_task

    plan_pdf_render_task.delay(job_id)


@contextlib.contextmanager
def render_lock(job_id: int):
    """True when this process may render the job now (always True off PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, job_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, job_id])


def _is_done(job: RenderJob) -> bool:
    return (
        job.status == RenderStatus.READY
        and bool(job.checksum)
        and job.content_hash == pdf.content_hash(job.version.snapshot)
        and job.file.name
        and job.file.storage.exists(job.file.name)
    )


def render_job_run(job_id: int) -> str:
    """Render one job if it still needs it; returns what happened (for logs and tests)."""
    with render_lock(job_id) as acquired:
        if not acquired:
            return "busy"  # a duplicate delivery while another worker renders it
        job = RenderJob.objects.select_related("version__plan").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if _is_done(job):
            return "already-ready"
        if job.status == RenderStatus.FAILED:
            return "failed"
        if job.attempts >= settings.RENDER_MAX_ATTEMPTS:
            # Every attempt so far died without reporting (killed worker, hard time limit).
            job.status, job.finished_at = RenderStatus.FAILED, timezone.now()
            job.error = job.error or f"Gave up after {job.attempts} attempts that never finished."
            job.save(update_fields=["status", "finished_at", "error"])
            return "failed"
        return _render(job)


def _render(job: RenderJob) -> str:
    job.status, job.started_at = RenderStatus.RENDERING, timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "attempts"])
    try:
        document = pdf.render_pdf(pdf.plan_html(job.version.snapshot, online_url=_print_url(job)))
    except Exception as error:  # WeasyPrint, storage, time limit: all end in the job row
        return _failed(job, error)
    name = f"plan-{job.version.plan_id}-v{job.version.number}-{job.content_hash[:12]}.pdf"
    if job.file.name:
        job.file.storage.delete(job.file.name)
    job.file.save(name, ContentFile(document), save=False)
    job.checksum = hashlib.sha256(document).hexdigest()
    job.status, job.error, job.finished_at = RenderStatus.READY, "", timezone.now()
    job.save(update_fields=["file", "checksum", "status", "error", "finished_at"])
    return "ready"


def _failed(job: RenderJob, error: Exception) -> str:
    logger.warning("Render job %s attempt %s failed: %s", job.pk, job.attempts, type(error))
    job.error = f"{type(error).__name__}: {error}"[:300]
    if job.attempts >= settings.RENDER_MAX_ATTEMPTS:
        job.status, job.finished_at = RenderStatus.FAILED, timezone.now()
        job.save(update_fields=["error", "status", "finished_at"])
        return "failed"
    job.status = RenderStatus.QUEUED
    job.save(update_fields=["error", "status"])
    raise RenderRetry(job.error)


def _print_url(job: RenderJob) -> str:
    """A private link for the QR code, made in the worker so its token only goes on paper."""
    _link, token = plan_link_create(
        plan=job.version.plan,
        by=job.version.issued_by,
        purpose="print",
        version_number=job.version.number,
    )
    return settings.SITE_URL.rstrip("/") + reverse("plans:patient_plan", args=[token])


def render_job_retry(*, job: RenderJob, request) -> None:
    """Staff retry a failed job: attempts start again from zero."""
    RenderJob.objects.filter(pk=job.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.QUEUED, attempts=0, error="", enqueued_at=timezone.now()
    )
    audit(request, AuditAction.CHANGED, obj=job, patient=job.version.plan.patient, detail="retry")
    transaction.on_commit(lambda: render_job_enqueue(job.pk))


def render_jobs_sweep() -> int:
    """Enqueue again the jobs stuck beyond the timeout (lost messages, killed workers)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.RENDER_SWEEP_AFTER_SECONDS)
    stuck = list(
        RenderJob.objects.filter(status=RenderStatus.QUEUED, enqueued_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    ) + list(
        RenderJob.objects.filter(status=RenderStatus.RENDERING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if stuck:
        RenderJob.objects.filter(pk__in=stuck).update(enqueued_at=timezone.now())
        for job_id in stuck:
            render_job_enqueue(job_id)
    return len(stuck)
