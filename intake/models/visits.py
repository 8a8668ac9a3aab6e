"""What the clinic's calendar books and what a treatment note records: visit types and the
catalogue of interventions, both edited by the clinic admin (defaults: intake.visit_catalogue),
and the booked visits.

No clinician is ever double-booked, and the database guarantees it on PostgreSQL and SQLite
alike, with no trigger and no extension: a booked visit or discovery call holds one BookedSlot
row per SLOT_MINUTES of its time, and (clinician, slot start) is unique. Two overlapping
bookings — two visits, or a visit and a call — want one same slot, so the second insert fails
whatever the timing; cancelling frees them.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from clinic.visibility import PatientOwnedQuerySet
from intake import note_interventions, visit_catalogue

from .patients import Patient

# Visits start and end on the calendar's 5-minute grid; each such slot is held once.
SLOT_MINUTES = 5

# Data-entry bounds, not clinical ones: a booked visit is 10 minutes to 4 hours.
VISIT_MINUTES_MIN, VISIT_MINUTES_MAX = 10, 240


class VisitType(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=visit_catalogue.VISIT_KINDS)
    minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        validators=[MinValueValidator(VISIT_MINUTES_MIN), MaxValueValidator(VISIT_MINUTES_MAX)],
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=VISIT_MINUTES_MIN)
                & models.Q(minutes__lte=VISIT_MINUTES_MAX),
                name="visit_type_minutes_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.minutes} min)"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.minutes and self.minutes % SLOT_MINUTES:
            raise ValidationError(
                {"minutes": f"The calendar works in {SLOT_MINUTES}-minute steps."}
            )


class InterventionType(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    cpt_code = models.CharField(
        "CPT code",
        max_length=5,
        blank=True,  # blank: recorded, not billed
        validators=[RegexValidator(r"^\d{5}$", "A CPT code is five digits.")],
    )
    timed = models.BooleanField(
        default=True, help_text="Billed per 15 minutes by the 8-minute rule; else 1 unit."
    )
    needs_consent = models.BooleanField(
        default=False, help_text="A signed consent must be on file first (dry needling)."
    )
    details_kind = models.CharField(
        "what the note records",
        max_length=12,
        blank=True,
        choices=note_interventions.KINDS,
        help_text="The parameters a note asks for (grade, needles, cuff pressure, cue).",
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cpt_code})" if self.cpt_code else self.name


class VisitStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    CANCELLED = "cancelled", "Cancelled"
    LATE_CANCEL = "late_cancel", "Cancelled late"
    NO_SHOW = "no_show", "No-show"


# A visit in these states holds its clinician's time.
HOLDS_TIME = (VisitStatus.BOOKED, VisitStatus.ARRIVED)


class Visit(models.Model):
    PATIENT_PATH = "patient"
    CLINICAL = False  # when and with whom: the front desk books and sees them

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits"
    )
    visit_type = models.ForeignKey(VisitType, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    status = models.CharField(max_length=12, choices=VisitStatus.choices, default="booked")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True)  # the .ics UID, same when moved
    sequence = models.PositiveIntegerField(default=0)  # .ics SEQUENCE
    reminder_due_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="visit_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"Visit {self.pk} ({self.visit_type.name})"

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDS_TIME

    def slot_starts(self) -> list[datetime.datetime]:
        """The SLOT_MINUTES slots this visit holds, first to last."""
        return grid_slots(self.start, self.end)


def grid_slots(start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The SLOT_MINUTES slots that [start, end) touches, first to last: a time off the grid
    (a 20-minute call at 9:50) holds every slot it reaches into."""
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    first = start.replace(second=0, microsecond=0)
    first -= datetime.timedelta(minutes=first.minute % SLOT_MINUTES)
    slots = []
    while first < end:
        slots.append(first)
        first += step
    return slots


class BookedSlot(models.Model):
    """One SLOT_MINUTES of a clinician's time, held by a visit or by a discovery call (see the
    module doc). Exactly one of the two is set."""

    PATIENT_PATH = "visit__patient"

    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="slots"
    )
    call = models.ForeignKey(
        "intake.DiscoveryCall",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="slots",
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField()

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinician", "start"], name="one_booking_per_clinician_and_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(visit__isnull=False, call__isnull=True)
                | models.Q(visit__isnull=True, call__isnull=False),
                name="slot_held_by_a_visit_or_a_call",
            ),
        ]

    def __str__(self) -> str:
        holder = f"visit {self.visit_id}" if self.visit_id else f"call {self.call_id}"
        return f"Slot {self.start:%Y-%m-%d %H:%M} of {holder}"


# Data-entry bound, not a clinical one.
AUTHORIZED_VISITS_MAX = 200


class VisitAuthorization(models.Model):
    """Visits a payer (an insurer, an employer) authorized for a patient between two dates.
    Recorded by the front desk; a newer one replaces the older for the plan-of-care counts,
    and the older stay as the record."""

    PATIENT_PATH = "patient"
    CLINICAL = False  # a count and dates: the front desk records and sees it

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="authorizations")
    payer = models.CharField(max_length=100, blank=True)
    reference = models.CharField("authorization number", max_length=60, blank=True)
    visits = models.PositiveSmallIntegerField(
        "visits authorized",
        validators=[MinValueValidator(1), MaxValueValidator(AUTHORIZED_VISITS_MAX)],
    )
    starts_on = models.DateField("from")
    ends_on = models.DateField("until")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="authorization_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(visits__gte=1) & models.Q(visits__lte=AUTHORIZED_VISITS_MAX),
                name="authorization_visits_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Authorization {self.pk}: {self.visits} visits"
