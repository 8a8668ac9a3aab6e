"""Reminder mails to patients who asked for them on their plan link, when no log came for
REMINDER_AFTER_DAYS days; each stoppable from the mail without login."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from plans.models import LogReminder, LogReminderOptIn, PatientPlanLink, Plan

logger = logging.getLogger(__name__)

STOP_SALT = "plans.reminders.stop"
ACTOR_LABEL = "log reminders (Celery)"


def reminder_after_days() -> int:
    return getattr(settings, "REMINDER_AFTER_DAYS", 3)


def stop_token(plan: Plan) -> str:
    """A signed plan id for the stop link; it carries no patient data and never expires."""
    return signing.Signer(salt=STOP_SALT).sign(str(plan.pk))


def plan_for_stop_token(value: str) -> Plan | None:
    try:
        plan_id = int(signing.Signer(salt=STOP_SALT).unsign(value))
    except (signing.BadSignature, ValueError):
        return None
    return Plan.objects.select_related("patient").filter(pk=plan_id).first()


def stop_url(plan: Plan) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("plans:reminder_stop", args=[stop_token(plan)])


def reminders_active(plan: Plan) -> bool:
    return LogReminderOptIn.objects.filter(plan=plan, active=True).exists()


def reminder_opt_in_set(*, plan: Plan, active: bool, actor: Actor) -> None:
    """Turn the reminders on or off (from the plan link, or the stop link in a mail)."""
    opt_in, _ = LogReminderOptIn.objects.update_or_create(plan=plan, defaults={"active": active})
    audit(
        actor,
        AuditAction.CHANGED,
        obj=opt_in,
        patient=plan.patient,
        detail=f"log reminders {'on' if active else 'off'}",
    )


def _due_opt_ins():
    """Active opt-ins of plans with a usable link and a mail address, with their last log."""
    usable = PatientPlanLink.objects.active().filter(plan=OuterRef("plan"))
    return (
        LogReminderOptIn.objects.filter(active=True)
        .exclude(plan__patient__email="")
        .filter(Exists(usable))
        .select_related("plan__patient")
        .annotate(
            last_exercise=Max("plan__exercise_logs__day"), last_run=Max("plan__run_logs__day")
        )
    )


def due_date(opt_in, after_days: int) -> datetime.date:
    """No log for ``after_days`` days after the last log (or the opt-in, if none since)."""
    since = timezone.localdate(opt_in.changed_at)
    last = max(d for d in (opt_in.last_exercise, opt_in.last_run, since) if d is not None)
    return last + datetime.timedelta(days=after_days)


def log_reminders_send(*, today: datetime.date | None = None) -> int:
    """Mail every due reminder once: the row is committed before the mail goes out."""
    today = today or timezone.localdate()
    after_days = reminder_after_days()
    sent = 0
    for opt_in in _due_opt_ins():
        due_on = due_date(opt_in, after_days)
        if due_on > today:
            continue
        with transaction.atomic():
            reminder, created = LogReminder.objects.get_or_create(plan=opt_in.plan, due_on=due_on)
        if created and _mail(reminder, opt_in.plan, after_days):
            sent += 1
    return sent


def _mail(reminder: LogReminder, plan: Plan, after_days: int) -> bool:
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "days": after_days,
        "stop_url": stop_url(plan),
    }
    message = EmailMessage(
        # Only the clinic's name: never the patient's name, condition or plan.
        subject=f"A reminder from {settings.CLINIC_NAME}",
        body=render_to_string("plans/mail/log_reminder.txt", context),
        to=[plan.patient.email],
        headers={"List-Unsubscribe": f"<{context['stop_url']}>"},
    )
    try:
        message.send()
    except Exception as error:  # a failed mail is not retried: at most one per due date
        logger.warning("Log reminder mail could not be sent: %s", type(error).__name__)
        return False
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    audit(
        Actor.system(ACTOR_LABEL),
        AuditAction.SENT,
        obj=reminder,
        patient=plan.patient,
        detail="log reminder",
    )
    return True
