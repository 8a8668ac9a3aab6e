"""A patient's working plan, its items, and the numbered versions issuing freezes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from clinic.visibility import PatientOwnedQuerySet
from intake.models import Evaluation, Patient
from plans import progressions

from .library import Dosage, Exercise, Phase


class Plan(models.Model):
    """The working plan for a patient; issuing freezes it as a numbered PlanVersion."""

    PATIENT_PATH = "patient"

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

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan {self.pk} for {self.patient}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_edit", args=[self.pk])

    def current_version(self) -> PlanVersion | None:
        """The newest issued version, with its PDF job: what the patient's link shows."""
        return self.versions.order_by("-number").select_related("render", "plan").first()


class PlanItem(Dosage):
    PATIENT_PATH = "plan__patient"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, blank=True)
    notes = models.CharField("note for the patient", max_length=300, blank=True)
    # A published loading program the dose follows over the weeks (plans.progressions); the
    # plan shows every step with its dates from the day it is issued.
    progression = models.CharField(
        "progression over the weeks", max_length=24, blank=True, choices=progressions.CHOICES
    )
    # Set when a clinician added a contraindicated exercise on purpose.
    override_reason = models.CharField(max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.exercise}"


class PlanVersionQuerySet(PatientOwnedQuerySet):
    def update(self, **kwargs):
        raise ValidationError("Issued plan versions cannot be changed.")

    def delete(self):
        raise ValidationError("Issued plan versions cannot be deleted.")


class PlanVersion(models.Model):
    """An issued plan, frozen: every exercise's text, drawing and dosage as given."""

    PATIENT_PATH = "plan__patient"

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
