"""The registered measures by code, and what a form needs of each."""

from __future__ import annotations

from .base import Measure
from .general import NPRS, PSFS
from .lower_limb import AKPS, FAAM_ADL, FAAM_SPORTS, LEFS, VISA_A
from .running import UWRI

MEASURES: dict[str, Measure] = {
    spec.code: spec for spec in (LEFS, NPRS, VISA_A, AKPS, FAAM_ADL, FAAM_SPORTS, PSFS, UWRI)
}


def get_measure(measure: str) -> Measure:
    """Return the registered measure, or raise ValueError for an unknown code."""
    try:
        return MEASURES[measure]
    except (KeyError, TypeError):
        raise ValueError(f"unknown outcome measure {measure!r}") from None


def item_choices(measure: str) -> dict[str, list[int]] | None:
    """Allowed points per item where the form restricts them (AKPS, VISA-A 7 and 8), else None."""
    spec = get_measure(measure)
    if not spec.choices:
        return None
    return {key: list(points) for key, points in spec.choices}


def item_labels(measure: str) -> dict[str, str]:
    """Short label per item key, in form order."""
    spec = get_measure(measure)
    return dict(zip(spec.items, spec.labels, strict=True))
