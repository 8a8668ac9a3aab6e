"""The default plan-rule table (data for plans/rules.py), one cited rule per line.

Every curated condition of intake/diagnoses.py gets the first-line approach of DOMAIN.md
section 2; finding-driven rules follow (weak hip abductors, weak calf, LSI below 90 % per area,
low cadence, positive hop test, limited dorsiflexion), then the generic perform-phase
progression of DOMAIN.md section 6. Exercise keys come only from plans/catalogue.py.

Priorities: 10-19 first-line exercises of a diagnosis, 20-29 finding-driven, 40+ progression
drills. "project default" marks a choice of this project that DOMAIN.md does not state.

Clinic parameters:
- KNEE_TO_WALL_LIMIT_CM: knee-to-wall distance (cm) below which dorsiflexion counts as limited.
  DOMAIN.md gives no threshold, so it is None (off) until the clinic sets one.
- Achilles: DEFAULT_RULES use the Alfredson protocol; ``with_achilles_hsr()`` swaps in heavy
  slow resistance (Beyer 2015) instead - the two are alternatives, never given together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plans.rules import DEFAULT_MAX_ITEMS, Rule

KNEE_TO_WALL_LIMIT_CM: Decimal | None = None  # no published threshold in DOMAIN.md: clinic sets
MAX_ITEMS = DEFAULT_MAX_ITEMS

P, S, R, F = "protect", "strengthen", "return_to_run", "perform"

PFP = "patellofemoral_pain"
ITBS = "iliotibial_band_syndrome"
ACH = "achilles_midportion"
ACI = "achilles_insertional"
MTSS = "medial_tibial_stress_syndrome"
BSI_TIB, BSI_FOOT, BSI_PF = (
    "bone_stress_tibia_fibula",
    "bone_stress_foot_ankle",
    "bone_stress_pelvis_femur",
)
BSI = (BSI_TIB, BSI_FOOT, BSI_PF)
PHP = "plantar_heel_pain"
GT = "gluteal_tendinopathy"
LABRAL = "hip_labral_tear"
PHT = "proximal_hamstring_tendinopathy"

SRC_PFP = (
    "Willy 2019 CPG, JOSPT 49(9); 2016 consensus: combined hip- and knee-targeted strengthening"
)
SRC_ITBS = "Fredericson 2000, CJSM 10:169: gluteus medius strengthening, ~6 weeks"
SRC_ALFREDSON = (
    "Alfredson 1998, AJSM 26:360: eccentric heel drops, 3x15 twice daily 7 days/week for 12 "
    "weeks; CPG Martin 2018, JOSPT 48(5)"
)
SRC_HSR = "Beyer 2015, AJSM 43:1704: heavy slow resistance"
SRC_INSERTIONAL = (
    "Jonsson 2008, BJSM 42:746: eccentrics on the floor, never below step level (dorsiflexion "
    "compresses the insertion); isometrics and heavy slow resistance without end-range "
    "dorsiflexion"
)
SRC_MTSS = "Load management, calf strengthening, graded return"
SRC_BSI = (
    "Warden 2014, JOSPT 44:749: calf and foot strength; no plyometrics or running until cleared"
)
SRC_BSI_IMPACT = (
    "Warden 2014, JOSPT 44:749: graded return to impact once cleared; pain-free single-leg "
    "hopping (10-20 hops) is a start criterion for running"
)
SRC_BSI_CADENCE = (
    "Warden 2014, JOSPT 44:749: reduce impact by raising step rate; Heiderscheit 2011, MSSE 43:296"
)
SRC_PHP = "Rathleff 2015: high-load heel raise with a towel under the toes"
SRC_DORSIFLEXION = (
    "project default; limited dorsiflexion is a key finding of plantar heel pain "
    "(heel pain CPG 2014, revised 2023)"
)
SRC_GT = (
    "LEAP trial, Mellor 2018, BMJ 361:k1662: education + progressive abductor loading, "
    "avoid adduction/compression"
)
SRC_LABRAL = "Nonoperative first, hip and core strengthening (no trial cited)"
SRC_PHT = (
    "Goom 2016, JOSPT: isometrics, then heavy isotonic, then running; avoid compressive stretching"
)
SRC_PROGRESSION = "Two legs -> one leg; isometric -> isotonic -> plyometric -> running"
SRC_HIP_ABDUCTORS = (
    "project default; hip abductor weakness in ITBS (Noehren 2014) and pelvic drop "
    "(Bramah 2018, AJSM)"
)
SRC_LSI = "project default; LSI >= 90 % is the usual return-to-sport threshold"
SRC_CADENCE = "Heiderscheit 2011, MSSE 43:296: step rate +5-10 %"
SRC_Y_BALANCE = (
    "Plisky 2006, JOSPT 36:911: anterior reach difference >= 4 cm, composite < 94 % of limb "
    "length linked to injury"
)
SRC_HOP = (
    "project default; pain on hopping suggests bone stress: calf and foot strength instead "
    "(Warden 2014)"
)

# Cadence work rides on the current walk-run stage's run intervals, never on a fixed run
# of its own (DOMAIN.md s.4 stage 1 is 3 min run / 2 min walk).
CADENCE_NOTES = "Metronome at {cadence}, during the running minutes of your current walk-run stage."
# Each program's weekly steps and length are in plans/progressions.py ("schedule"): the plan
# item takes week 1's sets, reps and load and the number of weeks from there, and shows every
# step dated from the day the plan is issued.
ALFREDSON_DOSAGE: dict[str, Any] = {  # Alfredson 1998, AJSM 26:360
    "sessions_per_day": 2,
    "days_per_week": 7,
    "schedule": "alfredson",
}
HSR_DOSAGE: dict[str, Any] = {  # Beyer 2015, AJSM 43:1704
    "days_per_week": 3,
    "tempo": "3 s up, 3 s down",
    "rest_seconds": 150,  # 2-3 min
    "schedule": "beyer_hsr",
}
RATHLEFF_DOSAGE: dict[str, Any] = {  # Rathleff 2015, SJMSS 25:e292
    "tempo": "3 s up, 2 s hold, 3 s down",
    "schedule": "rathleff_heel_raise",
}


def _r(
    key: str,
    exercise: str,
    priority: int,
    reason: str,
    source: str,
    *,
    conditions: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    phases: tuple[str, ...] = (),
    dosage: dict[str, Any] | None = None,
    lsi_area: str | None = None,
) -> Rule:
    return Rule(
        key=key,
        exercise=exercise,
        reason=reason,
        source=source,
        when_conditions=frozenset(conditions),
        when_flags=frozenset(flags),
        phases=frozenset(phases),
        priority=priority,
        dosage_overrides=dosage or {},
        lsi_area=lsi_area,
    )


# fmt: off
# Rule tables: one rule per call, laid out by hand for reading as a table.
_KNEE_CAP = "For kneecap pain, strengthening the hip and the knee together works best."

PFP_RULES = (
    _r("pfp_hip_abduction", "side_lying_hip_abduction", 10,
       f"Strengthens the side-hip muscles that steer your knee. {_KNEE_CAP}",
       SRC_PFP, conditions=(PFP,), phases=(P, S)),
    _r("pfp_wall_sit", "wall_sit", 11,
       f"Builds thigh strength with the knee held still, at a depth you keep comfortable. "
       f"{_KNEE_CAP}", SRC_PFP, conditions=(PFP,), phases=(P, S)),
    _r("pfp_sit_to_stand", "sit_to_stand", 13,
       f"Strengthens thigh and hip in an everyday movement. {_KNEE_CAP}",
       SRC_PFP, conditions=(PFP,), phases=(S,)),
    _r("pfp_step_up", "step_up", 14,
       f"Strengthens thigh and hip on one leg, as in running and stairs. {_KNEE_CAP}",
       SRC_PFP, conditions=(PFP,), phases=(S, R)),
    _r("pfp_lateral_step_down", "lateral_step_down", 15,
       f"Trains hip and knee control on one leg as you lower your body. {_KNEE_CAP}",
       SRC_PFP, conditions=(PFP,), phases=(S, R)),
    _r("pfp_single_leg_squat", "single_leg_squat", 16,
       f"Single-leg strength for the return to running. {_KNEE_CAP}",
       SRC_PFP, conditions=(PFP,), phases=(R, F)),
)

_ITB = "For iliotibial band pain, strengthening gluteus medius (side hip) for about 6 weeks"
ITBS_RULES = (
    _r("itbs_side_lying_abduction", "side_lying_hip_abduction", 10,
       f"{_ITB} is the first-line exercise approach.",
       SRC_ITBS, conditions=(ITBS,), phases=(P, S, R), dosage={"weeks": 6}),
    _r("itbs_hip_hike", "hip_hike", 11,
       f"Trains the side hip to keep your pelvis level on one leg. {_ITB} is the first-line "
       "exercise approach.", SRC_ITBS, conditions=(ITBS,), phases=(S, R), dosage={"weeks": 6}),
    _r("itbs_side_plank_knees", "side_plank_knees", 12,
       f"Works the side hip and trunk together. {_ITB} is the first-line exercise approach.",
       SRC_ITBS, conditions=(ITBS,), phases=(P, S)),
    _r("itbs_lateral_band_walk", "lateral_band_walk", 13,
       f"Works the side hip while standing and moving. {_ITB} is the first-line exercise "
       "approach.", SRC_ITBS, conditions=(ITBS,), phases=(S, R)),
)

_ALF = "the Alfredson program for Achilles tendon pain"
ACHILLES_ALFREDSON_RULES = (
    _r("achilles_heel_drop_straight", "eccentric_heel_drop_straight", 10,
       f"Slow lowering with the knee straight loads the calf and Achilles tendon: part of {_ALF}.",
       SRC_ALFREDSON, conditions=(ACH,), phases=(S, R), dosage=ALFREDSON_DOSAGE),
    _r("achilles_heel_drop_bent", "eccentric_heel_drop_bent", 11,
       f"Slow lowering with the knee bent loads the deeper calf muscle (soleus): part of {_ALF}.",
       SRC_ALFREDSON, conditions=(ACH,), phases=(S, R), dosage=ALFREDSON_DOSAGE),
)
ACHILLES_HSR_RULES = (
    _r("achilles_hsr_seated", "seated_heavy_calf_raise", 10,
       "Heavy, slow calf raises with the knee bent load the Achilles tendon and soleus "
       "(heavy slow resistance program).",
       SRC_HSR, conditions=(ACH,), phases=(S, R), dosage=HSR_DOSAGE),
    _r("achilles_hsr_standing", "standing_heavy_calf_raise", 11,
       "Heavy, slow calf raises with the knee straight load the Achilles tendon and calf "
       "(heavy slow resistance program).",
       SRC_HSR, conditions=(ACH,), phases=(S, R), dosage=HSR_DOSAGE),
)
ACHILLES_RULES = (
    _r("achilles_isometric_hold", "isometric_calf_hold", 10,
       "Holding a calf raise loads the Achilles tendon without movement while it is irritable.",
       "project default", conditions=(ACH,), phases=(P,)),
    _r("achilles_calf_raise_double", "calf_raise_double", 12,
       "Builds calf strength on both legs before moving on to one leg (Achilles tendon pain).",
       SRC_PROGRESSION, conditions=(ACH,), phases=(P, S)),
    _r("achilles_calf_raise_single", "calf_raise_single_straight", 12,
       "Single-leg calf raises carry the Achilles tendon towards the load of running.",
       SRC_PROGRESSION, conditions=(ACH,), phases=(R, F)),
    _r("achilles_pogo_hops", "pogo_hops", 20,
       "Small springy hops prepare the Achilles tendon for running: the plyometric step.",
       SRC_PROGRESSION, conditions=(ACH,), phases=(F,)),
)

_INS = "For pain where the Achilles tendon meets the heel bone"
_FLAT = "Feet flat on the floor, never on a step: the heel must not sink below the toes."
ACHILLES_INSERTIONAL_RULES = (
    _r("insertional_isometric_hold", "isometric_calf_hold", 10,
       f"{_INS}, holding a calf raise still loads the tendon while it is irritable.",
       SRC_INSERTIONAL, conditions=(ACI,), phases=(P, S)),
    _r("insertional_calf_raise_double", "calf_raise_double", 12,
       f"{_INS}: calf strength on both legs, on the floor.",
       SRC_INSERTIONAL, conditions=(ACI,), phases=(P, S)),
    _r("insertional_floor_heel_drop", "eccentric_heel_drop_floor", 10,
       f"{_INS}, slow lowering on the floor loads the tendon without pressing on where it "
       "meets the bone (never over a step edge).",
       SRC_INSERTIONAL, conditions=(ACI,), phases=(S, R), dosage=ALFREDSON_DOSAGE),
    _r("insertional_hsr_seated", "seated_heavy_calf_raise", 11,
       f"{_INS}: heavy, slow calf raises with the feet flat, so the ankle never bends "
       "fully up.",
       SRC_INSERTIONAL, conditions=(ACI,), phases=(S, R),
       dosage={**HSR_DOSAGE, "notes": _FLAT}),
    _r("insertional_calf_raise_single", "calf_raise_single_straight", 12,
       f"{_INS}: single-leg calf raises on the floor carry the tendon towards running.",
       SRC_PROGRESSION, conditions=(ACI,), phases=(R, F)),
    _r("insertional_pogo_hops", "pogo_hops", 20,
       "Small springy hops on flat ground prepare the Achilles tendon for running.",
       SRC_PROGRESSION, conditions=(ACI,), phases=(F,)),
)

_SHIN = "For shin pain, calf strength is first-line care, together with running less for now."
MTSS_RULES = (
    _r("mtss_calf_raise_double", "calf_raise_double", 10,
       f"Builds calf strength on both legs. {_SHIN}", SRC_MTSS, conditions=(MTSS,), phases=(P, S)),
    _r("mtss_calf_raise_single_straight", "calf_raise_single_straight", 11,
       f"Builds calf strength on one leg, knee straight. {_SHIN}",
       SRC_MTSS, conditions=(MTSS,), phases=(S, R)),
    _r("mtss_calf_raise_single_bent", "calf_raise_single_bent", 12,
       f"Builds the deeper calf muscle (soleus) on one leg, knee bent. {_SHIN}",
       SRC_MTSS, conditions=(MTSS,), phases=(S, R)),
    _r("mtss_tibialis_raise", "tibialis_raise", 14,
       f"Strengthens the muscle at the front of the shin. {_SHIN}",
       "project default", conditions=(MTSS,), phases=(S, R)),
)

_BONE = "While a bone stress injury heals, calf and foot strength help; no hopping or running yet."
BONE_STRESS_RULES = (
    _r("bsi_short_foot", "short_foot", 10,
       f"Strengthens the small muscles of the foot arch. {_BONE}",
       SRC_BSI, conditions=BSI, phases=(P, S, R)),
    _r("bsi_toe_yoga", "toe_yoga", 11,
       f"Trains control of the toes and foot muscles. {_BONE}",
       SRC_BSI, conditions=BSI, phases=(P, S)),
    _r("bsi_calf_raise_double", "calf_raise_double", 12,
       f"Builds calf strength on both legs. {_BONE}", SRC_BSI, conditions=BSI, phases=(S,)),
    _r("bsi_calf_raise_single", "calf_raise_single_straight", 12,
       "Single-leg calf strength for the return to running after a bone stress injury.",
       SRC_BSI, conditions=BSI, phases=(R, F)),
    _r("bsi_dead_bug", "dead_bug", 14,
       f"Trunk strength lying down, with no load through the hip or pelvis. {_BONE}",
       "project default", conditions=(BSI_PF,), phases=(P, S)),
    _r("bsi_glute_bridge", "glute_bridge", 15,
       f"Hip strength lying down, once walking is comfortable. {_BONE}",
       "project default", conditions=(BSI_PF,), phases=(S,)),
    _r("bsi_metronome_run", "metronome_run", 20,
       "Running at a slightly quicker step rate ({cadence}) lowers the load on the bone with "
       "each step. Only once you are cleared to run.",
       SRC_BSI_CADENCE, conditions=BSI, phases=(R, F),
       dosage={"notes": CADENCE_NOTES}),
    # Graded impact is the bone's loading once cleared: pain-free single-leg hopping (10-20
    # hops) is a start criterion for running (DOMAIN.md s.4), and hopping and running return
    # gradually (Warden 2014, JOSPT 44:749).
    _r("bsi_pogo_hops", "pogo_hops", 21,
       "Small, springy hops load the healing bone a little at a time, now that you are "
       "cleared for impact. Stop if the bone hurts.",
       SRC_BSI_IMPACT, conditions=BSI, phases=(R, F)),
    _r("bsi_single_leg_hops", "single_leg_hops", 22,
       "Hopping on one leg is the next step in loading the bone, before faster running.",
       SRC_BSI_IMPACT, conditions=BSI, phases=(F,)),
)

_HEEL = "heel pain"
PLANTAR_HEEL_RULES = (
    _r("php_towel_heel_raise", "towel_heel_raise", 10,
       f"A heavy, slow heel raise with the toes lifted on a towel loads the sole of the foot: "
       f"first-line exercise for {_HEEL}.",
       SRC_PHP, conditions=(PHP,), phases=(S, R), dosage=RATHLEFF_DOSAGE),
    _r("php_calf_raise_double", "calf_raise_double", 11,
       f"Gentle calf strength on both legs while {_HEEL} is irritable.",
       "project default", conditions=(PHP,), phases=(P,)),
    _r("php_calf_stretch", "calf_stretch", 12,
       f"Stiff calves (limited ankle bend) go with {_HEEL}; this stretches the calf.",
       SRC_DORSIFLEXION, conditions=(PHP,), phases=(P, S)),
    _r("php_soleus_stretch", "soleus_stretch", 13,
       f"Stiff calves (limited ankle bend) go with {_HEEL}; this stretches the deeper calf.",
       SRC_DORSIFLEXION, conditions=(PHP,), phases=(P, S)),
    _r("php_short_foot", "short_foot", 14,
       f"Strengthens the small muscles of the foot arch ({_HEEL}).",
       "project default", conditions=(PHP,), phases=(P, S, R)),
)

_LEAP = (
    "Avoid positions that squeeze the tendon: crossing your legs, or standing with your hip "
    "pushed out to one side."
)
GLUTEAL_RULES = (
    _r("gt_isometric_abduction", "isometric_hip_abduction", 10,
       f"Pushing out against a wall without moving loads the side-hip tendons gently: the first "
       f"step for lateral hip pain. {_LEAP}", SRC_GT, conditions=(GT,), phases=(P, S)),
    _r("gt_glute_bridge", "glute_bridge", 11,
       "Progressive hip strength, the next step for lateral hip pain.",
       SRC_GT, conditions=(GT,), phases=(S, R)),
    _r("gt_sit_to_stand", "sit_to_stand", 12,
       "Progressive hip strength in an everyday movement (lateral hip pain); keep knees apart.",
       SRC_GT, conditions=(GT,), phases=(S,)),
    _r("gt_step_up", "step_up", 13,
       "Progressive side-hip loading on one leg (lateral hip pain); keep your pelvis level.",
       SRC_GT, conditions=(GT,), phases=(S, R)),
    _r("gt_lateral_band_walk", "lateral_band_walk", 14,
       "Progressive side-hip loading while moving (lateral hip pain).",
       SRC_GT, conditions=(GT,), phases=(S, R)),
    _r("gt_single_leg_deadlift", "single_leg_deadlift", 15,
       "Heavier single-leg hip strength for the return to running (lateral hip pain).",
       SRC_GT, conditions=(GT,), phases=(R, F)),
)

_LABRUM = "For a hip labral tear, hip and core strength come first"
LABRAL_RULES = (
    _r("labral_glute_bridge", "glute_bridge", 10,
       f"{_LABRUM}; this builds the hip extensors. Avoid deep hip bending that brings on your "
       "groin pain.", SRC_LABRAL, conditions=(LABRAL,), phases=(P, S)),
    _r("labral_dead_bug", "dead_bug", 11,
       f"{_LABRUM}; this builds trunk control with the hip moving freely.",
       SRC_LABRAL, conditions=(LABRAL,), phases=(P, S)),
    _r("labral_side_lying_abduction", "side_lying_hip_abduction", 12,
       f"{_LABRUM}; this builds the side-hip muscles.",
       SRC_LABRAL, conditions=(LABRAL,), phases=(S,)),
    _r("labral_front_plank", "front_plank", 13,
       f"{_LABRUM}; this builds trunk strength.",
       SRC_LABRAL, conditions=(LABRAL,), phases=(S, R)),
    _r("labral_side_plank_knees", "side_plank_knees", 14,
       f"{_LABRUM}; this builds side-hip and trunk strength together.",
       SRC_LABRAL, conditions=(LABRAL,), phases=(S, R)),
)

_HAM = "For hamstring tendon pain at the sitting bone"
HAMSTRING_RULES = (
    _r("pht_isometric_bridge", "isometric_hamstring_bridge", 10,
       f"{_HAM}, holding still (isometric) is the first step. Avoid stretches that press on "
       "the sitting bone.", SRC_PHT, conditions=(PHT,), phases=(P, S)),
    _r("pht_hamstring_bridge", "hamstring_bridge", 11,
       f"{_HAM}, moving strength work follows the holds.",
       SRC_PHT, conditions=(PHT,), phases=(S,)),
    _r("pht_slider_curl", "slider_hamstring_curl", 12,
       f"{_HAM}, this builds heavier hamstring strength with the hip kept straight.",
       SRC_PHT, conditions=(PHT,), phases=(S, R)),
    _r("pht_single_leg_deadlift", "single_leg_deadlift", 14,
       f"{_HAM}, heavy strength in more hip bend comes later, before running.",
       SRC_PHT, conditions=(PHT,), phases=(R, F)),
    _r("pht_nordic", "nordic_hamstring", 16,
       f"{_HAM}, this is the heaviest hamstring exercise, for the return to full running.",
       SRC_PHT, conditions=(PHT,), phases=(F,)),
)

def _cadence(key: str, conditions: tuple[str, ...], effect: str) -> Rule:
    """The cadence run for these conditions, its reason the measured rate and the effect."""
    return _r(
        key, "metronome_run", 18,
        "Your step rate was measured at {step_rate}. Running to a metronome at {cadence} "
        f"(5-10 % quicker) {effect}", SRC_CADENCE,
        conditions=conditions, flags=("low_cadence",), phases=(R, F),
        dosage={"notes": CADENCE_NOTES},
    )


_WEAK = "which tested weaker on {side} ({lsi})"
FINDING_RULES = (
    _r("weak_hip_side_lying_abduction", "side_lying_hip_abduction", 20,
       f"Strengthens the hip abductors, {_WEAK}.", SRC_HIP_ABDUCTORS,
       flags=("weak_hip_abductors",), phases=(P, S, R), lsi_area="hip_abductors"),
    _r("weak_hip_clamshell", "clamshell", 21,
       f"Strengthens the hip abductors and rotators, {_WEAK}.", SRC_HIP_ABDUCTORS,
       flags=("weak_hip_abductors",), phases=(P, S), lsi_area="hip_abductors"),
    _r("weak_hip_side_plank", "side_plank", 22,
       f"Loads the hip abductors more heavily, {_WEAK}.", SRC_HIP_ABDUCTORS,
       flags=("weak_hip_abductors",), phases=(S, R, F), lsi_area="hip_abductors"),
    _r("weak_calf_double", "calf_raise_double", 20,
       "Builds the calf on both legs first; the calf tested weaker on {side} ({lsi}).", SRC_LSI,
       flags=("weak_calf",), phases=(P,), lsi_area="calf"),
    _r("weak_calf_single", "calf_raise_single_straight", 20,
       f"Single-leg calf raises build the calf, {_WEAK}.", SRC_LSI,
       flags=("weak_calf",), phases=(S, R, F), lsi_area="calf"),
    _r("lsi_quadriceps_single_leg_press", "single_leg_press", 24,
       "Single-leg thigh strength: the quadriceps on {side} measured below 90 % of the "
       "other leg ({lsi}).", SRC_LSI,
       flags=("lsi_below_90_quadriceps",), phases=(S, R), lsi_area="quadriceps"),
    _r("lsi_hamstrings_single_leg_deadlift", "single_leg_deadlift", 24,
       "Single-leg hamstring strength: the hamstrings on {side} measured below 90 % of the "
       "other leg ({lsi}).", SRC_LSI,
       flags=("lsi_below_90_hamstrings",), phases=(S, R, F), lsi_area="hamstrings"),
    _r("lsi_hip_extensors_single_leg_bridge", "single_leg_bridge", 24,
       "Single-leg hip strength: the hip extensors on {side} measured below 90 % of the "
       "other leg ({lsi}).", SRC_LSI,
       flags=("lsi_below_90_hip_extensors",), phases=(S, R), lsi_area="hip_extensors"),
    _r("lsi_hip_rotators_clamshell", "clamshell", 25,
       "Strengthens the hip rotators: those on {side} measured below 90 % of the other leg "
       "({lsi}).", SRC_LSI,
       flags=("lsi_below_90_hip_external_rotators",), phases=(P, S),
       lsi_area="hip_external_rotators"),
    _r("lsi_hop_single_leg_squat", "single_leg_squat", 26,
       "Single-leg strength and control: the hop test on {side} measured below 90 % of the "
       "other leg ({lsi}).", SRC_LSI,
       flags=("lsi_below_90_hop",), phases=(S, R), lsi_area="hop"),
    _r("y_balance_reach", "single_leg_balance_reach", 27,
       "Single-leg balance: your Y-balance reach was past the level linked to injury (a "
       "forward reach 4 cm or more shorter on one side, or a total reach below 94 % of your "
       "leg length).", SRC_Y_BALANCE,
       flags=("y_balance_reach_low",), phases=(S, R, F)),
    # The reason follows the measured step rate and the condition (Heiderscheit 2011, MSSE
    # 43:296, step rate +5-10 %: less energy absorbed at the knee and hip, a lower hip
    # adduction moment at +10 %, shorter steps with less braking). Bone stress has its own
    # cadence rule (bsi_metronome_run, Warden 2014).
    _cadence("low_cadence_metronome_run_knee", (PFP,),
             "lowers the load your knee absorbs with each step."),
    _cadence("low_cadence_metronome_run_hip", (ITBS,),
             "lowers the inward pull at the hip that loads the band on the outside of your "
             "thigh."),
    _cadence("low_cadence_metronome_run", (ACH, ACI, MTSS, PHP, GT, LABRAL, PHT),
             "gives shorter steps with a softer landing and less braking each time your foot "
             "meets the ground."),
    _r("hop_test_calf_raise", "calf_raise_double", 23,
       "Hopping hurt on {side}, so hops are left out for now; this builds calf strength "
       "instead.", SRC_HOP, flags=("positive_hop_test",), phases=(P, S, R)),
    _r("hop_test_short_foot", "short_foot", 24,
       "Hopping hurt on {side}, so hops are left out for now; this builds foot strength "
       "instead.", SRC_HOP, flags=("positive_hop_test",), phases=(P, S, R)),
    _r("dorsiflexion_calf_stretch", "calf_stretch", 26,
       "Your ankle bends less than it should on {side} (knee-to-wall test); this stretches "
       "the calf.", SRC_DORSIFLEXION, flags=("limited_dorsiflexion",)),
    _r("dorsiflexion_soleus_stretch", "soleus_stretch", 27,
       "Your ankle bends less than it should on {side} (knee-to-wall test); this stretches "
       "the deeper calf.", SRC_DORSIFLEXION, flags=("limited_dorsiflexion",)),
)

PROGRESSION_RULES = (
    _r("perform_pogo_hops", "pogo_hops", 40,
       "Springy hops prepare your legs for the impact of running: the plyometric step before "
       "full training.", SRC_PROGRESSION, phases=(F,)),
    _r("perform_a_skip", "a_skip", 41,
       "A running drill that trains a quick, light step.", SRC_PROGRESSION, phases=(F,)),
    _r("perform_strides", "strides", 42,
       "Short, relaxed faster runs bring back speed once easy running is comfortable.",
       SRC_PROGRESSION, phases=(F,)),
)

# fmt: on

DEFAULT_RULES: tuple[Rule, ...] = (
    *PFP_RULES,
    *ITBS_RULES,
    *ACHILLES_ALFREDSON_RULES,
    *ACHILLES_RULES,
    *ACHILLES_INSERTIONAL_RULES,
    *MTSS_RULES,
    *BONE_STRESS_RULES,
    *PLANTAR_HEEL_RULES,
    *GLUTEAL_RULES,
    *LABRAL_RULES,
    *HAMSTRING_RULES,
    *FINDING_RULES,
    *PROGRESSION_RULES,
)


def with_achilles_hsr(rules: tuple[Rule, ...] = DEFAULT_RULES) -> tuple[Rule, ...]:
    """The table with heavy slow resistance (Beyer 2015) in place of the Alfredson rules."""
    alfredson = {rule.key for rule in ACHILLES_ALFREDSON_RULES}
    return (*(rule for rule in rules if rule.key not in alfredson), *ACHILLES_HSR_RULES)
