"""Who may see a row of a patient's record: ``Model.objects.visible_to(user)``.

Every model that belongs to a patient's record gets its visibility from the patient's
(``Patient.objects.visible_to``, the care team rule), so a view never spells it out. A model
names the path from its rows to the patient in ``PATIENT_PATH``; clinical rows (all but the
patient's own demographics, the calls and the links the front desk hands out) are seen only
by roles that may see clinical content.
"""

from django.apps import apps
from django.db import models


class PatientOwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rows of the patients this user may open; none of a clinical kind for a role
        that sees no clinical content (the front desk)."""
        if getattr(self.model, "CLINICAL", True) and not user.has_perm("intake.view_clinical"):
            return self.none()
        patients = apps.get_model("intake", "Patient").objects.visible_to(user)
        return self.filter(**{f"{self.model.PATIENT_PATH}__in": patients})
