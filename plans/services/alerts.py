"""Alerts between visits: computed from the patients' logs, never stored.

Each alert is one instance of a kind, named by a key (the run, the decision, the last log's
day); a clinician's acknowledgement (AlertAck) hides that instance only, so a new run above
the rule or a later silence alerts again. alerts_for() costs the same few queries for any
number of patients: every kind is one query over all the user's visible patients.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import Diagnosis, Patient, PatientStatus
from plans import return_to_run
from plans.models import (
    AlertAck,
    AlertKind,
    DecisionAction,
    DecisionStatus,
    ExerciseLog,
    LogReminderOptIn,
    PatientPlanLink,
    ProgressionDecision,
    RunLog,
)

# Project decisions, not clinical numbers (so no source to cite): how far back a log can
# still raise a pain alert, how many entries make a rising trend, how long a silence may last.
RECENT_DAYS = 14
RISING_ENTRIES = 3
NO_LOG_DAYS = 7
BONE_STRESS_CODE = "M84.3"  # as services/logs.py plan_bone_stress and snapshots.py


@dataclass(frozen=True)
class Alert:
    patient: Patient
    kind: str
    key: str  # identifies this instance; stored with its acknowledgement
    day: datetime.date
    text: str

    @property
    def label(self) -> str:
        return AlertKind(self.kind).label


# ------------------------------------------------------------------ pure rules


def run_above_rule(run: dict, bone_stress: bool) -> str | None:
    """Why a run breaks the plan's pain rule (plans/return_to_run.py), or None."""
    if run["pain_during"] > return_to_run.PAIN_ACCEPTABLE_MAX:
        return f"pain {run['pain_during']}/10 during the run"
    if bone_stress and run["bone_pain"]:
        return "bone pain with a bone stress injury"
    if run["next_morning_worse"]:
        return "worse the next morning"
    return None


def daily_worst(entries: list[dict]) -> list[tuple[datetime.date, int]]:
    """(day, the worst pain during of that day's logs), oldest first."""
    worst: dict[datetime.date, int] = {}
    for entry in entries:
        worst[entry["day"]] = max(worst.get(entry["day"], 0), entry["pain_during"])
    return sorted(worst.items())


def rising(days: list[tuple[datetime.date, int]]) -> bool:
    """Pain during higher at each of the last RISING_ENTRIES days with a log."""
    last = [pain for _day, pain in days[-RISING_ENTRIES:]]
    return len(last) == RISING_ENTRIES and all(a < b for a, b in zip(last, last[1:], strict=False))


def no_log_due(last: datetime.date, today: datetime.date) -> bool:
    return today >= last + datetime.timedelta(days=NO_LOG_DAYS)


# ------------------------------------------------------------------ one query per kind


def _bone_stress():
    return Exists(
        Diagnosis.objects.filter(
            evaluation=OuterRef("plan__evaluation"), code__startswith=BONE_STRESS_CODE
        )
    )


def _pain_alerts(patients, since: datetime.date) -> list[tuple[int, str, str, datetime.date, str]]:
    """Runs above the rule and rising pain, from the recent logs (two queries)."""
    runs = list(
        RunLog.objects.filter(patient__in=patients, day__gte=since)
        .annotate(bone_stress=_bone_stress())
        .order_by("day", "id")
        .values(
            "id",
            "patient_id",
            "day",
            "pain_during",
            "bone_pain",
            "next_morning_worse",
            "bone_stress",
        )
    )
    exercises = ExerciseLog.objects.filter(patient__in=patients, day__gte=since).values(
        "patient_id", "day", "pain_during"
    )
    found, entries = [], defaultdict(list)
    above: dict[int, tuple] = {}
    for run in runs:
        entries[run["patient_id"]].append(run)
        why = run_above_rule(run, run["bone_stress"])
        if why:  # the latest such run per patient
            above[run["patient_id"]] = (f"run-{run['id']}", run["day"], f"Run: {why}.")
    for entry in exercises:
        entries[entry["patient_id"]].append(entry)
    for patient_id, (key, day, text) in above.items():
        found.append((patient_id, AlertKind.PAIN_ABOVE_RULE, key, day, text))
    for patient_id, patient_entries in entries.items():
        days = daily_worst(patient_entries)
        if rising(days):
            pains = " → ".join(str(pain) for _day, pain in days[-RISING_ENTRIES:])
            last = days[-1][0]
            text = f"Pain during: {pains} over the last {RISING_ENTRIES} days logged."
            found.append((patient_id, AlertKind.PAIN_RISING, last.isoformat(), last, text))
    return found


def _latest_day(model) -> Subquery:
    return Subquery(model.objects.filter(patient=OuterRef("pk")).order_by("-day").values("day")[:1])


def _no_log_alerts(patients, today: datetime.date) -> list[tuple]:
    """Silent patients with a usable plan link who opted in or have logged before (1 query)."""
    opted = Subquery(
        LogReminderOptIn.objects.filter(plan__patient=OuterRef("pk"), active=True)
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    rows = (
        Patient.objects.filter(pk__in=patients)
        .exclude(status=PatientStatus.DISCHARGED)
        .filter(Exists(PatientPlanLink.objects.active().filter(plan__patient=OuterRef("pk"))))
        .annotate(
            last_exercise=_latest_day(ExerciseLog), last_run=_latest_day(RunLog), opted_at=opted
        )
        .filter(
            Q(last_exercise__isnull=False) | Q(last_run__isnull=False) | Q(opted_at__isnull=False)
        )
        .values_list("pk", "last_exercise", "last_run", "opted_at")
    )
    found = []
    for patient_id, last_exercise, last_run, opted_at in rows:
        logged = [d for d in (last_exercise, last_run) if d is not None]
        last = max(logged) if logged else timezone.localdate(opted_at)
        if no_log_due(last, today):
            text = (
                f"Last log on {last:%b} {last.day}."
                if logged
                else f"No log since opting in ({last:%b} {last.day})."
            )
            found.append((patient_id, AlertKind.NO_LOG, last.isoformat(), last, text))
    return found


def _progress_alerts(patients) -> list[tuple]:
    rows = ProgressionDecision.objects.filter(
        plan__patient__in=patients, status=DecisionStatus.PENDING, action=DecisionAction.PROGRESS
    ).values_list("pk", "plan__patient_id", "stage", "next_stage", "created_at")
    return [
        (
            patient_id,
            AlertKind.READY_TO_PROGRESS,
            f"decision-{pk}",
            timezone.localdate(created_at),
            f"The rule proposes stage {stage} → {next_stage}; confirm or override.",
        )
        for pk, patient_id, stage, next_stage, created_at in rows
    ]


def _alerts(patients, today: datetime.date) -> list[Alert]:
    since = today - datetime.timedelta(days=RECENT_DAYS - 1)
    found = [
        *_pain_alerts(patients, since),
        *_no_log_alerts(patients, today),
        *_progress_alerts(patients),
    ]
    if not found:
        return []
    ids = {row[0] for row in found}
    acked = set(
        AlertAck.objects.filter(patient_id__in=ids).values_list("patient_id", "kind", "key")
    )
    open_rows = [row for row in found if row[:3] not in acked]
    by_id = Patient.objects.in_bulk({row[0] for row in open_rows})
    alerts = [Alert(by_id[pid], kind, key, day, text) for pid, kind, key, day, text in open_rows]
    return sorted(alerts, key=lambda a: (a.day, a.patient.pk, a.kind), reverse=True)


def alerts_for(user, *, today: datetime.date | None = None) -> list[Alert]:
    """Open alerts of every patient the user may see; none without clinical access."""
    if not user.has_perm("intake.view_clinical"):
        return []
    return _alerts(Patient.objects.visible_to(user), today or timezone.localdate())


def patient_alerts(patient: Patient, *, today: datetime.date | None = None) -> list[Alert]:
    """Open alerts of one patient (the caller has checked that the user may see them)."""
    return _alerts(Patient.objects.filter(pk=patient.pk), today or timezone.localdate())


# ------------------------------------------------------------------ acknowledgement


def alert_acknowledge(
    *, patient: Patient, kind: str, key: str, note: str, actor: Actor
) -> AlertAck:
    """Hide one open alert instance of the patient, with the clinician's note; audited."""
    if not any(a.kind == kind and a.key == key for a in patient_alerts(patient)):
        raise ValidationError("This alert is no longer open: it may have been acknowledged.")
    try:
        with transaction.atomic():
            ack = AlertAck.objects.create(
                patient=patient,
                kind=kind,
                key=key,
                note=note.strip(),
                acknowledged_by=actor.user,
            )
            detail = f"alert {kind} acknowledged" + (" with a note" if ack.note else "")
            audit(actor, AuditAction.CREATED, obj=ack, patient=patient, detail=detail)
    except IntegrityError:  # a colleague acknowledged it at the same moment
        raise ValidationError("A colleague has just acknowledged this alert.") from None
    return ack
