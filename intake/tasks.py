"""Celery tasks for intake: thin, by id; the database records what was sent."""

from celery import shared_task

from intake.services import discovery_calls


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),  # SMTP and connection errors
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    ignore_result=True,
)
def discovery_call_mail_task(self, call_id: int, kind: str) -> None:
    """Confirmation, change or cancellation mail with its calendar invite."""
    discovery_calls.call_mail_send(call_id, kind)


@shared_task(ignore_result=True)
def discovery_call_reminders_task() -> int:
    """Beat, every 5 minutes: reminders for calls in the next 24 h, each sent once."""
    return discovery_calls.reminders_send()
