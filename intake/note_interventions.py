"""What a treatment note records about each intervention, by its kind (DOMAIN.md section 10),
and the check of what was typed. Pure: no Django.

- manual therapy: technique, joint, grade I-IV;
- soft-tissue mobilization: region and technique;
- dry needling: muscles, side, number of needles, response, any adverse event;
- blood-flow restriction: limb, limb occlusion pressure (LOP) measured for that limb, the %
  of it used (40-80 % LOP, Patterson 2019, Front Physiol 10:533), sets x reps (commonly
  30-15-15-15, same source);
- gait training: the cue, the cadence target, whether a metronome was used;
- anything else: a short free detail.

Numbers that are data-entry bounds, not clinical figures, say so beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = (
    ("", "Other"),
    ("manual", "Manual therapy"),
    ("soft_tissue", "Soft-tissue mobilization"),
    ("needling", "Dry needling"),
    ("bfr", "Blood-flow restriction"),
    ("gait", "Gait training"),
)
# The catalogue's defaults (intake.visit_catalogue keys) and their kinds.
DEFAULT_KINDS = {
    "manual_therapy": "manual",
    "soft_tissue": "soft_tissue",
    "dry_needling_1_2": "needling",
    "dry_needling_3": "needling",
    "bfr": "bfr",
    "gait_training": "gait",
}

GRADES = (("I", "I"), ("II", "II"), ("III", "III"), ("IV", "IV"))  # DOMAIN.md section 10
SIDES = (("left", "Left"), ("right", "Right"), ("both", "Both"))
LIMBS = (
    ("left_leg", "Left leg"),
    ("right_leg", "Right leg"),
    ("left_arm", "Left arm"),
    ("right_arm", "Right arm"),
)
BFR_PERCENT_LOP = (40, 80)  # Patterson 2019, Front Physiol 10:533 (DOMAIN.md section 10)
LOP_MMHG = (50, 400)  # data-entry bounds of a cuff's reading, not clinical ones
NEEDLES = (1, 100)  # data-entry bounds
CADENCE = (100, 250)  # steps/min, data-entry bounds (as the evaluation's gait section)
SETS_REPS = re.compile(r"^\d{1,3}(?:\s*[-x×,]\s*\d{1,3}){0,9}$")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # "text", "choice", "int", "bool"
    choices: tuple[tuple[str, str], ...] = ()
    bounds: tuple[int, int] | None = None
    required: bool = False
    max_length: int = 200


FIELDS: dict[str, tuple[Field, ...]] = {
    "manual": (
        Field("joint", "Joint", "text", required=True),
        Field("grade", "Grade", "choice", GRADES, required=True),
        Field("technique", "Technique", "text", required=True),
    ),
    "soft_tissue": (
        Field("region", "Region", "text", required=True),
        Field("technique", "Technique", "text"),
    ),
    "needling": (
        Field("muscles", "Muscles", "text", required=True),
        Field("side", "Side", "choice", SIDES, required=True),
        Field("needles", "Needles", "int", bounds=NEEDLES, required=True),
        Field("response", "Response", "text"),
        Field("adverse_event", "Adverse event", "text"),
    ),
    "bfr": (
        Field("limb", "Limb", "choice", LIMBS, required=True),
        Field("lop_mmhg", "LOP (mmHg)", "int", bounds=LOP_MMHG, required=True),
        Field("percent_lop", "% of LOP", "int", bounds=BFR_PERCENT_LOP, required=True),
        Field("sets_reps", "Sets x reps", "text", required=True, max_length=40),
    ),
    "gait": (
        Field("cue", "Cue", "text", required=True),
        Field("cadence_target", "Cadence target (steps/min)", "int", bounds=CADENCE),
        Field("metronome", "Metronome", "bool"),
    ),
    "": (Field("detail", "Detail", "text"),),
}


_WHOLE = re.compile(r"[0-9]{1,9}")


def whole_number(text: str) -> int | None:
    """A whole number typed in ASCII digits (at most 9), else None: str.isdigit() also takes
    "²", which int() refuses, and very long digit strings int() refuses too."""
    text = (text or "").strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def fields_for(kind: str) -> tuple[Field, ...]:
    return FIELDS.get(kind, FIELDS[""])


def clean_details(kind: str, raw: dict) -> tuple[dict, dict[str, str]]:
    """(the details to store, {field name: what is wrong}) from what was typed. Blank
    optional fields are left out; unknown keys are dropped."""
    clean, errors = {}, {}
    for field in fields_for(kind):
        value = raw.get(field.name, "")
        if field.kind == "bool":
            if value in (True, "on", "true", "1", "yes"):
                clean[field.name] = True
            continue
        value = str(value if value is not None else "").strip()
        if not value:
            if field.required:
                errors[field.name] = f"{field.label}: required."
            continue
        if field.kind == "text":
            if len(value) > field.max_length:
                errors[field.name] = f"{field.label}: {field.max_length} characters at most."
            elif field.name == "sets_reps" and not SETS_REPS.match(value):
                errors[field.name] = "Sets x reps as numbers, e.g. 30-15-15-15."
            else:
                clean[field.name] = value
        elif field.kind == "choice":
            if value not in dict(field.choices):
                errors[field.name] = f"{field.label}: choose one of the list."
            else:
                clean[field.name] = value
        elif field.kind == "int":
            number = whole_number(value)
            if number is None:
                errors[field.name] = f"{field.label}: a whole number."
                continue
            low, high = field.bounds
            if not low <= number <= high:
                errors[field.name] = f"{field.label}: from {low} to {high}."
            else:
                clean[field.name] = number
    return clean, errors


def describe(kind: str, details: dict) -> str:
    """One line for the note, the chart and the letter: 'Talocrural, grade III, AP glide'."""
    parts = []
    for field in fields_for(kind):  # in the kind's own order, whatever the stored order
        name = field.name
        if name not in details:
            continue
        value = details[name]
        if field.kind == "bool":
            parts.append(field.label.lower())
        elif field.kind == "choice":
            shown = dict(field.choices).get(value, value)
            parts.append(f"grade {shown}" if name == "grade" else shown)
        elif name == "percent_lop":
            parts.append(f"{value} % LOP")
        elif name == "lop_mmhg":
            parts.append(f"LOP {value} mmHg")
        elif name == "needles":
            parts.append(f"{value} needle{'s' if value != 1 else ''}")
        elif name == "cadence_target":
            parts.append(f"target {value} steps/min")
        else:
            parts.append(str(value))
    return ", ".join(parts)
