"""Plan generation: findings of a signed evaluation + rule table + exercise library -> plan.

Pure and deterministic: no Django, no database, no clock, no randomness. The caller builds
``Findings`` from the signed evaluation and the library as plain data (``LibraryEntry``), so
the engine is testable on its own. The default rule table is ``plans/rules_data.py``.

What the engine decides (a clinician should review these; sources in DOMAIN.md):
- "femoral_neck_red_flag" is a hard stop: no items at all and a referral message (s.3).
- An exercise is left out, with the reason recorded, when the library marks it contraindicated
  for one of the patient's conditions or findings.
- Defence in depth: impact exercises (the library's ``impact``, an impact ``kind``, or one of
  ``ALWAYS_IMPACT``) are always left out with suspected bone stress, pain on hopping (a
  positive hop test counts as pain on hopping) or pain above 5; and, for a diagnosed bone
  stress injury, until the patient is in the return-to-run phase ("no plyometrics or running
  until cleared", Warden 2014, s.2).
- Flags derived here as well as taken from the caller: "pain_above_5" from ``pain_now`` > 5;
  per-area "lsi_below_90_<area>" (and "lsi_below_90", "weak_hip_abductors", "weak_calf") from
  ``Findings.lsi`` below 90 % (s.5); "limited_dorsiflexion" from knee-to-wall below the
  clinic's limit, which is off (None) by default because DOMAIN.md gives no threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from intake.diagnoses import CURATED_BY_KEY
from intake.measurements import LSI_THRESHOLD
from plans import catalogue

PHASES: tuple[str, ...] = ("protect", "strengthen", "return_to_run", "perform")
SIDES: tuple[str, ...] = ("left", "right", "both")
CONDITION_KEYS: frozenset[str] = frozenset(CURATED_BY_KEY)
BONE_STRESS_CONDITIONS: frozenset[str] = frozenset(
    {"bone_stress_tibia_fibula", "bone_stress_foot_ankle", "bone_stress_pelvis_femur"}
)
CLEARED_FOR_IMPACT_PHASES: frozenset[str] = frozenset({"return_to_run", "perform"})

# Measurement keys (intake/measurements.py) whose limb symmetry index speaks for each area.
LSI_AREAS: dict[str, tuple[str, ...]] = {
    # Measured quantities only: manual muscle test grades are ordinal (DOMAIN.md section 5).
    "hip_abductors": ("hhd_hip_abductors",),
    "hip_extensors": ("hhd_hip_extensors", "bridge_single_leg_reps"),
    "hip_external_rotators": ("hhd_hip_external_rotators",),
    "quadriceps": ("hhd_quadriceps",),
    "hamstrings": ("hhd_hamstrings",),
    "calf": ("hhd_calf", "calf_raises_reps"),
    "hop": ("hop_single_distance", "hop_triple_distance", "hop_6m_timed", "hop_single_count"),
    # No "balance": the Y-balance has its own cut-offs (y_balance_reach_low; Plisky 2006).
}
_WEAK_AREA_FLAGS = {"hip_abductors": "weak_hip_abductors", "calf": "weak_calf"}

# Finding keys -> words used in exclusion reasons (clinician- and patient-readable).
FLAGS: dict[str, str] = {
    "lsi_below_90": "a limb symmetry index below 90 %",
    **{f"lsi_below_90_{a}": f"{a.replace('_', ' ')} symmetry below 90 %" for a in LSI_AREAS},
    "weak_hip_abductors": "weak hip abductors",
    "weak_calf": "a weak calf",
    "limited_dorsiflexion": "limited ankle dorsiflexion",
    "low_cadence": "a step rate below target",
    "y_balance_reach_low": "a Y-balance reach past the injury cut-off",
    "positive_hop_test": "a positive hop test",
    "suspected_bone_stress": "a suspected bone stress injury",
    "femoral_neck_red_flag": "a suspected femoral neck bone stress injury",
    "pain_above_5": "pain above 5 out of 10",
    "hop_pain": "pain on hopping",
}
HARD_STOP_FLAG = "femoral_neck_red_flag"
IMPACT_EXCLUDING_FLAGS: frozenset[str] = frozenset(
    {"suspected_bone_stress", "hop_pain", "pain_above_5", "positive_hop_test"}
)
# Hops, jumps and running in the catalogue: impact whatever the library says (defence in depth).
ALWAYS_IMPACT: frozenset[str] = frozenset(
    {
        *("pogo_hops", "single_leg_hops", "forward_hops", "lateral_line_hops", "squat_jump"),
        *("a_skip", "high_knees", "butt_kicks", "strides", "metronome_run"),
    }
)
IMPACT_KINDS: frozenset[str] = frozenset({"plyometric", "plyometrics", "hop", "jump", "run"})

FEMORAL_NECK_BLOCK = (
    "No exercise plan: a femoral neck bone stress injury is suspected. This is a hard stop - "
    "no weight-bearing exercise. Refer urgently for MRI."
)
DEFAULT_MAX_ITEMS = 8
PLACEHOLDERS: frozenset[str] = frozenset({"side", "lsi", "cadence", "step_rate"})
# DOMAIN.md section 6 vocabulary; rule dosage overrides may only name these fields.
DOSAGE_FIELDS: frozenset[str] = frozenset(
    {
        *("sets", "reps", "hold_seconds", "load", "tempo", "rest_seconds", "sessions_per_day"),
        *("days_per_week", "frequency", "weeks", "side", "rpe", "pain_allowed", "progression"),
        *("notes", "schedule"),  # schedule: a plans.progressions key
    }
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDER_HELP = "use {side}, {lsi}, {cadence} or {step_rate}"
_SIDE_WORDS = {"left": "your left side", "right": "your right side", "both": "both sides"}
_CATALOGUE_POSITION = {key: i for i, key in enumerate(catalogue.KEYS)}


class UnknownExerciseError(ValueError):
    """A rule names an exercise that is not in the library."""

    def __init__(self, rule_key: str, exercise: str) -> None:
        self.rule_key, self.exercise = rule_key, exercise
        super().__init__(
            f'Rule "{rule_key}" names exercise "{exercise}", which is not in the exercise library.'
        )


class LibraryEntry(Protocol):
    """What the engine reads from one exercise of the library."""

    @property
    def key(self) -> str: ...
    @property
    def phase(self) -> Any: ...
    @property
    def kind(self) -> str: ...
    @property
    def impact(self) -> Any: ...
    @property
    def weight_bearing(self) -> bool: ...
    @property
    def contraindicated_conditions(self) -> frozenset[str]: ...
    @property
    def contraindicated_findings(self) -> frozenset[str]: ...
    @property
    def contraindicated_phases(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class LibraryFacts:
    """A plain LibraryEntry, for callers and tests that have no library object at hand."""

    key: str
    phase: Any = ""
    kind: str = ""
    impact: Any = False
    weight_bearing: bool = False
    contraindicated_conditions: frozenset[str] = frozenset()
    contraindicated_findings: frozenset[str] = frozenset()
    # condition key -> the phases its contraindication holds in; a condition not listed is
    # contraindicated in every phase.
    contraindicated_phases: Mapping[str, Any] = field(default_factory=dict, hash=False)


def _frozen_map(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Findings:
    """What a signed evaluation says, as the engine needs it (built by the caller)."""

    conditions: frozenset[str]  # curated condition keys (intake/diagnoses.py)
    side: str  # "left" | "right" | "both"
    pain_now: int | None  # NPRS 0-10
    phase: str  # one of PHASES
    flags: frozenset[str] = frozenset()  # keys of FLAGS
    cadence_target: tuple[int, int] | None = None  # metronome beats per minute (low, high)
    cadence_measured: int | None = None  # the step rate measured at the evaluation
    lsi: Mapping[str, Decimal] = field(default_factory=dict, hash=False)  # measurement key -> %
    knee_to_wall_cm: Decimal | None = None  # involved side (the smaller one when both)

    def __post_init__(self) -> None:
        object.__setattr__(self, "conditions", frozenset(self.conditions))
        object.__setattr__(self, "flags", frozenset(self.flags))
        lsi = {key: Decimal(str(value)) for key, value in (self.lsi or {}).items()}
        object.__setattr__(self, "lsi", MappingProxyType(lsi))
        problems = _findings_problems(self)
        if problems:
            raise ValueError("; ".join(problems))


def _findings_problems(f: Findings) -> list[str]:
    problems = []
    if f.side not in SIDES:
        problems.append(f"side must be one of {', '.join(SIDES)}, not {f.side!r}")
    if f.phase not in PHASES:
        problems.append(f"phase must be one of {', '.join(PHASES)}, not {f.phase!r}")
    if f.pain_now is not None and not (isinstance(f.pain_now, int) and 0 <= f.pain_now <= 10):
        problems.append(f"pain_now must be a whole number 0-10 or None, not {f.pain_now!r}")
    if unknown := sorted(f.conditions - CONDITION_KEYS):
        problems.append(f"unknown condition keys: {', '.join(unknown)}")
    if unknown := sorted(f.flags - FLAGS.keys()):
        problems.append(f"unknown finding flags: {', '.join(unknown)}")
    if f.cadence_target is not None and not (
        len(f.cadence_target) == 2 and 0 < f.cadence_target[0] <= f.cadence_target[1]
    ):
        problems.append(f"cadence_target must be (low, high), not {f.cadence_target!r}")
    return problems


@dataclass(frozen=True)
class Rule:
    """One line of the rule table: when these findings, propose this exercise, and why."""

    key: str
    exercise: str  # catalogue / library key
    reason: str  # may use {side} ("your left side"), {lsi} (needs lsi_area), {cadence},
    # {step_rate} (the measured one)
    source: str = "project default"
    when_conditions: frozenset[str] = frozenset()  # any of; empty = any patient
    when_flags: frozenset[str] = frozenset()  # all of
    phases: frozenset[str] = frozenset()  # empty = any phase
    priority: int = 100  # lower comes first
    dosage_overrides: Mapping[str, Any] = field(default_factory=dict, hash=False)
    lsi_area: str | None = None  # which LSI_AREAS entry {lsi} reports

    def __post_init__(self) -> None:
        for name in ("when_conditions", "when_flags", "phases"):
            value = getattr(self, name)
            object.__setattr__(self, name, frozenset([value] if isinstance(value, str) else value))
        object.__setattr__(self, "dosage_overrides", _frozen_map(self.dosage_overrides))


@dataclass(frozen=True)
class Candidate:
    """One proposed plan item; several rules may propose the same exercise."""

    exercise: str
    order: int  # 1-based position in the plan
    reasons: tuple[str, ...]
    dosage_overrides: Mapping[str, Any] = field(hash=False)
    priority: int = 0  # the best (lowest) priority of the rules that proposed it
    rule_keys: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class Exclusion(NamedTuple):
    exercise: str
    reason: str


@dataclass(frozen=True)
class GeneratedPlan:
    items: tuple[Candidate, ...]
    excluded: tuple[Exclusion, ...]
    blocked: str | None
    over_cap: tuple[Candidate, ...] = ()  # proposed and allowed, but beyond max_items
    flags: frozenset[str] = frozenset()  # the findings flags the rules were matched against


# ------------------------------------------------------------------------------ findings


def lowest_lsi(findings: Findings, area: str) -> Decimal | None:
    """The worst (lowest) symmetry index measured in an area of LSI_AREAS, else None."""
    values = [findings.lsi[key] for key in LSI_AREAS[area] if key in findings.lsi]
    return min(values) if values else None


def is_limited_dorsiflexion(knee_to_wall_cm: Decimal | None, limit_cm: Decimal | None) -> bool:
    """Knee-to-wall below the clinic's limit; always False while the limit is unset (None)."""
    if knee_to_wall_cm is None or limit_cm is None:
        return False
    return Decimal(str(knee_to_wall_cm)) < Decimal(str(limit_cm))


def effective_flags(
    findings: Findings, *, knee_to_wall_limit_cm: Decimal | None = None
) -> frozenset[str]:
    """The caller's flags plus those derived from pain, LSI and knee-to-wall."""
    flags = set(findings.flags)
    if findings.pain_now is not None and findings.pain_now > 5:
        flags.add("pain_above_5")
    if "positive_hop_test" in flags:  # the hop test is positive when hopping hurts
        flags.add("hop_pain")
    for area in LSI_AREAS:
        value = lowest_lsi(findings, area)
        if value is not None and value < LSI_THRESHOLD:
            flags.update({"lsi_below_90", f"lsi_below_90_{area}"})
            if area in _WEAK_AREA_FLAGS:
                flags.add(_WEAK_AREA_FLAGS[area])
    if is_limited_dorsiflexion(findings.knee_to_wall_cm, knee_to_wall_limit_cm):
        flags.add("limited_dorsiflexion")
    return frozenset(flags)


# ------------------------------------------------------------------------------ generation


def generate(
    findings: Findings,
    rules: Iterable[Rule],
    library: Mapping[str, LibraryEntry],
    *,
    max_items: int = DEFAULT_MAX_ITEMS,
    knee_to_wall_limit_cm: Decimal | None = None,
) -> GeneratedPlan:
    """Propose plan items for these findings; same input, same output."""
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    flags = effective_flags(findings, knee_to_wall_limit_cm=knee_to_wall_limit_cm)
    if HARD_STOP_FLAG in flags:
        return GeneratedPlan(items=(), excluded=(), blocked=FEMORAL_NECK_BLOCK, flags=flags)
    rules = tuple(rules)
    for rule in rules:
        if rule.exercise not in library:
            raise UnknownExerciseError(rule.key, rule.exercise)
    grouped: dict[str, list[Rule]] = {}
    for rule in sorted((r for r in rules if _applies(r, findings, flags)), key=_rule_order):
        grouped.setdefault(rule.exercise, []).append(rule)
    ordered = sorted(grouped, key=lambda ex: (grouped[ex][0].priority, _exercise_order(ex)))
    items: list[Candidate] = []
    excluded: list[Exclusion] = []
    for exercise in ordered:
        why = exclusion_reason(library[exercise], findings, flags)
        if why:
            excluded.append(Exclusion(exercise, why))
        else:
            items.append(_candidate(exercise, grouped[exercise], findings, len(items) + 1))
    return GeneratedPlan(
        items=tuple(items[:max_items]),
        excluded=tuple(excluded),
        blocked=None,
        over_cap=tuple(items[max_items:]),
        flags=flags,
    )


def _rule_order(rule: Rule) -> tuple:
    return (rule.priority, rule.key, rule.exercise, rule.reason, rule.source)


def _exercise_order(exercise: str) -> tuple[int, str]:
    return (_CATALOGUE_POSITION.get(exercise, len(_CATALOGUE_POSITION)), exercise)


def _applies(rule: Rule, findings: Findings, flags: frozenset[str]) -> bool:
    return (
        (not rule.when_conditions or bool(rule.when_conditions & findings.conditions))
        and rule.when_flags <= flags
        and (not rule.phases or findings.phase in rule.phases)
    )


def is_impact(entry: LibraryEntry) -> bool:
    """Impact per the library, its kind, or ALWAYS_IMPACT (whichever says so)."""
    value = entry.impact
    if isinstance(value, str):
        value = value.strip().lower() not in {"", "none", "no", "false", "0"}
    kind = (entry.kind or "").strip().lower()
    return bool(value) or kind in IMPACT_KINDS or entry.key in ALWAYS_IMPACT


def contraindicated_now(entry: LibraryEntry, condition: str, phase: str) -> bool:
    """The library rules this exercise out for the condition in this phase: a contraindication
    may belong to phases only (impact while a bone stress injury is protected and strengthened,
    then the point of return to run; Warden 2014, DOMAIN.md s.2; hip flexion under load in
    proximal hamstring tendinopathy's first stage only, Goom 2016)."""
    if condition not in entry.contraindicated_conditions:
        return False
    phases = (entry.contraindicated_phases or {}).get(condition)
    return not phases or phase in phases


def exclusion_reason(entry: LibraryEntry, findings: Findings, flags: frozenset[str]) -> str:
    """Why this exercise must be left out for these findings; "" when it may be used."""
    parts = []
    for key in sorted(findings.conditions):
        if not contraindicated_now(entry, key, findings.phase):
            continue
        name = CURATED_BY_KEY[key].name.lower()
        if (entry.contraindicated_phases or {}).get(key):
            phase = findings.phase.replace("_", " ")
            parts.append(f"Not advised with {name} in the {phase} phase (exercise library).")
        else:
            parts.append(f"Not advised with {name} (exercise library).")
    for key in sorted(set(entry.contraindicated_findings) & flags):
        parts.append(f"Not advised with {FLAGS.get(key, key)} (exercise library).")
    if is_impact(entry):
        triggers = [FLAGS[key] for key in sorted(IMPACT_EXCLUDING_FLAGS & flags)]
        if triggers:
            parts.append(f"Impact exercise: left out because of {' and '.join(triggers)}.")
        if findings.conditions & BONE_STRESS_CONDITIONS and (
            findings.phase not in CLEARED_FOR_IMPACT_PHASES
        ):
            parts.append(
                "Impact exercise: no hopping or running with a bone stress injury until "
                "cleared (return-to-run phase)."
            )
    return " ".join(parts)


def _candidate(exercise: str, rules: Sequence[Rule], findings: Findings, order: int) -> Candidate:
    reasons: list[str] = []
    dosage: dict[str, Any] = {}
    for rule in rules:  # already in _rule_order: the first rule wins each dosage field
        text = render(rule.reason, rule, findings)
        if text not in reasons:
            reasons.append(text)
        for name, value in rule.dosage_overrides.items():
            if name not in dosage:
                dosage[name] = render(value, rule, findings) if isinstance(value, str) else value
    if exercise in catalogue.SIDE_LYING and "gluteal_tendinopathy" in findings.conditions:
        note = catalogue.side_lying_note(findings.side)
        dosage["notes"] = f"{note} {dosage['notes']}" if dosage.get("notes") else note
    return Candidate(
        exercise=exercise,
        order=order,
        reasons=tuple(reasons),
        dosage_overrides=MappingProxyType(dosage),
        priority=rules[0].priority,
        rule_keys=tuple(rule.key for rule in rules),
        sources=tuple(dict.fromkeys(rule.source for rule in rules)),
    )


def _whole_percent(value: Decimal) -> str:
    """Whole percent rounded down: a leg flagged below 90 % never reads "90 %" (89.6 -> 89)."""
    return f"{value.quantize(Decimal('1'), rounding=ROUND_FLOOR):f} %"


def render(text: str, rule: Rule, findings: Findings) -> str:
    """Fill {side}, {lsi}, {cadence} and {step_rate}; other brace text is left as written."""
    lsi = lowest_lsi(findings, rule.lsi_area) if rule.lsi_area in LSI_AREAS else None
    cadence = findings.cadence_target
    measured = findings.cadence_measured
    values = {
        "side": _SIDE_WORDS[findings.side],
        # Patients read the reasons: a rounded share of the other leg, not "LSI 75.6 %".
        "lsi": "not measured"
        if lsi is None
        else f"{_whole_percent(lsi)} as strong as the other leg",
        "cadence": (
            f"{cadence[0]}–{cadence[1]} steps per minute"
            if cadence
            else "the step rate your clinician sets"
        ),
        "step_rate": f"{measured} steps per minute" if measured else "not measured",
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# ------------------------------------------------------------------------------ validation


def validate_rules(rules: Iterable[Rule], library_keys: Iterable[str]) -> list[str]:
    """Human-readable problems of a rule table, for the admin form; never raises."""
    known = frozenset(library_keys)
    problems: list[str] = []
    seen: set[str] = set()
    for rule in rules:
        if rule.key in seen:
            problems.append(f'Rule "{rule.key}": the key is used by more than one rule.')
        seen.add(rule.key)
        name = rule.key or "(no key)"
        problems.extend(f'Rule "{name}": {p}' for p in _rule_problems(rule, known))
    return problems


def _rule_problems(rule: Rule, known: frozenset[str]) -> list[str]:
    problems = []
    if not rule.key.strip():
        problems.append("the rule has no key.")
    if rule.exercise not in known:
        problems.append(f'unknown exercise "{rule.exercise}" (not in the exercise library).')
    for label, values, vocabulary in (
        ("condition", rule.when_conditions, CONDITION_KEYS),
        ("finding flag", rule.when_flags, FLAGS.keys()),
        ("phase", rule.phases, PHASES),
    ):
        problems.extend(f'unknown {label} "{v}".' for v in sorted(set(values) - set(vocabulary)))
    if HARD_STOP_FLAG in rule.when_flags:
        problems.append(f'never applies: "{HARD_STOP_FLAG}" stops plan generation.')
    problems.extend(_text_problems(rule))
    if not rule.source.strip():
        problems.append(
            'the source is empty (cite the published source or write "project default").'
        )
    for name in sorted(set(rule.dosage_overrides) - DOSAGE_FIELDS):
        problems.append(f'unknown dosage field "{name}".')
    if rule.lsi_area is not None and rule.lsi_area not in LSI_AREAS:
        problems.append(f'unknown LSI area "{rule.lsi_area}".')
    return problems


def _text_problems(rule: Rule) -> list[str]:
    if not rule.reason.strip():
        return ["the reason is empty: say why, naming the finding or diagnosis."]
    problems = []
    texts = [rule.reason, *(v for v in rule.dosage_overrides.values() if isinstance(v, str))]
    for text in texts:
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                problems.append(f'unknown placeholder "{{{name}}}" ({_PLACEHOLDER_HELP}).')
        rest = _PLACEHOLDER.sub("", text)
        if "{" in rest or "}" in rest:
            problems.append("unmatched { or } in the text.")
    if "{lsi}" in rule.reason and rule.lsi_area is None:
        problems.append("the reason uses {lsi} but the rule names no LSI area.")
    return problems
