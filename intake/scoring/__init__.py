"""Scoring of the outcome measures recorded at evaluation (pure Python, no database).

Every clinical number comes from /work/shared/DOMAIN.md section 1 and cites its source beside it.
Where a measure publishes no rule for unanswered items the measure is not scored and the Score
says why: a missing score is better than a wrong one. Item labels are short neutral wordings
written for this project, not the questionnaires' text.

The package: base.py (what a measure is), one module per family of measures (lower_limb.py,
general.py, running.py), measures.py (the registry), rules.py (scoring) and editor.py (what
the form shows as it is filled in).
"""

from .base import NOT_A_MAPPING, Measure, Score
from .editor import RunningTotal, item_scale, running_total
from .general import NPRS, PSFS
from .lower_limb import AKPS, FAAM_ADL, FAAM_SPORTS, LEFS, VISA_A
from .measures import MEASURES, get_measure, item_choices, item_labels
from .rules import change_is_meaningful, score
from .running import UWRI

__all__ = [
    "AKPS",
    "FAAM_ADL",
    "FAAM_SPORTS",
    "LEFS",
    "MEASURES",
    "NOT_A_MAPPING",
    "NPRS",
    "PSFS",
    "UWRI",
    "VISA_A",
    "Measure",
    "RunningTotal",
    "Score",
    "change_is_meaningful",
    "get_measure",
    "item_choices",
    "item_labels",
    "item_scale",
    "running_total",
    "score",
]
