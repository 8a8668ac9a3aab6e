"""Scoring a filled-in measure by its rule, and whether a change is meaningful."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from .base import NOT_A_MAPPING, Measure, Score
from .measures import get_measure


def change_is_meaningful(
    measure: str, first: float, latest: float, *, condition: str = ""
) -> bool | None:
    """Whether the change in the good direction reaches the measure's threshold; None if none.

    ``condition``: the patient's curated condition key, for a measure whose MCID depends on it
    (VISA-A: insertional and mid-portion Achilles differ; with neither, there is no MCID).
    FAAM thresholds are in percentage points, so pass Score.percent for FAAM subscales.
    """
    spec = get_measure(measure)
    threshold = spec.meaningful_change_for(condition)
    if threshold is None:
        return None
    change = latest - first if spec.higher_is_better else first - latest
    # Rounded so that e.g. 70.3 - 62.3 (7.999999…) counts as the 8 points it is.
    if round(change, 6) >= threshold:
        return True
    relative = spec.relative_mcid
    return relative is not None and first > 0 and round(change / first, 6) >= relative


def score(measure: str, answers: Mapping[str, int | None]) -> Score:
    """Score one filled-in measure; bad answers come back as problems, never as an exception."""
    spec = get_measure(measure)
    problems: list[str] = []
    if not isinstance(answers, Mapping):
        problems.append(NOT_A_MAPPING)
        answers = {}
    problems += _unknown_key_problems(spec, answers)
    values = _valid_values(spec, answers, problems)
    problems += _branch_problems(spec, answers)
    missing = _missing(spec, answers)
    return _RULES[spec.rule](spec, values, missing, problems)


def _unknown_key_problems(spec: Measure, answers: Mapping[str, object]) -> list[str]:
    return [f"unknown item {key!r} for {spec.code}" for key in answers if key not in spec.items]


def _valid_values(
    spec: Measure, answers: Mapping[str, object], problems: list[str]
) -> dict[str, int]:
    """Answered items whose value is allowed; a problem is added for every other answer."""
    values: dict[str, int] = {}
    for key in spec.items:
        value = answers.get(key)
        if value is None:
            continue
        problem = _value_problem(spec, key, value)
        if problem is None and isinstance(value, int):
            values[key] = value
        elif problem:
            problems.append(problem)
    return values


def _value_problem(spec: Measure, key: str, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"item {key}: {value!r} is not a whole number of points"
    allowed = spec.allowed(key)
    if value in allowed:
        return None
    if key in dict(spec.choices):
        return f"item {key}: {value} is not one of {', '.join(map(str, allowed))}"
    return f"item {key}: {value} is outside {allowed[0]}–{allowed[-1]}"


def _branch_problems(spec: Measure, answers: Mapping[str, object]) -> list[str]:
    answered = [key for key in spec.branches if answers.get(key) is not None]
    if len(answered) <= 1:
        return []
    return [f"item {spec.branch_item}: answer only one of {', '.join(answered)}"]


def _missing(spec: Measure, answers: Mapping[str, object]) -> tuple[str, ...]:
    """Unanswered items; PSFS activities are optional, VISA-A item 8 counts once."""
    if spec.rule == "mean_of_rated":
        return ()
    missing = [key for key in spec.items if key not in spec.branches and answers.get(key) is None]
    if spec.branches and all(answers.get(key) is None for key in spec.branches):
        missing.append(spec.branch_item)
    return tuple(missing)


def _score_all_required(
    spec: Measure, values: dict[str, int], missing: tuple[str, ...], problems: list[str]
) -> Score:
    if missing:
        problems.append(
            f"missing item(s) {', '.join(missing)}: {spec.code} is scored only "
            "when every item is answered"
        )
    if problems:
        return _unscored(spec, spec.maximum, missing, problems)
    total = sum(values.values())
    return Score(spec.code, total, spec.maximum, percent_of(total, spec.maximum), True)


def _score_min_answered(
    spec: Measure, values: dict[str, int], missing: tuple[str, ...], problems: list[str]
) -> Score:
    answered = len(spec.items) - len(missing)
    maximum = answered * spec.item_range[1]
    if answered < spec.min_answered:
        problems.append(
            f"only {answered} of {len(spec.items)} items answered (missing "
            f"{', '.join(missing)}): {spec.code} needs at least {spec.min_answered}"
        )
    if problems:
        return _unscored(spec, maximum, missing, problems)
    total = sum(values.values())
    percent = percent_of(total, maximum)
    return Score(spec.code, total, maximum, percent, not missing, (), missing)


def _score_mean_of_rated(
    spec: Measure, values: dict[str, int], missing: tuple[str, ...], problems: list[str]
) -> Score:
    if not values and not problems:
        problems.append(f"no activity rated: {spec.code} needs at least one")
    if problems:
        return _unscored(spec, spec.maximum, missing, problems)
    rated = len(values)
    mean = round_tenth(Decimal(sum(values.values())) / rated)
    percent = percent_of(sum(values.values()), rated * spec.item_range[1])
    return Score(spec.code, mean, spec.maximum, percent, True)


def _unscored(spec: Measure, maximum: int, missing: tuple[str, ...], problems: list[str]) -> Score:
    return Score(spec.code, None, maximum, None, False, tuple(problems), missing)


def percent_of(total: int, maximum: int) -> float:
    return round_tenth(Decimal(total) * 100 / maximum)


def round_tenth(value: Decimal) -> float:
    """Round half up to one decimal (Python's round() would send 0.25 to 0.2)."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


_RULES: dict[str, Callable[[Measure, dict[str, int], tuple[str, ...], list[str]], Score]] = {
    "all": _score_all_required,
    "min_answered": _score_min_answered,
    "mean_of_rated": _score_mean_of_rated,
}
