"""Booking and cancelling visits. No clinician is double-booked: the visit's VisitSlot rows
are unique per clinician and slot in the database (intake.models.visits), so of two
overlapping bookings made at the same moment exactly one succeeds, on PostgreSQL and SQLite.

Mails, reminders, series and the calendar come in later steps of the treatment-visits issue.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import Patient, Visit, VisitSlot, VisitStatus, VisitType
from intake.models.visits import HOLDS_TIME, SLOT_MINUTES

# The clinic's notice period: a cancellation later than this before the start is a late one
# (issue 21: "default 24 h"; a clinic policy, not a clinical figure).
NOTICE_PERIOD = datetime.timedelta(hours=24)


class VisitTimeTaken(ValidationError):
    """The clinician already has a visit at that time; the message says so in plain words."""


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
) -> Visit:
    """Book a visit of this type at ``start`` (timezone-aware). ValidationError, in words for
    the front desk, for a time in the past, off the 5-minute grid, or already taken."""
    if timezone.is_naive(start):
        raise ValidationError("The time must carry its time zone.")
    if start < timezone.now():
        raise ValidationError("That time has passed: choose a time from now on.")
    if not _on_the_grid(start):
        raise ValidationError(f"Visits start on the {SLOT_MINUTES}-minute grid (e.g. 9:00, 9:05).")
    if not visit_type.active:
        raise ValidationError("That visit type is no longer offered.")
    visit = Visit.objects.create(
        patient=patient,
        clinician=clinician,
        visit_type=visit_type,
        start=start,
        end=start + datetime.timedelta(minutes=visit_type.minutes),
        booked_by=actor.user,
    )
    _hold(visit)
    audit(actor, AuditAction.CREATED, obj=visit, patient=patient)
    return visit


def _hold(visit: Visit) -> None:
    rows = [VisitSlot(visit=visit, clinician=visit.clinician, start=s) for s in visit.slot_starts()]
    try:
        with transaction.atomic():
            VisitSlot.objects.bulk_create(rows)
    except IntegrityError as error:
        local = timezone.localtime(visit.start)
        raise VisitTimeTaken(
            f"{visit.clinician.get_full_name() or visit.clinician.get_username()} already has a "
            f"visit during {local:%A %B %-d, %-I:%M %p}–"
            f"{timezone.localtime(visit.end):%-I:%M %p}: choose another time."
        ) from error


@transaction.atomic
def visit_cancel(*, visit: Visit, actor: Actor, now: datetime.datetime | None = None) -> Visit:
    """Cancel a booked visit and free its time; inside the notice period it is a late cancel."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in HOLDS_TIME:
        raise ValidationError("This visit is not booked any more.")
    now = now or timezone.now()
    late = visit.start - now < NOTICE_PERIOD
    visit.status = VisitStatus.LATE_CANCEL if late else VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    visit.slots.all().delete()
    audit(actor, AuditAction.CHANGED, obj=visit, patient=visit.patient, detail=visit.status)
    return visit
