"""Free discovery calls: who takes them when, and the calls prospects book.

No double booking is guaranteed by the database: a unique constraint on (clinician, start)
for booked calls, and one on (e-mail, phone, start) so that one prospect's double click cannot
take two clinicians at once; SQLite and PostgreSQL both enforce them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from clinic.links import PrivateLink, PrivateLinkQuerySet

from .patients import Patient, ReferralSource
from .questionnaires import BodyRegion


class CallAvailability(models.Model):
    """One clinician's schedule, edited by the clinic admin: the discovery-call settings and
    call hours, the working hours visits are booked in, and the days off (BlackoutDate)."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_availability"
    )
    active = models.BooleanField("takes discovery calls", default=True)
    call_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        "booking horizon (days)",
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    min_notice_minutes = models.PositiveSmallIntegerField(default=60)

    class Meta:
        verbose_name = "clinician schedule"

    def __str__(self) -> str:
        return f"Schedule: {self.clinician}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class CallHours(models.Model):
    availability = models.ForeignKey(
        CallAvailability, on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "call hours"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class WorkingHours(models.Model):
    """When the clinician sees patients, in the clinic's local time, and where (a clinic with
    more than one site); visits are booked inside these hours only."""

    availability = models.ForeignKey(
        CallAvailability, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()
    location = models.CharField(max_length=80, blank=True, help_text="Blank: the only site.")

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="working_hours_end_after_start"
            )
        ]

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}{where}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .visits import SLOT_MINUTES

        for name in ("start", "end"):
            value = getattr(self, name)
            if value and (value.minute % SLOT_MINUTES or value.second):
                raise ValidationError({name: f"Use the {SLOT_MINUTES}-minute grid (8:00, 8:05)."})
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The hours end after they start."})


class BlackoutDate(models.Model):
    """A day without calls or visits: for one clinician, or the whole clinic when none is set."""

    availability = models.ForeignKey(
        CallAvailability, null=True, blank=True, on_delete=models.CASCADE, related_name="blackouts"
    )
    date = models.DateField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}".strip()


class CallStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"


class CallType(models.TextChoices):
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"


class CallOutcome(models.TextChoices):
    EVALUATION_BOOKED = "evaluation_booked", "Evaluation booked"
    NOT_A_FIT = "not_a_fit", "Not a fit"
    NO_SHOW = "no_show", "No-show"
    FOLLOW_UP = "follow_up", "Follow up later"


class CallSource(models.TextChoices):
    ONLINE = "online", "Booked online"
    PHONE = "phone", "Booked by phone"


class DiscoveryCallQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=CallStatus.BOOKED)

    def visible_to(self, user):
        """Front desk (and admins) see every call; a clinician sees their own."""
        if user.has_perm("intake.manage_calls"):
            return self
        if user.has_perm("intake.view_discoverycall"):
            return self.filter(clinician=user)
        return self.none()


class DiscoveryCall(models.Model):
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discovery_calls"
    )
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.BOOKED)
    call_type = models.CharField(max_length=5, choices=CallType.choices, default=CallType.PHONE)
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=32)  # normalised E.164 by the form
    area = models.CharField("where it hurts", max_length=12, choices=BodyRegion.choices, blank=True)
    how_long = models.CharField("for how long", max_length=100, blank=True)
    goal_race = models.CharField(max_length=120, blank=True)
    goal_race_date = models.DateField(null=True, blank=True)
    story = models.TextField("what is going on", blank=True, max_length=2000)
    heard_from = models.CharField(max_length=20, choices=ReferralSource.choices, blank=True)
    consent_to_contact_at = models.DateTimeField()
    source = models.CharField(max_length=6, choices=CallSource.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True)  # the .ics UID, same on reschedule
    sequence = models.PositiveIntegerField(default=0)  # .ics SEQUENCE
    # When the reminder goes out; none for a call booked (or moved) within the reminder's lead
    # time, whose confirmation is reminder enough.
    reminder_due_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="discovery_calls"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DiscoveryCallQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        permissions = [("manage_calls", "Can see and manage every clinician's discovery calls")]
        constraints = [
            # Two booked calls can never hold the same clinician and time.
            models.UniqueConstraint(
                fields=["clinician", "start"],
                condition=Q(status="booked"),
                name="one_booked_call_per_clinician_and_start",
            ),
            # The same prospect sending the form twice at once books once (not once per
            # free clinician); the booking page then shows them the call they have.
            models.UniqueConstraint(
                Lower("email"),
                "phone",
                "start",
                condition=Q(status="booked"),
                name="one_booked_call_per_prospect_and_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Discovery call {self.pk} at {self.start:%Y-%m-%d %H:%M} UTC"


class CallManageLinkQuerySet(PrivateLinkQuerySet):
    def visible_to(self, user):
        """The links of the calls this user may see (a call has no patient before it is
        converted)."""
        return self.filter(call__in=DiscoveryCall.objects.visible_to(user))


class CallManageLink(PrivateLink):
    """The prospect's private link to cancel or reschedule their call: one per call, the same
    in every mail, so a later mail never breaks the link of an earlier one.

    Every mail needs the token again: it is derived from the link's nonce (PrivateLink.token).
    """

    SALT = "intake.CallManageLink"
    FIND_RELATED = ("call__clinician",)
    # It opens a booking, not a health record: a refused opening leaves no audit row.
    AUDIT_REFUSALS = False
    PATIENT_PATH = "call__patient"  # none until the caller becomes a patient
    URL_NAME = "intake:call_manage"

    objects = CallManageLinkQuerySet.as_manager()

    call = models.ForeignKey(DiscoveryCall, on_delete=models.PROTECT, related_name="links")

    class Meta(PrivateLink.Meta):
        constraints = [
            # One open link per call: two workers mailing at once agree on it.
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(revoked_at__isnull=True) & ~Q(nonce=""),
                name="one_open_manage_link_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"Call link {self.pk} ({self.state})"
