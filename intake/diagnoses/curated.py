"""ICD-10-CM codes for the runner conditions of DOMAIN.md section 2, and code search.

Pure Python, no Django. The code list is the CMS ICD-10-CM tabular list shipped
offline by ``simple-icd-10-cm`` 1.5.0 (data files ``code-list-April-2026.txt`` and
``icd10c-tabular-April-1-2026.xml``). That library parses ~10 MB of XML when it is
first imported (about 1.7 s), so it is imported lazily: importing this module and
reading ``CURATED`` costs nothing; the first ``search``/``describe``/``is_billable``
call loads it and builds the search index once.

"Billable" here means what the library calls a leaf code: a category or subcategory
with no children (chapters and blocks are never billable).

Verification of DOMAIN.md section 2 against the library (every code in ``CURATED`` is
checked by ``intake/tests/test_diagnoses.py``: valid, leaf, description as below):

* Patellofemoral pain, M22.2X1 / M22.2X2 / M22.2X9: correct as written.
* Iliotibial band syndrome, M76.31 / M76.32 / M76.30: correct.
* Mid-portion Achilles tendinopathy, "M76.6-": M76.6 is not billable; the billable
  codes are M76.61 right, M76.62 left, M76.60 unspecified ("Achilles tendinitis";
  the tabular list has no separate insertional / mid-portion codes).
* Insertional Achilles tendinopathy: the same M76.6- codes (DOMAIN.md section 2: "the code
  does not tell mid-portion from insertional, so the clinician picks the condition").
* Medial tibial stress syndrome, "S86.89- or M76.8- family": the tabular list has no
  term for MTSS or shin splints. S86.89- is billable only with laterality and a 7th
  character: S86.891A / S86.892A / S86.899A (initial encounter). "M76.8-" is wrong as
  a family: M76.8 has three children, M76.81- (anterior tibial syndrome) and M76.82-
  (posterior tibial tendinitis) name other conditions, so the M76.8 option is M76.89-
  (other specified enthesopathies of lower limb, excluding foot): M76.891 / M76.892 /
  M76.899. Both options are offered; M76.89- is shared with proximal hamstring
  tendinopathy, so a diagnosis records the condition the clinician chose beside the code
  (``conditions_for_code``; intake.models.Diagnosis.condition). The pointer "shin splints ->
  S86.89-" comes from the ICD-10-CM alphabetical index, which this library does not ship:
  not verified here.
* Bone stress injury, M84.35- / M84.36- / M84.37-: families exist; the 7th characters
  are A, D, G, K, P, S (A = initial encounter for fracture). The 6th character is a
  site/laterality digit, so there is no "X" placeholder: M84.361A is valid,
  M84.36XA / M84.37XA / M84.35XA do not exist. There is no femoral-neck-specific
  stress fracture code: femoral neck stress fractures go under femur, M84.351A right /
  M84.352A left (M84.35 carries the inclusion term "Stress fracture, hip"). M84.3 also
  carries the inclusion term "Stress reaction".
* Plantar heel pain, M72.2: valid and billable as is, with no laterality (description
  "Plantar fascial fibromatosis", inclusion term "Plantar fasciitis").
* Gluteal tendinopathy / GTPS, M76.01 / M76.02 and bursitis M70.61 / M70.62: correct;
  the unspecified-side codes are M76.00 and M70.60.
* Hip labral tear, S73.191A / S73.192A: valid ("Other sprain of right / left hip,
  initial encounter"; S73.199A unspecified). The tabular list does not name the
  labrum; category S73 includes "traumatic tear of joint or ligament of hip". The
  labral-tear mapping itself comes from the alphabetical index: not verified here.
* Proximal hamstring tendinopathy, "M76.89-": M76.891 / M76.892 / M76.899 (no term
  for the hamstring or the ischial tuberosity in the tabular list).

7th character: the curated list keeps the initial-encounter ("A") codes only;
injury and stress-fracture codes also exist with D/G/K/P/S, and ``search`` finds them.
There are no bilateral codes in these families (code left and right separately).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

RIGHT = "right"
LEFT = "left"
UNSPECIFIED = "unspecified"
BILATERAL = "bilateral"
SIDES = (RIGHT, LEFT, UNSPECIFIED, BILATERAL)


@dataclass(frozen=True)
class Code:
    code: str  # with the dot, as printed in the tabular list, e.g. "M22.2X1"
    description: str  # the tabular-list description
    side: str | None  # one of SIDES; None when the code has no laterality or is not curated


@dataclass(frozen=True)
class Condition:
    key: str
    name: str
    codes: tuple[Code, ...]


def _c(code: str, description: str, side: str | None) -> Code:
    return Code(code, description, side)


# Codes two conditions share (DOMAIN.md s.2: the clinician picks the condition, not the code).
_ACHILLES_CODES = (  # mid-portion and insertional Achilles tendinopathy
    _c("M76.61", "Achilles tendinitis, right leg", RIGHT),
    _c("M76.62", "Achilles tendinitis, left leg", LEFT),
    _c("M76.60", "Achilles tendinitis, unspecified leg", UNSPECIFIED),
)
_M7689_CODES = (  # medial tibial stress syndrome and proximal hamstring tendinopathy
    _c(
        "M76.891",
        "Other specified enthesopathies of right lower limb, excluding foot",
        RIGHT,
    ),
    _c(
        "M76.892",
        "Other specified enthesopathies of left lower limb, excluding foot",
        LEFT,
    ),
    _c(
        "M76.899",
        "Other specified enthesopathies of unspecified lower limb, excluding foot",
        UNSPECIFIED,
    ),
)


# Codes and descriptions as in simple-icd-10-cm 1.5.0 (CMS tabular list, April 2026);
# see the module docstring for what was verified and what was changed.
CURATED: tuple[Condition, ...] = (
    Condition(
        "patellofemoral_pain",
        "Patellofemoral pain",
        (
            _c("M22.2X1", "Patellofemoral disorders, right knee", RIGHT),
            _c("M22.2X2", "Patellofemoral disorders, left knee", LEFT),
            _c("M22.2X9", "Patellofemoral disorders, unspecified knee", UNSPECIFIED),
        ),
    ),
    Condition(
        "iliotibial_band_syndrome",
        "Iliotibial band syndrome",
        (
            _c("M76.31", "Iliotibial band syndrome, right leg", RIGHT),
            _c("M76.32", "Iliotibial band syndrome, left leg", LEFT),
            _c("M76.30", "Iliotibial band syndrome, unspecified leg", UNSPECIFIED),
        ),
    ),
    Condition(
        "achilles_midportion",
        "Mid-portion Achilles tendinopathy",
        _ACHILLES_CODES,
    ),
    Condition(
        "achilles_insertional",
        "Insertional Achilles tendinopathy",
        _ACHILLES_CODES,
    ),
    Condition(
        "medial_tibial_stress_syndrome",
        "Medial tibial stress syndrome",
        (
            _c(
                "S86.891A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "right leg, initial encounter",
                RIGHT,
            ),
            _c(
                "S86.892A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "left leg, initial encounter",
                LEFT,
            ),
            _c(
                "S86.899A",
                "Other injury of other muscle(s) and tendon(s) at lower leg level, "
                "unspecified leg, initial encounter",
                UNSPECIFIED,
            ),
            *_M7689_CODES,
        ),
    ),
    Condition(
        "bone_stress_tibia_fibula",
        "Bone stress injury, tibia or fibula",
        (
            _c("M84.361A", "Stress fracture, right tibia, initial encounter for fracture", RIGHT),
            _c("M84.362A", "Stress fracture, left tibia, initial encounter for fracture", LEFT),
            _c("M84.363A", "Stress fracture, right fibula, initial encounter for fracture", RIGHT),
            _c("M84.364A", "Stress fracture, left fibula, initial encounter for fracture", LEFT),
            _c(
                "M84.369A",
                "Stress fracture, unspecified tibia and fibula, initial encounter for fracture",
                UNSPECIFIED,
            ),
        ),
    ),
    Condition(
        "bone_stress_foot_ankle",
        "Bone stress injury, foot or ankle",
        (
            _c("M84.371A", "Stress fracture, right ankle, initial encounter for fracture", RIGHT),
            _c("M84.372A", "Stress fracture, left ankle, initial encounter for fracture", LEFT),
            _c(
                "M84.373A",
                "Stress fracture, unspecified ankle, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c("M84.374A", "Stress fracture, right foot, initial encounter for fracture", RIGHT),
            _c("M84.375A", "Stress fracture, left foot, initial encounter for fracture", LEFT),
            _c(
                "M84.376A",
                "Stress fracture, unspecified foot, initial encounter for fracture",
                UNSPECIFIED,
            ),
        ),
    ),
    Condition(
        "bone_stress_pelvis_femur",
        "Bone stress injury, pelvis or femur (including femoral neck)",
        (
            _c("M84.351A", "Stress fracture, right femur, initial encounter for fracture", RIGHT),
            _c("M84.352A", "Stress fracture, left femur, initial encounter for fracture", LEFT),
            _c(
                "M84.353A",
                "Stress fracture, unspecified femur, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c(
                "M84.359A",
                "Stress fracture, hip, unspecified, initial encounter for fracture",
                UNSPECIFIED,
            ),
            _c("M84.350A", "Stress fracture, pelvis, initial encounter for fracture", None),
        ),
    ),
    Condition(
        "plantar_heel_pain",
        "Plantar heel pain",
        (_c("M72.2", "Plantar fascial fibromatosis", None),),
    ),
    Condition(
        "gluteal_tendinopathy",
        "Gluteal tendinopathy / greater trochanteric pain syndrome",
        (
            _c("M76.01", "Gluteal tendinitis, right hip", RIGHT),
            _c("M76.02", "Gluteal tendinitis, left hip", LEFT),
            _c("M76.00", "Gluteal tendinitis, unspecified hip", UNSPECIFIED),
            _c("M70.61", "Trochanteric bursitis, right hip", RIGHT),
            _c("M70.62", "Trochanteric bursitis, left hip", LEFT),
            _c("M70.60", "Trochanteric bursitis, unspecified hip", UNSPECIFIED),
        ),
    ),
    Condition(
        "hip_labral_tear",
        "Hip labral tear",
        (
            _c("S73.191A", "Other sprain of right hip, initial encounter", RIGHT),
            _c("S73.192A", "Other sprain of left hip, initial encounter", LEFT),
            _c("S73.199A", "Other sprain of unspecified hip, initial encounter", UNSPECIFIED),
        ),
    ),
    Condition(
        "proximal_hamstring_tendinopathy",
        "Proximal hamstring tendinopathy",
        _M7689_CODES,
    ),
)

CURATED_BY_KEY: dict[str, Condition] = {c.key: c for c in CURATED}
CONDITION_CHOICES: tuple[tuple[str, str], ...] = tuple((c.key, c.name) for c in CURATED)


def conditions_for_code(code: str) -> tuple[Condition, ...]:
    """The curated conditions a code is offered for, CURATED order: none for a code outside the
    list, two for a shared code (M76.6- mid-portion or insertional Achilles; M76.89- MTSS or
    proximal hamstring), so the clinician must say which."""
    bare = _normalise(code)
    return tuple(c for c in CURATED if any(_normalise(x.code) == bare for x in c.codes))


def condition_for(code: str, chosen: str = "") -> str:
    """The condition a diagnosis records: the one chosen, else the only one the code is offered
    for, else "" for a code outside the list. ValueError, in words for the clinician, when a
    shared code comes without a choice or the choice is not one the code stands for."""
    offered = conditions_for_code(code)
    if chosen:
        if chosen not in CURATED_BY_KEY:
            raise ValueError("Pick the condition from the list.")
        if offered and chosen not in {c.key for c in offered}:
            names = " or ".join(c.name for c in offered)
            raise ValueError(
                f"{code} is a code for {names}, not {CURATED_BY_KEY[chosen].name.lower()}."
            )
        return chosen
    if len(offered) > 1:
        names = " or ".join(c.name.lower() for c in offered)
        raise ValueError(f"{code} is used for {names}: choose which one this patient has.")
    return offered[0].key if offered else ""


# Body regions of the intake pain map -> curated conditions, in order of relevance.
# Project mapping from where DOMAIN.md s.2 ("key findings") and s.3 (femoral neck:
# groin pain) place the pain; not a published rule. No curated condition is a low
# back condition, so "low_back" maps to nothing: use search() there.
REGIONS: dict[str, tuple[str, ...]] = {
    "hip": (
        "gluteal_tendinopathy",
        "hip_labral_tear",
        "bone_stress_pelvis_femur",
        "proximal_hamstring_tendinopathy",
    ),
    "groin": ("hip_labral_tear", "bone_stress_pelvis_femur"),
    "thigh": ("proximal_hamstring_tendinopathy", "bone_stress_pelvis_femur"),
    "knee": ("patellofemoral_pain", "iliotibial_band_syndrome"),
    "shin": ("medial_tibial_stress_syndrome", "bone_stress_tibia_fibula"),
    "calf": ("medial_tibial_stress_syndrome", "bone_stress_tibia_fibula", "achilles_midportion"),
    "achilles": ("achilles_midportion", "achilles_insertional"),
    "ankle": ("bone_stress_foot_ankle", "achilles_midportion"),
    # Insertional pain sits at the calcaneal insertion (DOMAIN.md s.2): the back of the heel.
    "heel_foot": ("plantar_heel_pain", "bone_stress_foot_ankle", "achilles_insertional"),
    "low_back": (),
}


def curated_for_region(region: str) -> tuple[Condition, ...]:
    """Curated conditions relevant to a body region (a key of ``REGIONS``)."""
    if region not in REGIONS:
        raise ValueError(f"unknown body region {region!r}; expected one of {sorted(REGIONS)}")
    return tuple(CURATED_BY_KEY[key] for key in REGIONS[region])


def _normalise(code: str) -> str:
    """Upper case without dots or spaces: "m22.2x1 " -> "M222X1"."""
    return re.sub(r"[\s.]", "", code).upper()


@cache
def _curated_codes() -> dict[str, Code]:
    """Curated codes without the dot -> Code, first occurrence wins, CURATED order."""
    out: dict[str, Code] = {}
    for condition in CURATED:
        for code in condition.codes:
            out.setdefault(_normalise(code.code), code)
    return out
