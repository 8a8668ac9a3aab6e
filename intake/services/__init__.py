"""Writes across intake models with their side effects (audit, mail). Views call these.

Questionnaire and patient services are re-exported here; evaluation services live in
intake.services.evaluations.
"""

from .intakes import (
    PATIENT_LINK_ACTOR,
    intake_accept,
    intake_link_create,
    intake_link_revoke,
    intake_start,
    intake_step_keep_draft,
    intake_step_save,
    intake_submit,
    missing_steps,
    patient_create_from_call,
    patient_save,
    redflag_alerts_raise,
    redflag_resolve,
)

__all__ = [
    "PATIENT_LINK_ACTOR",
    "intake_accept",
    "intake_link_create",
    "intake_link_revoke",
    "intake_start",
    "intake_step_keep_draft",
    "intake_step_save",
    "intake_submit",
    "missing_steps",
    "patient_create_from_call",
    "patient_save",
    "redflag_alerts_raise",
    "redflag_resolve",
]
