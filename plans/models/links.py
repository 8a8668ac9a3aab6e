"""The patient's private link to their current plan, opened after a date-of-birth check."""

from django.db import models

from clinic.links import BirthDateLink
from intake.models import Patient

from .plans import Plan


class PlanLinkPurpose(models.TextChoices):
    MAIL = "mail", "Sent to the patient"
    PRINT = "print", "QR code on the printed plan"


class PatientPlanLink(BirthDateLink):
    """The patient's private link to their current plan (web view and PDF)."""

    SALT = "plans.PatientPlanLink"
    FIND_RELATED = ("plan__patient",)
    SESSION_PREFIX = "plan-link"
    ACTOR_LABEL = "patient (plan link)"
    PATIENT_PATH = "plan__patient"
    URL_NAME = "plans:patient_plan"
    MAIL_TEMPLATE = "plans/mail/plan_link.txt"
    MAIL_SUBJECT = "Your home exercises from {clinic}"

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
