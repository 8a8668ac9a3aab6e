"""Scoring of the outcome measures recorded at evaluation (pure Python, no database).

Every clinical number comes from /work/shared/DOMAIN.md section 1 and cites its source beside it.
Where a measure publishes no rule for unanswered items the measure is not scored and the Score
says why: a missing score is better than a wrong one. Item labels are short neutral wordings
written for this project, not the questionnaires' text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NOT_A_MAPPING = "answers must be a mapping of item number to points"


@dataclass(frozen=True)
class Measure:
    """One outcome measure: its items, allowed answers, scoring rule and change thresholds."""

    code: str
    name: str
    items: tuple[str, ...]
    labels: tuple[str, ...]  # one per item, same order
    maximum: int
    higher_is_better: bool
    sources: tuple[str, ...]
    item_range: tuple[int, int] = (0, 4)  # inclusive; used where `choices` gives no list
    choices: tuple[tuple[str, tuple[int, ...]], ...] = ()  # items restricted to listed points
    mcid: float | None = None
    mdc: float | None = None
    rule: str = "all"  # "all" items required, "min_answered", or "mean_of_rated"
    min_answered: int = 0
    branches: tuple[str, ...] = ()  # item keys of which exactly one must be answered
    branch_item: str = ""  # the item number the branches stand for
    # What an item's lowest and highest points mean, in the sources' words; () where the
    # sources give none (the editor then shows the points only, never invented words).
    anchors: tuple[str, str] = ()

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.items):
            raise ValueError(f"{self.code}: {len(self.items)} items but {len(self.labels)} labels")

    def allowed(self, key: str) -> tuple[int, ...]:
        """Points the form allows for item `key`."""
        listed = dict(self.choices).get(key)
        if listed is not None:
            return listed
        low, high = self.item_range
        return tuple(range(low, high + 1))

    @property
    def meaningful_change(self) -> float | None:
        """Threshold for change_is_meaningful: the MCID, else the MDC (PSFS)."""
        return self.mcid if self.mcid is not None else self.mdc


@dataclass(frozen=True)
class Score:
    """Result of scoring one filled-in measure; total is None when it cannot be scored."""

    measure: str
    total: int | float | None
    maximum: int | None
    percent: float | None
    complete: bool  # every expected item answered and valid (FAAM may be scored while incomplete)
    problems: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # unanswered item keys (VISA-A: "8" when no branch is answered)

    @property
    def scored(self) -> bool:
        return self.total is not None


def _numbered(count: int) -> tuple[str, ...]:
    return tuple(str(number) for number in range(1, count + 1))


LEFS = Measure(
    code="LEFS",
    name="Lower Extremity Functional Scale",
    items=_numbered(20),  # Binkley 1999, Phys Ther 79:371: 20 activities
    labels=(
        "Usual work, housework or school",
        "Usual hobbies, recreation or sport",
        "Getting into or out of the bath",
        "Walking between rooms",
        "Putting on shoes or socks",
        "Squatting",
        "Lifting an object from the floor",
        "Light activities around the home",
        "Heavy activities around the home",
        "Getting into or out of a car",
        "Walking 2 blocks",
        "Walking a mile",
        "Going up or down 10 stairs",
        "Standing for 1 hour",
        "Sitting for 1 hour",
        "Running on even ground",
        "Running on uneven ground",
        "Sharp turns while running fast",
        "Hopping",
        "Rolling over in bed",
    ),
    item_range=(0, 4),  # Binkley 1999, Phys Ther 79:371: 0 = extreme difficulty … 4 = none
    # Binkley 1999, Phys Ther 79:371 (DOMAIN.md §1): 0 = extreme difficulty/unable … 4 = none
    anchors=("extreme difficulty or unable to perform the activity", "no difficulty"),
    maximum=80,  # Binkley 1999, Phys Ther 79:371: sum 0–80
    higher_is_better=True,
    mcid=9,  # Abbott & Schmitt, JOSPT 2014;44:560: MID 9 (small) to 16 (large)
    mdc=9,  # Abbott & Schmitt, JOSPT 2014;44:560: MDC90 9 points
    sources=("Binkley 1999, Phys Ther 79:371", "Abbott & Schmitt 2014, JOSPT 44:560"),
)

NPRS = Measure(
    code="NPRS",
    name="Numeric Pain Rating Scale",
    items=("1",),
    labels=("Pain rating",),
    item_range=(0, 10),  # Salaffi 2004, Eur J Pain 8:283: 0 = no pain … 10 = worst imaginable
    anchors=("no pain", "worst pain imaginable"),  # Salaffi 2004 (DOMAIN.md §1)
    maximum=10,  # Salaffi 2004, Eur J Pain 8:283
    higher_is_better=False,
    # Salaffi 2004, Eur J Pain 8:283: a 2-point (or 33 %) drop ≈ "much better"; the
    # baseline-dependent MCID (≈1 for 1–4, 2 for 5–7, 3–4 for 8–10) is not applied here.
    mcid=2,
    sources=("Salaffi 2004, Eur J Pain 8:283",),
)

VISA_A = Measure(
    code="VISA-A",
    name="Victorian Institute of Sport Assessment – Achilles",
    items=(*_numbered(7), "8A", "8B", "8C"),  # Robinson 2001, BJSM 35:335
    labels=(
        "Morning stiffness",
        "Pain stretching the tendon over a step",
        "Pain after 30 minutes walking on the flat",
        "Pain walking downstairs",
        "Pain with 10 single-leg heel raises",
        "Single-leg hops without pain",
        "Current sport or physical activity",
        "Loading sport without pain: how long",
        "Loading sport with pain that does not stop it: how long",
        "Loading sport with pain that stops it: how long",
    ),
    item_range=(0, 10),  # Robinson 2001, BJSM 35:335: items 1–6 score 0–10
    choices=(
        ("7", (0, 4, 7, 10)),  # Robinson 2001, BJSM 35:335
        # Robinson 2001, BJSM 35:335: nil, 1–10, 11–20, 21–30, >30 minutes
        ("8A", (0, 7, 14, 21, 30)),
        ("8B", (0, 4, 10, 14, 20)),
        ("8C", (0, 2, 5, 7, 10)),
    ),
    maximum=100,  # Robinson 2001, BJSM 35:335: 100 = no symptoms
    higher_is_better=True,
    mcid=6.5,  # DOMAIN.md §1: MCID 6.5 (verify)
    branches=("8A", "8B", "8C"),  # Robinson 2001, BJSM 35:335: exactly one branch of item 8
    branch_item="8",
    sources=("Robinson 2001, BJSM 35:335",),
)

AKPS = Measure(
    code="AKPS",
    name="Anterior Knee Pain Scale (Kujala)",
    items=_numbered(13),  # Kujala 1993: 13 items
    labels=(
        "Limp",
        "Support",
        "Walking",
        "Stairs",
        "Squatting",
        "Running",
        "Jumping",
        "Prolonged sitting with knees bent",
        "Pain",
        "Swelling",
        "Abnormal painful kneecap movements",
        "Thigh muscle atrophy",
        "Knee flexion deficiency",
    ),
    # Allowed points per item, best first, as tabulated in J Orthop 2023;42:54 (PMC10362729).
    choices=(
        ("1", (5, 3, 0)),
        ("2", (5, 3, 0)),
        ("3", (5, 3, 2, 0)),
        ("4", (10, 8, 5, 0)),
        ("5", (5, 4, 3, 2, 0)),
        ("6", (10, 8, 6, 3, 0)),
        ("7", (10, 7, 2, 0)),
        ("8", (10, 8, 6, 4, 0)),
        ("9", (10, 8, 6, 3, 0)),
        ("10", (10, 8, 6, 4, 0)),
        ("11", (10, 6, 4, 2, 0)),
        ("12", (5, 3, 0)),
        ("13", (5, 3, 0)),
    ),
    maximum=100,  # Kujala 1993: sum 0–100
    higher_is_better=True,
    mcid=10,  # Crossley 2004, Arch Phys Med Rehabil 85:815
    sources=(
        "Kujala 1993",
        "J Orthop 2023;42:54 (PMC10362729)",
        "Crossley 2004, Arch Phys Med Rehabil 85:815",
    ),
)

FAAM_ADL = Measure(
    code="FAAM-ADL",
    name="Foot and Ankle Ability Measure – Activities of Daily Living",
    items=_numbered(21),  # Martin 2005, Foot Ankle Int 26:968: 21 items
    labels=(
        "Standing",
        "Walking on even ground",
        "Walking on even ground without shoes",
        "Walking up hills",
        "Walking down hills",
        "Going up stairs",
        "Going down stairs",
        "Walking on uneven ground",
        "Stepping up and down curbs",
        "Squatting",
        "Coming up on your toes",
        "Walking initially",
        "Walking 5 minutes or less",
        "Walking about 10 minutes",
        "Walking 15 minutes or more",
        "Home responsibilities",
        "Activities of daily living",
        "Personal care",
        "Light to moderate work",
        "Heavy work",
        "Recreational activities",
    ),
    item_range=(0, 4),  # Martin 2005, Foot Ankle Int 26:968: 4 = no difficulty … 0 = unable
    anchors=("unable", "no difficulty"),  # Martin 2005 (DOMAIN.md §1)
    maximum=84,  # Martin 2005: 21 items × 4 when all are answered
    higher_is_better=True,
    mcid=8,  # Martin 2005, Foot Ankle Int 26:968: MCID 8 percentage points
    rule="min_answered",
    min_answered=19,  # Martin 2005, Foot Ankle Int 26:968: ≥ 90 % answered, 19 of 21
    sources=("Martin 2005, Foot Ankle Int 26:968",),
)

FAAM_SPORTS = Measure(
    code="FAAM-SPORTS",
    name="Foot and Ankle Ability Measure – Sports",
    items=_numbered(8),  # Martin 2005, Foot Ankle Int 26:968: 8 items
    labels=(
        "Running",
        "Jumping",
        "Landing",
        "Starting and stopping quickly",
        "Cutting and side-to-side movements",
        "Low-impact activities",
        "Sport with your normal technique",
        "Sport for as long as you like",
    ),
    item_range=(0, 4),  # Martin 2005, Foot Ankle Int 26:968: 4 = no difficulty … 0 = unable
    anchors=("unable", "no difficulty"),  # Martin 2005 (DOMAIN.md §1)
    maximum=32,  # Martin 2005: 8 items × 4 when all are answered
    higher_is_better=True,
    mcid=9,  # Martin 2005, Foot Ankle Int 26:968: MCID 9 percentage points
    rule="min_answered",
    min_answered=7,  # Martin 2005, Foot Ankle Int 26:968 (as given in DOMAIN.md): 7 of 8
    sources=("Martin 2005, Foot Ankle Int 26:968",),
)

PSFS = Measure(
    code="PSFS",
    name="Patient-Specific Functional Scale",
    items=_numbered(5),  # Stratford 1995: up to 3 activities, some forms 5
    labels=tuple(f"Activity {number}" for number in range(1, 6)),
    item_range=(0, 10),  # Stratford 1995: 0 = unable … 10 = pre-injury level
    anchors=("unable", "pre-injury level"),  # Stratford 1995 (DOMAIN.md §1)
    maximum=10,  # Stratford 1995: mean of the rated activities, 0–10
    higher_is_better=True,
    mdc=2,  # Stratford 1995 (DOMAIN.md §1): MDC90 2 points for the mean (3 for one activity)
    rule="mean_of_rated",
    sources=("Stratford 1995",),
)

UWRI = Measure(
    code="UWRI",
    name="University of Wisconsin Running Injury and Recovery Index",
    items=_numbered(9),  # Nelson 2019, JOSPT 49:751: 9 items
    labels=(
        "Daily tasks",
        "Frustration",
        "Perceived recovery",
        "Pain during running",
        "Pain after running",
        "Weekly running volume",
        "Typical run distance",
        "Running pace",
        "Confidence to increase running",
    ),
    item_range=(0, 4),  # Nelson 2019, JOSPT 49:751: per-item 0–4 (verify)
    maximum=36,  # Nelson 2019, JOSPT 49:751: sum 0–36
    higher_is_better=True,
    mcid=8,  # Nelson 2020, JOSPT 50:702: MCID 8 (MIC 5, SEM 1.47)
    # Missing-item rule: none confirmed (DOMAIN.md "verify"), so every item is required.
    sources=("Nelson 2019, JOSPT 49:751", "Nelson 2020, JOSPT 50:702"),
)

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


# ------------------------------------------------------------------ what the editor shows
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
    return f"{points} / {maximum} = {_percent(points, maximum):.1f} % ({counts})"


def _running_mean(spec, points, answered, expected, notes) -> str:
    if not answered:
        return f"— ({'; '.join(['no activity rated', *notes])})"
    rated = f"{answered} {'activity' if answered == 1 else 'activities'} rated"
    mean = _round1(Decimal(points) / answered)
    return f"mean {mean:.1f} / {spec.maximum} ({'; '.join([rated, *notes])})"


_RUNNING_TEXT = {
    "all": _running_sum,
    "min_answered": _running_percent,
    "mean_of_rated": _running_mean,
}


def change_is_meaningful(measure: str, first: float, latest: float) -> bool | None:
    """Whether the change in the good direction reaches the measure's threshold; None if none.

    FAAM thresholds are in percentage points, so pass Score.percent for FAAM subscales.
    """
    spec = get_measure(measure)
    threshold = spec.meaningful_change
    if threshold is None:
        return None
    change = latest - first if spec.higher_is_better else first - latest
    # Rounded so that e.g. 70.3 - 62.3 (7.999999…) counts as the 8 points it is.
    return round(change, 6) >= threshold


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
    return Score(spec.code, total, spec.maximum, _percent(total, spec.maximum), True)


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
    percent = _percent(total, maximum)
    return Score(spec.code, total, maximum, percent, not missing, (), missing)


def _score_mean_of_rated(
    spec: Measure, values: dict[str, int], missing: tuple[str, ...], problems: list[str]
) -> Score:
    if not values and not problems:
        problems.append(f"no activity rated: {spec.code} needs at least one")
    if problems:
        return _unscored(spec, spec.maximum, missing, problems)
    rated = len(values)
    mean = _round1(Decimal(sum(values.values())) / rated)
    percent = _percent(sum(values.values()), rated * spec.item_range[1])
    return Score(spec.code, mean, spec.maximum, percent, True)


def _unscored(spec: Measure, maximum: int, missing: tuple[str, ...], problems: list[str]) -> Score:
    return Score(spec.code, None, maximum, None, False, tuple(problems), missing)


def _percent(total: int, maximum: int) -> float:
    return _round1(Decimal(total) * 100 / maximum)


def _round1(value: Decimal) -> float:
    """Round half up to one decimal (Python's round() would send 0.25 to 0.2)."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


_RULES: dict[str, Callable[[Measure, dict[str, int], tuple[str, ...], list[str]], Score]] = {
    "all": _score_all_required,
    "min_answered": _score_min_answered,
    "mean_of_rated": _score_mean_of_rated,
}
