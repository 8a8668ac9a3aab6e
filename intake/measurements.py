"""The catalogue behind an evaluation's measurement grid (pure Python, no Django, no database).

Each row of the grid is a MeasureDef with a left and a right value. The grid sends strings;
parse_value turns them into a Decimal (kind "number"), a normalised grade (kind "mmt") or a
normalised word (kind "quality"), or returns a plain-words error. limb_symmetry_index compares
the involved with the uninvolved side.

Clinical numbers come only from /work/shared/DOMAIN.md and carry their source beside them.
Every min/max below is a data-entry plausibility bound that catches typing errors, not a
clinical threshold; bounds derived from a published normal range cite it and say "verify".

Decisions a clinician should check (also in the comments below):
- ROM rows (degrees, and knee-to-wall in cm) have no limb symmetry index: a ratio of angles is
  not a standard measure and knee extension may be 0 or negative; compare sides in degrees.
- Knee extension: 0 = full extension, positive = hyperextension, negative = lacks full
  extension (flexion contracture).
- MMT grades are 0..5 with + or -; there is no 0+, 0- or 5+. "5-" is allowed. For a symmetry
  index a grade is turned into a number with + = +1/3 and - = -1/3 (4+ = 4.33, 4- = 3.67).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

GROUPS = ("rom", "strength", "functional")  # grid order, also the keyboard tab order
GROUP_LABELS = {"rom": "Range of motion", "strength": "Strength", "functional": "Functional tests"}
KINDS = ("number", "mmt", "quality")
QUALITY_CHOICES = ("good", "fair", "poor")

Value = Decimal | str


@dataclass(frozen=True)
class MeasureDef:
    """One row of the measurement grid (a left and a right value)."""

    key: str  # stable id stored with the values; never rename
    group: str  # one of GROUPS
    label: str  # clinician-facing, short
    unit: str  # "°", "cm", "grade", "kg or N", "reps", "s", "%", "quality"
    kind: str  # one of KINDS
    min_value: Decimal | None = None  # inclusive plausibility bounds, kind "number" only
    max_value: Decimal | None = None
    timed: bool = False  # lower is better: the limb symmetry index is inverted
    lsi: bool = True  # whether a limb symmetry index makes sense for this row

    def __post_init__(self) -> None:
        if self.group not in GROUPS or self.kind not in KINDS:
            raise ValueError(f"{self.key}: unknown group {self.group!r} or kind {self.kind!r}")
        has_bounds = self.min_value is not None and self.max_value is not None
        if has_bounds != (self.kind == "number"):
            raise ValueError(f"{self.key}: bounds are required for numbers and only for numbers")


def _rom(key: str, label: str, low: int, high: int, unit: str = "°") -> MeasureDef:
    return MeasureDef(
        f"rom_{key}", "rom", label, unit, "number", Decimal(low), Decimal(high), lsi=False
    )


def _number(
    key: str, group: str, label: str, unit: str, low: str, high: str, **kw: bool
) -> MeasureDef:
    return MeasureDef(key, group, label, unit, "number", Decimal(low), Decimal(high), **kw)


# Muscle groups tested both by manual muscle test and hand-held dynamometer, in grid order.
_MUSCLES = (
    ("hip_abductors", "Hip abductors"),
    ("hip_extensors", "Hip extensors"),
    ("hip_external_rotators", "Hip external rotators"),
    ("quadriceps", "Quadriceps"),
    ("hamstrings", "Hamstrings"),
    ("calf", "Calf"),
)


def _strength_rows() -> tuple[MeasureDef, ...]:
    rows: list[MeasureDef] = []
    for key, label in _MUSCLES:  # MMT then HHD per muscle: both are done in the same position
        # Grades are ordinal: no symmetry index (DOMAIN.md section 5); the HHD row has one.
        rows.append(
            MeasureDef(f"mmt_{key}", "strength", f"{label} (MMT)", "grade", "mmt", lsi=False)
        )
        # 0-2000: data-entry plausibility bound, not a clinical threshold; generous because the
        # unit may be kg or N (cannot catch a kg/N mix-up; both sides must use the same unit).
        rows.append(_number(f"hhd_{key}", "strength", f"{label} (HHD)", "kg or N", "0", "2000"))
    return tuple(rows)


MEASUREMENTS: tuple[MeasureDef, ...] = (
    # ROM bounds: data-entry plausibility bounds, not clinical thresholds, set well beyond the
    # AAOS normal ranges (hip flexion 120, extension 30, abduction 45, internal and external
    # rotation 45, knee flexion 135, ankle dorsiflexion 20 degrees; AAOS 1965 / Greene &
    # Heckman 1994 - verify; published tables differ by 5-15 degrees).
    _rom("hip_flexion", "Hip flexion", 0, 150),
    _rom("hip_extension", "Hip extension", 0, 60),
    _rom("hip_internal_rotation", "Hip internal rotation", 0, 90),
    _rom("hip_external_rotation", "Hip external rotation", 0, 90),
    _rom("hip_abduction", "Hip abduction", 0, 90),
    _rom("knee_flexion", "Knee flexion", 0, 170),
    # Knee extension: 0 = full extension, + = hyperextension, - = lacks full extension (flexion
    # contracture). -30..+20: plausibility bound, not clinical (AAOS: 0, some hyperextension
    # normal - verify); wider than -10..+15 so that a real post-injury deficit is not refused.
    _rom("knee_extension", "Knee extension", -30, 20),
    # Negative = cannot reach neutral (plantarflexed). -20..60 also covers the weight-bearing
    # lunge angle; plausibility bound, not clinical (AAOS dorsiflexion 20 - verify).
    _rom("ankle_dorsiflexion", "Ankle dorsiflexion", -20, 60),
    # Toe-to-wall distance with the knee touching the wall; 0-30 cm plausibility bound.
    _rom("knee_to_wall", "Knee-to-wall", 0, 30, unit="cm"),
    *_strength_rows(),
    # Single-leg calf raises to fatigue; 0-300 reps: plausibility bound, not clinical.
    _number("calf_raises_reps", "strength", "Calf raises to fatigue", "reps", "0", "300"),
    # Functional tests. Quality is a judgement, so no symmetry index.
    MeasureDef(
        "squat_single_leg_quality",
        "functional",
        "Single-leg squat",
        "quality",
        "quality",
        lsi=False,
    ),
    # Hop distances 0-400 cm and 0-1000 cm: plausibility bounds, not clinical.
    _number("hop_single_distance", "functional", "Single hop for distance", "cm", "0", "400"),
    _number("hop_triple_distance", "functional", "Triple hop for distance", "cm", "0", "1000"),
    # 6 m timed hop: lower is better, LSI inverted (Noyes 1991, AJSM 19:513 - verify; DOMAIN.md
    # section 5 only says "inverted for timed tests"). 0.5-60 s: plausibility bound, not clinical.
    _number("hop_6m_timed", "functional", "6 m timed hop", "s", "0.5", "60", timed=True),
    # Single-leg hop count; 0-500 reps: plausibility bound, not clinical.
    _number("hop_single_count", "functional", "Single-leg hop count", "reps", "0", "500"),
    # Y-balance: judged by Plisky 2006's cut-offs (y_balance_flag), not by a symmetry index:
    # 90 % is not a published Y-balance cut-off (DOMAIN.md section 5).
    # Anterior reach 0-200 cm and composite 0-150 % of limb length: plausibility bounds.
    _number(
        "y_balance_anterior", "functional", "Y-balance anterior reach", "cm", "0", "200", lsi=False
    ),
    _number("y_balance_composite", "functional", "Y-balance composite", "%", "0", "150", lsi=False),
    # 0-300 reps: plausibility bound, not clinical.
    _number("bridge_single_leg_reps", "functional", "Single-leg bridge", "reps", "0", "300"),
)

_BY_KEY = {defn.key: defn for defn in MEASUREMENTS}


def get(key: str) -> MeasureDef:
    """The MeasureDef with this key; KeyError for an unknown key."""
    return _BY_KEY[key]


# ---------------------------------------------------------------------------------------------
# Parsing what the grid sends

_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # Unicode minus, en dash
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_MMT = re.compile(r"([0-5])([+-]?)")
_NO_SUCH_GRADE = {"0+", "0-", "5+"}  # 0 = no contraction; 5 is the maximum (Kendall/Daniels)
_STRIPPABLE_UNITS = ("°", "cm", "s", "%", "reps")  # "120°" or "45 cm" is accepted as typed
MAX_DECIMAL_PLACES = 2  # data-entry rule, not clinical: more digits are almost always a typo


def parse_value(defn: MeasureDef, text: str | None) -> tuple[Value | None, str | None]:
    """(value, error) for one cell; empty → (None, None); on error the value is None."""
    if text is None or not text.strip():
        return None, None
    cleaned = text.strip().translate(_MINUS_SIGNS)
    if defn.kind == "mmt":
        return _parse_mmt(defn, cleaned)
    if defn.kind == "quality":
        return _parse_quality(defn, cleaned)
    return _parse_number(defn, cleaned)


def _unit_suffix(unit: str) -> str:
    return unit if unit == "°" else f" {unit}"


def _strip_unit(text: str, unit: str) -> str:
    if unit in _STRIPPABLE_UNITS and text.lower().endswith(unit):
        return text[: -len(unit)].strip()
    return text


def _parse_number(defn: MeasureDef, text: str) -> tuple[Decimal | None, str | None]:
    text = _strip_unit(text, defn.unit)
    if not _NUMBER.fullmatch(text):
        return None, f"{defn.label} must be a number."
    value = Decimal(text)
    if -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
        return None, f"{defn.label}: use at most {MAX_DECIMAL_PLACES} decimal places."
    if defn.unit == "reps" and value != value.to_integral_value():
        return None, f"{defn.label} must be a whole number of reps."
    return _check_bounds(defn, value)


def _check_bounds(defn: MeasureDef, value: Decimal) -> tuple[Decimal | None, str | None]:
    low, high = defn.min_value, defn.max_value
    assert low is not None and high is not None  # guaranteed by MeasureDef.__post_init__
    if value < 0 <= low:
        return None, f"{defn.label} cannot be negative."
    if not low <= value <= high:
        return None, f"{defn.label} must be between {low:f} and {high:f}{_unit_suffix(defn.unit)}."
    return value, None


def _normal_grade(text: str) -> str | None:
    """'4 +' → '4+'; None when not a grade on the 0-5 scale."""
    compact = text.replace(" ", "")
    if not _MMT.fullmatch(compact) or compact in _NO_SUCH_GRADE:
        return None
    return compact


def _parse_mmt(defn: MeasureDef, text: str) -> tuple[str | None, str | None]:
    grade = _normal_grade(text)
    if grade is None:
        return None, (
            f"{defn.label} must be a grade from 0 to 5, with + or - if needed (e.g. 4+); "
            "there is no 0+, 0- or 5+."
        )
    return grade, None


def _parse_quality(defn: MeasureDef, text: str) -> tuple[str | None, str | None]:
    word = text.lower()
    if word not in QUALITY_CHOICES:
        return None, f"{defn.label} must be good, fair or poor."
    return word, None


# ---------------------------------------------------------------------------------------------
# Limb symmetry index

# ≥ 90 % is the usual return-to-sport threshold for hop and strength tests (DOMAIN.md section 5).
# It is compared with the unrounded index: 89.95 % is below 90 % (DOMAIN.md section 5). The
# index applies to measured quantities only (force, repetitions, hop distance or time), never
# to manual-muscle-test grades, which are ordinal.
LSI_THRESHOLD = Decimal(90)


def _as_number(value: Value | int | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def limb_symmetry_index(
    defn: MeasureDef, involved: Value | int | None, uninvolved: Value | int | None
) -> Decimal | None:
    """Involved ÷ uninvolved × 100 (uninvolved ÷ involved for timed tests), unrounded: round
    only to show it (lsi_shown). DOMAIN.md section 5. None when the row has no symmetry index,
    a side is missing, or the divisor is zero."""
    if not defn.lsi:
        return None
    inv, uninv = _as_number(involved), _as_number(uninvolved)
    if inv is None or uninv is None:
        return None
    top, bottom = (uninv, inv) if defn.timed else (inv, uninv)
    if bottom <= 0:
        return None
    return top / bottom * 100


def lsi_shown(value: Decimal | None) -> Decimal | None:
    """The index to one decimal for display (half up), except that a value under the
    threshold is cut instead, so 89.95 never reads as 90.0 beside its "below 90 %" flag."""
    if value is None:
        return None
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value < LSI_THRESHOLD <= shown:
        shown = value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return shown


def lsi_flag(value: Decimal | None) -> bool:
    """True when a symmetry index is below LSI_THRESHOLD (90 %); False for None."""
    return value is not None and value < LSI_THRESHOLD


# Y-balance cut-offs linked to injury (Plisky 2006, JOSPT 36:911; DOMAIN.md section 5): an
# anterior reach difference of 4 cm or more between sides; a composite reach below 94 % of
# limb length.
Y_BALANCE_ANTERIOR_DIFFERENCE_CM = Decimal(4)
Y_BALANCE_COMPOSITE_MIN_PCT = Decimal(94)
Y_BALANCE_KEYS = ("y_balance_anterior", "y_balance_composite")


def y_balance_flag(key: str, left: Value | str | None, right: Value | str | None) -> bool:
    """True when a Y-balance row is past Plisky 2006's cut-off: anterior reach differing by
    >= 4 cm (both sides needed), a composite below 94 % on either side. False otherwise."""
    if key not in Y_BALANCE_KEYS:
        return False
    values = []
    for text in (left, right):
        try:
            values.append(_as_number(text))
        except ArithmeticError:
            values.append(None)
    if key == "y_balance_anterior":
        if None in values:
            return False
        return abs(values[0] - values[1]) >= Y_BALANCE_ANTERIOR_DIFFERENCE_CM
    return any(v is not None and v < Y_BALANCE_COMPOSITE_MIN_PCT for v in values)


# ---------------------------------------------------------------------------------------------
# Cadence (gait retraining)

# Target = measured × 1.05 to × 1.10, rounded, as metronome beats per minute
# (Heiderscheit 2011, MSSE 43:296; DOMAIN.md section 5).
CADENCE_INCREASE = (Decimal("1.05"), Decimal("1.10"))
# 100-250 steps/min: data-entry plausibility bound, not a clinical threshold (DOMAIN.md: self-
# selected cadence is commonly 160-180). It also catches a watch's per-leg stride cadence
# (FIT cadence 85 = 170 steps/min, DOMAIN.md section 7).
CADENCE_PLAUSIBLE = (Decimal(100), Decimal(250))


def cadence_target(measured_steps_per_min: int | Decimal) -> tuple[int, int]:
    """(low, high) metronome target in whole beats per minute, rounded half up.

    ValueError outside the plausible 100-250 steps/min.
    """
    if isinstance(measured_steps_per_min, bool):
        raise ValueError("cadence must be a number of steps per minute")
    measured = Decimal(str(measured_steps_per_min))
    low, high = CADENCE_PLAUSIBLE
    if not measured.is_finite() or not low <= measured <= high:
        raise ValueError(
            f"Cadence must be between {low} and {high} steps per minute (both feet). "
            "A watch showing about 85 counts one leg: double it."
        )
    up_low, up_high = (
        int((measured * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for factor in CADENCE_INCREASE
    )
    return up_low, up_high


# ---------------------------------------------------------------------------------------------
# Special tests, offered by body region (keys as intake.models.questionnaires.BodyRegion)

SPECIAL_TEST_RESULTS = ("positive", "negative", "not_tested")

_SPECIAL_TEST_LABELS = {
    "fadir": "FADIR (flexion, adduction, internal rotation)",
    "faber": "FABER (flexion, abduction, external rotation)",
    "thomas": "Thomas test",
    "ober": "Ober test",
    # Pain on 30 s single-leg stance: gluteal tendinopathy (DOMAIN.md section 2).
    "single_leg_stance_30s": "Single-leg stance 30 s",
    "noble": "Noble compression test",
    "patellar_grind": "Patellar grind (Clarke's test)",
    # Pain on hopping is one of the bone stress signs (DOMAIN.md sections 2 and 3); alone it is
    # a finding, not a suspected bone stress injury (bone_stress_suspected below).
    "hop_test": "Hop test (pain on hopping)",
    # Focal bony pain: a bone stress sign (DOMAIN.md section 2, "focal tenderness ... -> suspect
    # bone stress injury" beside MTSS's diffuse tenderness over >= 5 cm).
    "focal_bony_tenderness": "Focal bony tenderness (one tender spot on the bone)",
    # Diffuse posteromedial tibial tenderness over ≥ 5 cm: MTSS (DOMAIN.md section 2).
    "tibial_tenderness_5cm": "Tibial tenderness over ≥ 5 cm (diffuse: MTSS)",
    "thompson": "Thompson test (calf squeeze)",
    "arc_sign": "Arc sign",
    "royal_london": "Royal London Hospital test",
    "anterior_drawer_ankle": "Anterior drawer (ankle)",
    "talar_tilt": "Talar tilt",
    "windlass": "Windlass test",
    "calcaneal_squeeze": "Calcaneal squeeze test",
    "slump": "Slump test",
    "straight_leg_raise": "Straight-leg raise",
}

_SPECIAL_TEST_KEYS = {  # region order as BodyRegion
    "hip": ("fadir", "faber", "thomas", "ober", "single_leg_stance_30s"),
    "groin": ("fadir", "hop_test", "focal_bony_tenderness"),
    "thigh": ("thomas", "ober"),
    "knee": ("noble", "ober", "patellar_grind", "thomas"),
    "shin": ("hop_test", "tibial_tenderness_5cm", "focal_bony_tenderness", "thompson"),
    "calf": ("thompson", "hop_test", "tibial_tenderness_5cm", "focal_bony_tenderness"),
    "achilles": ("thompson", "arc_sign", "royal_london"),
    # Anterior drawer and talar tilt are not in DOMAIN.md: to confirm.
    "ankle": ("anterior_drawer_ankle", "talar_tilt", "hop_test", "focal_bony_tenderness"),
    "heel_foot": ("windlass", "calcaneal_squeeze", "hop_test", "focal_bony_tenderness"),
    "low_back": ("slump", "straight_leg_raise"),
}

SPECIAL_TESTS: dict[str, tuple[tuple[str, str], ...]] = {
    region: tuple((key, _SPECIAL_TEST_LABELS[key]) for key in keys)
    for region, keys in _SPECIAL_TEST_KEYS.items()
}


def _dedupe(tests: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(tests))


def special_tests_for(regions: Iterable[str]) -> list[tuple[str, str]]:
    """(key, label) of the tests for these regions, each once, in order; KeyError if unknown."""
    return _dedupe(test for region in regions for test in SPECIAL_TESTS[region])


ALL_SPECIAL_TESTS: tuple[tuple[str, str], ...] = tuple(special_tests_for(SPECIAL_TESTS))


def bone_stress_suspected(*, focal_bony_tenderness: bool, night_pain: bool) -> bool:
    """A bone stress injury is suspected from its signs together, not from hop pain alone.

    DOMAIN.md section 2: bone stress presents with "focal bony pain, pain on hopping, night
    pain", and beside shin pain "focal tenderness or night pain -> suspect bone stress injury".
    So focal bony tenderness or night pain suspects it; pain on hopping is not an input: alone
    it is a finding (no hops for now, calf and foot work instead), not a suspected injury.
    """
    return focal_bony_tenderness or night_pain
