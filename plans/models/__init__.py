"""What the patient takes home: the exercise library, plan rules, plans and issued versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from intake.models import Evaluation, Patient
from intake.models.links import PrivateLink


class Phase(models.TextChoices):
    PROTECT = "protect", "Protect"
    STRENGTHEN = "strengthen", "Strengthen"
    RETURN_TO_RUN = "return_to_run", "Return to run"
    PERFORM = "perform", "Perform"


class Load(models.TextChoices):
    BODYWEIGHT = "bodyweight", "Bodyweight"
    KG = "kg", "Weight (kg)"
    BAND = "band", "Band"
    BACKPACK = "backpack", "Backpack"
    RM = "nRM", "Repetition maximum"
    RPE = "RPE", "Effort (RPE)"


class DosageSide(models.TextChoices):
    EACH = "each", "Each side"
    BOTH = "both", "Both together"
    LEFT = "left", "Left only"
    RIGHT = "right", "Right only"


# Plausibility bounds that catch typing errors (e.g. "500 reps"), not clinical limits.
MAX_SETS, MAX_REPS, MAX_HOLD_SECONDS = 10, 100, 600


def _positive_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


class Dosage(models.Model):
    """Sets, reps or holds, load, tempo, rest, frequency and side (DOMAIN.md section 6)."""

    sets = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_REPS)]
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOLD_SECONDS)],
    )
    load = models.CharField(max_length=10, choices=Load.choices, default=Load.BODYWEIGHT)
    load_value = models.CharField(
        max_length=20, blank=True, help_text="e.g. 12 (kg), green (band), 15RM, 6 (RPE)"
    )
    tempo = models.CharField(
        max_length=11, blank=True, help_text="Seconds up-hold-down, e.g. 3-2-3"
    )
    rest_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    sessions_per_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    side = models.CharField(max_length=5, choices=DosageSide.choices, default=DosageSide.EACH)
    weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    pain_allowed = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Pain allowed during the exercise, 0–10",
    )
    dosage_notes = models.CharField(max_length=200, blank=True)

    DOSAGE_FIELDS = (
        "sets",
        "reps",
        "hold_seconds",
        "load",
        "load_value",
        "tempo",
        "rest_seconds",
        "sessions_per_day",
        "days_per_week",
        "side",
        "weeks",
        "pain_allowed",
        "dosage_notes",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.reps and not self.hold_seconds and not self.dosage_notes:
            raise ValidationError("Give repetitions, a hold time, or a note (e.g. 20 minutes).")
        if self.load == Load.KG and not _positive_number(self.load_value):
            raise ValidationError({"load_value": "Give the weight in kg as a positive number."})

    def dosage(self) -> dict:
        return {name: getattr(self, name) for name in self.DOSAGE_FIELDS}


class Region(models.TextChoices):
    HIP = "hip", "Hip"
    KNEE = "knee", "Knee"
    THIGH = "thigh", "Thigh"
    CALF = "calf", "Calf"
    ACHILLES = "achilles", "Achilles"
    ANKLE = "ankle", "Ankle"
    FOOT = "foot", "Foot"
    TRUNK = "trunk", "Trunk"
    WHOLE_BODY = "whole_body", "Whole body"


def exercise_photo_path(instance, filename: str) -> str:
    return f"exercises/{instance.key}/{filename}"


class Exercise(Dosage):
    """One library exercise; its fields are the defaults a plan starts from."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    instructions = models.TextField(help_text="For the patient, in plain words.")
    cues = models.JSONField(default=list, blank=True)
    mistakes = models.JSONField(default=list, blank=True)
    region = models.CharField(max_length=12, choices=Region.choices)
    tissues = models.JSONField(default=list, blank=True)
    equipment = models.JSONField(default=list, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    phase = models.CharField(max_length=14, choices=Phase.choices)
    kind = models.CharField(max_length=12)
    impact = models.BooleanField(default=False)
    weight_bearing = models.BooleanField(default=True)
    conditions = models.JSONField(default=list, blank=True)
    contraindicated_conditions = models.JSONField(default=list, blank=True)
    contraindicated_findings = models.JSONField(default=list, blank=True)
    progressions = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="regressions"
    )
    photo = models.ImageField(
        upload_to=exercise_photo_path,
        blank=True,
        help_text="Optional: the clinic's own photo, shown beside the drawing.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanRuleRow(models.Model):
    """One row of the plan-generation table (plans/rules.py evaluates it); admin-editable."""

    key = models.SlugField(max_length=80, unique=True)
    exercise_key = models.SlugField(max_length=60)
    when_conditions = models.JSONField(default=list, blank=True)
    when_flags = models.JSONField(default=list, blank=True)
    phases = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(default=100)
    reason = models.CharField(max_length=300)
    dosage_overrides = models.JSONField(default=dict, blank=True)
    lsi_area = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=200, default="project default")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["priority", "key"]
        verbose_name = "plan rule"

    def __str__(self) -> str:
        return self.key


class Plan(models.Model):
    """The working plan for a patient; issuing freezes it as a numbered PlanVersion."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="plans")
    phase = models.CharField(max_length=14, choices=Phase.choices, default=Phase.STRENGTHEN)
    notes = models.TextField("note for the patient", blank=True, max_length=2000)
    return_to_run = models.BooleanField(default=False)
    run_stage = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    blocked_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan {self.pk} for {self.patient}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_edit", args=[self.pk])


class PlanItem(Dosage):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, blank=True)
    notes = models.CharField("note for the patient", max_length=300, blank=True)
    # Set when a clinician added a contraindicated exercise on purpose.
    override_reason = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise}"


class PlanVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Issued plan versions cannot be changed.")

    def delete(self):
        raise ValidationError("Issued plan versions cannot be deleted.")


class PlanVersion(models.Model):
    """An issued plan, frozen: every exercise's text, drawing and dosage as given."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("An issued plan version cannot be changed; issue a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An issued plan version cannot be deleted.")


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RenderedFile(models.Model):
    """A file made in the background (plans/rendering.py): the row is the truth, the Celery
    message only a doorbell. Subclasses add ``file`` with their own storage path."""

    status = models.CharField(
        max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True)  # SHA-256 of the stored file
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def pdf_path(instance, filename: str) -> str:
    return f"plans/{instance.version.plan_id}/{filename}"


class RenderJob(RenderedFile):
    """The PDF of one plan version."""

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="render")
    content_hash = models.CharField(max_length=64)  # of the snapshot that was rendered
    file = models.FileField(upload_to=pdf_path, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"PDF of {self.version} ({self.status})"


class PlanLinkPurpose(models.TextChoices):
    MAIL = "mail", "Sent to the patient"
    PRINT = "print", "QR code on the printed plan"


class BirthDateLink(PrivateLink):
    """A patient's private link that opens only after their date of birth is confirmed
    (plans/views_patient.py); it locks after MAX_BIRTH_DATE_TRIES wrong dates."""

    MAX_BIRTH_DATE_TRIES = 5  # then the link locks (the rule; audited)
    SESSION_PREFIX = "link"  # session key "<prefix>-ok-<id>"; lockout username "<prefix>-<id>"
    ACTOR_LABEL = "patient"  # who acted, in the audit trail

    failed_checks = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta(PrivateLink.Meta):
        abstract = True

    @property
    def state(self) -> str:
        if self.locked_at:
            return "locked"
        return super().state

    @property
    def patient(self) -> Patient:
        raise NotImplementedError


class PatientPlanLink(BirthDateLink):
    """The patient's private link to their current plan (web view and PDF)."""

    SALT = "plans.PatientPlanLink"
    FIND_RELATED = ("plan__patient",)
    SESSION_PREFIX = "plan-link"
    ACTOR_LABEL = "patient (plan link)"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="links")
    purpose = models.CharField(max_length=5, choices=PlanLinkPurpose.choices)
    version_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(BirthDateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Plan link {self.pk} ({self.state})"

    @property
    def patient(self) -> Patient:
        return self.plan.patient


# ------------------------------------------------------------ records that leave the clinic


class DocumentKind(models.TextChoices):
    PHYSICIAN_LETTER = "physician_letter", "Letter to the referring physician"
    COACH_LETTER = "coach_letter", "Letter to the coach"
    PATIENT_COPY = "patient_copy", "Patient's copy of the record"


LETTER_KINDS = (DocumentKind.PHYSICIAN_LETTER, DocumentKind.COACH_LETTER)


def document_path(instance, filename: str) -> str:
    return f"records/{instance.patient_id}/{filename}"


class RecordDocument(RenderedFile):
    """A letter about a signed evaluation, or the patient's own copy of their record (a zip),
    rendered in the background (plans/documents.py)."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="record_documents")
    evaluation = models.ForeignKey(
        Evaluation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_documents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The coach letter: the patient's agreement, as staff recorded it.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # The patient's copy: downloadable through their link only once staff release it.
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=document_path, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="plans_recdoc_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=DocumentKind.COACH_LETTER)
                | models.Q(consent_recorded_at__isnull=False, consent_recorded_by__isnull=False),
                name="coach_letter_has_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DocumentKind.PATIENT_COPY)
                | models.Q(evaluation__isnull=False),
                name="letter_has_evaluation",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DocumentKind.PATIENT_COPY)
                | models.Q(released_at__isnull=True),
                name="only_patient_copies_are_released",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"

    @property
    def is_letter(self) -> bool:
        return self.kind in LETTER_KINDS


class RecordCopyLink(BirthDateLink):
    """The patient's private link to download their released copy of the record."""

    SALT = "plans.RecordCopyLink"
    FIND_RELATED = ("document__patient",)
    SESSION_PREFIX = "record-link"
    ACTOR_LABEL = "patient (record copy link)"

    document = models.ForeignKey(RecordDocument, on_delete=models.PROTECT, related_name="links")

    class Meta(BirthDateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Record copy link {self.pk} ({self.state})"

    @property
    def patient(self) -> Patient:
        return self.document.patient


# Between visits (issue #11): the patient's logs, run-stage decisions, reminders.
from .logs import (  # noqa: E402, F401 (re-exported)
    DecisionAction,
    DecisionStatus,
    ExerciseLog,
    ExerciseStatus,
    LogReminder,
    LogReminderOptIn,
    ProgressionDecision,
    RunFile,
    RunLog,
)

# isort: split
# The coach's read-only link (issue #11, part 5).
from .coach import CoachLink  # noqa: E402, F401

# isort: split
from .alerts import AlertAck, AlertKind  # noqa: E402,F401
