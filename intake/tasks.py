"""Celery tasks for intake: thin, by id; the database records what was sent."""

from celery import shared_task

from clinic.actors import Actor
from clinic.tasks import MailFailed
from intake.services import discovery_calls


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def discovery_call_mail_task(self, call_id: int, kind: str) -> None:
    """Confirmation, change or cancellation mail with its calendar invite."""
    try:
        discovery_calls.call_mail_send(call_id, kind)
    except OSError as error:  # SMTP and connection errors; their text can hold the address
        failure = MailFailed(f"call {call_id} {kind}: {type(error).__name__}")
        raise self.retry(exc=failure, countdown=min(600, 30 * 2**self.request.retries)) from None


@shared_task(ignore_result=True)
def discovery_call_reminders_task() -> int:
    """Beat, every 5 minutes: the reminders that came due, each sent once (calls booked
    more than 24 h ahead get one; nearer calls have their fresh confirmation)."""
    return discovery_calls.reminders_send()


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def visit_mail_task(self, visit_id: int, kind: str) -> None:
    """The patient's mail about a booked, moved or cancelled visit, with its invite."""
    from intake.services.visit_mail import visit_mail_send

    try:
        visit_mail_send(visit_id, kind)
    except OSError as error:  # SMTP and connection errors; their text can hold the address
        failure = MailFailed(f"visit {visit_id} {kind}: {type(error).__name__}")
        raise self.retry(exc=failure, countdown=min(600, 30 * 2**self.request.retries)) from None


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def visit_series_mail_task(self, visit_ids: list[int]) -> None:
    """One mail listing the visits of a series booked at once (not one mail per visit)."""
    from intake.services.visit_mail import visit_series_mail_send

    try:
        visit_series_mail_send(visit_ids)
    except OSError as error:  # SMTP and connection errors; their text can hold the address
        failure = MailFailed(f"visit series {visit_ids[:1]}: {type(error).__name__}")
        raise self.retry(exc=failure, countdown=min(600, 30 * 2**self.request.retries)) from None


@shared_task(ignore_result=True)
def visit_reminders_task() -> int:
    """Beat, every 5 minutes: visit reminders that came due, each sent once."""
    from intake.services.visit_mail import visit_reminders_send

    return visit_reminders_send()


@shared_task(bind=True, acks_late=True, max_retries=5, ignore_result=True)
def redflag_notice_task(self, alert_ids: list[int]) -> None:
    """Mail the clinicians that a questionnaire raised a flag that cannot wait."""
    from intake.services.intakes import NOTICE_LABEL, redflag_notice_send

    try:
        redflag_notice_send(alert_ids, actor=Actor.system(NOTICE_LABEL))
    except OSError as error:  # SMTP and connection errors; their text can hold addresses
        failure = MailFailed(f"red-flag notice {alert_ids}: {type(error).__name__}")
        raise self.retry(exc=failure, countdown=min(600, 30 * 2**self.request.retries)) from None
