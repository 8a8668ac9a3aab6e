"""Outcome measures the patient fills in through a private link before a re-evaluation."""

from django.conf import settings
from django.db import models

from clinic.links import PrivateLink
from clinic.visibility import PatientOwnedQuerySet

from .assessments import Evaluation
from .patients import Patient

OUTCOME_LINK_LIFETIME_DAYS = 14


class OutcomeRequest(models.Model):
    PATIENT_PATH = "patient"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="outcome_requests")
    measures = models.JSONField()  # measure codes, in the order asked
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(default=dict, blank=True)  # {measure: {item: points | None}}
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The evaluation that took these answers over, once a clinician saved it.
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Outcome request {self.pk} ({', '.join(self.measures)})"


class OutcomeLink(PrivateLink):
    SALT = "intake.OutcomeLink"
    FIND_RELATED = ("request__patient",)
    ACTOR_LABEL = "patient (questionnaire link)"  # the questionnaire link's label
    PATIENT_PATH = "request__patient"
    URL_NAME = "intake:outcome_link"
    MAIL_TEMPLATE = "intake/mail/outcome_link.txt"
    MAIL_SUBJECT = "Your questionnaire from {clinic}"

    request = models.ForeignKey(OutcomeRequest, on_delete=models.PROTECT, related_name="links")

    class Meta(PrivateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Outcome link {self.pk} ({self.state})"

    @property
    def patient(self):
        return self.request.patient
