"""Red-flag alerts: raised by a positive screen, resolved only by a clinician's decision."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from clinic.visibility import PatientOwnedQuerySet
from intake import redflags

from .patients import Patient
from .questionnaires import Intake


class RedFlagDecision(models.TextChoices):
    TREAT = "treat", "Treat"
    TREAT_MODIFIED = "treat_modified", "Treat with modification"
    REFER = "refer", "Refer"
    URGENT_REFERRAL = "urgent_referral", "Urgent referral"


class RedFlagAlertQuerySet(PatientOwnedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def needing_action(self):
        """Open alerts that cannot wait for the visit (intake.redflags.needs_action_now):
        shown on top of every clinical page and acknowledged before signing."""
        return self.open().filter(
            Q(hard_stop=True) | Q(severity__in=[redflags.EMERGENCY, redflags.URGENT])
        )

    def by_urgency(self):
        """Emergencies first, then urgent, then review; hard stops first within each."""
        rank = Case(
            *(When(severity=s, then=Value(i)) for i, s in enumerate(redflags.SEVERITY_ORDER)),
            default=Value(len(redflags.SEVERITY_ORDER)),
        )
        return self.order_by(rank, "-hard_stop", "-raised_at")


class RedFlagAlert(models.Model):
    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="red_flag_alerts")
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="red_flag_alerts"
    )
    kind = models.CharField(max_length=20)  # intake.redflags.Flag.kind
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=150)
    severity = models.CharField(max_length=10)
    hard_stop = models.BooleanField(default=False)
    # 600: a Wells detail lists every criterion answered yes and the hard-stop words.
    detail = models.CharField(max_length=600, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=16, choices=RedFlagDecision.choices, blank=True)
    reason = models.TextField(blank=True, max_length=2000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = RedFlagAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-hard_stop", "severity", "-raised_at"]
        constraints = [
            # Re-screening the same intake never raises the same alert twice.
            models.UniqueConstraint(fields=["intake", "key"], name="redflag_once_per_intake"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def severity_label(self) -> str:
        return self.severity.capitalize()

    @property
    def needs_action_now(self) -> bool:
        return redflags.needs_action_now(self.severity, self.hard_stop)

    def resolve(self, *, by, decision: str, reason: str) -> None:
        """Record a clinician's decision; a resolved alert is never reopened or re-decided."""
        if not self.is_open:
            raise ValidationError("This red flag has already been resolved.")
        if not by.has_perm("intake.view_clinical"):
            raise ValidationError("Only a clinician can resolve a red flag.")
        if decision not in RedFlagDecision.values or not reason.strip():
            raise ValidationError("A decision and a reason are required.")
        self.decision, self.reason = decision, reason.strip()
        self.resolved_by, self.resolved_at = by, timezone.now()
        self.save(update_fields=["decision", "reason", "resolved_by", "resolved_at"])
