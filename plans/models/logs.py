"""Between visits: what the patient logs through their plan link, the run-stage decisions
that follow from it, and the reminder mails."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from clinic import units
from clinic.visibility import PatientOwnedQuerySet
from intake.models import Patient

PAIN_SCALE = [MinValueValidator(0), MaxValueValidator(10)]  # NPRS 0-10 (DOMAIN.md s.1)
RPE_SCALE = [MinValueValidator(0), MaxValueValidator(10)]  # effort, RPE 0-10 (DOMAIN.md s.5)


def _zero_to_ten(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (0, 10)}), name=name
    )


class ExerciseStatus(models.TextChoices):
    DONE = "done", "Done"
    PARTLY = "partly", "Partly"
    NOT_DONE = "not_done", "Not done"


class ExerciseLog(models.Model):
    """One day of home exercises, for the plan version the patient was shown."""

    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="exercise_logs")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="exercise_logs")
    version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="exercise_logs"
    )
    day = models.DateField()
    exercises = models.JSONField(default=dict)  # exercise key -> ExerciseStatus value
    pain_during = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    pain_next_morning = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_SCALE
    )
    effort = models.PositiveSmallIntegerField("effort (RPE)", validators=RPE_SCALE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "version", "day"], name="one_exercise_log_per_day"
            ),
            _zero_to_ten("pain_during", "exercise_log_pain_during_0_10"),
            _zero_to_ten("pain_next_morning", "exercise_log_pain_morning_0_10"),
            _zero_to_ten("effort", "exercise_log_effort_0_10"),
        ]

    def __str__(self) -> str:
        return f"Exercise log {self.pk} ({self.day})"


class RunLog(models.Model):
    """One run of the walk-run program at the stage the patient was at."""

    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="run_logs")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="run_logs")
    version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.PROTECT, related_name="run_logs"
    )
    stage = models.PositiveSmallIntegerField()
    day = models.DateField()
    as_prescribed = models.BooleanField("done as prescribed")
    pain_during = models.PositiveSmallIntegerField(validators=PAIN_SCALE)
    bone_pain = models.BooleanField(default=False)
    # Entered the next morning on the same log: the number, and what the rule needs (worse
    # than before the run or not, in the patient's own judgement).
    pain_next_morning = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_SCALE
    )
    next_morning_worse = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="one_run_log_per_day"),
            _zero_to_ten("pain_during", "run_log_pain_during_0_10"),
            _zero_to_ten("pain_next_morning", "run_log_pain_morning_0_10"),
        ]

    def __str__(self) -> str:
        return f"Run log {self.pk} ({self.day}, stage {self.stage})"

    @property
    def morning_known(self) -> bool:
        return self.next_morning_worse is not None


def run_file_path(instance, filename: str) -> str:
    """A server-chosen random name: the browser's file name is never used on disk."""
    return f"run-files/{instance.run.patient_id}/{uuid.uuid4().hex}.{instance.source}"


class RunFile(models.Model):
    """A watch's file of one run (FIT, GPX or TCX), kept privately, and what was read from it
    (plans/run_files.py). Never served from a URL; staff download it through a view."""

    PATIENT_PATH = "run__patient"

    run = models.OneToOneField(RunLog, on_delete=models.PROTECT, related_name="watch_file")
    file = models.FileField(upload_to=run_file_path, max_length=200)
    checksum = models.CharField(max_length=64)  # sha256 of the file as uploaded
    source = models.CharField(max_length=3)  # "fit", "gpx" or "tcx", from the content
    started_at = models.DateTimeField()
    duration_s = models.FloatField()
    distance_m = models.FloatField(null=True, blank=True)
    pace_s_per_km = models.FloatField(null=True, blank=True)
    cadence_spm = models.FloatField(null=True, blank=True)  # steps/min, both legs
    step_length_m = models.FloatField(null=True, blank=True)
    ground_contact_ms = models.FloatField(null=True, blank=True)
    ground_contact_balance_left_pct = models.FloatField(null=True, blank=True)
    vertical_oscillation_mm = models.FloatField(null=True, blank=True)
    # The running parts only (speed >= plans.run_files.RUNNING_SPEED_MIN_MPS) and their speed:
    # what the step-rate target is compared with (walk breaks left out).
    running_cadence_spm = models.FloatField(null=True, blank=True)
    running_speed_mps = models.FloatField(null=True, blank=True)
    # "per_leg" (the file held one leg's strides: doubled) or "steps" (as recorded).
    cadence_read_as = models.CharField(max_length=8, blank=True)
    uploaded_by = models.ForeignKey(  # None: the patient, through the plan link
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Run file {self.pk} ({self.source})"

    @property
    def patient(self) -> Patient:
        return self.run.patient

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000

    @property
    def duration_text(self) -> str:
        minutes, seconds = divmod(round(self.duration_s), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def pace_text(self) -> str:
        if self.pace_s_per_km is None:
            return ""
        return f"{units.format_pace(round(self.pace_s_per_km))} /{units.distance_unit()}"


class DecisionAction(models.TextChoices):
    PROGRESS = "progress", "Move to the next stage"
    REPEAT = "repeat", "Repeat"
    STEP_BACK = "step_back", "Step back"
    STOP = "stop", "Stop and contact the clinic"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the clinician"
    CONFIRMED = "confirmed", "Confirmed"
    OVERRIDDEN = "overridden", "Overridden"
    REPLACED = "replaced", "Replaced by a newer run"


class ProgressionDecision(models.Model):
    """What plans.return_to_run said after a run; only a clinician's confirmation or
    override changes Plan.run_stage (plans/services/logs.py run_decision_resolve)."""

    PATIENT_PATH = "plan__patient"

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="run_decisions")
    run = models.ForeignKey(RunLog, on_delete=models.PROTECT, related_name="decisions")
    stage = models.PositiveSmallIntegerField()  # the stage the runs were at
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    next_stage = models.PositiveSmallIntegerField()  # the rule's proposal
    reason = models.TextField()  # the rule's plain words for the patient
    contact_clinic = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    final_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField("clinician's note", blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="pending"),
                name="one_pending_decision_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk} ({self.action}, {self.status})"

    @property
    def patient(self) -> Patient:
        return self.plan.patient


class LogReminderOptIn(models.Model):
    """The patient's choice, made on the plan link, to get a mail when they stop logging."""

    PATIENT_PATH = "plan__patient"

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.PROTECT, related_name="log_reminder_opt_in"
    )
    active = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Log reminders for plan {self.plan_id} ({'on' if self.active else 'off'})"

    @property
    def patient(self) -> Patient:
        return self.plan.patient


class LogReminder(models.Model):
    """One due reminder, recorded before its mail is sent: at most one mail per due date."""

    PATIENT_PATH = "plan__patient"

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="log_reminders")
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"Log reminder {self.pk} (due {self.due_on})"
