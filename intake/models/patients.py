"""Patient records: who the runner is and how to reach them."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as phone_to_python

from intake.birth_dates import check_birth_date, read_birth_date


def validate_birth_date(value: datetime.date) -> None:
    check_birth_date(value, today=timezone.localdate())


class PatientStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    DISCHARGED = "discharged", "Discharged"


class PatientSex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNDISCLOSED = "undisclosed", "Prefer not to say"


class ReferralSource(models.TextChoices):
    DISCOVERY_CALL = "discovery_call", "Discovery call"
    PHYSICIAN = "physician", "Physician referral"
    COACH = "coach", "Coach or running club"
    FRIEND = "friend", "Friend or family"
    WEB = "web", "Web search or website"
    SOCIAL = "social", "Social media"
    RACE_EVENT = "race_event", "Race or event"
    OTHER = "other", "Other"


def _parse_date(text: str) -> datetime.date | None:
    """A typed date of birth, read as every birth-date form reads it, or None."""
    try:
        return read_birth_date(text, today=timezone.localdate())
    except ValidationError:
        return None


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Patients this user may open.

        Front desk sees every patient's demographics (it books and reaches them). A clinician
        sees their care team's patients: those they are the primary clinician of, those they
        have evaluated or are booked to see, those nobody has taken yet, and those opened by
        emergency access (a reason given, time-limited, reported to the clinic admin).
        Everything else is 404.
        """
        from clinic.access import is_staff_member

        if not (is_staff_member(user) and user.has_perm("intake.view_patient")):
            return self.none()
        if user.is_superuser or not user.has_perm("intake.view_clinical"):
            return self
        from .assessments import Evaluation
        from .visits import HOLDS_TIME, Visit

        return self.filter(
            Q(primary_clinician=user)
            | Q(primary_clinician__isnull=True)
            | Exists(Evaluation.objects.filter(patient=OuterRef("pk"), clinician=user))
            # A booked or attended visit, not one cancelled or missed (a booking made and
            # cancelled at once must not open a chart for good).
            | Exists(
                Visit.objects.filter(patient=OuterRef("pk"), clinician=user, status__in=HOLDS_TIME)
            )
            | Exists(EmergencyAccess.objects.active().filter(patient=OuterRef("pk"), user=user))
        )

    def search(self, query: str):
        """Match a name, a date of birth, a phone number or an e-mail address."""
        query = " ".join(query.split())
        if not query:
            return self.none()
        if "@" in query:
            return self.filter(email__iexact=query)
        birth_date = _parse_date(query)
        if birth_date is not None:
            return self.filter(date_of_birth=birth_date)
        if re.fullmatch(r"[\d\s()+.\-]{7,}", query):
            phone = phone_to_python(query)
            return self.filter(phone=phone) if phone and phone.is_valid() else self.none()
        condition = Q()
        for word in query.split():
            condition &= (
                Q(legal_first_name__icontains=word)
                | Q(legal_last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return self.filter(condition)

    def same_person(self, first_name: str, last_name: str, date_of_birth):
        return self.filter(
            legal_first_name__iexact=first_name.strip(),
            legal_last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )

    def with_open_red_flags(self):
        return self.filter(red_flag_alerts__resolved_at__isnull=True).distinct()


class Patient(models.Model):
    # What staff enter and change on the record (the patient form; patient services refuse
    # any other key).
    STAFF_FIELDS = (
        "legal_first_name",
        "legal_last_name",
        "preferred_name",
        "date_of_birth",
        "sex",
        "email",
        "phone",
        "emergency_contact_name",
        "emergency_contact_relationship",
        "emergency_contact_phone",
        "referral_source",
        "referral_detail",
        "primary_clinician",
        "status",
    )

    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validate_birth_date])
    sex = models.CharField(max_length=12, choices=PatientSex.choices, blank=True)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = PhoneNumberField(blank=True)
    referral_source = models.CharField(max_length=20, choices=ReferralSource.choices, blank=True)
    referral_detail = models.CharField(
        "referred by", max_length=150, blank=True, help_text="Physician, coach or club."
    )
    status = models.CharField(
        max_length=12, choices=PatientStatus.choices, default=PatientStatus.PROSPECT
    )
    primary_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_patients",
        limit_choices_to={"groups__name": "Clinician", "is_active": True},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        permissions = [
            ("view_clinical", "Can view and record clinical content"),
        ]
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("intake:patient_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def alerts_needing_action(self) -> list:
        """Open red flags that cannot wait, most urgent first (intake.redflags)."""
        return list(self.red_flag_alerts.needing_action().by_urgency())

    def has_unresolved_hard_stop(self) -> bool:
        """A hard-stop red flag (an emergency, a suspected femoral-neck stress injury) blocks
        any plan until a clinician decides."""
        return self.red_flag_alerts.filter(hard_stop=True, resolved_at__isnull=True).exists()


class EmergencyAccessQuerySet(models.QuerySet):
    def active(self):
        return self.filter(expires_at__gt=timezone.now())

    def unreviewed(self):
        return self.filter(reviewed_at__isnull=True)


class EmergencyAccess(models.Model):
    """ "Break the glass": a clinician opens a record outside their care team, with a reason.

    The access ends at ``expires_at``; every grant stays listed for the clinic admin until
    reviewed. Grants are never edited except for the review.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField()
    started_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "emergency accesses"
        permissions = [("review_emergencyaccess", "Can review emergency access")]
        indexes = [models.Index(fields=["user", "patient", "expires_at"])]

    def __str__(self) -> str:
        return f"Emergency access #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
