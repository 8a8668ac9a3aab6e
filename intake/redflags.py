"""Red-flag screening: refer, do not treat (DOMAIN.md section 3).

Pure functions, no Django and no database. ``screen(answers)`` takes one flat
answer dict and returns the positive findings as ``Flag`` objects.

Answer keys (anything else is ignored; a missing key means "no" or "not
assessed"; a value of the wrong type is treated as not answered):

General red flags, bool:
    night_rest_pain, unexplained_weight_loss, cancer_history,
    fever_chills_sweats, bowel_bladder_change, unexplained_weakness_numbness
Femoral neck bone stress injury signs, bool:
    fn_groin_pain_activity, fn_hop_pain, fn_hip_ir_pain, fn_night_pain
Wells DVT criteria, bool:
    wells_active_cancer, wells_paralysis_immobilisation,
    wells_bedridden_or_surgery, wells_deep_vein_tenderness,
    wells_whole_leg_swollen, wells_calf_swelling_3cm, wells_pitting_oedema,
    wells_collateral_veins, wells_alternative_diagnosis (scores -2)
Female Athlete Triad cumulative risk inputs:
    triad_dietary_restriction           int 0/1/2 (see DIETARY_RESTRICTION_LEVELS)
    triad_bmi                           number, kg/m2
    triad_weight_loss_pct_month         number, % of body weight lost per month
    triad_menarche_age                  int, years
    triad_menses_per_year               int
    triad_bmd_z                         number, BMD Z-score
    triad_stress_fractures              int, count
    triad_stress_fracture_high_risk_site  bool

Only ``True`` counts as "yes"; numbers may be int, float or Decimal (bools,
strings, NaN and infinities are not answers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import NamedTuple


class Question(NamedTuple):
    key: str
    question: str  # plain words, shown to the patient; written by this project
    label: str  # clinician-facing


@dataclass(frozen=True)
class Flag:
    kind: str  # "general" | "femoral_neck" | "dvt" | "low_energy"
    key: str
    label: str
    severity: str  # "emergency" | "urgent" | "review"
    hard_stop: bool
    detail: str


# DOMAIN.md section 3: "the severity decides what the software does": emergency = same-day
# medical care, hard stop; urgent = referral before loading; review = the clinician decides
# before the plan is issued.
EMERGENCY = "emergency"
URGENT = "urgent"
REVIEW = "review"
SEVERITY_ORDER = (EMERGENCY, URGENT, REVIEW)

# What the patient is told the moment they send answers that raise such a flag.
GO_TO_EMERGENCY = "emergency"  # same-day medical care: an emergency department or 911
CALL_TODAY = "call_today"  # stop running and weight-bearing exercise, call the clinic today
# A possible blood clot: the APTA VTE CPG (Hillegass 2016, Phys Ther 96:143; DOMAIN.md
# section 3) asks for medical testing before mobilisation, so the patient is sent to a doctor
# today, not to the clinic; sudden breathlessness, chest pain or coughing blood (a clot in
# the lung: Thrombosis UK, thrombosisuk.org/what-is-pe.php) is a call to 911.
SEE_DOCTOR_TODAY = "doctor_today"

# DOMAIN.md section 3: "New bowel or bladder change, saddle numbness or bilateral leg weakness
# (possible cauda equina) is an emergency."
EMERGENCY_GENERAL_FLAGS = frozenset({"bowel_bladder_change"})

# ---------------------------------------------------------------- general

# DOMAIN.md section 3 ("Red flags: refer, do not treat").
GENERAL_FLAGS: tuple[Question, ...] = (
    Question(
        "night_rest_pain",
        "Do you have pain that wakes you at night, or pain even when you are resting?",
        "Night or rest pain",
    ),
    Question(
        "unexplained_weight_loss",
        "Have you lost weight recently without trying to?",
        "Unexplained weight loss",
    ),
    Question(
        "cancer_history",
        "Have you ever had cancer?",
        "History of cancer",
    ),
    Question(
        "fever_chills_sweats",
        "Have you recently had a fever, chills or heavy sweating at night?",
        "Fever, chills or night sweats",
    ),
    Question(
        "bowel_bladder_change",
        "Have you noticed any new change in how your bowel or bladder works?",
        "Bowel or bladder change",
    ),
    Question(
        "unexplained_weakness_numbness",
        "Do you have weakness, numbness or tingling that you cannot explain?",
        "Unexplained weakness or numbness",
    ),
)

# ----------------------------------------------------------- femoral neck

# Presentation from DOMAIN.md section 3: "groin pain with activity, pain on
# hopping or hip internal rotation, night pain". The hop question asks about
# past experience only: a patient must not be asked to hop to find out.
FEMORAL_NECK_GROIN = "fn_groin_pain_activity"
FEMORAL_NECK_SIGNS: tuple[Question, ...] = (
    Question(
        FEMORAL_NECK_GROIN,
        "Do you get pain in your groin (front of the hip) when you run or walk?",
        "Groin pain with activity",
    ),
    Question(
        "fn_hop_pain",
        "Has hopping or jumping on that leg hurt your hip or groin? "
        "Please do not try it to find out.",
        "Pain on hopping",
    ),
    Question(
        "fn_hip_ir_pain",
        "Does it hurt in your groin when you twist that leg so the knee and toes turn inwards?",
        "Pain on hip internal rotation",
    ),
    Question(
        "fn_night_pain",
        "Does the hip or groin pain wake you at night?",
        "Night pain (hip/groin)",
    ),
)


def femoral_neck_suspected(answers: Mapping[str, object]) -> bool:
    """Groin pain with activity plus at least one other femoral-neck sign."""
    # Project screening threshold, NOT a published rule: DOMAIN.md lists the
    # presentation without a decision rule. A positive result is a hard stop
    # (no weight-bearing exercise, urgent referral for MRI; DOMAIN.md s.3).
    # Signs below this threshold still reach the clinician via screen().
    if answers.get(FEMORAL_NECK_GROIN) is not True:
        return False
    others = (s.key for s in FEMORAL_NECK_SIGNS if s.key != FEMORAL_NECK_GROIN)
    return any(answers.get(key) is True for key in others)


# ------------------------------------------------------------------- Wells


class WellsCriterion(NamedTuple):
    key: str
    label: str
    points: int


# Wells DVT criteria and points: Riddle & Wells, Phys Ther 2004;84:729
# (as listed in DOMAIN.md s.3): each +1, "another diagnosis at least as
# likely" -2.
WELLS_CRITERIA: tuple[WellsCriterion, ...] = (
    WellsCriterion("wells_active_cancer", "Active cancer", 1),
    WellsCriterion("wells_paralysis_immobilisation", "Paralysis or immobilisation of the leg", 1),
    WellsCriterion(
        "wells_bedridden_or_surgery",
        "Bedridden > 3 days or surgery within 4 weeks",
        1,
    ),
    WellsCriterion("wells_deep_vein_tenderness", "Tenderness along the deep veins", 1),
    WellsCriterion("wells_whole_leg_swollen", "Whole leg swollen", 1),
    WellsCriterion("wells_calf_swelling_3cm", "Calf > 3 cm larger than the other side", 1),
    WellsCriterion("wells_pitting_oedema", "Pitting edema", 1),
    WellsCriterion("wells_collateral_veins", "Collateral superficial veins", 1),
    WellsCriterion("wells_alternative_diagnosis", "Another diagnosis at least as likely", -2),
)
WELLS_HIGH_MIN = 3  # >= 3 high (Riddle & Wells, Phys Ther 2004;84:729)
WELLS_MODERATE_MIN = 1  # 1-2 moderate, < 1 low (same source)


def wells_score(answers: Mapping[str, object]) -> int:
    """Sum of the points of the criteria answered True."""
    return sum(c.points for c in WELLS_CRITERIA if answers.get(c.key) is True)


def wells_probability(score: int) -> str:
    """Pre-test probability band: "high", "moderate" or "low"."""
    if score >= WELLS_HIGH_MIN:
        return "high"
    if score >= WELLS_MODERATE_MIN:
        return "moderate"
    return "low"


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


# ----------------------------------------------------------------- screen


def _general_flags(answers: Mapping[str, object]) -> list[Flag]:
    flags = []
    for q in GENERAL_FLAGS:
        if answers.get(q.key) is not True:
            continue
        if q.key in EMERGENCY_GENERAL_FLAGS:
            detail = f"{q.label}: possible cauda equina. Same-day medical care; hard stop."
            flags.append(Flag("general", q.key, q.label, EMERGENCY, True, detail))
        else:
            flags.append(Flag("general", q.key, q.label, REVIEW, False, q.label))
    return flags


def _femoral_neck_flags(answers: Mapping[str, object]) -> list[Flag]:
    signs = [s.label for s in FEMORAL_NECK_SIGNS if answers.get(s.key) is True]
    if not signs:
        return []
    label = "Suspected femoral neck bone stress injury"
    if femoral_neck_suspected(answers):
        detail = (
            f"{'; '.join(signs)}. Hard stop: no weight-bearing exercise, urgent referral for MRI."
        )
        return [Flag("femoral_neck", "femoral_neck", label, URGENT, True, detail)]
    # Below the project's threshold: still shown so the clinician examines it.
    label = "Femoral neck bone stress injury signs (below screening threshold)"
    detail = f"{'; '.join(signs)}. Clinician to examine before loading."
    return [Flag("femoral_neck", "femoral_neck_signs", label, REVIEW, False, detail)]


def _dvt_flags(answers: Mapping[str, object]) -> list[Flag]:
    score = wells_score(answers)
    if score < WELLS_MODERATE_MIN:
        return []
    band = wells_probability(score)
    found = [f"{c.label} ({c.points:+d})" for c in WELLS_CRITERIA if answers.get(c.key) is True]
    detail = f"Wells score {score} ({band} probability): {'; '.join(found)}"
    severity = URGENT if band == "high" else REVIEW
    label = "Possible deep vein thrombosis"
    return [Flag("dvt", "wells", label, severity, False, detail)]


def _low_energy_flags(answers: Mapping[str, object]) -> list[Flag]:
    points = triad_points(answers)
    result = triad_risk(points)
    # Flag from "provisional clearance" upwards, or any dietary restriction.
    if result.total <= TRIAD_FULL_CLEARANCE_MAX and not points["dietary_restriction"]:
        return []
    detail = (
        f"Triad cumulative risk {result.total} from {result.assessed} of "
        f"{len(TRIAD_FACTORS)} factors ({result.category})"
    )
    if result.note:
        detail = f"{detail}. {result.note}"
    label = "Low energy availability (Female Athlete Triad)"
    return [Flag("low_energy", "triad", label, REVIEW, False, detail)]


def screen(answers: Mapping[str, object]) -> list[Flag]:
    """Positive red-flag findings, emergencies first; never raises on bad values."""
    if not isinstance(answers, Mapping):
        return []
    flags = (
        _femoral_neck_flags(answers)
        + _dvt_flags(answers)
        + _general_flags(answers)
        + _low_energy_flags(answers)
    )
    return sorted(flags, key=lambda f: (SEVERITY_ORDER.index(f.severity), not f.hard_stop))


def needs_action_now(severity: str, hard_stop: bool) -> bool:
    """A flag the patient is told about at once and the clinicians are mailed about, that sits
    on top of every clinical page until decided and is acknowledged before signing."""
    return hard_stop or severity in (EMERGENCY, URGENT)


def patient_action(flags) -> str | None:
    """What the patient must do now, for flags (or alerts) with .severity and .hard_stop:
    GO_TO_EMERGENCY, SEE_DOCTOR_TODAY (a possible blood clot), CALL_TODAY, or None (the
    clinician goes through it at the visit)."""
    flags = list(flags)
    if any(f.severity == EMERGENCY for f in flags):
        return GO_TO_EMERGENCY
    now = [f for f in flags if needs_action_now(f.severity, f.hard_stop)]
    if any(f.kind == "dvt" for f in now):
        return SEE_DOCTOR_TODAY  # its words also say to stop running and to call the clinic
    if now:
        return CALL_TODAY
    return None
