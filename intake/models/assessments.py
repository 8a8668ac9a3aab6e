"""Evaluations: measurements, special tests, gait, outcome measures, diagnosis, goals, signing.

A signed evaluation never changes. The model refuses (``save``, ``delete`` and the querysets'
``update``/``delete``), and on PostgreSQL triggers refuse too (migration 0006), for the
evaluation row and every row that belongs to it. Corrections are addenda.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from clinic.visibility import PatientOwnedQuerySet
from intake import diagnoses

from .patients import Patient
from .questionnaires import Intake, Side, not_in_future


class SignedRecordError(ValidationError):
    """A change to a signed evaluation (or a row that belongs to it)."""

    def __init__(self):
        super().__init__(
            "This evaluation is signed and cannot be changed; add an addendum instead.",
            code="signed",
        )


class EvaluationKind(models.TextChoices):
    INITIAL = "initial", "Initial evaluation"
    RE_EVALUATION = "re_evaluation", "Re-evaluation"
    DISCHARGE = "discharge", "Discharge"


class Intervention(models.TextChoices):
    THERAPEUTIC_EXERCISE = "therapeutic_exercise", "Therapeutic exercise"
    MANUAL_THERAPY = "manual_therapy", "Manual therapy"
    SOFT_TISSUE = "soft_tissue", "Soft-tissue mobilisation"
    DRY_NEEDLING = "dry_needling", "Dry needling"
    GAIT_RETRAINING = "gait_retraining", "Gait retraining"
    BFR = "bfr", "Blood-flow-restriction training"
    ORTHOTICS = "orthotics", "Orthotics / bracing"
    EDUCATION = "education", "Education"
    LOAD_MANAGEMENT = "load_management", "Load management"
    RETURN_TO_RUN = "return_to_run", "Return-to-run program"


class ForceUnit(models.TextChoices):
    KG = "kg", "kg"
    N = "N", "N"


class EvaluationQuerySet(PatientOwnedQuerySet):
    def unsigned(self):
        return self.filter(signed_at__isnull=True)

    def signed(self):
        return self.filter(signed_at__isnull=False)

    def update(self, **kwargs):
        if self.filter(signed_at__isnull=False).exists():
            raise SignedRecordError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(signed_at__isnull=False).exists():
            raise SignedRecordError()
        return super().delete()


class Evaluation(models.Model):
    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="evaluations")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    kind = models.CharField(max_length=14, choices=EvaluationKind.choices)
    date = models.DateField(default=timezone.localdate, validators=[not_in_future])
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    involved_side = models.CharField(
        max_length=5,
        choices=Side.choices,
        default=Side.LEFT,
        help_text="The limb symmetry index compares this side with the other.",
    )
    subjective = models.TextField(blank=True, max_length=10000)
    objective_notes = models.TextField("objective findings", blank=True, max_length=10000)
    assessment = models.TextField(blank=True, max_length=10000)
    visits_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    plan_weeks = models.PositiveSmallIntegerField(
        "weeks of care",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    certified_until = models.DateField(
        "plan certified until",
        null=True,
        blank=True,
        help_text="The physician's certification: at most 90 days from the evaluation.",
    )
    interventions = models.JSONField(default=list, blank=True)
    plan_notes = models.TextField("plan of care notes", blank=True, max_length=10000)
    force_unit = models.CharField(
        "dynamometer unit", max_length=2, choices=ForceUnit.choices, default=ForceUnit.KG
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["patient", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%b %d, %Y}"

    def save(self, *args, **kwargs):
        if self.pk and Evaluation.objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise SignedRecordError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise SignedRecordError()
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def intervention_labels(self) -> list[str]:
        labels = dict(Intervention.choices)
        return [labels.get(value, value) for value in self.interventions]

    def side_mismatches(self) -> list[str]:
        """Diagnosis codes that name the other side than the involved side."""
        from intake import diagnoses

        return diagnoses.side_mismatches(self.involved_side, self.diagnoses.all())

    def sign(self, *, by) -> None:
        """Freeze the evaluation; only the clinician who wrote it may sign it."""
        if self.is_signed:
            raise SignedRecordError()
        if by.pk != self.clinician_id:
            raise ValidationError("Only the evaluating clinician can sign this evaluation.")
        if not self.diagnoses.exists():
            raise ValidationError("Add at least one diagnosis before signing.")
        self.signed_at, self.signed_by = timezone.now(), by
        super().save(update_fields=["signed_at", "signed_by", "updated_at"])


class EvaluationPartQuerySet(PatientOwnedQuerySet):
    def update(self, **kwargs):
        if self.filter(evaluation__signed_at__isnull=False).exists():
            raise SignedRecordError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(evaluation__signed_at__isnull=False).exists():
            raise SignedRecordError()
        return super().delete()


class EvaluationPart(models.Model):
    """A row that belongs to an evaluation and freezes with it."""

    PATIENT_PATH = "evaluation__patient"

    objects = EvaluationPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_signed()
        return super().delete(*args, **kwargs)

    def _refuse_if_signed(self) -> None:
        if Evaluation.objects.filter(pk=self.evaluation_id, signed_at__isnull=False).exists():
            raise SignedRecordError()


class Measurement(EvaluationPart):
    """One row of the grid (intake/measurements.py defines the keys): left and right."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="measurements"
    )
    key = models.CharField(max_length=40)
    left = models.CharField(max_length=10, blank=True)
    right = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="one_measurement_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: L {self.left or '—'} / R {self.right or '—'}"


class SpecialTestResult(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NOT_TESTED = "not_tested", "Not tested"


class SpecialTest(EvaluationPart):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="special_tests"
    )
    key = models.CharField(max_length=40)
    side = models.CharField(max_length=5, choices=Side.choices)
    result = models.CharField(max_length=10, choices=SpecialTestResult.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "key", "side"], name="one_special_test_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.side}): {self.result}"


class Setting(models.TextChoices):
    TREADMILL = "treadmill", "Treadmill"
    OVERGROUND = "overground", "Overground"


class FootStrike(models.TextChoices):
    REARFOOT = "rearfoot", "Rearfoot"
    MIDFOOT = "midfoot", "Midfoot"
    FOREFOOT = "forefoot", "Forefoot"


class Severity(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MARKED = "marked", "Marked"


# A treadmill or track speed outside this range is a typing error, not a runner.
MIN_GAIT_KMH, MAX_GAIT_KMH = 1, 30


class GaitAnalysis(EvaluationPart):
    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="gait")
    setting = models.CharField(max_length=10, choices=Setting.choices, blank=True)
    speed_kmh = models.DecimalField(
        "speed (km/h)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_GAIT_KMH), MaxValueValidator(MAX_GAIT_KMH)],
    )
    footwear = models.CharField(max_length=120, blank=True)
    cadence = models.PositiveSmallIntegerField(
        "cadence (steps/min)",
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(250)],
    )
    foot_strike = models.CharField(max_length=10, choices=FootStrike.choices, blank=True)
    overstriding = models.CharField(max_length=6, choices=Severity.choices, blank=True)
    pelvic_drop = models.CharField(
        "contralateral pelvic drop", max_length=6, choices=Severity.choices, blank=True
    )
    knee_valgus = models.CharField(
        "knee valgus / hip adduction", max_length=6, choices=Severity.choices, blank=True
    )
    trunk_lean = models.CharField(
        "forward trunk lean", max_length=6, choices=Severity.choices, blank=True
    )
    notes = models.TextField(blank=True, max_length=5000)

    class Meta:
        verbose_name_plural = "gait analyses"

    def __str__(self) -> str:
        return f"Gait analysis for evaluation {self.evaluation_id}"


def gait_media_path(instance, filename: str) -> str:
    return f"gait/{instance.evaluation_id}/{filename}"


class GaitMedia(EvaluationPart):
    """A still or short video of the patient running: private, served only by an authorised view."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to=gait_media_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    caption = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Gait media {self.pk} ({self.content_type})"

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class OutcomeResponse(EvaluationPart):
    """A scored outcome measure (intake/scoring), item by item."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.CharField(max_length=12)
    answers = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    complete = models.BooleanField(default=False)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "measure"], name="one_response_each")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.score if self.score is not None else 'not scored'}"

    @property
    def score(self):
        """The published score: percent for FAAM subscales, else the total."""
        return self.percent if self.measure.startswith("FAAM") else self.total


class Diagnosis(EvaluationPart):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField("ICD-10-CM", max_length=10)
    description = models.CharField(max_length=255)
    # The runner condition the clinician chose: a code can stand for two (M76.89- is MTSS or
    # proximal hamstring tendinopathy, M76.6- mid-portion or insertional Achilles; DOMAIN.md
    # s.2), and the plan follows the condition, never the code. Blank: none of the list.
    condition = models.CharField(max_length=40, blank=True, choices=diagnoses.CONDITION_CHOICES)
    primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-primary", "id"]
        verbose_name_plural = "diagnoses"

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    @property
    def condition_name(self) -> str:
        return diagnoses.CURATED_BY_KEY[self.condition].name if self.condition else ""


class GoalTerm(models.TextChoices):
    SHORT = "short", "Short term"
    LONG = "long", "Long term"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Not yet reviewed"
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class Goal(EvaluationPart):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(max_length=5, choices=GoalTerm.choices)
    text = models.CharField("goal", max_length=300)
    target_date = models.DateField(null=True, blank=True)
    linked_to_race = models.BooleanField(
        default=False, help_text="Set the target date to the goal race."
    )

    class Meta:
        ordering = ["term", "target_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_term_display()}: {self.text}"


class GoalReview(EvaluationPart):
    """A later evaluation records how far an earlier goal was met."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="goal_reviews"
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=8, choices=GoalStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="one_review_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.get_status_display()}"


class Addendum(models.Model):
    """A correction or addition to a signed evaluation, with its own author and time."""

    PATIENT_PATH = "evaluation__patient"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(max_length=10000)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk} to evaluation {self.evaluation_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("An addendum cannot be changed; write another one.")
        super().save(*args, **kwargs)
