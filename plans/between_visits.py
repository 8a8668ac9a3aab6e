"""The clinician's view of one patient between visits: adherence to the
home exercises, the pain trend, the runs and the run-stage history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import mark_safe

from intake.models import Patient

from . import pain_chart
from .models import (
    AlertAck,
    DecisionStatus,
    ExerciseLog,
    ExerciseStatus,
    PlanVersion,
    ProgressionDecision,
    RunLog,
)
from .services import alerts, run_uploads
from .services.logs import plan_cadence_target

ADHERENCE_WEEKS = (2, 6)
HISTORY_ROWS = 20
LOGGED = {ExerciseStatus.DONE.value, ExerciseStatus.PARTLY.value}


@dataclass(frozen=True)
class Adherence:
    weeks: int
    days: int  # days of the window since the plan was first issued
    logged: int  # days with a log of at least one exercise done or partly done
    # Prescribed exercise days in those days, in whole days (or ``days`` without a frequency).
    expected: int
    since: datetime.date  # the window's first day: the plan's first day if it began within

    @property
    def partial(self) -> bool:
        """The plan began within the window, so it covers fewer than ``weeks`` weeks."""
        return self.days < 7 * self.weeks

    @property
    def percent(self) -> int | None:
        """Share of expected days logged, at most 100 %; None before the plan started."""
        if self.expected <= 0:
            return None
        return round(min(self.logged / self.expected, 1) * 100)


# ------------------------------------------------------------------ pure computations


def days_per_week(snapshot: dict) -> int | None:
    """The most exercise days per week among the issued plan's exercises, if any are given."""
    frequencies = [
        item.get("dosage", {}).get("days_per_week") for item in snapshot.get("items", [])
    ]
    frequencies = [f for f in frequencies if isinstance(f, int) and f > 0]
    return max(frequencies) if frequencies else None


def active_day(log: dict) -> bool:
    return any(status in LOGGED for status in (log["exercises"] or {}).values())


def adherence(
    logs: list[dict],
    *,
    weeks: int,
    started: datetime.date,
    today: datetime.date,
    per_week: int | None,
) -> Adherence:
    """Days logged done or partly over the days prescribed in the last ``weeks`` weeks.

    Prescribed days come from the frequency per week, pro rata for the days since the plan
    started, rounded half up to whole days (3 a week over 3 days is 1 day, not 1.29);
    without a frequency every day counts (days with a log over days).
    """
    first = max(started, today - datetime.timedelta(days=7 * weeks - 1))
    days = max((today - first).days + 1, 0)
    in_window = {log["day"] for log in logs if first <= log["day"] <= today and active_day(log)}
    if per_week is None:
        in_window = {log["day"] for log in logs if first <= log["day"] <= today}
        expected = days
    else:
        expected = (2 * per_week * days + 7) // 14  # per_week × days ÷ 7, half up, in integers
    return Adherence(weeks, days, min(len(in_window), days), expected, first)


def distinct_windows(rows: list[Adherence]) -> list[Adherence]:
    """One row per distinct period: a plan younger than the shortest window gives one row."""
    seen: set[int] = set()
    kept = []
    for row in rows:
        if row.days not in seen:
            seen.add(row.days)
            kept.append(row)
    return kept


# ------------------------------------------------------------------ what the page shows


def _current_version(patient: Patient) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(plan__patient=patient)
        .select_related("plan")
        .order_by("-issued_at", "-id")
        .first()
    )


def between_visits(patient: Patient, *, today: datetime.date | None = None) -> dict:
    """Everything the chart's between-visits card shows for this patient."""
    today = today or timezone.localdate()
    version = _current_version(patient)
    since = today - datetime.timedelta(days=7 * max(ADHERENCE_WEEKS) - 1)
    context = {
        "patient": patient,
        "version": version,
        "alerts": alerts.patient_alerts(patient, today=today),
        "acks": list(
            AlertAck.objects.filter(patient=patient).select_related("acknowledged_by")[:10]
        ),
    }
    if version is None:
        return context
    plan = version.plan
    started = timezone.localdate(
        PlanVersion.objects.filter(plan=plan)
        .order_by("issued_at")
        .values("issued_at")[0]["issued_at"]
    )
    per_week = days_per_week(version.snapshot)
    exercise_logs = list(
        ExerciseLog.objects.filter(plan=plan, day__gte=since, day__lte=today).values(
            "day", "exercises", "pain_during", "pain_next_morning"
        )
    )
    runs = list(
        RunLog.objects.filter(patient=patient, day__gte=since)
        .select_related("plan", "watch_file")
        .order_by("-day")[:HISTORY_ROWS]
    )
    run_rows = [
        {"day": r.day, "pain_during": r.pain_during, "pain_next_morning": r.pain_next_morning}
        for r in runs
    ]
    entries = exercise_logs + run_rows
    chart = pain_chart.pain_chart(
        pain_chart.daily_points(entries, "pain_during"),
        pain_chart.daily_points(entries, "pain_next_morning"),
    )
    cadence_target = plan_cadence_target(plan)
    context.update(
        plan=plan,
        cadence_target=cadence_target,
        gait=run_uploads.gait_rows(reversed(runs), cadence_target),
        per_week=per_week,
        adherence=distinct_windows(
            [
                adherence(exercise_logs, weeks=w, started=started, today=today, per_week=per_week)
                for w in ADHERENCE_WEEKS
            ]
        ),
        # Safe: pain_chart escapes every text it draws (intake.charts._esc).
        chart_svg=mark_safe(chart),  # noqa: S308
        runs=runs,
        decisions=list(
            ProgressionDecision.objects.filter(plan__patient=patient)
            .exclude(status=DecisionStatus.REPLACED)
            .select_related("run", "decided_by")
            .order_by("-created_at", "-id")[:HISTORY_ROWS]
        ),
    )
    return context
