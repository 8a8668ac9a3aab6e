"""The pre-visit questionnaire (an intake), its private link, and what it records.

A patient fills an intake through a link (source "self"), or a clinician enters it directly
(source "staff"). The runner profile and the complaint are kept per intake, so they can change
over time. The patient's original submission is kept as a JSON snapshot next to the rows the
clinician reviews and accepts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from clinic.links import PrivateLink
from clinic.visibility import PatientOwnedQuerySet

from .patients import Patient

INTAKE_LINK_LIFETIME_DAYS = 7
NPRS_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]  # 0-10 (Salaffi 2004)


def not_in_future(value) -> None:
    if value > timezone.localdate():
        raise ValidationError("This date cannot be after today.")


def not_in_past(value) -> None:
    if value < timezone.localdate():
        raise ValidationError("This date is in the past.")


class IntakeSource(models.TextChoices):
    SELF = "self", "Patient, through a private link"
    STAFF = "staff", "Entered by staff"


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"


class IntakeQuerySet(PatientOwnedQuerySet):
    def awaiting_review(self):
        return self.filter(status=IntakeStatus.AWAITING_REVIEW)


class Intake(models.Model):
    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    source = models.CharField(max_length=8, choices=IntakeSource.choices)
    status = models.CharField(
        max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the patient last typed on each step, valid or not, so nothing typed is lost.
    step_drafts = models.JSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    red_flag_answers = models.JSONField(default=dict, blank=True)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    treatment_consent_version = models.CharField(max_length=20, blank=True)
    treatment_consent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_answers = models.JSONField(null=True, blank=True)  # the original, never edited
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Intake {self.pk} ({self.get_status_display()})"

    @property
    def is_editable_by_patient(self) -> bool:
        return self.status == IntakeStatus.DRAFT


class IntakeLink(PrivateLink):
    """The private link to one intake's pre-visit questionnaire."""

    SALT = "intake.IntakeLink"
    FIND_RELATED = ("intake__patient",)
    ACTOR_LABEL = "patient (questionnaire link)"
    PATIENT_PATH = "intake__patient"
    CLINICAL = False  # the front desk sends and lists questionnaire links
    URL_NAME = "intake:self_intake"
    MAIL_TEMPLATE = "intake/mail/intake_link.txt"
    MAIL_SUBJECT = "Your questionnaire from {clinic}"

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="links")

    class Meta(PrivateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Questionnaire link {self.pk} ({self.state})"

    @property
    def patient(self):
        return self.intake.patient


class Surface(models.TextChoices):
    ROAD = "road", "Road"
    TRAIL = "trail", "Trail"
    TRACK = "track", "Track"
    TREADMILL = "treadmill", "Treadmill"
    GRASS = "grass", "Grass"


class Terrain(models.TextChoices):
    FLAT = "flat", "Flat"
    ROLLING = "rolling", "Rolling"
    HILLY = "hilly", "Hilly"
    MOUNTAIN = "mountain", "Mountain"


class TrainingChange(models.TextChoices):
    VOLUME_JUMP = "volume_jump", "Ran a lot more than usual"
    NEW_SHOES = "new_shoes", "New shoes"
    NEW_SURFACE = "new_surface", "New surface or terrain"
    RACING = "racing", "Raced recently"
    SPEED_WORK = "speed_work", "Started speed work"
    RETURN_FROM_BREAK = "return_from_break", "Came back after a break"


# Upper limits that catch typing errors, not clinical thresholds.
MAX_WEEKLY_KM = Decimal(400)
MAX_LONGEST_RUN_KM = Decimal(250)
MAX_SHOE_KM = Decimal(5000)
MAX_RACE_KM = Decimal(500)


class RunnerProfile(models.Model):
    PATIENT_PATH = "intake__patient"

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="profile")
    years_running = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    runs_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(21)]
    )
    weekly_distance_km = models.DecimalField(
        "weekly distance",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEEKLY_KM)],
    )
    longest_run_km = models.DecimalField(
        "longest run",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_LONGEST_RUN_KM)],
    )
    easy_pace_sec_per_km = models.PositiveIntegerField("easy pace", null=True, blank=True)
    surfaces = models.JSONField(default=list, blank=True)
    terrain = models.JSONField(default=list, blank=True)
    shoe_model = models.CharField(max_length=120, blank=True)
    shoe_distance_km = models.DecimalField(
        "distance on the shoes",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SHOE_KM)],
    )
    recent_changes = models.JSONField(default=list, blank=True)
    recent_changes_detail = models.TextField(blank=True, max_length=2000)
    goal_race_name = models.CharField(max_length=120, blank=True)
    goal_race_distance_km = models.DecimalField(
        "goal race distance",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RACE_KM)],
    )
    goal_race_date = models.DateField(null=True, blank=True)
    other_sports = models.CharField(max_length=200, blank=True)
    strength_sessions_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(14)]
    )
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(16)],
    )

    objects = PatientOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Runner profile for intake {self.intake_id}"


class BodyRegion(models.TextChoices):
    HIP = "hip", "Hip"
    GROIN = "groin", "Groin"
    THIGH = "thigh", "Thigh"
    KNEE = "knee", "Knee"
    SHIN = "shin", "Shin"
    CALF = "calf", "Calf"
    ACHILLES = "achilles", "Achilles"
    ANKLE = "ankle", "Ankle"
    HEEL_FOOT = "heel_foot", "Heel / foot"
    LOW_BACK = "low_back", "Low back"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"
    NOT_APPLICABLE = "na", "Not one side (e.g. low back)"


class Onset(models.TextChoices):
    GRADUAL = "gradual", "Gradually"
    SUDDEN = "sudden", "Suddenly"


class Complaint(models.Model):
    PATIENT_PATH = "intake__patient"

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="complaint")
    region = models.CharField(max_length=12, choices=BodyRegion.choices)
    side = models.CharField(max_length=5, choices=Side.choices)
    onset_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    onset_type = models.CharField(max_length=8, choices=Onset.choices, blank=True)
    mechanism = models.TextField("how it started", blank=True, max_length=2000)
    pain_now = models.PositiveSmallIntegerField(validators=NPRS_VALIDATORS)
    pain_best = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS_VALIDATORS)
    pain_worst = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS_VALIDATORS)
    hurts_during_run = models.BooleanField(default=False)
    during_run_after_minutes = models.PositiveSmallIntegerField(
        "hurts during runs after (minutes)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
    )
    during_run_after_km = models.DecimalField(
        "hurts during runs after",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_LONGEST_RUN_KM)],
    )
    hurts_after_run = models.BooleanField(default=False)
    hurts_morning = models.BooleanField(default=False)
    hurts_night = models.BooleanField(default=False)
    aggravating = models.TextField("what makes it worse", blank=True, max_length=2000)
    easing = models.TextField("what makes it better", blank=True, max_length=2000)
    patient_goals = models.TextField("what you want to achieve", blank=True, max_length=2000)

    objects = PatientOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_region_display()} ({self.get_side_display()})"

    def clean(self):
        if (
            self.pain_best is not None
            and self.pain_worst is not None
            and self.pain_best > self.pain_worst
        ):
            raise ValidationError({"pain_best": "The best pain cannot be above the worst pain."})


class PriorInjury(models.Model):
    PATIENT_PATH = "intake__patient"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="prior_injuries")
    region = models.CharField(max_length=12, choices=BodyRegion.choices)
    diagnosis = models.CharField("what it was", max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1920), MaxValueValidator(2100)]
    )
    weeks_lost = models.PositiveSmallIntegerField(
        "weeks without running", null=True, blank=True, validators=[MaxValueValidator(520)]
    )

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "prior injuries"

    def __str__(self) -> str:
        return f"{self.get_region_display()} {self.year or ''}".strip()
