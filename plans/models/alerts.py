"""Acknowledged alerts. Alerts themselves are computed from the logs
(plans/services/alerts.py); only a clinician's acknowledgement of one instance is stored."""

from django.conf import settings
from django.db import models

from clinic.visibility import PatientOwnedQuerySet
from intake.models import Patient


class AlertKind(models.TextChoices):
    PAIN_ABOVE_RULE = "pain_above_rule", "Pain above the plan's rule"
    PAIN_RISING = "pain_rising", "Pain rising over three entries"
    NO_LOG = "no_log", "No log for 7 days"
    READY_TO_PROGRESS = "ready_to_progress", "Stage ready to progress"


class AlertAck(models.Model):
    """One alert instance seen by a clinician; a new instance (new key) alerts again."""

    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="alert_acks")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    # Identifies the instance: the latest log's id, the decision's id, the last log date.
    key = models.CharField(max_length=40)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "key"], name="one_ack_per_alert_instance"
            )
        ]

    def __str__(self) -> str:
        return f"Alert ack {self.pk} ({self.kind} {self.key})"
