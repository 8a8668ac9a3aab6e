"""The coach's read-only link: made by a clinician with the patient's recorded consent; it
shows the runner's week, never the clinical record (plans/services/coach.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.links import PrivateLink
from intake.models import Patient


def coach_link_expiry() -> datetime.datetime:
    """Coach links last as long as the patient's own plan links."""
    return timezone.now() + datetime.timedelta(days=settings.PLAN_LINK_DAYS)


class CoachLink(PrivateLink):
    """Read-only, revocable, expiring. The token is the coach's only credential: a coach does
    not know the patient's date of birth, so there is no birth-date check."""

    SALT = "plans.CoachLink"
    FIND_RELATED = ("plan__patient",)
    ACTOR_LABEL = "coach link"
    PATIENT_PATH = "plan__patient"
    URL_NAME = "plans:coach_page"

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="coach_links")
    expires_at = models.DateTimeField(default=coach_link_expiry)
    # The patient's agreement, as the clinician recorded it.
    consent_recorded_at = models.DateTimeField()
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A separate agreement: the patient allows the coach to see the diagnosis.
    show_diagnosis = models.BooleanField(default=False)
    coach_name = models.CharField(max_length=100, blank=True)

    class Meta(PrivateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Coach link {self.pk} ({self.state})"

    @property
    def patient(self) -> Patient:
        return self.plan.patient
