"""What an issued plan version holds: everything the patient was given, frozen as JSON.

The web view and the printed PDF read only this snapshot, so a later edit of the library,
the rules or the patient record never changes a plan a patient already has.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from . import illustrations, library_data, progressions, return_to_run


def dosage_sentence(item) -> str:
    """One plain sentence for any object with the dosage fields (a library row or plan item)."""
    return library_data.dosage_sentence(
        library_data.Dosage(
            sets=item.sets,
            reps=item.reps,
            hold_seconds=item.hold_seconds,
            load=item.load,
            load_value=item.load_value,
            tempo=item.tempo,
            rest_seconds=item.rest_seconds,
            sessions_per_day=item.sessions_per_day,
            days_per_week=item.days_per_week,
            side=item.side,
            weeks=item.weeks,
            pain_allowed=item.pain_allowed,
            notes=item.dosage_notes,
        )
    )


def illustration(key: str) -> str:
    """Our own start/end line drawing; "" for an exercise a clinic added without one."""
    try:
        return illustrations.render(key)
    except KeyError:
        return ""


def progression_steps(key: str, start: datetime.date) -> dict | None:
    """A progression as the plan shows it: its name, source and every step with its dates."""
    if key not in progressions.PROGRESSIONS:
        return None
    program = progressions.PROGRESSIONS[key]
    return {
        "name": program.name,
        "source": program.source,
        "extra": program.extra,
        "steps": [
            {
                "weeks": step.weeks,
                "starts": step.starts.isoformat(),
                "ends": step.ends.isoformat(),
                "dose": step.dose,
            }
            for step in progressions.dated(key, start)
        ],
    }


def _item(item, start: datetime.date) -> dict:
    exercise = item.exercise
    return {
        "key": exercise.key,
        "name": exercise.name,
        "instructions": exercise.instructions,
        "cues": list(exercise.cues),
        "mistakes": list(exercise.mistakes),
        "equipment": [e for e in exercise.equipment if e != "none"],
        "dosage": {name: getattr(item, name) for name in item.DOSAGE_FIELDS},
        "dosage_sentence": dosage_sentence(item),
        "reasons": list(item.reasons),
        "notes": item.notes,
        "progression": progression_steps(item.progression, start),
        "illustration_svg": illustration(exercise.key),
        "photo": exercise.photo.name or "",
    }


def _race(plan) -> dict | None:
    intake = plan.evaluation.intake
    profile = getattr(intake, "profile", None) if intake else None
    if profile is None or not profile.goal_race_date:
        return None
    today = timezone.localdate()
    return {
        "name": profile.goal_race_name,
        "date": profile.goal_race_date.isoformat(),
        "note": return_to_run.race_note(profile.goal_race_date, today, plan.run_stage),
    }


def start_criteria(evaluation, bone_stress: bool) -> list[dict]:
    """The start criteria with what the evaluation shows (None = not assessed there)."""
    results = {}
    for test in evaluation.special_tests.all():
        results.setdefault(test.key, set()).add(test.result)
    # "No bony tenderness" is left to the clinician: the diffuse-tenderness test is about
    # MTSS, and a bone stress injury is focal (DOMAIN.md s.2), so it cannot stand in for it.
    facts = {"pain_free_hops": _negative(results.get("hop_test"))}
    return [
        {"key": c.key, "label": c.label, "met": c.met}
        for c in return_to_run.start_criteria_status(facts, bone_stress)
    ]


def _negative(results: set | None) -> bool | None:
    """Negative on every side tested → met; positive on any side → not met."""
    if not results:
        return None
    if "positive" in results:
        return False
    return True if results == {"negative"} else None


def _return_to_run(plan, bone_stress: bool) -> dict | None:
    if not plan.return_to_run:
        return None
    return {
        "start_criteria": start_criteria(plan.evaluation, bone_stress),
        "current_stage": plan.run_stage,
        "stages": [
            {
                "stage": s.stage,
                "rpe": s.rpe,
                "walk_minutes": s.walk_minutes,
                "run_minutes": s.run_minutes,
                "distance_miles": str(s.distance_miles),
                "distance_km": str(s.distance_km),
            }
            for s in return_to_run.WALK_RUN_STAGES
        ],
        "rules": [
            return_to_run.REST_RULE,
            f"Do each stage at least {return_to_run.MIN_RUNS_PER_STAGE} times before moving on.",
        ],
        "pain_guide": list(return_to_run.pain_guide(bone_stress)),
        "source": return_to_run.WALK_RUN_SOURCE,
    }


def _progress(patient) -> list[dict]:
    """Outcome-measure charts (server-rendered SVG) as they stand when the plan is issued."""
    from intake.progress import patient_progress

    return [
        {"name": mp.measure.name, "svg": str(mp.chart_svg)}
        for mp in patient_progress(patient)["measures"]
        if len(mp.points) >= 2
    ]


def plan_snapshot(plan, items, *, number: int | None, issued_by) -> dict:
    evaluation = plan.evaluation
    patient = plan.patient
    conditions = {d.code for d in evaluation.diagnoses.all()}
    bone_stress = any(code.startswith("M84.3") for code in conditions)
    target = None
    gait = getattr(evaluation, "gait", None)
    if gait is not None and gait.cadence:
        from intake.measurements import cadence_target

        target = list(cadence_target(gait.cadence))
    today = timezone.localdate()
    return {
        "version": number,
        "issued_on": today.isoformat(),
        "clinic": settings.CLINIC_NAME,
        "patient_name": patient.display_name,
        "clinician": issued_by.get_full_name() or issued_by.get_username(),
        "phase": plan.get_phase_display(),
        "note": plan.notes,
        "diagnoses": [d.description for d in evaluation.diagnoses.all()],
        "goals": [
            {"text": g.text, "target_date": g.target_date.isoformat() if g.target_date else ""}
            for g in evaluation.goals.all()
        ],
        "items": [_item(item, today) for item in items],
        "return_to_run": _return_to_run(plan, bone_stress),
        "cadence_target": target,
        "race": _race(plan),
        "progress": _progress(patient),
        "snapshot_at": datetime.datetime.now(datetime.UTC).isoformat(),
    }


def live_snapshot(version) -> dict:
    """An issued snapshot with the walk-run stage and the race countdown as they are today.

    A version is frozen when issued, but the stage moves between issues by the clinician's
    recorded decisions (plans.services.logs.run_decision_resolve) and the race comes nearer.
    Pages read now (the patient's plan online, the coach's page, letters) show today's stage;
    the PDF and the staff's version page keep the version as issued.
    """
    snapshot = version.snapshot
    stage = version.plan.run_stage
    changes = {}
    rtr = snapshot.get("return_to_run")
    if rtr and rtr.get("current_stage") != stage:
        changes["return_to_run"] = {**rtr, "current_stage": stage}
    race = snapshot.get("race")
    if race and race.get("date"):
        race_date = datetime.date.fromisoformat(race["date"])
        note = return_to_run.race_note(race_date, timezone.localdate(), stage)
        if note != race.get("note"):
            changes["race"] = {**race, "note": note}
    return {**snapshot, **changes} if changes else snapshot
