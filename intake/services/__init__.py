"""Writes across intake models with their side effects (audit, mail). Views call these.

Questionnaire and patient services are re-exported here; evaluation services live in
intake.services.evaluations.
"""

from .intakes import (
    intake_accept,
    intake_link_create,
    intake_link_revoke,
    intake_start,
    intake_step_keep_draft,
    intake_step_save,
    intake_submit,
    missing_steps,
    redflag_alerts_raise,
    redflag_resolve,
)
from .patients import patient_create, patient_create_from_call, patient_update

__all__ = [
    "intake_accept",
    "intake_link_create",
    "intake_link_revoke",
    "intake_start",
    "intake_step_keep_draft",
    "intake_step_save",
    "intake_submit",
    "missing_steps",
    "patient_create",
    "patient_create_from_call",
    "patient_update",
    "redflag_alerts_raise",
    "redflag_resolve",
]
