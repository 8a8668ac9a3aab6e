"""What the editor shows while a measure is filled in: each item's scale and the running
total (display only; the scoring rules decide)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .base import Measure
from .measures import get_measure
from .rules import percent_of, round_tenth

# Display only: the numbers are the measures' own (item_range, choices, maximum) and the
# arithmetic is the scoring rule's; static/js/outcome-total.js repeats it as the user types.


def item_scale(measure: str) -> str:
    """What each item's points mean, in one line for the form (no words the sources lack)."""
    spec = get_measure(measure)
    low, high = spec.item_range
    ranged = [key for key in spec.items if key not in dict(spec.choices)]
    listed = [key for key in spec.items if key in dict(spec.choices)]
    lead = "Each item" if len(spec.items) > 1 else "Points"
    if spec.anchors and not listed:
        parts = [f"{lead}: {low} = {spec.anchors[0]} … {high} = {spec.anchors[1]}"]
    elif not listed:
        parts = [f"{lead} {low}–{high} points, as on the form"]
    elif not ranged:
        parts = [f"{lead}: the points listed, best first, as on the form"]
    else:
        parts = [
            f"Items {_span(spec, ranged)}: {low}–{high} points; "
            f"items {_span(spec, listed)}: the points listed"
        ]
    if spec.rule == "min_answered":
        parts.append("leave an item blank for N/A")
    if spec.rule == "mean_of_rated":
        parts.append("rate only the activities the patient names")
    text = "; ".join(parts) + "."
    if spec.branches:
        text += f" Item {spec.branch_item}: answer only one of {', '.join(spec.branches)}."
    return text


def _span(spec: Measure, keys: list[str]) -> str:
    """ "1–6" for a run of consecutive items, else the keys listed."""
    positions = [spec.items.index(key) for key in keys]
    if len(keys) > 2 and positions == list(range(positions[0], positions[0] + len(keys))):
        return f"{keys[0]}–{keys[-1]}"
    return ", ".join(keys)


@dataclass(frozen=True)
class RunningTotal:
    """The points so far of a measure being filled in, and the line that says so."""

    points: int
    answered: int  # items answered with allowed points (VISA-A item 8 once)
    expected: int  # items the measure has (VISA-A item 8 once)
    not_counted: int  # entries given that are not allowed points
    text: str


def running_total(measure: str, answers: Mapping[str, object]) -> RunningTotal | None:
    """The total so far for the editor; None for a one-item measure (nothing to add up).

    ``answers`` may hold what a form holds: ints, digit strings, blanks or bad entries.
    """
    spec = get_measure(measure)
    if len(spec.items) == 1:
        return None
    values: dict[str, int] = {}
    not_counted = 0
    for key in spec.items:
        value = _entry(answers.get(key))
        if value is None:
            continue
        if isinstance(value, int) and value in spec.allowed(key):
            values[key] = value
        else:
            not_counted += 1
    branches = [key for key in spec.branches if key in values]
    answered = len([key for key in values if key not in spec.branches]) + bool(branches)
    expected = len(spec.items) - len(spec.branches) + bool(spec.branches)
    points = sum(values.values())
    notes = []
    if len(branches) > 1:
        notes.append(f"answer only one of {', '.join(spec.branches)}")
    if not_counted:
        low, high = spec.item_range
        entries = "entry" if not_counted == 1 else "entries"
        notes.append(f"{not_counted} {entries} not counted: outside {low}–{high}")
    text = _RUNNING_TEXT[spec.rule](spec, points, answered, expected, notes)
    return RunningTotal(points, answered, expected, not_counted, text)


def _entry(value: object) -> int | str | None:
    """An int for a whole number (typed or stored), None for a blank, else the bad entry."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return int(text) if text.lstrip("-").isdigit() and text.isascii() else text


def _running_sum(spec, points, answered, expected, notes) -> str:
    return (
        f"{points} / {spec.maximum} ({'; '.join([f'{answered} of {expected} answered', *notes])})"
    )


def _running_percent(spec, points, answered, expected, notes) -> str:
    counts = "; ".join(
        [f"{answered} of {expected} answered", f"at least {spec.min_answered} needed", *notes]
    )
    if not answered:
        return f"— ({counts})"
    maximum = answered * spec.item_range[1]
    return f"{points} / {maximum} = {percent_of(points, maximum):.1f} % ({counts})"


def _running_mean(spec, points, answered, expected, notes) -> str:
    if not answered:
        return f"— ({'; '.join(['no activity rated', *notes])})"
    rated = f"{answered} {'activity' if answered == 1 else 'activities'} rated"
    mean = round_tenth(Decimal(points) / answered)
    return f"mean {mean:.1f} / {spec.maximum} ({'; '.join([rated, *notes])})"


_RUNNING_TEXT = {
    "all": _running_sum,
    "min_answered": _running_percent,
    "mean_of_rated": _running_mean,
}
