"""Female Athlete Triad cumulative risk assessment (De Souza 2014, BJSM 48:289; DOMAIN.md s.3).

Pure functions, no Django. ``triad_points(answers)`` reads the questionnaire's flat answer dict
(the ``triad_*`` keys listed in intake/redflags.py); ``triad_risk(points)`` totals them.
intake.redflags.screen() raises the low-energy flag from the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

# ---------------------------------------------------- Female Athlete Triad

# Cumulative risk assessment: De Souza 2014, BJSM 48:289 (DOMAIN.md s.3).
# Each factor scores 0, 1 or 2; None means not assessed. The tool is for
# female athletes: the questionnaire decides to whom these questions go.
TRIAD_FACTORS: tuple[str, ...] = (
    "dietary_restriction",
    "bmi",
    "menarche",
    "menses",
    "bmd",
    "stress_fractures",
)
DIETARY_RESTRICTION_LEVELS: Mapping[int, str] = {
    0: "No dietary restriction",
    1: "Some dietary restriction",
    2: "Meets eating-disorder criteria (DSM) or clinician-judged",
}

BMI_LOW_RISK_MIN = 18.5  # BMI >= 18.5 -> 0 (De Souza 2014, BJSM 48:289)
BMI_HIGH_RISK_MAX = 17.5  # BMI <= 17.5 -> 2 (same source)
WEIGHT_LOSS_MODERATE_PCT = 5.0  # 5-10 %/month -> 1 (same source)
WEIGHT_LOSS_HIGH_PCT = 10.0  # >= 10 %/month -> 2 (same source)
MENARCHE_MODERATE_AGE = 15  # < 15 -> 0, 15 to < 16 -> 1 (same source)
MENARCHE_HIGH_AGE = 16  # >= 16 -> 2 (same source)
MENSES_LOW_RISK_ABOVE = 9  # > 9 per year -> 0 (same source)
MENSES_HIGH_RISK_BELOW = 6  # < 6 per year -> 2, 6-9 -> 1 (same source)
BMD_Z_LOW_RISK_MIN = -1.0  # Z >= -1 -> 0 (same source)
BMD_Z_HIGH_RISK_MAX = -2.0  # Z <= -2 -> 2 (same source)

TRIAD_FULL_CLEARANCE_MAX = 1  # total 0-1 full clearance (same source)
TRIAD_RESTRICTED_MIN = 6  # total >= 6 restricted; 2-5 provisional (same source)


def _weight_loss_points(pct: float) -> int:
    # DOMAIN.md: "5-10 %" and ">= 10 %" overlap at 10: the explicit ">= 10"
    # wins, so exactly 10 % scores 2; exactly 5 % opens "5-10" and scores 1.
    if pct >= WEIGHT_LOSS_HIGH_PCT:
        return 2
    return 1 if pct >= WEIGHT_LOSS_MODERATE_PCT else 0


def _bmi_only_points(bmi: float) -> int:
    # DOMAIN.md: ">= 18.5 / 17.5-18.5 / <= 17.5". The explicit ">=" and "<="
    # claim the shared ends, so 18.5 scores 0 and 17.5 scores 2; the middle
    # band is open at both ends (17.5 < BMI < 18.5).
    if bmi >= BMI_LOW_RISK_MIN:
        return 0
    return 1 if bmi > BMI_HIGH_RISK_MAX else 2


def bmi_points(bmi: float | None, weight_loss_pct_month: float | None) -> int | None:
    """Worse of the BMI and monthly-weight-loss points; None if not assessed."""
    loss = None if weight_loss_pct_month is None else _weight_loss_points(weight_loss_pct_month)
    if bmi is None:
        # Weight loss has no low-risk band in the source, so < 5 % without a
        # BMI cannot show this factor is 0: report it as not assessed.
        return loss or None
    return max(_bmi_only_points(bmi), loss or 0)


def menarche_points(age: float | None) -> int | None:
    """Age at menarche -> 0/1/2; None if not assessed."""
    if age is None:
        return None
    # DOMAIN.md: "< 15 / 15-16 / >= 16" overlap at 16: the explicit ">= 16"
    # wins, so 16 scores 2 and the middle band is 15 to < 16.
    if age >= MENARCHE_HIGH_AGE:
        return 2
    return 1 if age >= MENARCHE_MODERATE_AGE else 0


def menses_points(per_year: int | None) -> int | None:
    """Menses per year -> 0/1/2; None if not assessed. No overlaps in source."""
    if per_year is None:
        return None
    if per_year > MENSES_LOW_RISK_ABOVE:
        return 0
    return 1 if per_year >= MENSES_HIGH_RISK_BELOW else 2


def bmd_points(z: float | None) -> int | None:
    """BMD Z-score -> 0/1/2; None if not assessed."""
    if z is None:
        return None
    # DOMAIN.md: ">= -1 / -1 to -2 / <= -2". The explicit ">=" and "<=" claim
    # the shared ends: -1 scores 0, -2 scores 2; 1 point means -2 < Z < -1.
    if z >= BMD_Z_LOW_RISK_MIN:
        return 0
    return 1 if z > BMD_Z_HIGH_RISK_MAX else 2


def stress_fracture_points(count: int, high_risk_site: bool) -> int:
    """Stress fractures: 0 -> 0, 1 -> 1, >= 2 or one at a high-risk site -> 2."""
    if count < 0:
        raise ValueError("count must be >= 0")
    # A high-risk-site answer means a fracture happened there, so it scores 2
    # even if the count was left at 0 (the conservative reading). DOMAIN.md
    # names no sites: whether a site is high-risk is the clinician's call.
    if high_risk_site or count >= 2:
        return 2
    return count


@dataclass(frozen=True)
class TriadResult:
    total: int  # sum of the assessed factors only
    assessed: int
    category: str  # "full clearance" | "provisional clearance" | "restricted"
    complete: bool
    note: str
    not_assessed: tuple[str, ...] = ()


def _triad_category(total: int) -> str:
    if total <= TRIAD_FULL_CLEARANCE_MAX:
        return "full clearance"
    if total >= TRIAD_RESTRICTED_MIN:
        return "restricted"
    return "provisional clearance"


def _checked_points(points: Mapping[str, int | None]) -> dict[str, int | None]:
    unknown = set(points) - set(TRIAD_FACTORS)
    if unknown:
        raise ValueError(f"unknown triad factors: {sorted(unknown)}")
    checked = {f: points.get(f) for f in TRIAD_FACTORS}
    for factor, value in checked.items():
        if value is not None and (type(value) is not int or value not in (0, 1, 2)):
            raise ValueError(f"{factor} must be 0, 1, 2 or None, not {value!r}")
    return checked


def triad_risk(points: Mapping[str, int | None]) -> TriadResult:
    """Cumulative risk category from per-factor points (None = not assessed)."""
    checked = _checked_points(points)
    assessed = [v for v in checked.values() if v is not None]
    missing = tuple(f for f, v in checked.items() if v is None)
    total = sum(assessed)
    category = _triad_category(total)
    note = ""
    if missing:
        # No published rule scores an incomplete assessment: the category is
        # only a lower bound, since missing factors can only add points.
        note = (
            f"Provisional because incomplete: {len(missing)} of "
            f"{len(TRIAD_FACTORS)} factors not assessed ({', '.join(missing)}); "
            f"'{category}' is based on the assessed factors only."
        )
    return TriadResult(total, len(assessed), category, not missing, note, missing)


# ------------------------------------------------------ answer coercion


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _count(value: object) -> int | None:
    number = _number(value)
    if number is None or number < 0 or not number.is_integer():
        return None
    return int(number)


def _positive(value: object) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _triad_fracture_points(answers: Mapping[str, object]) -> int | None:
    count = _count(answers.get("triad_stress_fractures"))
    high_risk = answers.get("triad_stress_fracture_high_risk_site") is True
    if count is None and not high_risk:
        return None
    return stress_fracture_points(count or 0, high_risk)


def triad_points(answers: Mapping[str, object]) -> dict[str, int | None]:
    """Per-factor triad points from raw answers (keys in the module docstring)."""
    diet = _count(answers.get("triad_dietary_restriction"))
    return {
        "dietary_restriction": diet if diet in DIETARY_RESTRICTION_LEVELS else None,
        "bmi": bmi_points(
            _positive(answers.get("triad_bmi")),
            _number(answers.get("triad_weight_loss_pct_month")),
        ),
        # An age, not a count (15.5 years is in De Souza's 15 to < 16 band); 0 is no answer.
        "menarche": menarche_points(_positive(answers.get("triad_menarche_age"))),
        "menses": menses_points(_count(answers.get("triad_menses_per_year"))),
        "bmd": bmd_points(_number(answers.get("triad_bmd_z"))),
        "stress_fractures": _triad_fracture_points(answers),
    }
