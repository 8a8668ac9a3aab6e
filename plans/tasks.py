"""Celery tasks for plans: thin, by id, failure handled in the job row."""

from celery import shared_task

from .services import documents, reminders, rendering

RENDER_SOFT_LIMIT, RENDER_HARD_LIMIT = 60, 90  # seconds per render

RENDER_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,  # a worker killed mid-render hands the job back
    "soft_time_limit": RENDER_SOFT_LIMIT,
    "time_limit": RENDER_HARD_LIMIT,
    "max_retries": None,  # attempts are capped in the job row (RENDER_MAX_ATTEMPTS)
    "ignore_result": True,
}


def _run_or_retry(task, run, job_id: int) -> str:
    try:
        return run(job_id)
    except rendering.RenderRetry as retry:
        # Exponential backoff: 2, 4, 8 … seconds, at most a minute.
        countdown = min(60, 2**task.request.retries)
        raise task.retry(countdown=countdown, exc=retry) from retry


@shared_task(**RENDER_TASK)
def plan_pdf_render_task(self, job_id: int) -> str:
    return _run_or_retry(self, rendering.render_job_run, job_id)


@shared_task(**RENDER_TASK)
def record_document_render_task(self, document_id: int) -> str:
    return _run_or_retry(self, documents.record_document_run, document_id)


@shared_task(ignore_result=True)
def render_jobs_sweep_task() -> int:
    """Beat: every kind of background-rendered file (plan PDFs, letters, patient copies)."""
    return rendering.render_jobs_sweep() + documents.record_documents_sweep()


@shared_task(ignore_result=True)
def log_reminders_task() -> int:
    """Beat: mail patients who asked for a reminder when they stopped logging."""
    return reminders.log_reminders_send()
