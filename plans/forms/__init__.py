"""Plans forms, split by concern and re-exported here."""

from .alerts import AlertAckForm
from .coach import CONSENT_REQUIRED, CoachLinkForm
from .documents import LetterRequestForm
from .logs import ExerciseLogForm, RunDecisionForm, RunFileForm, RunLogForm
from .plans import PlanGenerateForm, PlanItemAddForm, PlanItemForm, PlanSettingsForm

__all__ = [
    "CONSENT_REQUIRED",
    "AlertAckForm",
    "CoachLinkForm",
    "ExerciseLogForm",
    "LetterRequestForm",
    "PlanGenerateForm",
    "PlanItemAddForm",
    "PlanItemForm",
    "PlanSettingsForm",
    "RunDecisionForm",
    "RunFileForm",
    "RunLogForm",
]
