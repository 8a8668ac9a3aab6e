"""The daily treatment note of a visit: what the runner said, what was re-tested, each
intervention delivered with its minutes and parameters, the assessment and the plan.

A signed note never changes, exactly as a signed evaluation (intake.models.assessments): the
model refuses (``save``, ``delete`` and the querysets' ``update``/``delete``), and on
PostgreSQL triggers refuse too (migration 0031), for the note and its interventions.
Corrections are addenda. A progress note is a daily note with its goals reviewed; signing
one ends a progress-report period (intake.plan_of_care).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from clinic.visibility import PatientOwnedQuerySet

from .assessments import Goal, GoalStatus
from .patients import Patient
from .visits import VISIT_MINUTES_MAX, InterventionType, Visit

PAIN_SCALE = (0, 10)  # NPRS 0-10 (DOMAIN.md section 1)


class SignedNoteError(ValidationError):
    def __init__(self):
        super().__init__(
            "This note is signed and cannot be changed; add an addendum instead.", code="signed"
        )


class ConsentKind(models.TextChoices):
    DRY_NEEDLING = "dry_needling", "Dry needling"


class TreatmentConsent(models.Model):
    """A signed informed consent on file (DOMAIN.md section 10: dry needling needs one before
    the first session). Recorded by staff from the signed paper or form; withdrawn, it no
    longer counts."""

    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"Consent {self.pk} ({self.get_kind_display()})"


class NoteQuerySet(PatientOwnedQuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)

    def update(self, **kwargs):
        if self.filter(signed_at__isnull=False).exists():
            raise SignedNoteError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(signed_at__isnull=False).exists():
            raise SignedNoteError()
        return super().delete()


def _pain_field(label: str):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(PAIN_SCALE[0]), MaxValueValidator(PAIN_SCALE[1])],
    )


class TreatmentNote(models.Model):
    PATIENT_PATH = "patient"

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="note")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatment_notes")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="treatment_notes"
    )
    progress_note = models.BooleanField(
        "progress note", default=False, help_text="Reviews the goals; ends a progress period."
    )
    pain_now = _pain_field("pain now (0-10)")
    pain_worst = _pain_field("worst pain since the last visit (0-10)")
    subjective = models.TextField("what changed", blank=True, max_length=10000)
    # What the patient logged since the last visit (intake.note_context), as of the last save:
    # pulled in, never retyped, and frozen with the note.
    logs_since = models.JSONField(default=dict, blank=True)
    retests = models.JSONField(default=dict, blank=True)  # {measurement key: [left, right]}
    cadence = models.PositiveSmallIntegerField(
        "cadence (steps/min)",
        null=True,
        blank=True,
        # Data-entry bounds, not clinical ones (the evaluation's gait section uses the same).
        validators=[MinValueValidator(100), MaxValueValidator(250)],
    )
    objective = models.TextField("objective findings", blank=True, max_length=10000)
    assessment = models.TextField(blank=True, max_length=10000)
    plan_next = models.TextField("plan for the next visit", blank=True, max_length=5000)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=0)  # a save from an older one is refused
    editor_tab = models.CharField(max_length=32, blank=True)  # the page that saved it last
    # When that page sent the save (its clock, in ms): an older request of the same page that
    # arrives after a newer one (an autosave overtaken by "Save") is refused, not applied.
    editor_seq = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True, signed_by__isnull=True)
                | models.Q(signed_at__isnull=False, signed_by__isnull=False),
                name="note_signed_with_its_signer",
            ),
            models.CheckConstraint(
                condition=(models.Q(pain_now__isnull=True) | models.Q(pain_now__lte=10))
                & (models.Q(pain_worst__isnull=True) | models.Q(pain_worst__lte=10)),
                name="note_pain_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Progress' if self.progress_note else 'Treatment'} note {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk and TreatmentNote.objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise SignedNoteError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise SignedNoteError()
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def freeze(self, *, by) -> None:
        """Set the signature (the service checks everything first: intake.services.notes)."""
        if self.is_signed:
            raise SignedNoteError()
        self.signed_at, self.signed_by = timezone.now(), by
        super().save(update_fields=["signed_at", "signed_by", "updated_at"])


class NotePartQuerySet(PatientOwnedQuerySet):
    def update(self, **kwargs):
        if self.filter(note__signed_at__isnull=False).exists():
            raise SignedNoteError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(note__signed_at__isnull=False).exists():
            raise SignedNoteError()
        return super().delete()


class NotePart(models.Model):
    """A row that belongs to a note and freezes with it."""

    PATIENT_PATH = "note__patient"

    objects = NotePartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_signed()
        return super().delete(*args, **kwargs)

    def _refuse_if_signed(self) -> None:
        if TreatmentNote.objects.filter(pk=self.note_id, signed_at__isnull=False).exists():
            raise SignedNoteError()


class DeliveredIntervention(NotePart):
    """One intervention of the catalogue delivered at the visit: its minutes (timed codes)
    and its parameters (``details``: intake.note_interventions says which, per kind)."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(VISIT_MINUTES_MAX)]
    )
    details = models.JSONField(default=dict, blank=True)
    carried_over = models.BooleanField(default=False)  # copied forward, not yet changed
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "intervention"], name="each_intervention_once_per_note"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} in note {self.note_id}"


class GoalProgress(NotePart):
    """A progress note's review of one goal of the plan of care."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.CASCADE, related_name="goal_progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    comment = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "goal"], name="one_progress_per_goal_and_note")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.get_status_display()}"


class NoteAddendum(models.Model):
    """A dated correction or addition to a signed note; the note itself never changes."""

    PATIENT_PATH = "note__patient"

    note = models.ForeignKey(TreatmentNote, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"
