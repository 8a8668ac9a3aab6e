"""Return to running (DOMAIN.md section 4): walk-run stages, start criteria, progression.

Pure Python, no Django, no clock ("today" is passed in). Patient-facing texts are plain words
written by this project; the clinical rules and their sources are those of DOMAIN.md:

- Walk-run table: Trials 2023, doi 10.1186/s13063-023-07502-x; at least one rest day between
  runs; each stage done at least twice before progressing.
- Time-based alternative for MTSS: Moen 2012, every other day.
- Start criteria: 30 min brisk pain-free walking; pain-free single-leg hopping (10-20 hops);
  bone stress injury: no bony tenderness and, at high-risk sites, imaging evidence of healing
  (George 2024, Sports Med 54:2247).
- Pain-monitoring model (after Silbernagel 2007, AJSM 35:897): pain during running 0-3 fine,
  4-5 acceptable, > 5 stop; next morning worse than before -> step back one stage; with a bone
  stress injury no bone pain is acceptable.

Project decisions a clinician should review (not stated in DOMAIN.md):
- "Stop" (pain > 5) and any bone pain with a bone stress injury also say to contact the clinic;
  a step back at stage 1 becomes "repeat stage 1" and says to contact the clinic.
- Bone pain reported by a runner without a known bone stress injury does not change the
  decision, but the decision says to tell the clinician (DOMAIN.md s.2: focal bony pain
  suggests bone stress).
- A run that was not finished does not count towards the two runs needed to progress.
- The decision looks at the runs at the current stage since the patient moved to it; the
  latest run decides stop / step back, and every run that was finished with pain <= 5, no
  worse next morning (and no bone pain with a bone stress injury) counts as done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CONTINUOUS = "continuous"
MILE_IN_KM = Decimal("1.609344")  # international mile, exact


def miles_to_km(miles: Decimal, places: int = 1) -> Decimal:
    """Miles to kilometres, rounded half up to ``places`` decimals (1.0 mi -> 1.6 km)."""
    exact = Decimal(str(miles)) * MILE_IN_KM
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class WalkRunStage:
    stage: int
    rpe: int  # effort, RPE 0-10
    walk_minutes: int | None  # None: no walking breaks ("—" in the table)
    run_minutes: int | str  # minutes per run interval, or CONTINUOUS
    distance_miles: Decimal  # total distance of the session

    @property
    def distance_km(self) -> Decimal:
        return miles_to_km(self.distance_miles)


WALK_RUN_SOURCE = "Example walk-run table, Trials 2023, doi 10.1186/s13063-023-07502-x"
WALK_RUN_STAGES: tuple[WalkRunStage, ...] = (
    WalkRunStage(1, 3, 2, 3, Decimal("1.0")),
    WalkRunStage(2, 3, 2, 3, Decimal("1.5")),
    WalkRunStage(3, 4, 2, 4, Decimal("1.5")),
    WalkRunStage(4, 4, 2, 4, Decimal("2.0")),
    WalkRunStage(5, 5, 1, 4, Decimal("2.0")),
    WalkRunStage(6, 5, None, CONTINUOUS, Decimal("2.0")),
)
MIN_RUNS_PER_STAGE = 2  # each stage done at least twice before progressing (DOMAIN.md s.4)
REST_RULE = "Take at least one rest day between runs."


@dataclass(frozen=True)
class TimedStage:
    stage: int
    run_minutes: int | str  # minutes per run interval, or CONTINUOUS
    walk_minutes: int | None  # None: no walking breaks
    repeats: int | None  # None for continuous running
    total_minutes: int


MOEN_2012_SOURCE = "Moen 2012 (MTSS), time-based, every other day"
MOEN_2012_STAGES: tuple[TimedStage, ...] = (
    TimedStage(1, 2, 2, 4, 16),
    TimedStage(2, 3, 2, 4, 20),
    TimedStage(3, CONTINUOUS, None, None, 16),
    TimedStage(4, CONTINUOUS, None, None, 18),
)
MOEN_2012_REST_RULE = "Run every other day."

# ------------------------------------------------------------------------------ start criteria


class StartCriterion(NamedTuple):
    key: str
    label: str  # plain words, shown to patients and clinicians
    bone_stress_only: bool
    source: str


_SRC_START = "Criteria in common use"
_SRC_GEORGE = "George 2024, Sports Med 54:2247"
HIGH_RISK_IMAGING = "imaging_healing"
START_CRITERIA: tuple[StartCriterion, ...] = (
    StartCriterion(
        "brisk_walk_30min", "30 minutes of brisk walking without pain", False, _SRC_START
    ),
    StartCriterion(
        "pain_free_hops", "Single-leg hopping without pain (10–20 hops)", False, _SRC_START
    ),
    StartCriterion(
        "no_bony_tenderness", "No tenderness when the injured bone is pressed", True, _SRC_GEORGE
    ),
    StartCriterion(
        HIGH_RISK_IMAGING,
        "At a high-risk site: imaging shows the bone is healing",
        True,
        _SRC_GEORGE,
    ),
)


class CriterionStatus(NamedTuple):
    key: str
    label: str
    met: bool | None  # None = not assessed


def start_criteria_status(
    evaluation_facts: Mapping[str, bool | None],
    bone_stress: bool,
    *,
    high_risk_site: bool | None = None,
) -> list[CriterionStatus]:
    """Each start criterion with met True / False / None (not assessed).

    Bone-stress criteria appear only with a bone stress injury; the imaging criterion is left
    out only when the site is known not to be high-risk (``high_risk_site=False``).
    """
    statuses = []
    for criterion in START_CRITERIA:
        if criterion.bone_stress_only and not bone_stress:
            continue
        if criterion.key == HIGH_RISK_IMAGING and high_risk_site is False:
            continue
        value = evaluation_facts.get(criterion.key)
        met = value if isinstance(value, bool) else None
        statuses.append(CriterionStatus(criterion.key, criterion.label, met))
    return statuses


def ready_to_start(statuses: Sequence[CriterionStatus]) -> bool:
    """True only when every criterion is assessed and met."""
    return bool(statuses) and all(status.met is True for status in statuses)


# ------------------------------------------------------------------------------ progression

PAIN_MODEL_SOURCE = "Pain-monitoring model after Silbernagel 2007, AJSM 35:897"
PAIN_FINE_MAX = 3
PAIN_ACCEPTABLE_MAX = 5  # above this: stop

PAIN_GUIDE: tuple[tuple[str, str], ...] = (
    ("0–3", "Fine. Carry on with your run as planned."),
    ("4–5", "Acceptable. You may finish this run, as long as the pain does not go above 5."),
    ("above 5", "Stop running. Walk home and contact the clinic before your next run."),
    (
        "next morning",
        "How you feel the next morning decides. If the pain or stiffness is worse than before "
        "the run, go back one stage. If it is no worse, the run counts.",
    ),
)
PAIN_GUIDE_BONE_STRESS: tuple[tuple[str, str], ...] = (
    *PAIN_GUIDE,
    (
        "bone pain",
        "With a bone stress injury, no pain in the bone is acceptable, even a little. If you "
        "feel pain in the bone during or after a run, stop, go back one stage and contact the "
        "clinic.",
    ),
)


def pain_guide(bone_stress: bool) -> tuple[tuple[str, str], ...]:
    """The pain-monitoring guide for patients; stricter with a bone stress injury."""
    return PAIN_GUIDE_BONE_STRESS if bone_stress else PAIN_GUIDE


@dataclass(frozen=True)
class RunReport:
    pain_during: int  # 0-10, the worst during the run
    pain_next_morning_worse: bool  # worse than before the run
    bone_pain: bool = False
    completed: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.pain_during, bool) or self.pain_during not in range(11):
            raise ValueError(f"pain_during must be a whole number 0-10, not {self.pain_during!r}")


ACTIONS = ("progress", "repeat", "step_back", "stop")


@dataclass(frozen=True)
class Decision:
    action: str  # one of ACTIONS
    next_stage: int  # the stage for the next run
    reason: str  # plain words for the patient
    contact_clinic: bool = False
    finished: bool = False  # the last stage is done: the clinician plans what comes next


def _counts(run: RunReport, bone_stress: bool) -> bool:
    """A run done at this stage: finished, pain <= 5, next morning no worse, no bone pain."""
    return (
        run.completed
        and run.pain_during <= PAIN_ACCEPTABLE_MAX
        and not run.pain_next_morning_worse
        and not (bone_stress and run.bone_pain)
    )


def _step_back(stage: int, why: str, contact_clinic: bool) -> Decision:
    if stage == 1:
        reason = f"{why} You are at the first stage, so repeat stage 1 and contact the clinic."
        return Decision("repeat", 1, reason, contact_clinic=True)
    reason = f"{why} Go back one stage, to stage {stage - 1}."
    if contact_clinic:
        reason += " Contact the clinic."
    return Decision("step_back", stage - 1, reason, contact_clinic=contact_clinic)


def progression_decision(
    stage: int,
    runs: Sequence[RunReport],
    bone_stress: bool,
    *,
    last_stage: int = len(WALK_RUN_STAGES),
) -> Decision:
    """What to do next, from the runs at this stage since the patient moved to it (oldest first)."""
    if not 1 <= stage <= last_stage:
        raise ValueError(f"stage must be between 1 and {last_stage}, not {stage!r}")
    if not runs:
        return Decision(
            "repeat", stage, f"No run reported at stage {stage} yet: run stage {stage}."
        )
    latest = runs[-1]
    if latest.pain_during > PAIN_ACCEPTABLE_MAX:
        return Decision(
            "stop",
            stage,
            f"Your pain reached {latest.pain_during}/10 during the run. Above 5 means stop: "
            "do not run again until you have contacted the clinic.",
            contact_clinic=True,
        )
    if bone_stress and latest.bone_pain:
        why = "You felt pain in the bone. With a bone stress injury no bone pain is acceptable."
        return _step_back(stage, why, contact_clinic=True)
    if latest.pain_next_morning_worse:
        why = "Your pain was worse the next morning than before the run."
        return _step_back(stage, why, contact_clinic=False)
    decision = _count_decision(stage, runs, bone_stress, last_stage)
    if latest.bone_pain and not bone_stress:  # DOMAIN.md s.2: focal bony pain -> suspect BSI
        reason = f"{decision.reason} Tell your clinician about the pain you felt in the bone."
        return Decision(decision.action, decision.next_stage, reason, True, decision.finished)
    return decision


def _count_decision(
    stage: int, runs: Sequence[RunReport], bone_stress: bool, last_stage: int
) -> Decision:
    done = sum(_counts(run, bone_stress) for run in runs)
    latest = runs[-1]
    acceptable = (
        " Pain of 4–5 during the run is acceptable." if latest.pain_during > PAIN_FINE_MAX else ""
    )
    if not latest.completed:
        return Decision(
            "repeat",
            stage,
            f"You did not finish the last run, so it does not count: repeat stage {stage} "
            f"({done} of {MIN_RUNS_PER_STAGE} runs done).",
        )
    if done < MIN_RUNS_PER_STAGE:
        return Decision(
            "repeat",
            stage,
            f"Repeat stage {stage}: each stage is done at least {MIN_RUNS_PER_STAGE} times "
            f"without problems before moving on ({done} of {MIN_RUNS_PER_STAGE} so far)."
            f"{acceptable}",
        )
    if stage == last_stage:
        return Decision(
            "progress",
            stage,
            f"You have completed the last stage.{acceptable} Your clinician will plan what "
            "comes next.",
            finished=True,
        )
    return Decision(
        "progress",
        stage + 1,
        f"Stage {stage} done {done} times without problems: move on to stage {stage + 1}."
        f"{acceptable}",
    )


# ------------------------------------------------------------------------------ goal race


def weeks_until(race_date: date | None, today: date) -> int | None:
    """Whole weeks from today to the race; None without a race or when it has passed."""
    if race_date is None or race_date < today:
        return None
    return (race_date - today).days // 7


def race_note(race_date: date | None, today: date, current_stage: int) -> str:
    """A factual note on the goal race; no prediction of readiness."""
    if current_stage < 1:
        raise ValueError(f"current_stage must be 1 or more, not {current_stage!r}")
    if race_date is None:
        return "No goal race is set."
    if race_date < today:
        return "The goal race date has passed."
    days = (race_date - today).days
    if days == 0:
        when = "Your goal race is today."
    elif days < 7:
        when = f"Your goal race is in {days} day{'s' if days != 1 else ''}."
    else:
        weeks = days // 7
        when = f"Your goal race is in {weeks} week{'s' if weeks != 1 else ''}."
    return f"{when} You are at stage {current_stage} of the walk-run program."
