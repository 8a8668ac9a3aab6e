"""What the note editor shows beside what is typed: the patient's logs since the last visit,
the re-test rows with their last values, the goals a progress note reviews, the plan.

Selectors read and never write. The logs are the plans app's (intake never imports plans,
STYLE.md): read through the app registry, as intake.selectors reads plans.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from intake import measurements
from intake.models import Evaluation, EvaluationKind, Goal, TreatmentNote, Visit, VisitStatus

LOGGED = ("done", "partly")  # plans.ExerciseStatus values that count as exercising


def previous_visit_day(visit: Visit) -> datetime.date | None:
    """The day of the patient's last attended visit before this one."""
    start = (
        Visit.objects.filter(
            patient_id=visit.patient_id, status=VisitStatus.ARRIVED, start__lt=visit.start
        )
        .exclude(pk=visit.pk)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    return timezone.localdate(start) if start else None


def logs_since(visit: Visit) -> dict:
    """A summary of the home exercises and runs the patient logged after their last visit
    up to this visit's day (JSON-ready: stored with the note)."""
    day = timezone.localdate(visit.start)
    since = previous_visit_day(visit)
    window = Q(day__lte=day) & (Q(day__gt=since) if since else Q())
    ExerciseLog = apps.get_model("plans", "ExerciseLog")
    RunLog = apps.get_model("plans", "RunLog")
    exercise = list(
        ExerciseLog.objects.filter(window, patient_id=visit.patient_id).values(
            "day", "exercises", "pain_during"
        )
    )
    runs = list(
        RunLog.objects.filter(window, patient_id=visit.patient_id).values(
            "stage", "as_prescribed", "pain_during", "bone_pain"
        )
    )
    active = [log for log in exercise if set(log["exercises"].values()) & set(LOGGED)]
    return {
        "since": since.isoformat() if since else "",
        "exercise_days": len(active),
        "days_logged": len(exercise),
        "exercise_pain_max": max((log["pain_during"] for log in exercise), default=None),
        "runs": len(runs),
        "runs_as_prescribed": sum(1 for r in runs if r["as_prescribed"]),
        "run_pain_max": max((r["pain_during"] for r in runs), default=None),
        "bone_pain": any(r["bone_pain"] for r in runs),
        "stages": sorted({r["stage"] for r in runs}),
    }


def describe_logs(summary: dict) -> str:
    """One plain sentence of a logs_since summary, for the note and the chart."""
    if not summary:
        return ""
    since = summary.get("since")
    start = f"Since {datetime.date.fromisoformat(since):%b} {int(since[8:])}" if since else "So far"
    if not summary["days_logged"] and not summary["runs"]:
        return f"{start}: nothing logged."
    parts = []
    if summary["days_logged"]:
        parts.append(
            f"home exercises on {summary['exercise_days']} day"
            f"{'s' if summary['exercise_days'] != 1 else ''}"
            f" (pain during at most {summary['exercise_pain_max']}/10)"
        )
    if summary["runs"]:
        runs = summary["runs"]
        stages = ", ".join(str(s) for s in summary["stages"])
        parts.append(
            f"{runs} run{'s' if runs != 1 else ''} (stage {stages}), "
            f"{summary['runs_as_prescribed']} as prescribed, pain at most "
            f"{summary['run_pain_max']}/10"
            + (", bone pain reported" if summary["bone_pain"] else "")
        )
    return f"{start}: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class RetestRow:
    defn: measurements.MeasureDef
    last: tuple[str, str]  # the last values (left, right): the evaluation's or a note's
    last_from: str  # "evaluation of Nov 16" / "note of Nov 30"


def plan_evaluation(patient_id: int, on: datetime.date | None = None) -> Evaluation | None:
    """The latest signed initial evaluation or re-evaluation (on or before ``on``, the note's
    day: a signed note keeps showing the plan it followed): the plan the note follows."""
    evaluations = Evaluation.objects.signed().filter(
        patient_id=patient_id,
        kind__in=(EvaluationKind.INITIAL, EvaluationKind.RE_EVALUATION),
    )
    if on is not None:
        evaluations = evaluations.filter(date__lte=on)
    return (
        evaluations.select_related("gait")
        .prefetch_related("measurements")  # the re-test rows and the progress figures
        .order_by("-date", "-id")
        .first()
    )


def retest_rows(note: TreatmentNote, evaluation: Evaluation | None) -> list[RetestRow]:
    """The grid rows the plan's evaluation measured (and any a note re-tested since), with
    their latest values: the ones a quick re-test chooses from."""
    last: dict[str, tuple[tuple[str, str], str]] = {}
    if evaluation is not None:
        label = f"evaluation of {evaluation.date:%b} {evaluation.date.day}"
        for m in evaluation.measurements.all():
            last[m.key] = ((m.left, m.right), label)
    earlier = (
        TreatmentNote.objects.signed()
        .filter(patient_id=note.patient_id, visit__start__lt=note.visit.start)
        .exclude(pk=note.pk)
        .select_related("visit")
        .order_by("visit__start")
    )
    if evaluation is not None:
        earlier = earlier.filter(visit__start__date__gte=evaluation.date)
    for other in earlier:
        day = timezone.localdate(other.visit.start)
        for key, pair in other.retests.items():
            last[key] = ((pair[0], pair[1]), f"note of {day:%b} {day.day}")
    rows = []
    for defn in measurements.MEASUREMENTS:
        if defn.key in last or defn.key in note.retests:
            values, source = last.get(defn.key, (("", ""), ""))
            rows.append(RetestRow(defn, values, source))
    return rows


def plan_goals(evaluation: Evaluation | None) -> list[Goal]:
    return list(evaluation.goals.all()) if evaluation is not None else []


def treatment_summary(
    patient_id: int, since: datetime.date, until: datetime.date | None = None
) -> dict:
    """What treatment followed an evaluation (the physician letter): the visits attended
    after its day ``since`` and before ``until`` (the next evaluation or discharge, when
    there is one), how often each intervention was delivered in their signed notes, and the
    latest signed progress note's review of the goals. Three queries."""
    window = {"start__date__gt": since}
    if until is not None:
        window["start__date__lt"] = until
    in_window = {f"note__visit__{key}": day for key, day in window.items()}
    from intake.models import DeliveredIntervention, GoalProgress

    attended = list(
        Visit.objects.filter(patient_id=patient_id, status=VisitStatus.ARRIVED, **window)
        .order_by("start")
        .values_list("start", flat=True)
    )
    delivered: dict[tuple[str, str], int] = {}
    for name, code in DeliveredIntervention.objects.filter(
        note__patient_id=patient_id,
        note__signed_at__isnull=False,
        **in_window,
    ).values_list("intervention__name", "intervention__cpt_code"):
        delivered[(name, code)] = delivered.get((name, code), 0) + 1
    latest = (
        GoalProgress.objects.filter(
            note__patient_id=patient_id,
            note__signed_at__isnull=False,
            note__progress_note=True,
            **in_window,
        )
        .select_related("goal", "note__visit")
        .order_by("-note__visit__start", "goal_id")
    )
    reviewed, reviewed_on = [], None
    for row in latest:
        day = timezone.localdate(row.note.visit.start)
        if reviewed_on is None:
            reviewed_on = day
        if day != reviewed_on:
            break
        reviewed.append(
            {"goal": row.goal.text, "status": row.get_status_display(), "comment": row.comment}
        )
    return {
        "attended": len(attended),
        "first": timezone.localdate(attended[0]) if attended else None,
        "last": timezone.localdate(attended[-1]) if attended else None,
        "interventions": sorted(
            ({"name": n, "code": c, "times": t} for (n, c), t in delivered.items()),
            key=lambda row: (-row["times"], row["name"]),
        ),
        "goals_reviewed_on": reviewed_on,
        "goals": reviewed,
    }


def consents_on_file(patient, kind: str = "dry_needling"):
    """The patient's consents of this kind still on file, with who recorded them."""
    return patient.consents.filter(kind=kind, withdrawn_at__isnull=True).select_related(
        "recorded_by"
    )
