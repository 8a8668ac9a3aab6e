"""Booking and cancelling visits. No clinician is double-booked: a visit's (and a call's)
BookedSlot rows are unique per clinician and slot in the database (intake.models.visits), so of
two overlapping bookings made at the same moment exactly one succeeds, on PostgreSQL and SQLite.

Each change mails the patient with a calendar invite (intake.services.visit_mail), after
commit. Series from a plan of care come in a later step of the treatment-visits issue.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import visit_times
from intake.models import (
    BlackoutDate,
    BookedSlot,
    EmergencyAccess,
    Patient,
    TreatmentNote,
    Visit,
    VisitStatus,
    VisitType,
    WorkingHours,
)
from intake.models.visits import SLOT_MINUTES
from intake.services.booked_time import time_free, time_hold

# The clinic's notice period: a cancellation later than this before the start is a late one
# (issue 21: "default 24 h"; a clinic policy, not a clinical figure).
NOTICE_PERIOD = datetime.timedelta(hours=24)
DEADLOCK = "40P01"  # PostgreSQL's deadlock_detected
# The patient's reminder goes out this long before the visit (issue 21: "24 h before").
REMINDER_AHEAD = datetime.timedelta(hours=24)


class VisitTimeTaken(ValidationError):
    """The clinician already has a visit at that time; the message says so in plain words."""


class VisitOutOfHours(ValidationError):
    """The time is outside the clinician's working hours or on their day off."""


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def schedule_for(clinician_id: int) -> visit_times.Schedule:
    """The clinician's working hours and days off (their own and the clinic's)."""
    blocks = WorkingHours.objects.filter(availability__clinician_id=clinician_id).values_list(
        "weekday", "start", "end", "location"
    )
    days_off = BlackoutDate.objects.filter(
        Q(availability__isnull=True) | Q(availability__clinician_id=clinician_id)
    ).values_list("date", flat=True)
    return visit_times.schedule_of(blocks, days_off)


def _on_the_grid(start: datetime.datetime) -> bool:
    return start.second == 0 and start.microsecond == 0 and start.minute % SLOT_MINUTES == 0


@transaction.atomic
def visit_book(
    *,
    patient: Patient,
    clinician,
    visit_type: VisitType,
    start: datetime.datetime,
    actor: Actor,
    mail: bool = True,
) -> Visit:
    """Book a visit of this type at ``start`` (timezone-aware). ValidationError, in words for
    the front desk, for a time in the past, off the 5-minute grid, or already taken."""
    if not visit_type.active:
        raise ValidationError("That visit type is no longer offered.")
    if EmergencyAccess.objects.active().filter(patient=patient, user=actor.user).exists():
        # Emergency access is for reading a record, time-limited; a booking would widen it.
        raise ValidationError(
            "You opened this record by emergency access: the front desk books this patient."
        )
    end = start + datetime.timedelta(minutes=visit_type.minutes)
    _check_time(clinician, start, end)
    visit = Visit.objects.create(
        patient=patient,
        clinician=clinician,
        visit_type=visit_type,
        start=start,
        end=end,
        booked_by=actor.user,
        reminder_due_at=reminder_due(start, timezone.now()),
    )
    _hold(visit)
    audit(actor, AuditAction.CREATED, obj=visit, patient=patient)
    if mail:
        _mail_after_commit(visit, "booked")
    return visit


SERIES_MAX = 36  # 3 a week for 12 weeks: a data-entry bound, not a clinical one


@transaction.atomic
def visit_series_book(
    *,
    patient: Patient,
    clinician,
    visit_type: VisitType,
    starts: list[datetime.datetime],
    actor: Actor,
) -> list[Visit]:
    """Book the chosen times of a series, all or none: a time taken since it was proposed
    fails the whole series with its time named, and nothing is saved. One mail lists them."""
    if not starts:
        raise ValidationError("Choose at least one time to book.")
    if len(starts) > SERIES_MAX:
        raise ValidationError(f"A series books {SERIES_MAX} visits at the most.")
    if len(set(starts)) != len(starts):
        raise ValidationError("The same time is chosen twice.")
    booked = []
    for start in sorted(starts):
        try:
            booked.append(
                visit_book(
                    patient=patient,
                    clinician=clinician,
                    visit_type=visit_type,
                    start=start,
                    actor=actor,
                    mail=False,
                )
            )
        except ValidationError as error:
            local = timezone.localtime(start)
            raise ValidationError(
                f"{local:%A, %B} {local.day}, {local:%-I:%M %p}: {' '.join(error.messages)} "
                "Nothing was booked."
            ) from error
    if patient.email:
        from intake.tasks import visit_series_mail_task

        ids = [v.pk for v in booked]
        transaction.on_commit(lambda: visit_series_mail_task.delay(ids))
    return booked


def busy_between(
    clinician_id: int,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_visit: Visit | None = None,
) -> list:
    """What the clinician has booked (visits and calls) in [start, end), as (start, end);
    ``exclude_visit``'s own time counts as free (moving a visit)."""
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    slots = BookedSlot.objects.filter(clinician_id=clinician_id, start__gte=start, start__lt=end)
    if exclude_visit is not None:
        slots = slots.exclude(visit=exclude_visit)
    return [(s, s + step) for s in slots.values_list("start", flat=True)]


def _check_time(clinician, start: datetime.datetime, end: datetime.datetime) -> None:
    if timezone.is_naive(start):
        raise ValidationError("The time must carry its time zone.")
    if start < timezone.now():
        raise ValidationError("That time has passed: choose a time from now on.")
    if not _on_the_grid(start):
        raise ValidationError(f"Visits start on the {SLOT_MINUTES}-minute grid (e.g. 9:00, 9:05).")
    reason = visit_times.unavailable_reason(
        start, end, schedule_for(clinician.pk), tz=settings.TIME_ZONE, who=display_name(clinician)
    )
    if reason:
        raise VisitOutOfHours(reason)


def reminder_due(start: datetime.datetime, now: datetime.datetime) -> datetime.datetime | None:
    """The reminder goes out REMINDER_AHEAD before the visit; none for a visit nearer than
    that (its confirmation is fresh)."""
    due = start - REMINDER_AHEAD
    return due if due > now else None


def _mail_after_commit(visit: Visit, kind: str) -> None:
    """Queue the patient's mail once the change is committed; nothing for a patient without
    an e-mail address (the front desk phones them)."""
    if not visit.patient.email:
        return
    from intake.tasks import visit_mail_task

    visit_id = visit.pk
    transaction.on_commit(lambda: visit_mail_task.delay(visit_id, kind))


@transaction.atomic
def visit_move(*, visit: Visit, start: datetime.datetime, actor: Actor) -> Visit:
    """Move a booked visit to ``start`` (same length, same clinician): the old time is freed
    and the new one held in one transaction, so a refused move leaves the visit as it was."""
    visit = _locked(visit)
    if visit.status != VisitStatus.BOOKED:
        raise ValidationError("Only a booked visit can be moved.")
    _check_no_note(visit, "moved")
    if start == visit.start:
        raise ValidationError("That is the time the visit already has.")
    length = visit.end - visit.start
    _check_time(visit.clinician, start, start + length)
    old = visit.start
    visit.start, visit.end = start, start + length
    visit.sequence += 1
    visit.reminder_due_at = reminder_due(start, timezone.now())
    visit.reminder_sent_at = None  # a new time gets its own reminder
    visit.save(update_fields=["start", "end", "sequence", "reminder_due_at", "reminder_sent_at"])
    time_free(visit=visit)
    _hold(visit)
    audit(
        actor,
        AuditAction.CHANGED,
        obj=visit,
        patient=visit.patient,
        detail=f"moved from {timezone.localtime(old):%Y-%m-%d %H:%M}",
    )
    _mail_after_commit(visit, "moved")
    return visit


def _hold(visit: Visit) -> None:
    try:
        time_hold(clinician_id=visit.clinician_id, start=visit.start, end=visit.end, visit=visit)
    except OperationalError as error:
        # Two moves swapping times wait on each other's freed slots; PostgreSQL ends one.
        if getattr(error.__cause__, "sqlstate", None) != DEADLOCK:
            raise
        raise VisitTimeTaken("That time was just taken: choose another time.") from error
    except IntegrityError as error:
        local = timezone.localtime(visit.start)
        raise VisitTimeTaken(
            f"{display_name(visit.clinician)} already has a "
            f"visit or a call during {local:%A, %B %-d, %-I:%M %p}–"
            f"{timezone.localtime(visit.end):%-I:%M %p}: choose another time."
        ) from error


def _locked(visit: Visit) -> Visit:
    """The visit's row, locked until commit (its patient and clinician rows are not)."""
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("clinician", "patient")
        .get(pk=visit.pk)
    )


def upcoming_visits(patient: Patient, now: datetime.datetime):
    """The patient's booked visits still to come, soonest first (what their link lists)."""
    return Visit.objects.filter(patient=patient, status=VisitStatus.BOOKED, start__gt=now).order_by(
        "start"
    )


def is_late(visit: Visit, now: datetime.datetime) -> bool:
    """A cancellation now would be inside the clinic's notice period."""
    return visit.start - now < NOTICE_PERIOD


@transaction.atomic
def visit_cancel(
    *,
    visit: Visit,
    actor: Actor,
    by_clinic: bool = False,
    now: datetime.datetime | None = None,
) -> Visit:
    """Cancel a booked visit and free its time. A patient's cancellation inside the notice
    period is a late one; the clinic's own (the therapist is ill) never is."""
    visit = _locked(visit)
    if visit.status != VisitStatus.BOOKED:
        raise ValidationError("This visit is not booked any more.")
    now = now or timezone.now()
    if visit.start <= now:
        raise ValidationError("This visit has started: mark it as a no-show instead.")
    _check_no_note(visit, "cancelled")
    late = is_late(visit, now) and not by_clinic
    _set_status(visit, VisitStatus.LATE_CANCEL if late else VisitStatus.CANCELLED, now)
    visit.sequence += 1
    visit.save(update_fields=["sequence"])
    time_free(visit=visit)
    audit(actor, AuditAction.CHANGED, obj=visit, patient=visit.patient, detail=visit.status)
    _mail_after_commit(visit, "cancelled")
    return visit


def _check_no_note(visit: Visit, change: str) -> None:
    """A visit with a signed note took place: it keeps its time and status. One with a draft
    waits until its clinician discards the draft (or signs it)."""
    signed = TreatmentNote.objects.filter(visit=visit).values_list("signed_at", flat=True).first()
    if signed is not None:
        raise ValidationError(
            f"This visit's treatment note is signed, so it took place: it cannot be {change}."
        )
    if TreatmentNote.objects.filter(visit=visit).exists():
        raise ValidationError(
            f"A draft treatment note was started for this visit: it can be {change} once the "
            "clinician discards the draft (on the note's page)."
        )


def _set_status(visit: Visit, status: str, now: datetime.datetime) -> None:
    visit.status, visit.status_changed_at = status, now
    visit.save(update_fields=["status", "status_changed_at"])


@transaction.atomic
def visit_arrive(*, visit: Visit, actor: Actor, now: datetime.datetime | None = None) -> Visit:
    """The patient is here: on the visit's own day, from a booked visit."""
    visit = _locked(visit)
    now = now or timezone.now()
    if visit.status != VisitStatus.BOOKED:
        raise ValidationError(f"This visit is {visit.get_status_display().lower()} already.")
    if timezone.localtime(visit.start).date() != timezone.localtime(now).date():
        raise ValidationError("A patient can be checked in on the day of their visit only.")
    _set_status(visit, VisitStatus.ARRIVED, now)
    audit(actor, AuditAction.CHANGED, obj=visit, patient=visit.patient, detail="arrived")
    return visit


@transaction.atomic
def visit_no_show(*, visit: Visit, actor: Actor, now: datetime.datetime | None = None) -> Visit:
    """The patient did not come: from a booked visit once its start has passed."""
    visit = _locked(visit)
    now = now or timezone.now()
    if visit.status != VisitStatus.BOOKED:
        raise ValidationError(f"This visit is {visit.get_status_display().lower()} already.")
    if visit.start > now:
        raise ValidationError("The visit has not started yet: cancel it instead.")
    _check_no_note(visit, "marked a no-show")
    _set_status(visit, VisitStatus.NO_SHOW, now)
    time_free(visit=visit)
    audit(actor, AuditAction.CHANGED, obj=visit, patient=visit.patient, detail="no-show")
    return visit
