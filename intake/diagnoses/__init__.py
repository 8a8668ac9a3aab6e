"""ICD-10-CM diagnoses for the runner conditions of DOMAIN.md section 2 (pure Python, no Django).

``curated``: the runner conditions with their codes, the condition a diagnosis records
(a code may stand for two), and the body-region mapping. ``codes``: lookup and search over the
shipped ICD-10-CM list, and laterality checks. Callers use this package's names.
"""

from .codes import (
    CODE_LIST,
    code_side,
    describe,
    is_billable,
    library_rows,
    search,
    side_mismatches,
)
from .curated import (
    BILATERAL,
    CONDITION_CHOICES,
    CURATED,
    CURATED_BY_KEY,
    LEFT,
    REGIONS,
    RIGHT,
    SIDES,
    UNSPECIFIED,
    Code,
    Condition,
    condition_for,
    conditions_for_code,
    curated_for_region,
)

__all__ = [
    "BILATERAL",
    "CODE_LIST",
    "CONDITION_CHOICES",
    "CURATED",
    "CURATED_BY_KEY",
    "LEFT",
    "REGIONS",
    "RIGHT",
    "SIDES",
    "UNSPECIFIED",
    "Code",
    "Condition",
    "code_side",
    "condition_for",
    "conditions_for_code",
    "curated_for_region",
    "describe",
    "is_billable",
    "library_rows",
    "search",
    "side_mismatches",
]
