"""The exercise library and the plan-rule table: what plans are made from."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


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
    # Condition key -> the phases its contraindication holds in (plans.rules.contraindicated_now);
    # a contraindicated condition not listed here holds in every phase.
    contraindicated_phases = models.JSONField(default=dict, blank=True)
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
