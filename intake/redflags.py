"""Red-flag screening: refer, do not treat (DOMAIN.md section 3).

Pure functions, no Django and no database. ``screen(answers)`` takes one flat
answer dict and returns the positive findings as ``Flag`` objects.

Answer keys (anything else is ignored; a missing key means "no" or "not
assessed"; a value of the wrong type is treated as not answered):

General red flags, bool:
    night_rest_pain, unexplained_weight_loss, cancer_history,
    fever_chills_sweats, bowel_bladder_change, saddle_numbness, bilateral_leg_weakness,
    unexplained_weakness_numbness
Femoral neck bone stress injury signs, bool:
    fn_groin_pain_activity, fn_hop_pain, fn_hip_ir_pain, fn_night_pain
Wells DVT criteria, bool:
    wells_active_cancer, wells_paralysis_immobilisation,
    wells_bedridden_or_surgery, wells_deep_vein_tenderness,
    wells_whole_leg_swollen, wells_calf_swelling_3cm, wells_pitting_oedema,
    wells_collateral_veins, wells_alternative_diagnosis (scores -2)
Female Athlete Triad cumulative risk inputs:
    triad_dietary_restriction           int 0/1/2 (intake.triad.DIETARY_RESTRICTION_LEVELS)
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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from intake.triad import TRIAD_FACTORS, TRIAD_FULL_CLEARANCE_MAX, triad_points, triad_risk


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
EMERGENCY_GENERAL_FLAGS = frozenset(
    {"bowel_bladder_change", "saddle_numbness", "bilateral_leg_weakness"}
)

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
        "saddle_numbness",
        "Is there any numbness between your legs or around your bottom (where you sit on a bike"
        " saddle)?",
        "Saddle numbness",
    ),
    Question(
        "bilateral_leg_weakness",
        "Are both of your legs weak, or getting weaker?",
        "Weakness in both legs",
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


# Project screening threshold, not a published rule: DOMAIN.md s.3 lists the four signs with
# no decision rule; the clinical review (issue 20) set "any two of the four, groin pain or
# not" (a runner with night pain and pain on hopping is not cleared because the groin is quiet).
FEMORAL_NECK_SIGNS_FOR_STOP = 2


def femoral_neck_suspected(answers: Mapping[str, object]) -> bool:
    """Any two of the four femoral-neck signs: a hard stop (no weight-bearing exercise,
    urgent referral for MRI; DOMAIN.md s.3). One sign alone still reaches the clinician
    through screen()."""
    present = sum(answers.get(s.key) is True for s in FEMORAL_NECK_SIGNS)
    return present >= FEMORAL_NECK_SIGNS_FOR_STOP


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
    detail = (
        f"Wells score {score} ({band} probability): {'; '.join(found)}. Hard stop: medical "
        "testing before mobilisation; record the clearance to go on."
    )
    # DOMAIN.md section 3: a moderate or high Wells score is urgent, a hard stop - the APTA
    # VTE CPG (Hillegass 2016, Phys Ther 96:143) recommends medical testing before
    # mobilisation, so no plan is generated or issued until a clinician records the clearance.
    label = "Possible deep vein thrombosis"
    return [Flag("dvt", "wells", label, URGENT, True, detail)]


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
