"""Intake models, split by concern and re-exported here."""

from .patients import Patient, PatientQuerySet, PatientSex, PatientStatus, ReferralSource
from .questionnaires import (
    BodyRegion,
    Complaint,
    Intake,
    IntakeLink,
    IntakeSource,
    IntakeStatus,
    PriorInjury,
    RunnerProfile,
)
from .redflags import RedFlagAlert, RedFlagDecision

__all__ = [
    "BodyRegion",
    "Complaint",
    "Intake",
    "IntakeLink",
    "IntakeSource",
    "IntakeStatus",
    "Patient",
    "PatientQuerySet",
    "PatientSex",
    "PatientStatus",
    "PriorInjury",
    "RedFlagAlert",
    "RedFlagDecision",
    "ReferralSource",
    "RunnerProfile",
]
