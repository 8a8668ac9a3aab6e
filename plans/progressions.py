"""Loading programs that change over the weeks, each as published, dated from a start day.

Pure: no Django, no database, no clock (the caller passes the day the plan is issued). A plan
item may follow one (``PlanItem.progression``); the editor, the patient's page and the PDF
show every step with its dates, so a patient knows on which day the dose goes up.

Sources (DOMAIN.md section 2):
- Heavy slow resistance, Beyer 2015 (AJSM 43:1704): 3 times a week, 3 s up and 3 s down,
  2-3 min rest; week 1 3x15RM, weeks 2-3 3x12RM, weeks 4-5 4x10RM, weeks 6-8 4x8RM,
  weeks 9-12 4x6RM.
- High-load heel raise, Rathleff 2015 (SJMSS 25:e292): every second day for 3 months,
  3 s up / 2 s hold / 3 s down; 3x12RM, after 2 weeks 4x10RM, after 4 weeks 5x8RM.
- Eccentric heel drops, Alfredson 1998 (AJSM 26:360): 3x15 twice a day, 7 days a week, for
  12 weeks, with load added once the exercise is pain-free (one step: the load grows, not
  the sets).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# Three months of Rathleff 2015, in whole weeks on a weekly timetable: 13 weeks (91 days).
RATHLEFF_WEEKS = 13


@dataclass(frozen=True)
class Step:
    first_week: int  # 1-based, inclusive
    last_week: int  # inclusive
    sets: int
    reps: int
    rm: bool = True  # reps at a weight that can be lifted only that many times (nRM)


@dataclass(frozen=True)
class Progression:
    key: str
    name: str
    source: str
    steps: tuple[Step, ...]
    extra: str = ""  # what changes besides the sets and reps, in the patient's words

    @property
    def weeks(self) -> int:
        return self.steps[-1].last_week


PROGRESSIONS: dict[str, Progression] = {
    p.key: p
    for p in (
        Progression(
            "beyer_hsr",
            "Heavy slow resistance",
            "Beyer 2015, AJSM 43:1704",
            (
                Step(1, 1, 3, 15),
                Step(2, 3, 3, 12),
                Step(4, 5, 4, 10),
                Step(6, 8, 4, 8),
                Step(9, 12, 4, 6),
            ),
            "3 days a week, 2 to 3 minutes' rest between sets, for 12 weeks.",
        ),
        Progression(
            "rathleff_heel_raise",
            "High-load heel raise",
            "Rathleff 2015, SJMSS 25:e292",
            (Step(1, 2, 3, 12), Step(3, 4, 4, 10), Step(5, RATHLEFF_WEEKS, 5, 8)),
            "3 days a week with a rest day after each, for 3 months.",
        ),
        Progression(
            "alfredson",
            "Alfredson eccentric program",
            "Alfredson 1998, AJSM 26:360",
            (Step(1, 12, 3, 15, rm=False),),
            "Twice a day, every day, for 12 weeks; add weight (a backpack) once it is pain-free.",
        ),
    )
}
CHOICES: tuple[tuple[str, str], ...] = tuple(
    (p.key, f"{p.name} ({p.source})") for p in PROGRESSIONS.values()
)


@dataclass(frozen=True)
class DatedStep:
    weeks: str  # "Weeks 2-3"
    starts: datetime.date
    ends: datetime.date  # inclusive
    dose: str  # "3 sets of 12 with a weight you can lift 12 times"


def _weeks(step: Step) -> str:
    if step.first_week == step.last_week:
        return f"Week {step.first_week}"
    return f"Weeks {step.first_week}–{step.last_week}"


def _dose(step: Step) -> str:
    dose = f"{step.sets} sets of {step.reps}"
    return f"{dose} with a weight you can lift {step.reps} times" if step.rm else dose


def dated(key: str, start: datetime.date) -> list[DatedStep]:
    """Every step of the progression with its dates, week 1 starting on ``start``.
    KeyError for an unknown key."""
    progression = PROGRESSIONS[key]
    return [
        DatedStep(
            weeks=_weeks(step),
            starts=start + datetime.timedelta(weeks=step.first_week - 1),
            ends=start + datetime.timedelta(weeks=step.last_week, days=-1),
            dose=_dose(step),
        )
        for step in progression.steps
    ]
