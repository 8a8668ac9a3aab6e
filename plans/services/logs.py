"""Between visits: the patient's exercise and run logs and the run-stage decision.

The walk-run rule itself is plans/return_to_run.py; here it is only fed with the runs logged
at the current stage. A decision waits for a clinician: only run_decision_resolve changes
Plan.run_stage.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from plans import return_to_run
from plans.letters import coach_program
from plans.models import (
    DecisionStatus,
    ExerciseLog,
    ExerciseStatus,
    Plan,
    ProgressionDecision,
    RunLog,
)

from . import run_uploads

HISTORY_DAYS = 14  # days of history on the patient's log pages
EXERCISE_FIELDS = ("exercises", "pain_during", "pain_next_morning", "effort")
RUN_FIELDS = (
    "as_prescribed",
    "pain_during",
    "bone_pain",
    "pain_next_morning",
    "next_morning_worse",
)


@dataclass(frozen=True)
class Saved:
    log: ExerciseLog | RunLog
    outcome: str  # "created", "updated" or "unchanged" (the same entry sent again)


def plan_bone_stress(plan: Plan) -> bool:
    """A bone stress injury among the plan's diagnoses: the stricter rule (as snapshots.py)."""
    return plan.evaluation.diagnoses.filter(code__startswith="M84.3").exists()


def _save_daily(model, *, key: dict, values: dict, create: dict, actor: Actor):
    """Create or update the one row for ``key`` (a day); a parallel submit cannot make two."""
    with transaction.atomic():
        log = model.objects.select_for_update().filter(**key).first()
        if log is None:
            try:
                with transaction.atomic():
                    log = model.objects.create(**key, **create, **values)
            except IntegrityError:  # the same day sent twice at once: the other one won
                log = model.objects.select_for_update().get(**key)
            else:
                _audit(actor, AuditAction.CREATED, log)
                return Saved(log, "created")
        if all(getattr(log, name) == value for name, value in values.items()):
            return Saved(log, "unchanged")
        for name, value in values.items():
            setattr(log, name, value)
        log.save(update_fields=[*values, "updated_at"])
        _audit(actor, AuditAction.CHANGED, log)
        return Saved(log, "updated")


def _audit(actor: Actor, action, log) -> None:
    detail = "exercise log" if isinstance(log, ExerciseLog) else "run log"
    audit(actor, action, obj=log, patient=log.patient, detail=detail)


def exercise_log_save(*, link, version, data: dict, actor: Actor) -> Saved:
    """The patient's log of one day for the version they were shown (one row per day);
    ``actor`` is the patient on their link (labelled with the link's ACTOR_LABEL)."""
    plan = link.plan
    return _save_daily(
        ExerciseLog,
        key={"patient": plan.patient, "version": version, "day": data["day"]},
        values={name: data[name] for name in EXERCISE_FIELDS},
        create={"plan": plan},
        actor=actor,
    )


def run_log_save(
    *, link, version, data: dict, actor: Actor, watch: run_uploads.ReadFile | None = None
) -> tuple[Saved, ProgressionDecision | None]:
    """One run (or its next-morning answer) with the watch's file if sent, then the rule's
    new proposal, if any."""
    plan = link.plan
    with transaction.atomic():
        saved = _save_daily(
            RunLog,
            key={"plan": plan, "day": data["day"]},
            values={name: data[name] for name in RUN_FIELDS},
            create={"patient": plan.patient, "version": version, "stage": plan.run_stage},
            actor=actor,
        )
        if watch is not None:
            run_uploads.run_file_attach(run=saved.log, read=watch, actor=actor)
        decision = run_decision_refresh(plan=plan)
    return saved, decision


# ------------------------------------------------------------------ the run-stage decision


def runs_at_current_stage(plan: Plan) -> list[RunLog]:
    """Runs at the plan's stage since the patient last moved to it, oldest first."""
    runs = RunLog.objects.filter(plan=plan, stage=plan.run_stage)
    moved = (
        ProgressionDecision.objects.filter(
            plan=plan, status__in=(DecisionStatus.CONFIRMED, DecisionStatus.OVERRIDDEN)
        )
        .exclude(final_stage=F("stage"))  # confirmed without a move: runs still count
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if moved is not None:
        runs = runs.filter(created_at__gt=moved)
    return list(runs.order_by("day", "created_at"))


def _report(run: RunLog, *, worse: bool | None = None) -> return_to_run.RunReport:
    return return_to_run.RunReport(
        pain_during=run.pain_during,
        pain_next_morning_worse=run.next_morning_worse if worse is None else worse,
        bone_pain=run.bone_pain,
        completed=run.as_prescribed,
    )


def _urgent(run: RunLog, bone_stress: bool) -> bool:
    """Decided at once, without waiting for the next morning: stop, or bone pain with a BSI."""
    return run.pain_during > return_to_run.PAIN_ACCEPTABLE_MAX or (bone_stress and run.bone_pain)


def rule_decision(plan: Plan, runs: list[RunLog]) -> return_to_run.Decision | None:
    """The rule's answer, or None while the latest run waits for its next-morning answer.

    The next morning decides (DOMAIN.md s.4), so a run without it counts only once it is
    given; a run whose morning was never given does not count towards the two runs.
    """
    if not runs:
        return None
    bone_stress = plan_bone_stress(plan)
    latest = runs[-1]
    reports = [_report(run) for run in runs[:-1] if run.morning_known]
    if latest.morning_known:
        reports.append(_report(latest))
    elif _urgent(latest, bone_stress):
        reports.append(_report(latest, worse=False))  # the rule checks these before morning
    else:
        return None
    return return_to_run.progression_decision(plan.run_stage, reports, bone_stress)


def run_decision_refresh(*, plan: Plan) -> ProgressionDecision | None:
    """Replace the pending proposal with the rule's answer for the runs logged so far."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        ProgressionDecision.objects.filter(plan=plan, status=DecisionStatus.PENDING).update(
            status=DecisionStatus.REPLACED
        )
        runs = runs_at_current_stage(plan)
        decision = rule_decision(plan, runs)
        if decision is None:
            return None
        return ProgressionDecision.objects.create(
            plan=plan,
            run=runs[-1],
            stage=plan.run_stage,
            action=decision.action,
            next_stage=decision.next_stage,
            reason=decision.reason,
            contact_clinic=decision.contact_clinic,
        )


def pending_decision(plan: Plan) -> ProgressionDecision | None:
    return ProgressionDecision.objects.filter(plan=plan, status=DecisionStatus.PENDING).first()


def last_decided(plan: Plan) -> ProgressionDecision | None:
    decided = (DecisionStatus.CONFIRMED, DecisionStatus.OVERRIDDEN)
    return (
        ProgressionDecision.objects.filter(plan=plan, status__in=decided)
        .order_by("-decided_at")
        .first()
    )


def run_decision_resolve(
    *, plan: Plan, decision_id: int, confirm: bool, stage: int | None, note: str, actor: Actor
) -> ProgressionDecision:
    """The clinician confirms the rule's proposal or overrides it (with a note); audited."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        decision = pending_decision(plan)
        if decision is None or decision.pk != decision_id:
            raise ValidationError(
                "A newer run changed the proposal (or it was already decided): review it again."
            )
        if not confirm and not note.strip():
            raise ValidationError("Say in a note why you override the rule.")
        final = decision.next_stage if confirm else stage
        decision.status = DecisionStatus.CONFIRMED if confirm else DecisionStatus.OVERRIDDEN
        decision.final_stage = final
        decision.note = note.strip()
        decision.decided_by = actor.user
        decision.decided_at = timezone.now()
        decision.save()
        before = plan.run_stage
        if final != before:
            plan.run_stage = final
            plan.save(update_fields=["run_stage", "updated_at"])
        audit(
            actor,
            AuditAction.CHANGED,
            obj=decision,
            patient=plan.patient,
            detail=f"run stage {before} -> {final} ({decision.status})",
        )
    return decision


# ------------------------------------------------------------------ what the patient sees


@dataclass(frozen=True)
class Day:
    day: datetime.date
    log: ExerciseLog | None


def exercise_history(plan: Plan, version, today: datetime.date) -> list[Day]:
    """The last HISTORY_DAYS days since the version was issued, newest first; None = missed."""
    issued = timezone.localdate(version.issued_at)
    first = max(issued, today - datetime.timedelta(days=HISTORY_DAYS - 1))
    logs = {
        log.day: log
        for log in ExerciseLog.objects.filter(version=version, day__gte=first, day__lte=today)
    }
    days = (today - datetime.timedelta(days=n) for n in range((today - first).days + 1))
    return [Day(day, logs.get(day)) for day in days]


def exercise_counts(log: ExerciseLog) -> dict[str, int]:
    """How many exercises the day's log has per status, leaving out statuses not used."""
    values = list(log.exercises.values())
    counts = {status.label: values.count(status.value) for status in ExerciseStatus}
    return {label: n for label, n in counts.items() if n}


def run_history(plan: Plan) -> list[RunLog]:
    runs = RunLog.objects.filter(plan=plan).select_related("watch_file")
    return list(runs.order_by("-day")[:HISTORY_DAYS])


def plan_cadence_target(plan: Plan):
    """(low, high) steps/min: the issued plan's target, else its evaluation's (as letters.py)."""
    version = plan.versions.order_by("-issued_at", "-id").first()
    return coach_program(version, plan.evaluation)[1]


def run_panel(plan: Plan) -> dict | None:
    """The clinician's view of the walk-run program on the plan page."""
    if not plan.return_to_run:
        return None
    decided = (DecisionStatus.CONFIRMED, DecisionStatus.OVERRIDDEN)
    runs = run_history(plan)
    target = plan_cadence_target(plan)
    return {
        "pending": ProgressionDecision.objects.select_related("run")
        .filter(plan=plan, status=DecisionStatus.PENDING)
        .first(),
        "runs": runs,
        "cadence_target": target,
        "gait": run_uploads.gait_rows(reversed(runs), target),
        "decided": list(
            ProgressionDecision.objects.select_related("decided_by")
            .filter(plan=plan, status__in=decided)
            .order_by("-decided_at")[:10]
        ),
    }
