"""Discovery calls: free slots, booking without double booking, mails with invites, reminders."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic.audit import audit
from clinic.models import AuditAction
from intake import ics, slots
from intake.models import (
    BlackoutDate,
    CallAvailability,
    CallManageLink,
    CallStatus,
    DiscoveryCall,
)

logger = logging.getLogger(__name__)
PROSPECT = "prospect (booking page)"
REMINDER_AHEAD = datetime.timedelta(hours=24)


class SlotUnavailable(ValidationError):
    """The chosen time cannot be booked; the message says why in plain words."""


def availabilities() -> list[slots.Availability]:
    clinic_wide = frozenset(
        BlackoutDate.objects.filter(availability__isnull=True).values_list("date", flat=True)
    )
    rows = CallAvailability.objects.filter(active=True, clinician__is_active=True)
    return [
        slots.Availability(
            clinician_id=row.clinician_id,
            hours=tuple(slots.WeeklyHours(h.weekday, h.start, h.end) for h in row.hours.all()),
            call_minutes=row.call_minutes,
            buffer_minutes=row.buffer_minutes,
            blackout_dates=clinic_wide | {b.date for b in row.blackouts.all()},
            horizon_days=row.horizon_days,
            min_notice_minutes=row.min_notice_minutes,
        )
        for row in rows.prefetch_related("hours", "blackouts")
    ]


def busy(now: datetime.datetime, *, exclude_call: int | None = None) -> list[tuple]:
    calls = DiscoveryCall.objects.booked().filter(end__gt=now - datetime.timedelta(days=1))
    if exclude_call:
        calls = calls.exclude(pk=exclude_call)
    return list(calls.values_list("clinician_id", "start", "end"))


def open_slots(now: datetime.datetime | None = None) -> list[slots.Slot]:
    now = now or timezone.now()
    return slots.free_slots(availabilities(), busy(now), now=now, tz=settings.TIME_ZONE)


def _check_slot(clinician_id: int, start, *, exclude_call=None) -> slots.Slot:
    now = timezone.now()
    avail = availabilities()
    reason = slots.slot_is_bookable(
        start,
        clinician_id,
        avail,
        busy(now, exclude_call=exclude_call),
        now=now,
        tz=settings.TIME_ZONE,
    )
    if reason:
        raise SlotUnavailable(reason)
    minutes = next(a.call_minutes for a in avail if a.clinician_id == clinician_id)
    return slots.Slot(start, start + datetime.timedelta(minutes=minutes), clinician_id)


def call_book(*, clinician_id: int, start, details: dict, source: str, request) -> DiscoveryCall:
    """Book a slot. The unique constraint decides races: exactly one booking wins."""
    slot = _check_slot(clinician_id, start)
    call = _call_create(slot, details=details, source=source, request=request)
    if call is None:
        raise SlotUnavailable(slots.REASON_TAKEN)
    return call


def call_book_any(*, start, details: dict, source: str, request) -> DiscoveryCall:
    """Book a time with a free clinician: the least booked that day, then the lowest id.

    A clinician taken by a concurrent booking in the meantime (the unique constraint) is
    skipped for the next free one.
    """
    now = timezone.now()
    avail = availabilities()
    free, reason = slots.free_at(start, avail, busy(now), now=now, tz=settings.TIME_ZONE)
    minutes = {a.clinician_id: a.call_minutes for a in avail}
    for clinician_id in free:
        end = start + datetime.timedelta(minutes=minutes[clinician_id])
        slot = slots.Slot(start, end, clinician_id)
        call = _call_create(slot, details=details, source=source, request=request)
        if call is not None:
            return call
    raise SlotUnavailable(reason or slots.REASON_TAKEN)


def _call_create(slot: slots.Slot, *, details: dict, source: str, request) -> DiscoveryCall | None:
    """The booked call, or None when the constraint says the slot was just taken."""
    try:
        with transaction.atomic():
            call = DiscoveryCall.objects.create(
                clinician_id=slot.clinician_id,
                start=slot.start,
                end=slot.end,
                source=source,
                booked_by=request.user if request.user.is_authenticated else None,
                consent_to_contact_at=timezone.now(),
                **details,
            )
    except IntegrityError:
        return None
    audit(request, AuditAction.CREATED, obj=call, actor_label=PROSPECT, detail=source)
    _mail_after_commit(call.pk, "confirmed")
    return call


@transaction.atomic
def call_reschedule(*, call: DiscoveryCall, start, request, actor_label="") -> DiscoveryCall:
    call = DiscoveryCall.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.BOOKED:
        raise SlotUnavailable("This call was cancelled; please book a new one.")
    slot = _check_slot(call.clinician_id, start, exclude_call=call.pk)
    call.start, call.end = slot.start, slot.end
    call.sequence += 1
    call.reminder_sent_at = None  # a new time gets its own reminder
    try:
        with transaction.atomic():
            call.save(update_fields=["start", "end", "sequence", "reminder_sent_at", "updated_at"])
    except IntegrityError as error:
        raise SlotUnavailable("That time was just taken.") from error
    audit(request, AuditAction.CHANGED, obj=call, actor_label=actor_label, detail="rescheduled")
    _mail_after_commit(call.pk, "rescheduled")
    return call


@transaction.atomic
def call_cancel(*, call: DiscoveryCall, request, actor_label="") -> bool:
    """Cancel and free the slot; False when it was already cancelled (nothing changes)."""
    updated = DiscoveryCall.objects.filter(pk=call.pk, status=CallStatus.BOOKED).update(
        status=CallStatus.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if not updated:
        return False
    CallManageLink.objects.active().filter(call=call).update(revoked_at=timezone.now())
    audit(request, AuditAction.CHANGED, obj=call, actor_label=actor_label, detail="cancelled")
    _mail_after_commit(call.pk, "cancelled")
    return True


def _mail_after_commit(call_id: int, kind: str) -> None:
    from intake.tasks import discovery_call_mail_task

    transaction.on_commit(lambda: discovery_call_mail_task.delay(call_id, kind))


# ----------------------------------------------------------------------- mail (in workers)

SUBJECTS = {
    "confirmed": "Your free discovery call with {clinic}",
    "rescheduled": "Your discovery call with {clinic} has moved",
    "cancelled": "Your discovery call with {clinic} is cancelled",
    "reminder": "Reminder: your discovery call with {clinic} tomorrow",
}


def manage_link_create(call: DiscoveryCall) -> str:
    """A new manage link (made in the worker, so its token travels only in the mail)."""
    CallManageLink.objects.active().filter(call=call).update(revoked_at=timezone.now())
    token, token_hash = CallManageLink.new_token()
    CallManageLink.objects.create(
        call=call,
        token_hash=token_hash,
        created_by=call.booked_by or call.clinician,
        expires_at=call.start,
    )
    return settings.SITE_URL.rstrip("/") + reverse("intake:call_manage", args=[token])


def call_mail_send(call_id: int, kind: str) -> None:
    call = DiscoveryCall.objects.select_related("clinician").get(pk=call_id)
    clinic = settings.CLINIC_NAME
    cancelled = kind == "cancelled"
    invite = ics.invite(
        uid=f"{call.uid}@runner-pt-clinic",
        start=call.start,
        end=call.end,
        summary=f"Free discovery call with {clinic}",
        description=f"A {call.get_call_type_display().lower()} with {clinic}.",
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        organizer_name=clinic,
        attendee_email=call.email,
        attendee_name=call.name,
        tz=settings.TIME_ZONE,
        sequence=call.sequence,
        method="CANCEL" if cancelled else "REQUEST",
    )
    context = {
        "call": call,
        "kind": kind,
        "clinic_name": clinic,
        "local_start": timezone.localtime(call.start),
        "manage_url": "" if cancelled else manage_link_create(call),
    }
    mail = EmailMessage(
        subject=SUBJECTS[kind].format(clinic=clinic),
        body=render_to_string("intake/mail/discovery_call.txt", context),
        to=[call.email],
    )
    method = "CANCEL" if cancelled else "REQUEST"
    mail.attach("invite.ics", invite, f"text/calendar; charset=utf-8; method={method}")
    mail.send()


def reminders_send(now: datetime.datetime | None = None) -> int:
    """Send each due reminder exactly once: the row is claimed before the mail goes out."""
    now = now or timezone.now()
    due = DiscoveryCall.objects.booked().filter(
        start__gt=now, start__lte=now + REMINDER_AHEAD, reminder_sent_at__isnull=True
    )
    sent = 0
    for call_id in due.values_list("pk", flat=True):
        claimed = DiscoveryCall.objects.filter(pk=call_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue  # another beat or worker took it
        try:
            call_mail_send(call_id, "reminder")
        except Exception as error:  # its text can hold the address: log only the type
            logger.warning(
                "Reminder for call %s failed (%s); retried later", call_id, type(error).__name__
            )
            DiscoveryCall.objects.filter(pk=call_id).update(reminder_sent_at=None)
            continue
        sent += 1
    return sent


def clinicians_taking_calls():
    return get_user_model().objects.filter(call_availability__active=True, is_active=True)
