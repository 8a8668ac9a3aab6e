"""The seeded exercise library: what each catalogue exercise is, how it is dosed, and when
it must not be given. Pure Python data, no Django.

Sources: /work/shared/DOMAIN.md (s.2 conditions, s.3 red flags, s.4 return to running,
s.5 gait, s.6 dosage vocabulary). A value taken from a published protocol that DOMAIN.md
quotes carries that citation in a comment; every other value is marked "project default"
(a choice of this project, to be reviewed by a clinician) and claims no source.

Patient texts (instructions, cues, mistakes) are written by this project in plain words.

Decisions that hold for the whole library (a clinician should review them):

* ``weight_bearing`` is True when body weight or an added load is carried through a leg to
  the floor, a bench or a machine: standing, upright kneeling (the thigh bone carries the
  trunk), planks held up on the feet or knees, the loaded hip thrust and the leg press. It
  is False for lying on the back or side with the shoulders down (bridges, clamshell,
  dead bug), and for seated foot work. The seated calf raise is False: its load rests on
  the knees, so the hip carries none. Every weight-bearing exercise lists the finding
  "femoral_neck_red_flag" (DOMAIN.md s.3: no weight-bearing exercise at all).
* ``impact`` is True for anything with a flight phase or running. Every impact exercise
  lists the findings "suspected_bone_stress", "pain_above_5" and "hop_pain" and the three
  bone-stress conditions (DOMAIN.md s.2: "no plyometrics or running until cleared"), the
  conditions for the protect and strengthen phases only: graded hopping and running at the
  walk-run stage are the point of the return-to-run and perform phases (Warden 2014).
* An exercise never lists a condition both in ``conditions`` (used for) and in its
  contraindications.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.catalogue import KEYS, NAMES

__all__ = [
    "BONE_STRESS_CONDITIONS",
    "CONDITION_KEYS",
    "EQUIPMENT",
    "FINDINGS",
    "KINDS",
    "LIBRARY",
    "LOADS",
    "PHASES",
    "REGIONS",
    "SIDES",
    "Contraindications",
    "Dosage",
    "ExerciseData",
    "dosage_sentence",
]

# ------------------------------------------------------------------ vocabularies

REGIONS: tuple[str, ...] = (
    "hip",
    "knee",
    "thigh",
    "calf",
    "achilles",
    "ankle",
    "foot",
    "trunk",
    "whole_body",
)
EQUIPMENT: tuple[str, ...] = (
    *("none", "band", "step", "wall", "chair", "box", "weights", "backpack", "machine"),
    *("towel", "cushion", "slider", "metronome", "line"),
)
PHASES: tuple[str, ...] = ("protect", "strengthen", "return_to_run", "perform")
KINDS: tuple[str, ...] = ("isotonic", "isometric", "plyometric", "stretch", "balance", "drill")
LOADS: tuple[str, ...] = ("bodyweight", "kg", "band", "backpack", "nRM", "RPE")
SIDES: tuple[str, ...] = ("left", "right", "both", "each")
FINDINGS: tuple[str, ...] = (
    "suspected_bone_stress",  # no hopping, plyometrics or running (DOMAIN.md s.2)
    "femoral_neck_red_flag",  # no weight-bearing exercise at all (DOMAIN.md s.3)
    "pain_above_5",  # current pain > 5/10: no impact (project rule)
    "hop_pain",  # pain on hopping: no impact (project rule)
)
# The curated condition keys of intake/diagnoses.py (CURATED); a test keeps them equal.
CONDITION_KEYS: tuple[str, ...] = (
    "patellofemoral_pain",
    "iliotibial_band_syndrome",
    "achilles_midportion",
    "achilles_insertional",
    "medial_tibial_stress_syndrome",
    "bone_stress_tibia_fibula",
    "bone_stress_foot_ankle",
    "bone_stress_pelvis_femur",
    "plantar_heel_pain",
    "gluteal_tendinopathy",
    "hip_labral_tear",
    "proximal_hamstring_tendinopathy",
)
BONE_STRESS_CONDITIONS: tuple[str, ...] = (
    "bone_stress_tibia_fibula",
    "bone_stress_foot_ankle",
    "bone_stress_pelvis_femur",
)

# Short names for the condition keys, used in the entries below.
PFP = "patellofemoral_pain"
ITBS = "iliotibial_band_syndrome"
ACH = "achilles_midportion"
ACI = "achilles_insertional"
MTSS = "medial_tibial_stress_syndrome"
BST = "bone_stress_tibia_fibula"
BSF = "bone_stress_foot_ankle"
BSP = "bone_stress_pelvis_femur"
PHP = "plantar_heel_pain"
GT = "gluteal_tendinopathy"
LAB = "hip_labral_tear"
PHT = "proximal_hamstring_tendinopathy"


# ------------------------------------------------------------------ data classes


@dataclass(frozen=True)
class Dosage:
    """One exercise's dose in DOMAIN.md s.6 terms.

    ``load_value`` goes with ``load``: "" for bodyweight; kilograms ("6") for kg; a band
    colour or strength ("red", "light") for band; kilograms or a word for backpack;
    "15RM" (or "15") for nRM; "0"-"10" for RPE. ``tempo`` is "up-hold-down" in seconds
    ("3-2-3"), or "". ``notes`` is plain text shown with the dosage; when neither ``reps``
    nor ``hold_seconds`` is set (an easy run), the notes say what to do and lead the
    dosage sentence.
    """

    sets: int
    reps: int | None
    hold_seconds: int | None
    load: str
    load_value: str
    tempo: str
    rest_seconds: int | None
    sessions_per_day: int
    days_per_week: int
    side: str
    weeks: int | None
    pain_allowed: int | None
    notes: str


@dataclass(frozen=True)
class Contraindications:
    """Curated condition keys and finding keys (FINDINGS) that rule the exercise out.

    ``phases`` scopes a condition to phases: (condition, phases) pairs, the contraindication
    holding only in those phases; a condition not named there holds in every phase.
    """

    conditions: tuple[str, ...]
    findings: tuple[str, ...]
    phases: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class ExerciseData:
    key: str
    name: str
    instructions: str  # 2-5 short sentences for the patient
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    region: str
    tissues: tuple[str, ...]
    equipment: tuple[str, ...]
    difficulty: int  # 1 easy, 2, 3 hard
    phase: str
    kind: str
    impact: bool
    weight_bearing: bool
    default_dosage: Dosage
    contraindications: Contraindications
    regressions: tuple[str, ...]  # easier catalogue keys
    progressions: tuple[str, ...]  # harder catalogue keys
    conditions: tuple[str, ...]  # curated condition keys this exercise is commonly used for

    # The names plans/rules.py reads (its LibraryEntry protocol).
    @property
    def contraindicated_conditions(self) -> frozenset[str]:
        return frozenset(self.contraindications.conditions)

    @property
    def contraindicated_findings(self) -> frozenset[str]:
        return frozenset(self.contraindications.findings)

    @property
    def contraindicated_phases(self) -> dict[str, tuple[str, ...]]:
        return dict(self.contraindications.phases)


# ------------------------------------------------------------------ dosage sentence


def dosage_sentence(d: Dosage) -> str:
    """The dosage as one plain sentence for the patient.

    "3 sets of 15, twice a day, every day — slowly, 3 seconds down."
    "Each leg: hold for 45 seconds, 5 times, once a day, every day; rest 60 seconds
    between holds; some discomfort is fine, up to 3 out of 10."

    Order: side, what to do (sets and reps, or hold time and count; the notes when there are
    neither) with the load, effort, how often (sessions a day, days a week, weeks), then "—"
    the tempo, then "; " the rest between sets and the pain allowed. Sessions per day are
    always said ("once a day"). Notes beside reps or a hold follow as their own sentence
    ("Count every landing.").
    Raises ValueError for a dosage outside the vocabulary.
    """
    _check(d)
    load = _load_words(d)
    parts: list[str] = []
    if d.reps is not None:
        first = f"{d.sets} sets of {d.reps}" if d.sets > 1 else _times(d.reps)
        parts.append(f"{first} {load}" if load else first)
        if d.hold_seconds is not None:
            parts.append(f"holding each for {_duration(d.hold_seconds)}")
    elif d.hold_seconds is not None:
        first = f"hold for {_duration(d.hold_seconds)}"
        parts.append(f"{first} {load}" if load else first)
        if d.sets > 1:
            parts.append(_times(d.sets))
    else:
        first = d.notes.strip().rstrip(".")
        parts.append(f"{first} {load}" if load else first)
    if d.load == "RPE":
        parts.append(f"effort about {int(d.load_value)} out of 10")
    parts.append(_per_day(d.sessions_per_day))
    days = _per_week(d.days_per_week)
    if d.weeks is not None:
        days += f" for {d.weeks} week{'s' if d.weeks != 1 else ''}"
    parts.append(days)
    text = ", ".join(parts)
    if d.tempo:
        text += f" — {_tempo_words(d.tempo)}"
    extras = [text]
    rest = _rest_words(d)
    if rest:
        extras.append(rest)
    if d.pain_allowed is not None:
        extras.append(
            "it should not hurt at all"
            if d.pain_allowed == 0
            else f"some discomfort is fine, up to {d.pain_allowed} out of 10"
        )
    text = "; ".join(extras)
    prefix = {"each": "Each leg: ", "left": "Left leg only: ", "right": "Right leg only: "}
    if d.side in prefix:
        text = prefix[d.side] + text[0].lower() + text[1:]
    else:
        text = text[0].upper() + text[1:]
    text += "."
    note = d.notes.strip()
    if note and (d.reps is not None or d.hold_seconds is not None):
        # With reps or a hold the notes are not the exercise itself but how to progress or
        # count it ("Add weight ... once pain-free."): a sentence of their own after the dose.
        text += f" {note[0].upper()}{note[1:]}{'' if note.endswith(('.', '!', '?')) else '.'}"
    return text


_TEMPO = re.compile(r"^(\d+)-(\d+)-(\d+)$")
_RM = re.compile(r"^(\d+)(?:RM)?$", re.IGNORECASE)


def _check(d: Dosage) -> None:
    problems = []
    if d.sets < 1:
        problems.append("sets must be at least 1")
    if d.reps is not None and d.reps < 1:
        problems.append("reps must be at least 1")
    if d.hold_seconds is not None and d.hold_seconds < 1:
        problems.append("hold_seconds must be at least 1")
    if d.reps is None and d.hold_seconds is None and not d.notes.strip():
        problems.append("a dosage needs reps, hold_seconds or notes saying what to do")
    if d.load not in LOADS:
        problems.append(f"unknown load {d.load!r}")
    if d.load == "nRM" and not _RM.match(d.load_value):
        problems.append(f"nRM load needs a value like '12RM', not {d.load_value!r}")
    if d.load == "RPE" and not (d.load_value.isdigit() and 0 <= int(d.load_value) <= 10):
        problems.append(f"RPE load needs a value 0-10, not {d.load_value!r}")
    if d.load == "kg" and not _is_number(d.load_value):
        problems.append(f"kg load needs a number, not {d.load_value!r}")
    if d.tempo and not (_TEMPO.match(d.tempo) and any(int(p) for p in d.tempo.split("-"))):
        problems.append(f"tempo must look like '3-2-3', not {d.tempo!r}")
    if d.sessions_per_day < 1:
        problems.append("sessions_per_day must be at least 1")
    if not 1 <= d.days_per_week <= 7:
        problems.append("days_per_week must be 1-7")
    if d.side not in SIDES:
        problems.append(f"unknown side {d.side!r}")
    if d.weeks is not None and d.weeks < 1:
        problems.append("weeks must be at least 1")
    if d.pain_allowed is not None and not 0 <= d.pain_allowed <= 10:
        problems.append("pain_allowed must be 0-10")
    if d.rest_seconds is not None and d.rest_seconds < 0:
        problems.append("rest_seconds must not be negative")
    if problems:
        raise ValueError("; ".join(problems))


def _is_number(value: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", value) is not None


def _load_words(d: Dosage) -> str:
    """The load as words that follow "3 sets of 12" ("" for bodyweight and RPE)."""
    value = d.load_value.strip()
    if d.load == "kg":
        return f"with {value} kg"
    if d.load == "band":
        return f"with a {value} band" if value else "with a band"
    if d.load == "backpack":
        if _is_number(value):
            return f"wearing a backpack with {value} kg in it"
        return f"wearing a {value} backpack" if value else "wearing a backpack"
    if d.load == "nRM":
        match = _RM.match(value)
        assert match is not None  # checked in _check
        return f"with a weight you can lift {int(match.group(1))} times"
    return ""


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _per_day(n: int) -> str:
    return f"{_times(n)} a day"


def _per_week(n: int) -> str:
    if n == 7:
        return "every day"
    if n == 1:
        return "once a week"
    return f"{n} days a week"


def _duration(seconds: int) -> str:
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _tempo_words(tempo: str) -> str:
    up, hold, down = (int(p) for p in tempo.split("-"))
    words = [
        f"{_duration(n)} {phase}"
        for n, phase in ((up, "up"), (hold, "hold"), (down, "down"))
        if n > 0
    ]
    return f"slowly, {words[0]}" if len(words) == 1 else ", ".join(words)


def _rest_words(d: Dosage) -> str:
    if not d.rest_seconds:
        return ""
    rest = _duration(d.rest_seconds)
    if d.sets > 1:
        between = "holds" if d.reps is None and d.hold_seconds is not None else "sets"
        return f"rest {rest} between {between}"
    if d.reps is not None and d.reps > 1:
        return f"rest {rest} between each one"
    return ""


# ------------------------------------------------------------------ dosage helpers
# Every default value of these two helpers is a project default (not from DOMAIN.md):
# 1 session a day, rest 60 s, pain allowed 3/10 (the 0-3/10 "fine" band that DOMAIN.md
# s.4 gives for running, borrowed for exercise), no program length.


def _reps(
    sets: int,
    reps: int,
    *,
    days: int,
    side: str = "both",
    hold: int | None = None,
    load: str = "bodyweight",
    load_value: str = "",
    tempo: str = "",
    rest: int | None = 60,
    per_day: int = 1,
    weeks: int | None = None,
    pain: int | None = 3,
    notes: str = "",
) -> Dosage:
    return Dosage(
        sets=sets,
        reps=reps,
        hold_seconds=hold,
        load=load,
        load_value=load_value,
        tempo=tempo,
        rest_seconds=rest,
        sessions_per_day=per_day,
        days_per_week=days,
        side=side,
        weeks=weeks,
        pain_allowed=pain,
        notes=notes,
    )


def _hold(
    times: int,
    seconds: int,
    *,
    days: int,
    side: str = "both",
    load: str = "bodyweight",
    load_value: str = "",
    rest: int | None = 60,
    pain: int | None = 3,
    notes: str = "",
) -> Dosage:
    return Dosage(
        sets=times,
        reps=None,
        hold_seconds=seconds,
        load=load,
        load_value=load_value,
        tempo="",
        rest_seconds=rest,
        sessions_per_day=1,
        days_per_week=days,
        side=side,
        weeks=None,
        pain_allowed=pain,
        notes=notes,
    )


# ACSM 2009 (DOMAIN.md s.6): novices 8-12RM, 2-3 days/week. 12RM and 2 days a week (the
# low end: runners also run) are taken inside that range; 3 sets and 90 s rest are project
# defaults.
def _acsm(reps: int = 12, *, side: str = "both") -> Dosage:
    return _reps(
        3,
        reps,
        days=2,
        side=side,
        load="nRM",
        load_value=f"{reps}RM",
        rest=90,
        notes="Add a little weight once you can do 1 or 2 more than the target.",  # ACSM 2009
    )


# Protocol dosages quoted in DOMAIN.md s.2.

# Alfredson eccentric heel drops, straight and bent knee: 3 x 15, twice a day, 7 days a week,
# load added once pain-free (DOMAIN.md s.2). Not from DOMAIN.md (project defaults): the
# 3 s lowering tempo, rest 60 s, pain allowed 3/10, side "each" (the plan picks the leg);
# DOMAIN.md gives no program length, so weeks is None.
ALFREDSON = Dosage(
    sets=3,  # Alfredson (DOMAIN.md s.2)
    reps=15,  # Alfredson (DOMAIN.md s.2)
    hold_seconds=None,
    load="bodyweight",
    load_value="",
    tempo="0-0-3",  # project default
    rest_seconds=60,  # project default
    sessions_per_day=2,  # Alfredson: twice daily (DOMAIN.md s.2)
    days_per_week=7,  # Alfredson: 7 days/week (DOMAIN.md s.2)
    side="each",  # project default
    weeks=12,  # Alfredson 1998, AJSM 26:360 (DOMAIN.md s.2)
    pain_allowed=3,  # project default
    notes="Add weight in a backpack once the exercise is pain-free.",  # DOMAIN.md s.2
)

# Heavy slow resistance (Beyer 2015, AJSM 43:1704; DOMAIN.md s.2): 3 x/week, 3 s up 3 s
# down, 15RM -> 12RM -> 10RM -> 8RM -> 6RM over 12 weeks; the default is the start (15RM).
# Not from DOMAIN.md (project defaults): 3 sets, rest 2 min, pain allowed 3/10.
HSR = Dosage(
    sets=3,  # Beyer 2015: week 1 3x15RM (then 4 sets from week 4: plans/progressions.py)
    reps=15,  # Beyer 2015: start at 15RM
    hold_seconds=None,
    load="nRM",
    load_value="15RM",  # Beyer 2015
    tempo="3-0-3",  # Beyer 2015: 3 s up, 3 s down
    rest_seconds=150,  # Beyer 2015: 2-3 min
    sessions_per_day=1,
    days_per_week=3,  # Beyer 2015: 3 x/week
    side="both",  # project default
    weeks=12,  # Beyer 2015: over 12 weeks
    pain_allowed=3,  # project default
    notes=(
        "Use a heavier weight as the weeks go on: one you can lift 15 times, then 12, 10, "
        "8 and finally 6 times, with 4 sets from week 4, over 12 weeks."
    ),  # Beyer 2015 (DOMAIN.md s.2)
)

# High-load heel raise with a towel under the toes (Rathleff 2015; DOMAIN.md s.2): every 2nd
# day, 3 s up / 2 s hold / 3 s down, 12RM -> 10RM -> 8RM. "Every 2nd day" is 3.5 days a
# week; days_per_week is 3, not 4: on a fixed weekly timetable 4 days always puts two
# sessions on back-to-back days, 3 (for example Mon/Wed/Fri) keeps a rest day after every
# session; the patient is told that one way ("3 days a week, a rest day after each"), never
# both. Not from DOMAIN.md (project defaults): rest 90 s, pain allowed 3/10.
RATHLEFF = Dosage(
    sets=3,  # Rathleff 2015: 3x12RM, then 4x10RM, 5x8RM (plans/progressions.py)
    reps=12,  # Rathleff 2015: start at 12RM
    hold_seconds=None,
    load="nRM",
    load_value="12RM",  # Rathleff 2015
    tempo="3-2-3",  # Rathleff 2015: 3 s up, 2 s hold, 3 s down
    rest_seconds=90,  # project default
    sessions_per_day=1,
    days_per_week=3,  # Rathleff 2015 "every 2nd day"; 3 not 4, see above
    side="each",  # project default (the plan picks the leg)
    weeks=13,  # Rathleff 2015: 3 months (plans.progressions.RATHLEFF_WEEKS)
    pain_allowed=3,  # project default
    notes=(
        "Keep a rest day after each session. Add weight in a backpack as it gets easier: "
        "first a weight you can lift 12 times, then 10, then 8."
    ),  # Rathleff 2015 (DOMAIN.md s.2)
)

# Isometric holds for which DOMAIN.md gives no hold time: 5 x 45 s, rest 60 s, every day.
ISOMETRIC_HOLD_TIMES, ISOMETRIC_HOLD_SECONDS = 5, 45  # project default, not from DOMAIN.md


def _isometric(*, side: str) -> Dosage:
    return _hold(ISOMETRIC_HOLD_TIMES, ISOMETRIC_HOLD_SECONDS, days=7, side=side)


# ------------------------------------------------------------------ contraindications

NO_CONTRAINDICATIONS = Contraindications(conditions=(), findings=())
# Weight-bearing: DOMAIN.md s.3, suspected femoral neck bone stress, no weight-bearing exercise.
WEIGHT_BEARING = Contraindications(conditions=(), findings=("femoral_neck_red_flag",))
# Impact (always weight-bearing here): DOMAIN.md s.2 bone stress "no plyometrics or running
# until cleared", s.3 femoral neck; pain above 5/10 or on hopping (project rule).
# The bone stress block belongs to the protect and strengthen phases: from return to run on,
# graded impact is the treatment (bone loading, running at the walk-run stage; Warden 2014,
# JOSPT 44:749, DOMAIN.md s.2). A suspected (not yet diagnosed) one keeps impact out always.
BEFORE_RUNNING = ("protect", "strengthen")
IMPACT = Contraindications(
    conditions=BONE_STRESS_CONDITIONS,
    findings=("suspected_bone_stress", "femoral_neck_red_flag", "pain_above_5", "hop_pain"),
    phases=tuple((c, BEFORE_RUNNING) for c in BONE_STRESS_CONDITIONS),
)
# Gluteal tendinopathy: avoid hip adduction and compression of the outer-hip tendons
# (LEAP trial, Mellor 2018, BMJ 361:k1662; DOMAIN.md s.2).
WB_AVOID_IN_GT = Contraindications(conditions=(GT,), findings=("femoral_neck_red_flag",))
NWB_AVOID_IN_GT = Contraindications(conditions=(GT,), findings=())
# Proximal hamstring tendinopathy: avoid compressive positions, deep hip flexion with the
# hamstrings on stretch, while the tendon is settled and first strengthened (isometrics,
# then loading with the hip kept straight); heavy loading into more hip flexion - single-leg
# deadlift, Nordic curls - is the later stage, before and with running (Goom 2016, JOSPT
# 46:483; DOMAIN.md s.2: "not forbidden for the condition").
WB_AVOID_IN_PHT = Contraindications(
    conditions=(PHT,), findings=("femoral_neck_red_flag",), phases=((PHT, BEFORE_RUNNING),)
)
# Insertional Achilles tendinopathy: never below step level - dorsiflexion compresses the
# insertion (Jonsson 2008, BJSM 42:746; DOMAIN.md s.2).
BELOW_STEP = Contraindications(conditions=(ACI,), findings=("femoral_neck_red_flag",))


# ------------------------------------------------------------------ the library


def _e(key: str, **fields: object) -> ExerciseData:
    return ExerciseData(key=key, name=NAMES[key], **fields)  # type: ignore[arg-type]


_ENTRIES: tuple[ExerciseData, ...] = (
    # ---------------------------------------------------------------- hip and trunk
    _e(
        "glute_bridge",
        instructions=(
            "Lie on your back with your knees bent and feet flat. "
            "Push through your heels and lift your hips until your body is straight "
            "from shoulders to knees. "
            "Pause, then lower slowly."
        ),
        cues=("Squeeze your bottom at the top", "Keep your ribs down"),
        mistakes=("Arching your lower back", "Pushing through your toes"),
        region="hip",
        tissues=("gluteus maximus", "hamstrings"),
        equipment=("none",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # lying on the back
        default_dosage=_reps(3, 12, days=3),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=(),
        progressions=("single_leg_bridge", "hip_thrust"),
        # BSP: non-weight-bearing hip work while the bone heals (project judgement).
        conditions=(PFP, ITBS, GT, LAB, PHT, BSP),
    ),
    _e(
        "single_leg_bridge",
        instructions=(
            "Lie on your back with your knees bent and feet flat. "
            "Lift one foot and hold that knee up over your hip. "
            "Push through the other heel to lift your hips, then lower slowly."
        ),
        cues=("Keep your hips level", "Squeeze your bottom at the top"),
        mistakes=("One hip dropping lower than the other", "Arching your lower back"),
        region="hip",
        tissues=("gluteus maximus", "gluteus medius", "hamstrings"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # lying on the back
        default_dosage=_reps(3, 10, days=3, side="each"),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=("glute_bridge",),
        progressions=(),
        conditions=(PFP, ITBS, GT, LAB),
    ),
    _e(
        "hamstring_bridge",
        instructions=(
            "Lie on your back and rest your heels on a step, with your knees a little bent. "
            "Press your heels down into the step and lift your hips. "
            "Lower slowly and repeat."
        ),
        cues=("Press your heels down, not toward you", "Keep your knees a little bent"),
        mistakes=("Letting your hips sag", "Arching your lower back"),
        region="thigh",
        tissues=("hamstrings", "gluteus maximus"),
        equipment=("step",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # lying on the back
        default_dosage=_reps(3, 10, days=3),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=("isometric_hamstring_bridge",),
        progressions=("slider_hamstring_curl",),
        # PHT: the hip stays straight, so no compression at the sit bone (Goom 2016 isotonic
        # stage after isometrics, DOMAIN.md s.2).
        conditions=(PHT,),
    ),
    _e(
        "hip_thrust",
        instructions=(
            "Sit on the floor with your upper back against a sturdy bench or box. "
            "Rest a weight across your hips and hold it steady. "
            "Push through your heels and lift your hips until your body is flat like a table. "
            "Lower slowly."
        ),
        cues=(
            "Tuck your chin and look forward",
            "Squeeze your bottom at the top",
            "Shins straight up and down at the top",
        ),
        mistakes=("Arching your lower back at the top", "Feet too far from the bench"),
        region="hip",
        tissues=("gluteus maximus", "hamstrings"),
        equipment=("box", "weights"),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,  # the weight on the hips is carried through the thighs to the feet
        default_dosage=_acsm(12),  # ACSM 2009 (DOMAIN.md s.6), see _acsm
        contraindications=WEIGHT_BEARING,
        regressions=("glute_bridge",),
        progressions=(),
        # PHT: heavy isotonic with the hip near straight (Goom 2016, DOMAIN.md s.2).
        conditions=(PFP, GT, LAB, PHT),
    ),
    _e(
        "clamshell",
        instructions=(
            "Lie on your side with your hips and knees bent and a pillow between your knees. "
            "Keep your feet together. "
            "Lift your top knee as far as you can without rolling your body back. "
            "Lower slowly."
        ),
        cues=("Keep your top hip stacked over the bottom one", "Move slowly both ways"),
        mistakes=("Rolling your body backwards", "Letting your feet come apart"),
        region="hip",
        tissues=("gluteus medius", "deep hip rotators"),
        equipment=("cushion",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # side-lying
        default_dosage=_reps(3, 15, days=3, side="each"),  # project default
        # GT: allowed, with the pillow between the knees so the top hip does not sit in
        # adduction (LEAP, Mellor 2018: avoid adduction/compression). Project judgement.
        contraindications=NO_CONTRAINDICATIONS,
        regressions=(),
        progressions=("side_lying_hip_abduction", "lateral_band_walk"),
        conditions=(ITBS, PFP, GT, BSP),
    ),
    _e(
        "side_lying_hip_abduction",
        instructions=(
            "Lie on your side with your bottom knee bent and your top leg straight. "
            "Lift the top leg up and a little behind you, leading with your heel. "
            "Lower it slowly."
        ),
        cues=("Lead with your heel", "Keep your body in one straight line"),
        mistakes=("Swinging your leg forward", "Rolling your hips back"),
        region="hip",
        tissues=("gluteus medius", "gluteus minimus"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # side-lying
        default_dosage=_reps(3, 12, days=3, side="each"),  # project default
        # GT: the top leg starts hanging across the bottom one (adduction) and lifts the whole
        # leg's weight from there: avoid (LEAP, Mellor 2018). Project judgement.
        contraindications=NWB_AVOID_IN_GT,
        regressions=("clamshell",),
        progressions=("side_plank_leg_lift",),
        conditions=(ITBS, PFP),  # gluteus medius strengthening (Fredericson 2000, s.2)
    ),
    _e(
        "isometric_hip_abduction",
        instructions=(
            "Stand side-on to a wall, close enough to touch it with your knee. "
            "Bend the knee nearest the wall and lift that foot off the floor. "
            "Press the outside of that knee gently into the wall and hold. "
            "Stand tall on the other leg with your hips level."
        ),
        cues=("Push at about half your strength", "Keep your hips level", "Breathe normally"),
        mistakes=("Leaning your body into the wall", "Holding your breath"),
        region="hip",
        tissues=("gluteus medius", "gluteus minimus"),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # standing on one leg (the standing leg is the target)
        default_dosage=_isometric(side="each"),  # project default, not from DOMAIN.md
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=("lateral_band_walk", "side_plank_knees", "hip_hike"),
        # GT: abductor loading in a level-hip position, no adduction (LEAP, Mellor 2018).
        conditions=(GT, ITBS, PFP, LAB),
    ),
    _e(
        "side_plank_knees",
        instructions=(
            "Lie on your side with your knees bent behind you and your elbow under your "
            "shoulder. "
            "Lift your hips so your body is straight from head to knees. "
            "Hold, breathing normally, then lower gently."
        ),
        cues=("Elbow right under your shoulder", "Hips up in line with your body"),
        mistakes=("Letting your hips sag to the floor", "Rolling forward"),
        region="trunk",
        tissues=("obliques", "quadratus lumborum", "gluteus medius"),
        equipment=("none",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # the body is held up on the bottom knee
        default_dosage=_hold(3, 20, days=3, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("isometric_hip_abduction",),
        progressions=("side_plank",),
        conditions=(GT, LAB, ITBS),
    ),
    _e(
        "side_plank",
        instructions=(
            "Lie on your side with your legs straight and your elbow under your shoulder. "
            "Lift your hips so your body is straight from head to feet. "
            "Hold, breathing normally, then lower gently."
        ),
        cues=("Elbow right under your shoulder", "Straight line from head to feet"),
        mistakes=("Letting your hips sag to the floor", "Holding your breath"),
        region="trunk",
        tissues=("obliques", "quadratus lumborum", "gluteus medius"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # the body is held up on the feet
        default_dosage=_hold(3, 30, days=3, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("side_plank_knees",),
        progressions=("side_plank_leg_lift", "copenhagen_plank_short"),
        # GT: the bottom hip's abductors hold the hips up, level (no adduction if the hips do
        # not sag). Project judgement.
        conditions=(GT, LAB, ITBS),
    ),
    _e(
        "side_plank_leg_lift",
        instructions=(
            "Get into a side plank on your elbow with your legs straight. "
            "Keep your hips up and lift your top leg a little higher than your hip. "
            "Lower it slowly without letting your hips drop."
        ),
        cues=("Hips stay up the whole time", "Lead with your heel"),
        mistakes=("Hips sagging as the leg lifts", "Swinging the leg forward"),
        region="hip",
        tissues=("gluteus medius", "gluteus minimus", "obliques"),
        equipment=("none",),
        difficulty=3,
        phase="perform",
        kind="isotonic",
        impact=False,
        weight_bearing=True,  # the body is held up on the bottom foot
        default_dosage=_reps(3, 8, days=2, side="each"),  # project default
        # GT: the top leg lifts from across the bottom leg (adduction) while the bottom hip
        # carries the body: avoid (LEAP, Mellor 2018). Project judgement.
        contraindications=WB_AVOID_IN_GT,
        regressions=("side_lying_hip_abduction", "side_plank"),
        progressions=(),
        conditions=(ITBS, PFP),
    ),
    _e(
        "front_plank",
        instructions=(
            "Lie face down and rest on your forearms, elbows under your shoulders. "
            "Lift your body onto your forearms and toes. "
            "Keep a straight line from head to heels and hold."
        ),
        cues=("Tighten your tummy", "Squeeze your bottom", "Look at the floor"),
        mistakes=("Hips sagging", "Bottom pushed up high", "Holding your breath"),
        region="trunk",
        tissues=("rectus abdominis", "transversus abdominis"),
        equipment=("none",),
        difficulty=1,
        phase="strengthen",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # the body is held up on the toes
        default_dosage=_hold(3, 30, days=3),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("dead_bug",),
        progressions=(),
        conditions=(LAB,),  # core strengthening (DOMAIN.md s.2)
    ),
    _e(
        "dead_bug",
        instructions=(
            "Lie on your back with your arms pointing at the ceiling. "
            "Lift your knees above your hips, bent like a table top. "
            "Slowly lower one arm and the opposite leg toward the floor, then bring them back. "
            "Switch sides each time."
        ),
        cues=("Keep your lower back pressed to the floor", "Breathe out as you lower"),
        mistakes=("Back arching off the floor", "Moving too fast"),
        region="trunk",
        tissues=("transversus abdominis", "rectus abdominis", "hip flexors"),
        equipment=("none",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # lying on the back
        default_dosage=_reps(3, 10, days=3),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=(),
        progressions=("front_plank",),
        conditions=(LAB, BSP),  # BSP: non-weight-bearing core work (project judgement)
    ),
    _e(
        "lateral_band_walk",
        instructions=(
            "Put a band around your legs just above your knees. "
            "Bend your knees a little and sit your hips back. "
            "Take 10 side steps one way, then 10 back, keeping the band tight."
        ),
        cues=("Toes point forward", "Stay low the whole time"),
        mistakes=("Knees falling inward", "Rocking your body side to side"),
        region="hip",
        tissues=("gluteus medius", "gluteus minimus"),
        equipment=("band",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(
            3, 10, days=3, load="band", load_value="light", notes="10 steps each way."
        ),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("clamshell", "isometric_hip_abduction"),
        progressions=("monster_walk",),
        conditions=(ITBS, PFP, GT),
    ),
    _e(
        "monster_walk",
        instructions=(
            "Put a band around your legs just above your knees. "
            "Bend your knees a little with your feet apart. "
            "Walk forward with wide, steady steps, then walk backward the same way."
        ),
        cues=("Keep the band tight", "Knees over your toes"),
        mistakes=("Knees falling inward", "Standing up too tall"),
        region="hip",
        tissues=("gluteus medius", "gluteus maximus"),
        equipment=("band",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(
            3, 10, days=3, load="band", load_value="medium", notes="10 steps each way."
        ),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("lateral_band_walk",),
        progressions=(),
        conditions=(ITBS, PFP, GT),
    ),
    _e(
        "copenhagen_plank_short",
        instructions=(
            "Lie on your side next to a bench or sturdy box. "
            "Rest the inside of your top knee on the bench, with your elbow under your "
            "shoulder. "
            "Lift your hips until your body is straight, and hold. "
            "Lower gently."
        ),
        cues=("Press your top knee down into the bench", "Keep your body in one straight line"),
        mistakes=("Letting your hips sag", "Rolling forward"),
        region="hip",
        tissues=("adductor longus", "adductor magnus", "obliques"),
        equipment=("box",),
        difficulty=2,
        phase="strengthen",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # the body is held up on the top leg
        default_dosage=_hold(3, 15, days=2, side="each"),  # project default
        # GT: the bottom leg hangs and lifts into adduction under the body, and the bottom
        # outer hip takes the side-plank load: avoid (LEAP, Mellor 2018). Project judgement.
        contraindications=WB_AVOID_IN_GT,
        regressions=("side_plank",),
        progressions=("copenhagen_plank",),
        conditions=(LAB,),  # hip strengthening (DOMAIN.md s.2)
    ),
    _e(
        "copenhagen_plank",
        instructions=(
            "Lie on your side next to a bench or sturdy box. "
            "Rest the inside of your top foot and ankle on the bench, with your elbow under "
            "your shoulder. "
            "Lift your hips until your body is straight, and hold. "
            "Lower gently."
        ),
        cues=("Press your top foot down into the bench", "Keep your body in one straight line"),
        mistakes=("Letting your hips sag", "Bending at the waist"),
        region="hip",
        tissues=("adductor longus", "adductor magnus", "obliques"),
        equipment=("box",),
        difficulty=3,
        phase="perform",
        kind="isometric",
        impact=False,
        weight_bearing=True,  # the body is held up on the top leg
        default_dosage=_hold(3, 10, days=2, side="each"),  # project default
        # GT: long lever, same adduction/compression as the short lever, more load (LEAP).
        contraindications=WB_AVOID_IN_GT,
        regressions=("copenhagen_plank_short",),
        progressions=(),
        conditions=(LAB,),
    ),
    _e(
        "hip_hike",
        instructions=(
            "Stand side-on on a step on one leg, with the other foot hanging off the edge. "
            "Keep both knees straight and hold a rail or wall. "
            "Let your hanging foot drop a little, then lift it back up by raising that hip."
        ),
        cues=("Move only at your hips", "Keep your standing knee straight"),
        mistakes=("Bending the standing knee", "Leaning your body sideways"),
        region="hip",
        tissues=("gluteus medius", "gluteus minimus", "quadratus lumborum"),
        equipment=("step",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 12, days=3, side="each"),  # project default
        # GT: the drop puts the standing hip into adduction under body weight ("hanging on
        # the hip"): avoid (LEAP, Mellor 2018). Project judgement.
        contraindications=WB_AVOID_IN_GT,
        regressions=("isometric_hip_abduction",),
        progressions=("lateral_step_down",),
        conditions=(ITBS, PFP),
    ),
    _e(
        "single_leg_deadlift",
        instructions=(
            "Stand on one leg with a soft bend in that knee. "
            "Tip your body forward from the hips as your other leg reaches straight back. "
            "Go until your body is nearly level with the floor, or as far as feels steady. "
            "Stand back up tall."
        ),
        cues=("Keep your hips square to the floor", "Back flat like a table"),
        mistakes=("Rounding your back", "Twisting your hips open"),
        region="hip",
        tissues=("hamstrings", "gluteus maximus", "gluteus medius"),
        equipment=("none",),
        difficulty=3,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(
            3, 10, days=2, side="each", notes="Hold a weight once 3 sets of 10 feel steady."
        ),  # project default
        # PHT: deep hip bend with a nearly straight knee presses the tendon against the sit
        # bone: kept out until the later stage, where heavy loading into hip flexion is the
        # point (Goom 2016; DOMAIN.md s.2).
        contraindications=WB_AVOID_IN_PHT,
        regressions=("single_leg_balance_reach",),
        progressions=(),
        conditions=(PFP, ITBS),
    ),
    # ---------------------------------------------------------------- knee and thigh
    _e(
        "wall_sit",
        instructions=(
            "Stand with your back against a wall and your feet a step in front of you. "
            "Slide down until your knees are bent about halfway. "
            "Hold still, then slide back up."
        ),
        cues=("Knees over your toes", "Weight in your heels", "Stay higher if your knee hurts"),
        mistakes=("Going so low that your knee hurts", "Knees falling inward"),
        region="knee",
        tissues=("quadriceps",),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=True,
        default_dosage=_isometric(side="both"),  # project default, not from DOMAIN.md
        contraindications=WEIGHT_BEARING,
        regressions=("sit_to_stand",),
        progressions=("spanish_squat",),
        conditions=(PFP,),
    ),
    _e(
        "spanish_squat",
        instructions=(
            "Loop a strong band around a sturdy post and step into it so it sits behind "
            "both knees. "
            "Step back until the band is tight. "
            "Sit back with your shins upright, letting the band hold your knees. "
            "Hold still, then stand up."
        ),
        cues=("Shins stay straight up and down", "Lean back into the band"),
        mistakes=("Letting your knees slide forward", "Band tied too low"),
        region="knee",
        tissues=("quadriceps", "patellar tendon"),
        equipment=("band",),
        difficulty=2,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=True,
        default_dosage=_hold(
            ISOMETRIC_HOLD_TIMES, ISOMETRIC_HOLD_SECONDS, days=7, load="band", load_value="heavy"
        ),  # project default, not from DOMAIN.md
        contraindications=WEIGHT_BEARING,
        regressions=("wall_sit",),
        progressions=("goblet_squat",),
        conditions=(PFP,),
    ),
    _e(
        "sit_to_stand",
        instructions=(
            "Sit near the front of a firm chair with your feet flat. "
            "Lean forward a little and stand up without using your hands. "
            "Sit back down slowly."
        ),
        cues=("Nose over toes as you stand", "Knees in line with your toes"),
        mistakes=("Pushing up with your hands", "Dropping onto the chair"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("chair",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 10, days=3),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("terminal_knee_extension",),
        progressions=("wall_sit", "goblet_squat", "step_up"),
        conditions=(PFP, GT, LAB),
    ),
    _e(
        "goblet_squat",
        instructions=(
            "Hold a weight close to your chest with both hands. "
            "Stand with your feet a bit wider than your hips. "
            "Sit down between your heels as far as is comfortable, then stand back up."
        ),
        cues=("Chest up", "Knees follow your toes", "Push the floor away"),
        mistakes=("Heels lifting", "Knees falling inward"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("weights",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_acsm(12),  # ACSM 2009 (DOMAIN.md s.6), see _acsm
        contraindications=WEIGHT_BEARING,
        regressions=("sit_to_stand", "spanish_squat"),
        progressions=("split_squat", "squat_jump"),
        conditions=(PFP,),
    ),
    _e(
        "split_squat",
        instructions=(
            "Stand with one foot a long step in front of the other. "
            "Bend both knees to lower your back knee toward the floor. "
            "Push through your front foot to come back up. "
            "Do all of them, then swap legs."
        ),
        cues=("Stay tall", "Front knee over your middle toes"),
        mistakes=("Front heel lifting", "Leaning far forward"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 10, days=2, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("goblet_squat",),
        progressions=("reverse_lunge", "rear_foot_elevated_split_squat"),
        conditions=(PFP, ITBS),
    ),
    _e(
        "reverse_lunge",
        instructions=(
            "Stand tall with your feet under your hips. "
            "Take a long step back and bend both knees to lower your back knee toward the floor. "
            "Push through your front foot to step back to the start."
        ),
        cues=("Stay tall", "Most of your weight on the front foot"),
        mistakes=("Front knee falling inward", "Stepping back too short"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 10, days=2, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("split_squat",),
        progressions=(),
        conditions=(PFP, ITBS),
    ),
    _e(
        "step_up",
        instructions=(
            "Stand facing a step and put your whole foot on it. "
            "Push through that foot to step up until the leg is straight. "
            "Step down slowly with the other foot."
        ),
        cues=("Push through your heel on the step", "Knee over your middle toes"),
        mistakes=("Pushing off the back foot", "Knee falling inward"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus", "gluteus medius"),
        equipment=("step",),
        difficulty=1,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 12, days=3, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("sit_to_stand",),
        progressions=("lateral_step_down",),
        conditions=(PFP, ITBS, GT),
    ),
    _e(
        "lateral_step_down",
        instructions=(
            "Stand sideways on a low step on one leg. "
            "Slowly bend that knee to lower your other heel toward the floor. "
            "Lightly touch the floor with that heel, then stand back up."
        ),
        cues=("Knee stays over your middle toes", "Hips stay level"),
        mistakes=("Knee falling inward", "Hip dropping on the free side"),
        region="knee",
        tissues=("quadriceps", "gluteus medius"),
        equipment=("step",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 10, days=3, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("hip_hike", "step_up"),
        progressions=("single_leg_squat",),
        conditions=(PFP, ITBS),
    ),
    _e(
        "single_leg_squat",
        instructions=(
            "Stand on one leg in front of a box or low chair. "
            "Slowly sit back until you lightly touch the box. "
            "Stand back up on the same leg without rocking."
        ),
        cues=("Knee over your middle toes", "Sit back, not down"),
        mistakes=("Knee falling inward", "Dropping onto the box"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus", "gluteus medius"),
        equipment=("box",),
        difficulty=3,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 8, days=2, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("lateral_step_down", "single_leg_press"),
        progressions=(),
        conditions=(PFP, ITBS),
    ),
    _e(
        "rear_foot_elevated_split_squat",
        instructions=(
            "Stand a long step in front of a bench or box. "
            "Rest the top of your back foot on it. "
            "Bend your front knee to lower your back knee toward the floor, then push back up."
        ),
        cues=("Most of your weight on the front foot", "Stay tall"),
        mistakes=("Front knee falling inward", "Front foot too close to the bench"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("box",),
        difficulty=3,
        phase="perform",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 8, days=2, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("split_squat",),
        progressions=(),
        conditions=(PFP,),
    ),
    _e(
        "terminal_knee_extension",
        instructions=(
            "Loop a band around a sturdy post at knee height. "
            "Step into the loop so it sits behind one knee, and bend your knee a little. "
            "Straighten the knee fully against the band, hold for a second, then bend it again."
        ),
        cues=("Squeeze the front of your thigh", "Keep your heel on the floor"),
        mistakes=("Leaning back instead of straightening the knee", "Moving too fast"),
        region="knee",
        tissues=("quadriceps", "vastus medialis"),
        equipment=("band",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=True,  # standing
        default_dosage=_reps(
            3, 15, days=3, side="each", load="band", load_value="medium"
        ),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=("sit_to_stand", "single_leg_press"),
        conditions=(PFP,),
    ),
    _e(
        "single_leg_press",
        instructions=(
            "Sit in the leg press machine and put one foot in the middle of the plate. "
            "Push the plate away until your leg is almost straight. "
            "Let it come back slowly, as far as is comfortable."
        ),
        cues=("Knee in line with your toes", "Do not lock your knee straight"),
        mistakes=("Letting your bottom lift off the seat", "Knee falling inward"),
        region="knee",
        tissues=("quadriceps", "gluteus maximus"),
        equipment=("machine",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,  # seated, but the leg pushes the load: counted as weight-bearing
        default_dosage=_acsm(12, side="each"),  # ACSM 2009 (DOMAIN.md s.6), see _acsm
        contraindications=WEIGHT_BEARING,
        regressions=("terminal_knee_extension",),
        progressions=("single_leg_squat",),
        conditions=(PFP,),
    ),
    # ---------------------------------------------------------------- hamstrings
    _e(
        "nordic_hamstring",
        instructions=(
            "Kneel on a cushion with your body upright. "
            "Have someone hold your ankles down, or hook them under something heavy. "
            "Keep your body straight and lean forward as slowly as you can. "
            "Catch yourself with your hands, then push back up."
        ),
        cues=("Straight line from knees to head", "Go slowly all the way down"),
        mistakes=("Bending at the hips", "Dropping fast at the end"),
        region="thigh",
        tissues=("hamstrings",),
        equipment=("cushion",),
        difficulty=3,
        phase="perform",
        kind="isotonic",
        impact=False,
        weight_bearing=True,  # upright kneeling: the thigh bones carry the body
        default_dosage=_reps(2, 5, days=2, tempo="0-0-3", rest=120),  # project default
        # PHT: the heaviest lengthening load in the library. Goom 2016 (DOMAIN.md s.2) orders
        # isometrics -> heavy isotonic into hip flexion -> running: kept out until then.
        contraindications=WB_AVOID_IN_PHT,
        regressions=("slider_hamstring_curl",),
        progressions=(),
        conditions=(),
    ),
    _e(
        "isometric_hamstring_bridge",
        instructions=(
            "Lie on your back with your knees a little bent and your heels on the floor. "
            "Dig your heels in and lift your hips off the floor. "
            "Hold still, breathing normally, then lower slowly."
        ),
        cues=("Press your heels down into the floor", "Keep your hips up and level"),
        mistakes=("Holding your breath", "Knees too straight, which can bring on cramp"),
        region="thigh",
        tissues=("hamstrings", "gluteus maximus"),
        equipment=("none",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=False,  # lying on the back
        default_dosage=_isometric(side="both"),  # project default, not from DOMAIN.md
        contraindications=NO_CONTRAINDICATIONS,
        regressions=(),
        progressions=("hamstring_bridge",),
        # PHT: isometrics first, hip straight so no compression (Goom 2016, DOMAIN.md s.2).
        conditions=(PHT,),
    ),
    _e(
        "slider_hamstring_curl",
        instructions=(
            "Lie on your back with your heels on sliders or a towel on a smooth floor. "
            "Lift your hips. "
            "Slowly slide your heels away until your legs are nearly straight, then pull "
            "them back in. "
            "Keep your hips up the whole time."
        ),
        cues=("Hips stay up", "Slow on the way out"),
        mistakes=("Hips dropping as your legs straighten", "Rushing the slide out"),
        region="thigh",
        tissues=("hamstrings", "gluteus maximus"),
        equipment=("slider",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # lying on the back, like the bridges
        default_dosage=_reps(3, 8, days=2),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=("hamstring_bridge",),
        progressions=("nordic_hamstring",),
        # PHT: isotonic with the hip straight, no compression (Goom 2016). Project judgement:
        # later than the isometric bridge, not in the first weeks.
        conditions=(PHT,),
    ),
    # ---------------------------------------------------------------- calf, Achilles, foot
    _e(
        "calf_raise_double",
        instructions=(
            "Stand with your feet hip-width apart, lightly holding a wall or chair. "
            "Rise up onto your toes as high as you can. "
            "Lower your heels slowly to the floor."
        ),
        cues=("Push up through your big toe", "Go all the way up"),
        mistakes=("Rolling out onto your little toes", "Bouncing"),
        region="calf",
        tissues=("gastrocnemius", "soleus"),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 15, days=3, tempo="2-0-2"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("isometric_calf_hold",),
        progressions=(
            "calf_raise_single_straight",
            "calf_raise_single_bent",
            "eccentric_heel_drop_straight",
            "eccentric_heel_drop_bent",
            "eccentric_heel_drop_floor",
        ),
        # Bone stress: calf strength (Warden 2014, DOMAIN.md s.2).
        conditions=(MTSS, BST, BSF, BSP, ACH, ACI, PHP),
    ),
    _e(
        "calf_raise_single_straight",
        instructions=(
            "Stand on one leg, lightly holding a wall or chair. "
            "Keep your knee straight and rise up onto your toes as high as you can. "
            "Lower your heel slowly to the floor."
        ),
        cues=("Push up through your big toe", "Knee stays straight"),
        mistakes=("Leaning on the wall too much", "Bouncing"),
        region="calf",
        tissues=("gastrocnemius", "soleus"),
        equipment=("wall",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 15, days=3, side="each", tempo="2-0-2"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("calf_raise_double",),
        progressions=("standing_heavy_calf_raise", "towel_heel_raise", "pogo_hops"),
        conditions=(MTSS, BST, BSF, ACH, ACI),  # calf strength (Warden 2014, DOMAIN.md s.2)
    ),
    _e(
        "calf_raise_single_bent",
        instructions=(
            "Stand on one leg, lightly holding a wall or chair. "
            "Bend your knee a little and keep it bent. "
            "Rise up onto your toes as high as you can, then lower slowly."
        ),
        cues=("Keep the knee bent the same amount", "Push up through your big toe"),
        mistakes=("Straightening the knee as you rise", "Bouncing"),
        region="calf",
        tissues=("soleus",),
        equipment=("wall",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 15, days=3, side="each", tempo="2-0-2"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("calf_raise_double",),
        progressions=("seated_heavy_calf_raise",),
        conditions=(MTSS, BST, ACH),  # calf strength (Warden 2014, DOMAIN.md s.2)
    ),
    _e(
        "eccentric_heel_drop_straight",
        instructions=(
            "Stand on the edge of a step on the balls of both feet, holding a rail. "
            "Rise up on both feet. "
            "Take your weight onto one foot and slowly lower that heel below the step, "
            "knee straight. "
            "Use both feet to rise up again."
        ),
        cues=("Lower slowly, for about 3 seconds", "Keep the knee straight"),
        mistakes=("Dropping the heel fast", "Pushing back up on one leg"),
        region="achilles",
        tissues=("Achilles tendon", "gastrocnemius"),
        equipment=("step",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=ALFREDSON,  # Alfredson, DOMAIN.md s.2 (see ALFREDSON)
        contraindications=BELOW_STEP,  # insertional Achilles: never below step (Jonsson 2008)
        regressions=("calf_raise_double",),
        progressions=("standing_heavy_calf_raise",),
        conditions=(ACH,),
    ),
    _e(
        "eccentric_heel_drop_bent",
        instructions=(
            "Stand on the edge of a step on the balls of both feet, holding a rail. "
            "Rise up on both feet. "
            "Take your weight onto one foot, bend that knee a little, and slowly lower the "
            "heel below the step. "
            "Use both feet to rise up again."
        ),
        cues=("Lower slowly, for about 3 seconds", "Keep the knee bent the whole time"),
        mistakes=("Dropping the heel fast", "Straightening the knee"),
        region="achilles",
        tissues=("Achilles tendon", "soleus"),
        equipment=("step",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=ALFREDSON,  # Alfredson, DOMAIN.md s.2 (see ALFREDSON)
        contraindications=BELOW_STEP,  # insertional Achilles: never below step (Jonsson 2008)
        regressions=("calf_raise_double",),
        progressions=("seated_heavy_calf_raise",),
        conditions=(ACH,),
    ),
    _e(
        "eccentric_heel_drop_floor",
        instructions=(
            "Stand on a flat floor, not on a step, lightly holding a wall or chair. "
            "Rise up onto your toes on both feet. "
            "Take your weight onto one foot and lower that heel slowly to the floor. "
            "Use both feet to rise up again."
        ),
        cues=("Lower slowly, for about 3 seconds", "Stop when the heel touches the floor"),
        mistakes=("Standing on a step so the heel drops lower", "Pushing back up on one leg"),
        region="achilles",
        tissues=("Achilles tendon", "gastrocnemius", "soleus"),
        equipment=("wall",),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        # Jonsson 2008 (BJSM 42:746; DOMAIN.md s.2): Alfredson's dose, lowered to the floor
        # only, so the insertion is never compressed in end-range dorsiflexion.
        default_dosage=ALFREDSON,
        contraindications=WEIGHT_BEARING,
        regressions=("calf_raise_double",),
        progressions=(),
        conditions=(ACI,),
    ),
    _e(
        "seated_heavy_calf_raise",
        instructions=(
            "Sit on a firm chair with the balls of your feet on a step or thick book. "
            "Rest a heavy weight across your knees. "
            "Lift your heels as high as you can over 3 seconds, then lower them over 3 seconds."
        ),
        cues=("3 seconds up, 3 seconds down", "Rise as high as you can"),
        mistakes=("Rushing the movement", "Letting the weight slide off"),
        region="calf",
        tissues=("soleus", "Achilles tendon"),
        equipment=("chair", "weights", "step"),
        difficulty=2,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # seated; the load rests on the knees, the hip carries none
        default_dosage=HSR,  # heavy slow resistance, Beyer 2015 (see HSR)
        contraindications=NO_CONTRAINDICATIONS,
        regressions=("calf_raise_single_bent", "eccentric_heel_drop_bent"),
        progressions=(),
        # ACH: HSR (Beyer 2015); bone stress and MTSS: calf strength without impact
        # (Warden 2014, DOMAIN.md s.2).
        conditions=(ACH, ACI, MTSS, BST, BSF, BSP),
    ),
    _e(
        "standing_heavy_calf_raise",
        instructions=(
            "Stand with the balls of your feet on a step, holding a heavy weight or using a "
            "machine. "
            "Lift your heels as high as you can over 3 seconds. "
            "Lower them over 3 seconds, a little below the step."
        ),
        cues=("3 seconds up, 3 seconds down", "Knees straight"),
        mistakes=("Rushing the movement", "Bending your knees to help"),
        region="achilles",
        tissues=("gastrocnemius", "soleus", "Achilles tendon"),
        equipment=("step", "weights"),
        difficulty=3,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=HSR,  # heavy slow resistance, Beyer 2015 (see HSR)
        contraindications=BELOW_STEP,  # insertional Achilles: never below step (Jonsson 2008)
        regressions=("calf_raise_single_straight", "eccentric_heel_drop_straight"),
        progressions=(),
        conditions=(ACH, MTSS),
    ),
    _e(
        "towel_heel_raise",
        instructions=(
            "Roll up a towel and put it on a step under your toes. "
            "Stand on one leg with your toes on the towel, holding a rail. "
            "Rise up for 3 seconds, hold at the top for 2 seconds, then lower for 3 seconds."
        ),
        cues=("Toes bent up over the towel", "All the way up, then all the way down"),
        mistakes=("Rushing", "Leaning on the rail too much"),
        region="foot",
        tissues=("plantar fascia", "gastrocnemius", "soleus"),
        equipment=("towel", "step", "backpack"),
        difficulty=3,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=RATHLEFF,  # Rathleff 2015 (see RATHLEFF)
        contraindications=WEIGHT_BEARING,
        regressions=("calf_raise_single_straight",),
        progressions=(),
        conditions=(PHP,),
    ),
    _e(
        "isometric_calf_hold",
        instructions=(
            "Stand on one leg, holding a wall or chair for balance. "
            "Rise halfway up onto your toes. "
            "Hold still there, breathing normally, then lower slowly and rest."
        ),
        cues=("Halfway up, not all the way", "Keep your knee straight"),
        mistakes=("Sinking down as you tire", "Holding your breath"),
        region="calf",
        tissues=("gastrocnemius", "soleus", "Achilles tendon"),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=True,
        default_dosage=_isometric(side="each"),  # project default, not from DOMAIN.md
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=("calf_raise_double",),
        conditions=(ACH, ACI, MTSS),
    ),
    _e(
        "tibialis_raise",
        instructions=(
            "Stand with your back against a wall and your feet about a foot's length out. "
            "Keep your heels down and lift the fronts of your feet as high as you can. "
            "Lower them slowly."
        ),
        cues=("Heels stay on the floor", "Slow on the way down"),
        mistakes=("Bending your knees", "Rocking your body forward"),
        region="ankle",
        tissues=("tibialis anterior",),
        equipment=("wall",),
        difficulty=1,
        phase="strengthen",
        kind="isotonic",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 15, days=3),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(),
        conditions=(MTSS,),
    ),
    _e(
        "short_foot",
        instructions=(
            "Sit with your foot flat on the floor. "
            "Without curling your toes, pull the ball of your foot toward your heel so your "
            "arch lifts. "
            "Hold, then relax."
        ),
        cues=("Toes stay long and flat", "A small movement is enough"),
        mistakes=("Curling your toes", "Lifting the ball of your foot"),
        region="foot",
        tissues=("intrinsic foot muscles",),
        equipment=("chair",),
        difficulty=1,
        phase="protect",
        kind="isometric",
        impact=False,
        weight_bearing=False,  # seated
        default_dosage=_reps(3, 10, hold=5, days=7, side="each", rest=30),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=("toe_yoga",),
        progressions=(),
        # Bone stress: foot strength (Warden 2014, DOMAIN.md s.2).
        conditions=(PHP, BSF, BST, BSP, MTSS),
    ),
    _e(
        "toe_yoga",
        instructions=(
            "Sit with both feet flat on the floor. "
            "Lift your big toes while the other toes stay down. "
            "Then press your big toes down and lift the other toes. "
            "Swap back and forth slowly."
        ),
        cues=("Move only your toes", "Keep your feet still on the floor"),
        mistakes=("Rolling your feet in or out", "Rushing"),
        region="foot",
        tissues=("intrinsic foot muscles", "toe muscles"),
        equipment=("chair",),
        difficulty=1,
        phase="protect",
        kind="isotonic",
        impact=False,
        weight_bearing=False,  # seated
        default_dosage=_reps(3, 10, days=7, rest=30),  # project default
        contraindications=NO_CONTRAINDICATIONS,
        regressions=(),
        progressions=("short_foot",),
        conditions=(PHP, BSF),  # foot strength (Warden 2014, DOMAIN.md s.2)
    ),
    # ---------------------------------------------------------------- balance
    _e(
        "single_leg_balance",
        instructions=(
            "Stand on one leg near a wall or chair in case you need it. "
            "Keep a soft bend in your knee and your hips level. "
            "Hold steady, then swap legs."
        ),
        cues=("Hips level", "Look at a spot straight ahead"),
        mistakes=("Letting one hip drop", "Locking your knee straight"),
        region="ankle",
        tissues=("ankle stabilisers", "gluteus medius", "intrinsic foot muscles"),
        equipment=("none",),
        difficulty=1,
        phase="protect",
        kind="balance",
        impact=False,
        weight_bearing=True,
        # GT: not ruled out; level hips keep the stance hip out of adduction. 30 s stance is
        # a provocation test for GT (DOMAIN.md s.2): watch pain. Project judgement.
        default_dosage=_hold(3, 30, days=7, side="each", rest=None),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(
            "single_leg_balance_eyes_closed",
            "single_leg_balance_reach",
            "single_leg_balance_cushion",
        ),
        conditions=(PFP, ITBS),
    ),
    _e(
        "single_leg_balance_eyes_closed",
        instructions=(
            "Stand on one leg right next to a wall or chair. "
            "Once you are steady, close your eyes. "
            "Hold as still as you can, and touch the wall if you start to fall."
        ),
        cues=("Soft knee", "Small wobbles are fine"),
        mistakes=("Standing too far from support", "Letting one hip drop"),
        region="ankle",
        tissues=("ankle stabilisers", "gluteus medius", "intrinsic foot muscles"),
        equipment=("wall",),
        difficulty=2,
        phase="strengthen",
        kind="balance",
        impact=False,
        weight_bearing=True,
        default_dosage=_hold(3, 20, days=7, side="each", rest=None),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("single_leg_balance",),
        progressions=(),
        conditions=(PFP, ITBS),
    ),
    _e(
        "single_leg_balance_reach",
        instructions=(
            "Stand on one leg with a soft bend in the knee. "
            "Reach your other foot out in front and tap the floor lightly. "
            "Then reach to the side, then behind you. "
            "Come back to the middle between each reach."
        ),
        cues=("Bend your standing knee to reach further", "Hips stay level"),
        mistakes=("Putting weight on the reaching foot", "Knee falling inward"),
        region="ankle",
        tissues=("ankle stabilisers", "quadriceps", "gluteus medius"),
        equipment=("none",),
        difficulty=2,
        phase="strengthen",
        kind="balance",
        impact=False,
        weight_bearing=True,
        default_dosage=_reps(3, 8, days=3, side="each"),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("single_leg_balance",),
        progressions=("single_leg_deadlift",),
        conditions=(PFP, ITBS),
    ),
    _e(
        "single_leg_balance_cushion",
        instructions=(
            "Stand on one leg on a firm cushion or folded mat, next to a wall or chair. "
            "Keep a soft bend in your knee. "
            "Hold steady, then swap legs."
        ),
        cues=("Soft knee", "Hips level"),
        mistakes=("Gripping hard with your toes", "Letting one hip drop"),
        region="ankle",
        tissues=("ankle stabilisers", "gluteus medius", "intrinsic foot muscles"),
        equipment=("cushion",),
        difficulty=2,
        phase="strengthen",
        kind="balance",
        impact=False,
        weight_bearing=True,
        default_dosage=_hold(3, 30, days=3, side="each", rest=None),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=("single_leg_balance",),
        progressions=(),
        conditions=(PFP, ITBS),
    ),
    # ---------------------------------------------------------------- stretches
    # Stretches: 3 x 30 s each side, every day, pain allowed 2/10: project default.
    _e(
        "hip_flexor_stretch",
        instructions=(
            "Kneel on one knee on a cushion, with the other foot flat in front of you. "
            "Tuck your bottom under and shift your weight forward. "
            "Stop when you feel a stretch at the front of the back hip, and hold."
        ),
        cues=("Tuck your tailbone under", "Stay tall"),
        mistakes=("Arching your lower back", "Leaning forward"),
        region="hip",
        tissues=("iliopsoas", "rectus femoris"),
        equipment=("cushion",),
        difficulty=1,
        phase="protect",
        kind="stretch",
        impact=False,
        weight_bearing=True,  # upright kneeling: the back thigh bone carries the body
        default_dosage=_hold(3, 30, days=7, side="each", rest=None, pain=2),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(),
        conditions=(),
    ),
    _e(
        "calf_stretch",
        instructions=(
            "Stand facing a wall with your hands on it. "
            "Step one foot back and keep that leg straight with the heel down. "
            "Bend your front knee and lean in until you feel a stretch in your back calf. "
            "Hold."
        ),
        cues=("Back heel stays down", "Back toes point forward"),
        mistakes=("Lifting the back heel", "Bouncing"),
        region="calf",
        tissues=("gastrocnemius",),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="stretch",
        impact=False,
        weight_bearing=True,
        default_dosage=_hold(3, 30, days=7, side="each", rest=None, pain=2),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(),
        conditions=(PHP,),  # limited ankle bend is a key finding (DOMAIN.md s.2)
    ),
    _e(
        "soleus_stretch",
        instructions=(
            "Stand facing a wall with your hands on it and one foot a short step back. "
            "Bend both knees and keep the back heel down. "
            "Sink down until you feel a stretch low in your back calf. "
            "Hold."
        ),
        cues=("Back heel stays down", "Bend the back knee"),
        mistakes=("Lifting the back heel", "Straightening the back knee"),
        region="calf",
        tissues=("soleus",),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="stretch",
        impact=False,
        weight_bearing=True,
        default_dosage=_hold(3, 30, days=7, side="each", rest=None, pain=2),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(),
        conditions=(PHP,),  # limited ankle bend is a key finding (DOMAIN.md s.2)
    ),
    _e(
        "quadriceps_stretch",
        instructions=(
            "Stand tall and hold a wall or chair with one hand. "
            "Bend one knee and hold that ankle behind you with your other hand. "
            "Gently pull your heel toward your bottom until you feel a stretch at the front "
            "of your thigh. "
            "Hold."
        ),
        cues=("Knees side by side", "Stand tall, do not lean forward"),
        mistakes=("Arching your lower back", "Pulling the knee out to the side"),
        region="thigh",
        tissues=("quadriceps", "rectus femoris"),
        equipment=("wall",),
        difficulty=1,
        phase="protect",
        kind="stretch",
        impact=False,
        weight_bearing=True,  # standing on one leg
        default_dosage=_hold(3, 30, days=7, side="each", rest=None, pain=2),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=(),
        conditions=(PFP,),
    ),
    # ---------------------------------------------------------------- hops and plyometrics
    # All impact: IMPACT contraindications (bone stress until cleared, femoral neck, pain
    # above 5, pain on hopping). Pain allowed 3/10: DOMAIN.md s.4's 0-3 "fine" band.
    _e(
        "pogo_hops",
        instructions=(
            "Stand tall with your feet hip-width apart. "
            "Make small, quick hops on the balls of your feet, knees almost straight. "
            "Land softly and bounce straight back up, like a spring."
        ),
        cues=("Quick, springy and quiet", "Heels stay just off the floor"),
        mistakes=("Bending your knees a lot", "Landing flat and heavy"),
        region="calf",
        tissues=("gastrocnemius", "soleus", "Achilles tendon"),
        equipment=("none",),
        difficulty=2,
        phase="return_to_run",
        kind="plyometric",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(3, 20, days=2),  # project default
        contraindications=IMPACT,
        regressions=("calf_raise_single_straight",),
        progressions=("single_leg_hops",),
        conditions=(ACH, MTSS),
    ),
    _e(
        "single_leg_hops",
        instructions=(
            "Stand on one leg near a wall. "
            "Hop gently up and down on the ball of your foot. "
            "Land softly with a slightly bent knee, and keep your hips level."
        ),
        cues=("Light and quiet landings", "Knee over your toes"),
        mistakes=("Landing heavily on your heel", "Knee falling inward"),
        region="calf",
        tissues=("gastrocnemius", "soleus", "Achilles tendon", "quadriceps"),
        equipment=("none",),
        difficulty=2,
        phase="return_to_run",
        kind="plyometric",
        impact=True,
        weight_bearing=True,
        # 10 hops: the low end of DOMAIN.md s.4's pain-free 10-20 single-leg hops before
        # running; 3 sets, 2 days a week: project default.
        default_dosage=_reps(3, 10, days=2, side="each"),
        contraindications=IMPACT,
        regressions=("pogo_hops",),
        progressions=("forward_hops", "lateral_line_hops", "metronome_run"),
        conditions=(ACH, MTSS, PFP),
    ),
    _e(
        "forward_hops",
        instructions=(
            "Stand on one leg. "
            "Hop forward a short way and land softly on the same leg, your knee a little bent. "
            "Hold the landing for a moment, then hop again."
        ),
        cues=("Land with a soft knee", "Knee over your toes", "Stick the landing"),
        mistakes=("Knee falling inward on landing", "Hopping too far too soon"),
        region="whole_body",
        tissues=("quadriceps", "gluteus maximus", "gastrocnemius", "soleus"),
        equipment=("none",),
        difficulty=3,
        phase="perform",
        kind="plyometric",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(3, 6, days=2, side="each", rest=90),  # project default
        contraindications=IMPACT,
        regressions=("single_leg_hops",),
        progressions=(),
        conditions=(PFP, ACH),
    ),
    _e(
        "lateral_line_hops",
        instructions=(
            "Stand on one leg beside a line on the floor. "
            "Hop sideways over the line and back again. "
            "Land softly each time and keep your hips level."
        ),
        cues=("Quick, light hops", "Knee over your toes"),
        mistakes=("Knee falling inward", "Landing on your heel"),
        region="ankle",
        tissues=("ankle stabilisers", "gastrocnemius", "gluteus medius"),
        equipment=("line",),
        difficulty=3,
        phase="perform",
        kind="plyometric",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(
            3, 10, days=2, side="each", rest=90, notes="Count each landing."
        ),  # project default
        contraindications=IMPACT,
        regressions=("single_leg_hops",),
        progressions=(),
        conditions=(ITBS, PFP),
    ),
    _e(
        "squat_jump",
        instructions=(
            "Stand with your feet hip-width apart. "
            "Bend your knees into a small squat, then jump straight up. "
            "Land softly, bending your knees, and reset before the next jump."
        ),
        cues=("Soft, quiet landings", "Knees over your toes"),
        mistakes=("Knees falling inward on landing", "Landing with straight legs"),
        region="whole_body",
        tissues=("quadriceps", "gluteus maximus", "gastrocnemius"),
        equipment=("none",),
        difficulty=2,
        phase="return_to_run",
        kind="plyometric",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(3, 8, days=2, rest=90),  # project default
        contraindications=IMPACT,
        regressions=("goblet_squat",),
        progressions=(),
        conditions=(PFP,),
    ),
    # ---------------------------------------------------------------- running drills
    _e(
        "a_march",
        instructions=(
            "Stand tall. "
            "March forward, lifting one knee to hip height with your toes pulled up. "
            "Swing the opposite arm, and put the foot down under your hip. "
            "Swap legs with each step."
        ),
        cues=("Tall body", "Foot lands under your hip"),
        mistakes=("Leaning back", "Reaching the foot out in front"),
        region="whole_body",
        tissues=("hip flexors", "gluteus maximus", "calf muscles"),
        equipment=("none",),
        difficulty=1,
        phase="return_to_run",
        kind="drill",
        impact=False,  # walking: one foot always on the ground
        weight_bearing=True,
        default_dosage=_reps(2, 20, days=3, rest=30, notes="Count every step."),  # project default
        contraindications=WEIGHT_BEARING,
        regressions=(),
        progressions=("a_skip", "high_knees", "butt_kicks"),
        conditions=(),
    ),
    _e(
        "a_skip",
        instructions=(
            "Skip forward, lifting one knee to hip height as the other foot pushes off. "
            "Land on the ball of your foot under your hip. "
            "Swing your arms in time with your legs."
        ),
        cues=("Tall body", "Quick, light feet"),
        mistakes=("Leaning back", "Landing on your heels"),
        region="whole_body",
        tissues=("hip flexors", "gluteus maximus", "calf muscles"),
        equipment=("none",),
        difficulty=2,
        phase="return_to_run",
        kind="drill",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(
            2, 20, days=2, rest=60, notes="Count every landing."
        ),  # project default
        contraindications=IMPACT,
        regressions=("a_march",),
        progressions=(),
        conditions=(),
    ),
    _e(
        "high_knees",
        instructions=(
            "Jog on the spot or slowly forward. "
            "Lift your knees toward hip height with quick, light steps. "
            "Land on the balls of your feet and pump your arms."
        ),
        cues=("Tall body", "Quick, light feet"),
        mistakes=("Leaning back", "Landing on your heels"),
        region="whole_body",
        tissues=("hip flexors", "calf muscles", "quadriceps"),
        equipment=("none",),
        difficulty=2,
        phase="return_to_run",
        kind="drill",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(
            2, 20, days=2, rest=60, notes="Count every landing."
        ),  # project default
        contraindications=IMPACT,
        regressions=("a_march",),
        progressions=(),
        conditions=(),
    ),
    _e(
        "butt_kicks",
        instructions=(
            "Jog slowly forward. "
            "Let each heel swing up toward your bottom. "
            "Keep your knees pointing down and your steps quick and light."
        ),
        cues=("Knees point down", "Quick, light feet"),
        mistakes=("Knees swinging forward", "Leaning forward"),
        region="whole_body",
        tissues=("hamstrings", "calf muscles"),
        equipment=("none",),
        difficulty=1,
        phase="return_to_run",
        kind="drill",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(
            2, 20, days=2, rest=60, notes="Count every landing."
        ),  # project default
        contraindications=IMPACT,
        regressions=("a_march",),
        progressions=(),
        conditions=(),
    ),
    _e(
        "strides",
        instructions=(
            "After an easy run, find a flat stretch of ground. "
            "Run fast but relaxed for about 20 seconds, keeping your shoulders loose. "
            "Slow down gently, then walk back to the start to recover."
        ),
        cues=("Fast but relaxed", "Quick, light steps", "Loose shoulders and hands"),
        mistakes=("Sprinting flat out", "Too little rest between strides"),
        region="whole_body",
        tissues=("hamstrings", "calf muscles", "quadriceps", "gluteus maximus"),
        equipment=("none",),
        difficulty=2,
        phase="perform",
        kind="drill",
        impact=True,
        weight_bearing=True,
        default_dosage=_reps(
            1,
            6,
            days=2,
            rest=60,
            load="RPE",
            load_value="7",
            notes="About 20 seconds each, walking back between them.",
        ),  # project default
        contraindications=IMPACT,
        regressions=("metronome_run",),
        progressions=(),
        conditions=(),
    ),
    _e(
        "metronome_run",
        instructions=(
            "Set the metronome to the beat your physio gave you. "
            "Run at an easy pace and land one foot on each beat. "
            "Take shorter, quicker steps rather than long ones. "
            "You should be able to talk in full sentences."
        ),
        cues=("One step on each beat", "Land with your foot under you", "Easy, chatty pace"),
        mistakes=("Taking long reaching steps", "Speeding up to match the beat"),
        region="whole_body",
        tissues=("calf muscles", "quadriceps", "gluteus medius"),
        equipment=("metronome",),
        difficulty=2,
        phase="return_to_run",
        kind="drill",
        impact=True,
        weight_bearing=True,
        default_dosage=Dosage(
            sets=1,
            reps=None,
            hold_seconds=None,
            load="RPE",
            load_value="3",  # effort 3/10: stages 1-2 of DOMAIN.md s.4's walk-run table
            tempo="",
            rest_seconds=None,
            sessions_per_day=1,
            days_per_week=3,  # DOMAIN.md s.4: at least one rest day between runs
            side="both",
            weeks=None,
            pain_allowed=3,  # DOMAIN.md s.4: pain 0-3/10 during running is fine
            # No length of its own: the run minutes of the plan's current walk-run stage
            # (DOMAIN.md s.4). Beat: measured step rate x 1.05-1.10 (DOMAIN.md s.5).
            notes=(
                "Run the running minutes of your current walk-run stage in time with the metronome"
            ),
        ),
        contraindications=IMPACT,
        regressions=("single_leg_hops",),
        progressions=("strides",),
        # PFP: quicker, shorter steps lower knee load (Heiderscheit 2011, Willson 2014); ITBS:
        # lower hip adduction moment at +10 % (Heiderscheit 2011); MTSS: graded return; PHT:
        # "then running" (Goom 2016). DOMAIN.md s.2, s.5.
        conditions=(PFP, ITBS, MTSS, PHT),
    ),
)

if sorted(e.key for e in _ENTRIES) != sorted(KEYS):
    raise RuntimeError("plans/library_data.py must hold each catalogue key exactly once")

LIBRARY: dict[str, ExerciseData] = {
    entry.key: entry for entry in sorted(_ENTRIES, key=lambda e: KEYS.index(e.key))
}
