"""Discovery calls: free slots, booking without double booking, mails with invites, reminders."""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import slots
from intake.models import (
    BlackoutDate,
    CallAvailability,
    CallManageLink,
    CallStatus,
    DiscoveryCall,
    Visit,
)
from intake.models.visits import HOLDS_TIME
from intake.services.booked_time import time_free, time_hold
from intake.services.invite_mail import invite_mail_send

logger = logging.getLogger(__name__)
PROSPECT = "prospect (booking page)"
# The reminder goes out this long before the call, and only for calls booked further ahead:
# a call booked for this afternoon has its confirmation fresh in the inbox.
REMINDER_AHEAD = datetime.timedelta(hours=24)


class SlotUnavailable(ValidationError):
    """The chosen time cannot be booked; the message says why in plain words."""


class BookingLimitReached(ValidationError):
    """The caller may book no more calls for now (the booking page's per-address limit)."""


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
    """(clinician, start, end) of every call and visit that holds time from yesterday on."""
    since = now - datetime.timedelta(days=1)
    calls = DiscoveryCall.objects.booked().filter(end__gt=since)
    if exclude_call:
        calls = calls.exclude(pk=exclude_call)
    visits = Visit.objects.filter(status__in=HOLDS_TIME, end__gt=since)
    return list(calls.values_list("clinician_id", "start", "end")) + list(
        visits.values_list("clinician_id", "start", "end")
    )


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


def call_book(
    *, clinician_id: int, start, details: dict, source: str, actor: Actor
) -> DiscoveryCall:
    """Book a slot. The unique constraint decides races: exactly one booking wins."""
    slot = _check_slot(clinician_id, start)
    call = _call_create(slot, details=details, source=source, actor=actor)
    if call is None:
        if _same_prospect_call(start, details):
            raise SlotUnavailable("This person already has a call booked at that time.")
        raise SlotUnavailable(slots.REASON_TAKEN)
    return call


def call_book_any(
    *, start, details: dict, source: str, actor: Actor, new_booking_allowed: bool = True
) -> tuple[DiscoveryCall, bool]:
    """Book a time with a free clinician: the least booked that day, then the lowest id.

    Returns (call, created). The same prospect (e-mail and phone) sending the same time again
    — the back button, a double click — gets the call they already have, even when
    ``new_booking_allowed`` is False (the caller's limit is used up). A clinician taken by a
    concurrent booking in the meantime (the unique constraint) is skipped for the next free one.
    """
    existing = _same_prospect_call(start, details)
    if existing is not None:
        return existing, False
    if not new_booking_allowed:
        raise BookingLimitReached("No more bookings for now.")
    now = timezone.now()
    avail = availabilities()
    free, reason = slots.free_at(start, avail, busy(now), now=now, tz=settings.TIME_ZONE)
    minutes = {a.clinician_id: a.call_minutes for a in avail}
    for clinician_id in free:
        end = start + datetime.timedelta(minutes=minutes[clinician_id])
        slot = slots.Slot(start, end, clinician_id)
        call = _call_create(slot, details=details, source=source, actor=actor)
        if call is not None:
            return call, True
        existing = _same_prospect_call(start, details)  # their own double click won the race
        if existing is not None:
            return existing, False
    raise SlotUnavailable(reason or slots.REASON_TAKEN)


def _same_prospect_call(start, details: dict) -> DiscoveryCall | None:
    """The booked call this prospect (same e-mail and phone) already holds at ``start``."""
    return (
        DiscoveryCall.objects.booked()
        .filter(start=start, email__iexact=details["email"], phone=details["phone"])
        .first()
    )


def reminder_due(start: datetime.datetime, now: datetime.datetime) -> datetime.datetime | None:
    """When a call booked (or moved) ``now`` is reminded of; None within the lead time."""
    due = start - REMINDER_AHEAD
    return due if due > now else None


def _call_create(
    slot: slots.Slot, *, details: dict, source: str, actor: Actor
) -> DiscoveryCall | None:
    """The booked call, or None when the constraint says the slot was just taken."""
    try:
        with transaction.atomic():
            call = DiscoveryCall.objects.create(
                clinician_id=slot.clinician_id,
                start=slot.start,
                end=slot.end,
                source=source,
                booked_by=actor.user,
                consent_to_contact_at=timezone.now(),
                reminder_due_at=reminder_due(slot.start, timezone.now()),
                **details,
            )
            time_hold(clinician_id=call.clinician_id, start=call.start, end=call.end, call=call)
    except IntegrityError:
        return None
    audit(actor, AuditAction.CREATED, obj=call, actor_label=PROSPECT, detail=source)
    _mail_after_commit(call.pk, "confirmed")
    return call


@transaction.atomic
def call_record_update(*, call: DiscoveryCall, outcome: str, notes: str, actor: Actor) -> None:
    """What the front desk or clinician records after the call: its outcome and notes."""
    call.outcome = outcome
    call.notes = notes
    call.save(update_fields=["outcome", "notes", "updated_at"])
    audit(actor, AuditAction.CHANGED, obj=call, detail="outcome and notes")


@transaction.atomic
def call_reschedule(*, call: DiscoveryCall, start, actor: Actor) -> DiscoveryCall:
    call = DiscoveryCall.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.BOOKED:
        raise SlotUnavailable("This call was cancelled; please book a new one.")
    slot = _check_slot(call.clinician_id, start, exclude_call=call.pk)
    call.start, call.end = slot.start, slot.end
    call.sequence += 1
    call.reminder_due_at = reminder_due(slot.start, timezone.now())  # the rule of a booking
    call.reminder_sent_at = None  # a new time gets its own reminder
    fields = ["start", "end", "sequence", "reminder_due_at", "reminder_sent_at", "updated_at"]
    try:
        with transaction.atomic():
            call.save(update_fields=fields)
            time_free(call=call)
            time_hold(clinician_id=call.clinician_id, start=call.start, end=call.end, call=call)
    except IntegrityError as error:
        raise SlotUnavailable("That time was just taken.") from error
    # The same manage link keeps working until the new time.
    CallManageLink.objects.filter(call=call, revoked_at__isnull=True).update(expires_at=slot.start)
    audit(actor, AuditAction.CHANGED, obj=call, detail="rescheduled")
    _mail_after_commit(call.pk, "rescheduled")
    return call


@transaction.atomic
def call_cancel(*, call: DiscoveryCall, actor: Actor) -> bool:
    """Cancel and free the slot; False when it was already cancelled (nothing changes)."""
    updated = DiscoveryCall.objects.filter(pk=call.pk, status=CallStatus.BOOKED).update(
        status=CallStatus.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if not updated:
        return False
    CallManageLink.objects.active().filter(call=call).revoke()
    time_free(call=call)
    audit(actor, AuditAction.CHANGED, obj=call, detail="cancelled")
    _mail_after_commit(call.pk, "cancelled")
    return True


def _mail_after_commit(call_id: int, kind: str) -> None:
    from intake.tasks import discovery_call_mail_task

    transaction.on_commit(lambda: discovery_call_mail_task.delay(call_id, kind))


# ----------------------------------------------------------------------- mail (in workers)

# No patient data in subjects: the clinic's name and, for the reminder, the day word only.
SUBJECTS = {
    "confirmed": "Your free discovery call with {clinic}",
    "rescheduled": "Your discovery call with {clinic} has moved",
    "cancelled": "Your discovery call with {clinic} is cancelled",
    "reminder": "Reminder: your discovery call with {clinic} is {day}",
}


def day_word(start: datetime.datetime, *, now: datetime.datetime) -> str:
    """ "today", "tomorrow", "on Friday" (within a week) or "on Saturday, December 12",
    counted in calendar days of the clinic's time zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = start.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if 1 < days < 7:
        return f"on {local:%A}"
    return f"on {local:%A, %B} {local.day}"


def manage_link_create(call: DiscoveryCall) -> str:
    """The call's one manage link (made by the first mail, in the worker); every later mail
    derives the same token again, so no mail breaks the link of another."""
    link = _open_manage_link(call)
    if link is not None and link.token() is None:
        # SECRET_KEY changed since: the stored nonce no longer derives this link's token. It
        # becomes a plain hashed link (old mails keep working under SECRET_KEY_FALLBACKS).
        CallManageLink.objects.filter(pk=link.pk).update(nonce="")
        link = None
    if link is None:
        nonce, token_hash = CallManageLink.new_nonce()
        try:
            with transaction.atomic():
                link = CallManageLink.objects.create(
                    call=call,
                    nonce=nonce,
                    token_hash=token_hash,
                    created_by=call.booked_by or call.clinician,
                    expires_at=call.start,
                )
        except IntegrityError:  # another worker made it at the same moment: use theirs
            link = _open_manage_link(call)
    elif link.expires_at != call.start:  # a reschedule committed while this mail was queued
        CallManageLink.objects.filter(pk=link.pk).update(expires_at=call.start)
    return link.url(settings.SITE_URL)


def _open_manage_link(call: DiscoveryCall) -> CallManageLink | None:
    return (
        CallManageLink.objects.filter(call=call, revoked_at__isnull=True).exclude(nonce="").first()
    )


def call_mail_send(call_id: int, kind: str) -> None:
    call = DiscoveryCall.objects.select_related("clinician").get(pk=call_id)
    clinic = settings.CLINIC_NAME
    cancelled = kind == "cancelled"
    day = day_word(call.start, now=timezone.now())
    context = {
        "call": call,
        "kind": kind,
        "clinic_name": clinic,
        "clinic_phone": settings.CLINIC_PHONE,
        "local_start": timezone.localtime(call.start),
        "day": day,
        "manage_url": "" if cancelled else manage_link_create(call),
    }
    invite_mail_send(
        subject=SUBJECTS[kind].format(clinic=clinic, day=day),
        body=render_to_string("intake/mail/discovery_call.txt", context),
        to=call.email,
        to_name=call.name,
        uid=str(call.uid),
        start=call.start,
        end=call.end,
        summary=f"Free discovery call with {clinic}",
        description=f"A {call.get_call_type_display().lower()} with {clinic}.",
        sequence=call.sequence,
        cancelled=cancelled,
    )


def reminders_send(now: datetime.datetime | None = None) -> int:
    """Send each due reminder exactly once: the row is claimed before the mail goes out.

    Only calls with a due time get one (booked further ahead than REMINDER_AHEAD)."""
    now = now or timezone.now()
    due = DiscoveryCall.objects.booked().filter(
        start__gt=now, reminder_due_at__lte=now, reminder_sent_at__isnull=True
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
