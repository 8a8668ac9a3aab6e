"""The patient's mails about their visits, sent by the worker: booked, moved, cancelled, each
with a calendar invite (intake.ics, as for discovery calls), and the reminder 24 hours before,
sent exactly once. Subjects and invites carry no health data: the clinic's name and the day."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from intake.models import Visit, VisitStatus
from intake.services.discovery_calls import day_word
from intake.services.invite_mail import invite_mail_send

logger = logging.getLogger(__name__)

SUBJECTS = {
    "booked": "Your visit at {clinic} is booked",
    "moved": "Your visit at {clinic} has moved",
    "cancelled": "Your visit at {clinic} is cancelled",
    "reminder": "Reminder: your visit at {clinic} is {day}",
}


def visit_mail_send(visit_id: int, kind: str, *, now: datetime.datetime | None = None) -> bool:
    """Send one mail; False (nothing sent) when the visit changed since it was queued so that
    the mail would be wrong: a confirmation for a visit cancelled meanwhile."""
    visit = Visit.objects.select_related("patient", "clinician", "visit_type").get(pk=visit_id)
    patient = visit.patient
    cancelled = kind == "cancelled"
    if not patient.email or (not cancelled and visit.status != VisitStatus.BOOKED):
        return False
    clinic = settings.CLINIC_NAME
    day = day_word(visit.start, now=now or timezone.now())
    context = {
        "visit": visit,
        "kind": kind,
        "name": patient.preferred_name or patient.legal_first_name,
        "clinician": visit.clinician.get_full_name() or "your physical therapist",
        "clinic_name": clinic,
        "clinic_phone": settings.CLINIC_PHONE,
        "local_start": timezone.localtime(visit.start),
        "day": day,
        "notice_hours": _notice_hours(),
    }
    invite_mail_send(
        subject=SUBJECTS[kind].format(clinic=clinic, day=day),
        body=render_to_string("intake/mail/visit.txt", context),
        to=patient.email,
        to_name=patient.display_name,
        uid=str(visit.uid),
        start=visit.start,
        end=visit.end,
        summary=f"Visit at {clinic}",
        description=f"Your visit at {clinic}. To change it, call {settings.CLINIC_PHONE}.",
        sequence=visit.sequence,
        cancelled=cancelled,
    )
    return True


def visit_series_mail_send(visit_ids: list[int]) -> bool:
    """One plain mail with every still-booked visit of a series; each gets its reminder."""
    rows = list(
        Visit.objects.filter(pk__in=visit_ids, status=VisitStatus.BOOKED)
        .select_related("patient", "clinician", "visit_type")
        .order_by("start")
    )
    if not rows or not rows[0].patient.email:
        return False
    patient, clinic = rows[0].patient, settings.CLINIC_NAME
    context = {
        "name": patient.preferred_name or patient.legal_first_name,
        "visits": [(v, timezone.localtime(v.start)) for v in rows],
        "clinician": rows[0].clinician.get_full_name() or "your physical therapist",
        "clinic_name": clinic,
        "clinic_phone": settings.CLINIC_PHONE,
        "notice_hours": _notice_hours(),
    }
    EmailMessage(
        subject=f"Your {len(rows)} visits at {clinic} are booked",
        body=render_to_string("intake/mail/visit_series.txt", context),
        to=[patient.email],
    ).send()
    return True


def _notice_hours() -> int:
    from intake.services.visits import NOTICE_PERIOD

    return int(NOTICE_PERIOD / datetime.timedelta(hours=1))


def visit_reminders_send(now: datetime.datetime | None = None) -> int:
    """Send each due reminder exactly once: the row is claimed before the mail goes out, and
    released again only when sending failed (the next beat retries it)."""
    now = now or timezone.now()
    due = Visit.objects.filter(
        status=VisitStatus.BOOKED,
        start__gt=now,
        reminder_due_at__lte=now,
        reminder_sent_at__isnull=True,
    )
    sent = 0
    for visit_id in due.values_list("pk", flat=True):
        claimed = Visit.objects.filter(pk=visit_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue  # another beat or worker took it
        try:
            delivered = visit_mail_send(visit_id, "reminder", now=now)
        except Exception as error:  # its text can hold the address: log only the type
            logger.warning(
                "Reminder for visit %s failed (%s); retried later", visit_id, type(error).__name__
            )
            Visit.objects.filter(pk=visit_id).update(reminder_sent_at=None)
            continue
        sent += delivered
    return sent
