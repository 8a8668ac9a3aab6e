"""Clinic statistics for the clinic admin's CSV exports (pure Python, no database).

intake/statistics_facts.py loads the facts; these functions count them. Definitions (this
project's, written in the CSV headers too):

- A discovery call counts in the month it was (or is) held, in the clinic's time zone.
  "Booked" is every call, cancelled ones included; "completed" is a call that took place
  (an outcome other than no-show was recorded); "converted" is a call that became a patient.
- A patient's condition is the primary diagnosis of their first signed evaluation.
- A patient's main measure is the outcome measure scored most often on their signed
  evaluations (ties: the one scored first, then TIE_ORDER). The change is the
  latest minus the first score; whether it reaches the MCID is decided by
  intake.scoring.change_is_meaningful (the MCID, or the MDC where no MCID is published: PSFS).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from intake import diagnoses, scoring

# A call took place when one of these outcomes was recorded ("no_show" did not).
COMPLETED_OUTCOMES = frozenset({"evaluation_booked", "not_a_fit", "follow_up"})
CANCELLED = "cancelled"
NO_SHOW = "no_show"
ONE_PLACE = Decimal("0.1")


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    return _round(Decimal(part) * 100 / whole) if whole else None


# ------------------------------------------------------------------ discovery calls


@dataclass(frozen=True)
class CallFact:
    month: str  # "2026-03", clinic time zone
    booked_via: str  # CallSource: online / phone
    heard_from: str  # ReferralSource, may be ""
    status: str  # CallStatus
    outcome: str  # CallOutcome, may be ""
    converted: bool  # the call is linked to a patient


CONVERSION_HEADER = (
    "month",
    "booked via",
    "heard from",
    "booked",
    "cancelled",
    "no-show",
    "completed",
    "converted to patient",
    "converted % of booked",
)


def call_conversions(facts: Iterable[CallFact]) -> list[list]:
    """One row per month, booking channel and referral source, in that order."""
    counts: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for fact in facts:
        count = counts[(fact.month, fact.booked_via, fact.heard_from)]
        cancelled = fact.status == CANCELLED
        count["booked"] += 1
        count["cancelled"] += cancelled
        count["no_show"] += not cancelled and fact.outcome == NO_SHOW
        count["completed"] += not cancelled and fact.outcome in COMPLETED_OUTCOMES
        count["converted"] += fact.converted
    return [
        [
            month,
            via,
            heard_from or "not asked",
            c["booked"],
            c["cancelled"],
            c["no_show"],
            c["completed"],
            c["converted"],
            _percent(c["converted"], c["booked"]),
        ]
        for (month, via, heard_from), c in sorted(counts.items())
    ]


# ------------------------------------------------------------------ active patients


@dataclass(frozen=True)
class ActivePatientFact:
    patient_id: int
    clinician: str
    since: datetime.date  # the record was created
    evaluation_dates: list[datetime.date]  # signed evaluations, oldest first
    diagnosis_codes: list[str]  # primary diagnosis of each signed evaluation, oldest first


ACTIVE_HEADER = (
    "patient id",
    "primary clinician",
    "record created",
    "signed evaluations",
    "first evaluation",
    "latest evaluation",
    "latest primary diagnosis",
    "condition",
)


def active_patients(facts: Iterable[ActivePatientFact]) -> list[list]:
    """One row per active patient, without name or contact data."""
    rows = []
    for fact in sorted(facts, key=lambda f: f.patient_id):
        dates = fact.evaluation_dates
        code = fact.diagnosis_codes[-1] if fact.diagnosis_codes else ""
        rows.append(
            [
                fact.patient_id,
                fact.clinician,
                fact.since,
                len(dates),
                dates[0] if dates else None,
                dates[-1] if dates else None,
                code,
                condition_label(code) if code else "",
            ]
        )
    return rows


# ------------------------------------------------------------------ outcome change


@cache
def _conditions_by_code() -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = {}
    for condition in diagnoses.CURATED:
        for code in condition.codes:
            names[code.code] = (*names.get(code.code, ()), condition.name)
    return names


def condition_label(code: str) -> str:
    """The curated condition(s) a code stands for (M76.891 is MTSS or hamstring), else the code."""
    if not code:
        return "No diagnosis"
    names = _conditions_by_code().get(code)
    if names:
        return " or ".join(names)
    description = diagnoses.describe(code)
    return f"{code} {description}" if description else code


@dataclass(frozen=True)
class Score:
    measure: str
    date: datetime.date
    value: Decimal


@dataclass(frozen=True)
class PatientOutcomes:
    patient_id: int
    diagnosis_code: str  # primary diagnosis of the first signed evaluation
    scores: list[Score]  # oldest first
    condition: str = ""  # that diagnosis's curated condition key (the VISA-A MCID follows it)


# On a tie, a functional measure goes before the single pain rating, which is recorded at
# nearly every visit (a project choice, not a clinical rule); then the registry's order.
TIE_ORDER = (*(code for code in scoring.MEASURES if code != "NPRS"), "NPRS")


def main_measure(scores: Sequence[Score]) -> str | None:
    """The measure scored most often; ties: the one scored first, then TIE_ORDER."""
    known = [s for s in scores if s.measure in scoring.MEASURES]
    if not known:
        return None
    counts = Counter(s.measure for s in known)
    first = {}
    for score in known:
        first.setdefault(score.measure, score.date)
    return min(counts, key=lambda m: (-counts[m], first[m], TIE_ORDER.index(m)))


OUTCOME_HEADER = (
    "condition",
    "main measure",
    "better when",
    "patients",
    "patients with a follow-up score",
    "mean first score",
    "mean latest score",
    "mean change (latest - first)",
    "meaningful change threshold",
    "threshold kind",
    "reached the threshold",
    "reached %",
)


@dataclass
class _Group:
    """The patients of one condition and main measure."""

    patients: int = 0
    firsts: list[Decimal] = field(default_factory=list)  # of patients with a follow-up
    latests: list[Decimal] = field(default_factory=list)
    reached: int = 0

    def add(self, measure: str, series: list[Decimal], condition: str = "") -> None:
        self.patients += 1
        if len(series) < 2:
            return
        self.firsts.append(series[0])
        self.latests.append(series[-1])
        meaningful = scoring.change_is_meaningful(
            measure, float(series[0]), float(series[-1]), condition=condition
        )
        self.reached += bool(meaningful)

    @property
    def followed(self) -> int:
        return len(self.firsts)


def _mean(values: list[Decimal]) -> Decimal | None:
    return _round(sum(values, Decimal(0)) / len(values)) if values else None


def outcome_changes(patients: Iterable[PatientOutcomes]) -> list[list]:
    """Per condition and main measure: first vs latest score, mean change, share at the MCID.

    The last row adds up every condition; its means are left blank (measures differ).
    """
    groups: dict[tuple[str, str], _Group] = defaultdict(_Group)
    for patient in patients:
        measure = main_measure(patient.scores)
        if measure is None:
            continue
        series = [Decimal(s.value) for s in patient.scores if s.measure == measure]
        label = (
            diagnoses.CURATED_BY_KEY[patient.condition].name
            if patient.condition in diagnoses.CURATED_BY_KEY
            else condition_label(patient.diagnosis_code)
        )
        groups[(label, measure, patient.condition)].add(measure, series, patient.condition)
    rows = [
        _outcome_row(label, measure, g, condition)
        for (label, measure, condition), g in sorted(groups.items())
    ]
    total = _Group(
        patients=sum(g.patients for g in groups.values()),
        reached=sum(g.reached for g in groups.values()),
        firsts=[v for g in groups.values() for v in g.firsts],
    )
    rows.append(
        ["All conditions", "all", "", total.patients, total.followed]
        + [None] * 5
        + [total.reached, _percent(total.reached, total.followed)]
    )
    return rows


def _outcome_row(label: str, measure: str, group: _Group, condition: str = "") -> list:
    spec = scoring.get_measure(measure)
    threshold = spec.meaningful_change_for(condition)
    first, latest = _mean(group.firsts), _mean(group.latests)
    change = _mean([b - a for a, b in zip(group.firsts, group.latests, strict=True)])
    return [
        label,
        measure,
        "higher" if spec.higher_is_better else "lower",
        group.patients,
        group.followed,
        first,
        latest,
        change,
        Decimal(str(threshold)) if threshold is not None else None,
        "MDC" if spec.mcid is None and spec.mdc is not None else "MCID",
        group.reached,
        _percent(group.reached, group.followed),
    ]
