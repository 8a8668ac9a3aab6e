"""Load the seeded exercise library and the default rule table into the database.

Used by a data migration (so every installation has them) and by `manage.py seed_library`
(to add exercises or rules a new release brings, or to reset them with --reset).
"""

from . import library_data, rules_data


def seed_library(Exercise, PlanRuleRow, *, reset: bool = False) -> tuple[int, int]:
    """Create missing exercises and rules (all of them with reset); returns the counts made."""
    made_exercises = 0
    rows = {}
    # A data migration passes its historical model, which may not have every field yet.
    known = {f.name for f in Exercise._meta.get_fields()}
    for key, data in library_data.LIBRARY.items():
        fields = {name: value for name, value in _exercise_fields(data).items() if name in known}
        if reset:
            row, created = Exercise.objects.update_or_create(key=key, defaults=fields)
        else:
            row, created = Exercise.objects.get_or_create(key=key, defaults=fields)
        rows[key] = row
        made_exercises += created
    for key, data in library_data.LIBRARY.items():
        if reset or not rows[key].progressions.exists():
            rows[key].progressions.set([rows[p] for p in data.progressions if p in rows])
    made_rules = 0
    for rule in rules_data.DEFAULT_RULES:
        fields = _rule_fields(rule)
        if reset:
            _, created = PlanRuleRow.objects.update_or_create(key=rule.key, defaults=fields)
        else:
            _, created = PlanRuleRow.objects.get_or_create(key=rule.key, defaults=fields)
        made_rules += created
    return made_exercises, made_rules


def _exercise_fields(data) -> dict:
    d = data.default_dosage
    return {
        "name": data.name,
        "instructions": data.instructions,
        "cues": list(data.cues),
        "mistakes": list(data.mistakes),
        "region": data.region,
        "tissues": list(data.tissues),
        "equipment": list(data.equipment),
        "difficulty": data.difficulty,
        "phase": data.phase,
        "kind": data.kind,
        "impact": data.impact,
        "weight_bearing": data.weight_bearing,
        "conditions": list(data.conditions),
        "contraindicated_conditions": list(data.contraindications.conditions),
        "contraindicated_findings": list(data.contraindications.findings),
        "contraindicated_phases": {c: list(p) for c, p in data.contraindications.phases},
        "sets": d.sets,
        "reps": d.reps,
        "hold_seconds": d.hold_seconds,
        "load": d.load,
        "load_value": d.load_value,
        "tempo": d.tempo,
        "rest_seconds": d.rest_seconds,
        "sessions_per_day": d.sessions_per_day,
        "days_per_week": d.days_per_week,
        "side": d.side,
        "weeks": d.weeks,
        "pain_allowed": d.pain_allowed,
        "dosage_notes": d.notes,
    }


def _rule_fields(rule) -> dict:
    return {
        "exercise_key": rule.exercise,
        "when_conditions": sorted(rule.when_conditions),
        "when_flags": sorted(rule.when_flags),
        "phases": sorted(rule.phases),
        "priority": rule.priority,
        "reason": rule.reason,
        "dosage_overrides": dict(rule.dosage_overrides),
        "lsi_area": rule.lsi_area or "",
        "source": rule.source,
    }


# What a release changed in the library's safety data and must reach every installation,
# edited or not: which conditions, findings and phases rule an exercise out.
CONTRAINDICATION_FIELDS = (
    "contraindicated_conditions",
    "contraindicated_findings",
    "contraindicated_phases",
)


def refresh_rules(PlanRuleRow, keys) -> int:
    """Reset these rules of the default table to the release's text and conditions (a rule
    whose wording or scope a clinical correction changed); returns the rows written."""
    written = 0
    for rule in rules_data.DEFAULT_RULES:
        if rule.key in keys:
            PlanRuleRow.objects.update_or_create(key=rule.key, defaults=_rule_fields(rule))
            written += 1
    return written


def refresh_contraindications(Exercise) -> int:
    """Set every seeded exercise's contraindications to the library's; returns the rows."""
    updated = 0
    for key, data in library_data.LIBRARY.items():
        fields = {name: _exercise_fields(data)[name] for name in CONTRAINDICATION_FIELDS}
        updated += Exercise.objects.filter(key=key).update(**fields)
    return updated
