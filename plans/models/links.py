"""The patient's private links that open after a date-of-birth check, and the plan link."""

from django.db import models

from intake.models import Patient
from intake.models.links import PrivateLink

from .plans import Plan


class PlanLinkPurpose(models.TextChoices):
    MAIL = "mail", "Sent to the patient"
    PRINT = "print", "QR code on the printed plan"


class BirthDateLink(PrivateLink):
    """A patient's private link that opens only after their date of birth is confirmed
    (plans/link_checks.py); it locks after MAX_BIRTH_DATE_TRIES wrong dates."""

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
