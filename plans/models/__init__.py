"""Plans models, split by entity and re-exported here (Django finds every model imported here)."""

from .alerts import AlertAck, AlertKind
from .coach import CoachLink
from .documents import LETTER_KINDS, DocumentKind, RecordCopyLink, RecordDocument, document_path
from .library import (
    MAX_HOLD_SECONDS,
    MAX_REPS,
    MAX_SETS,
    Dosage,
    DosageSide,
    Exercise,
    Load,
    Phase,
    PlanRuleRow,
    Region,
    exercise_photo_path,
)
from .links import BirthDateLink, PatientPlanLink, PlanLinkPurpose
from .logs import (
    DecisionAction,
    DecisionStatus,
    ExerciseLog,
    ExerciseStatus,
    LogReminder,
    LogReminderOptIn,
    ProgressionDecision,
    RunFile,
    RunLog,
)
from .plans import Plan, PlanItem, PlanVersion, PlanVersionQuerySet
from .rendering import RenderedFile, RenderJob, RenderStatus, pdf_path

__all__ = [
    "LETTER_KINDS",
    "MAX_HOLD_SECONDS",
    "MAX_REPS",
    "MAX_SETS",
    "AlertAck",
    "AlertKind",
    "BirthDateLink",
    "CoachLink",
    "DecisionAction",
    "DecisionStatus",
    "DocumentKind",
    "Dosage",
    "DosageSide",
    "Exercise",
    "ExerciseLog",
    "ExerciseStatus",
    "Load",
    "LogReminder",
    "LogReminderOptIn",
    "PatientPlanLink",
    "Phase",
    "Plan",
    "PlanItem",
    "PlanLinkPurpose",
    "PlanRuleRow",
    "PlanVersion",
    "PlanVersionQuerySet",
    "ProgressionDecision",
    "RecordCopyLink",
    "RecordDocument",
    "Region",
    "RenderJob",
    "RenderStatus",
    "RenderedFile",
    "RunFile",
    "RunLog",
    # upload paths and defaults the migrations name
    "document_path",
    "exercise_photo_path",
    "pdf_path",
]
