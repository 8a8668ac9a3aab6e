"""Readable answers of an intake, as label/value pairs per step (JSON-safe).

Used for the snapshot of the original submission and for the review page, so both read alike.
"""

from __future__ import annotations

from django.db import models

from clinic import units

from . import redflags
from .forms.questionnaires import STEPS
from .models import Intake

KM_FIELDS = {
    "weekly_distance_km",
    "longest_run_km",
    "shoe_distance_km",
    "goal_race_distance_km",
    "during_run_after_km",
}
CHOICE_LISTS = {"surfaces", "terrain", "recent_changes"}


def _display(obj: models.Model, field: models.Field) -> str:
    value = getattr(obj, field.name)
    if value in (None, "", []):
        return ""
    if field.name in KM_FIELDS:
        return f"{units.from_km(value)} {units.UNIT_LABELS[units.distance_unit()]}"
    if field.name == "easy_pace_sec_per_km":
        return f"{units.format_pace(value)} per {'mile' if units.distance_unit() == 'mi' else 'km'}"
    if field.name in CHOICE_LISTS:
        from .models.questionnaires import Surface, Terrain, TrainingChange

        labels = {**dict(Surface.choices), **dict(Terrain.choices), **dict(TrainingChange.choices)}
        return ", ".join(labels.get(v, v) for v in value)
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _model_pairs(obj: models.Model | None) -> list[list[str]]:
    if obj is None:
        return []
    skip = {"id", "intake"}
    pairs = []
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        text = _display(obj, field)
        if text:
            pairs.append([str(field.verbose_name).capitalize(), text])
    return pairs


# The energy and bone-health answers: a label a clinician reads, and the value with its unit.
DIETARY_RESTRICTION = {0: "No", 1: "Sometimes", 2: "Yes, a lot"}
SCREEN_VALUES = {
    "triad_dietary_restriction": (
        "Limits eating to control weight",
        lambda v: DIETARY_RESTRICTION.get(v, str(v)),
    ),
    "height_cm": ("Height", units.format_height),
    "weight_kg": ("Weight", units.format_weight),
    "triad_bmi": ("BMI", lambda v: f"{_rounded(v, 1)} kg/m²"),
    "triad_weight_loss_pct_month": ("Weight lost per month", lambda v: f"{_rounded(v, 1)} %"),
    "triad_menarche_age": ("Age at first period", lambda v: f"{v} years"),
    "triad_menses_per_year": ("Periods in the last 12 months", str),
    "triad_bmd_z": ("BMD Z-score", lambda v: _rounded(v, 1)),
    "triad_stress_fractures": ("Stress fractures so far", str),
    "triad_stress_fracture_high_risk_site": (
        "Stress fracture at a high-risk site",
        lambda v: "Yes" if v else "No",
    ),
}


def _rounded(value, places: int) -> str:
    """A measured number without float noise: 20.761 -> "20.8", 170.0 -> "170"."""
    try:
        text = f"{float(value):.{places}f}"
    except (TypeError, ValueError):
        return str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _screen_pairs(answers: dict) -> list[list[str]]:
    labels = {q.key: q.label for q in (*redflags.GENERAL_FLAGS, *redflags.FEMORAL_NECK_SIGNS)}
    labels.update({c.key: f"Wells: {c.label}" for c in redflags.WELLS_CRITERIA})
    pairs = []
    for key, value in answers.items():
        if key in SCREEN_VALUES:
            label, show = SCREEN_VALUES[key]
            pairs.append([label, show(value)])
            continue
        label = labels.get(key, key.replace("triad_", "").replace("_", " ").capitalize())
        shown = ("Yes" if value else "No") if isinstance(value, bool) else str(value)
        pairs.append([label, shown])
    return pairs


def intake_summary(intake: Intake) -> dict[str, list[list[str]]]:
    injuries = [
        [
            f"{i.get_region_display()} {i.year or ''}".strip(),
            f"{i.diagnosis or 'not named'}"
            + (f", {i.weeks_lost} weeks without running" if i.weeks_lost else ""),
        ]
        for i in intake.prior_injuries.all()
    ]
    return {
        "profile": _model_pairs(getattr(intake, "profile", None)),
        "complaint": _model_pairs(getattr(intake, "complaint", None)),
        "history": injuries,
        "screen": _screen_pairs(intake.red_flag_answers),
    }


STEP_TITLES = {s.key: s.title for s in STEPS}
