"""Selectors for plan-of-care tracking: load the facts intake.plan_of_care judges.

The plan is the one of the patient's latest signed initial evaluation or re-evaluation; a
signed discharge on or after it closes it. Attended means checked in (ARRIVED); booked means
still to come. Three queries for one patient (evaluations, visits, the authorization) and
four for a clinician's list, whatever the number of patients.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from intake import plan_of_care
from intake.models import (
    Evaluation,
    EvaluationKind,
    Patient,
    TreatmentNote,
    Visit,
    VisitStatus,
)
from intake.models.visits import VisitAuthorization

PLAN_KINDS = (EvaluationKind.INITIAL, EvaluationKind.RE_EVALUATION)
# A clinician's list shows plans begun within this many weeks (older ones are long over).
ACTIVE_WEEKS = 26  # project default


def _plan_facts(rows: list[dict]) -> tuple[plan_of_care.Plan | None, datetime.date | None]:
    """(the plan, the discharge date) from one patient's signed evaluations, newest first."""
    plan_row = next((r for r in rows if r["kind"] in PLAN_KINDS), None)
    if plan_row is None:
        return None, None
    discharge = next(
        (
            r["date"]
            for r in rows
            if r["kind"] == EvaluationKind.DISCHARGE and r["date"] >= plan_row["date"]
        ),
        None,
    )
    plan = plan_of_care.Plan(
        starts_on=plan_row["date"],
        visits_per_week=plan_row["visits_per_week"],
        weeks=plan_row["plan_weeks"],
        certified_until=plan_row["certified_until"],
        opens_with_report=plan_row["kind"] == EvaluationKind.RE_EVALUATION,
    )
    return plan, discharge


def _visit_facts(rows, now: datetime.datetime) -> list[plan_of_care.VisitFact]:
    """From (id, start, end, status, reported, signed) rows: reported is a signed progress
    note, signed any signed note. A visit over but still booked counts as attended once its
    note is signed (signing checks the patient in, so only older rows are like that); until
    then it is still to come on its own day, and unmarked from the next day on."""
    today = timezone.localdate(now)
    facts = []
    for pk, start, end, status, reported, signed in rows:
        day = timezone.localdate(start)
        still_booked = status == VisitStatus.BOOKED
        done = status == VisitStatus.ARRIVED or (still_booked and end <= now and bool(signed))
        facts.append(
            plan_of_care.VisitFact(
                id=pk,
                day=day,
                done=done,
                booked=still_booked and not done and day >= today,
                report=bool(reported),
                signed=bool(signed),
                unmarked=still_booked and not done and day < today,
            )
        )
    return facts


def reported():
    """Annotation of a visit: a signed progress note was written at it."""
    return Exists(
        TreatmentNote.objects.filter(
            visit=OuterRef("pk"), progress_note=True, signed_at__isnull=False
        )
    )


def signed_note():
    """Annotation of a visit: its note is signed."""
    return Exists(TreatmentNote.objects.filter(visit=OuterRef("pk"), signed_at__isnull=False))


def latest_authorization(patient_ref: str):
    """Annotation: the patient's latest visit authorization as JSON, within the query that
    loads the patient (or the note: ``patient_ref`` names the patient's id there)."""
    return Subquery(
        VisitAuthorization.objects.filter(patient=OuterRef(patient_ref))
        .order_by("-recorded_at", "-id")
        .values(
            json=JSONObject(
                visits="visits",
                starts_on="starts_on",
                ends_on="ends_on",
                payer="payer",
                reference="reference",
            )
        )[:1]
    )


def authorization_from_json(data: dict | str | None) -> VisitAuthorization | None:
    """latest_authorization's JSON as an (unsaved) authorization to count and show."""
    if not data:
        return None
    if isinstance(data, str):  # a backend that hands JSON back as text
        data = json.loads(data)
    return VisitAuthorization(
        visits=data["visits"],
        starts_on=datetime.date.fromisoformat(str(data["starts_on"])[:10]),
        ends_on=datetime.date.fromisoformat(str(data["ends_on"])[:10]),
        payer=data["payer"],
        reference=data["reference"],
    )


def _authorization(row: VisitAuthorization | None) -> plan_of_care.Authorization | None:
    if row is None:
        return None
    return plan_of_care.Authorization(
        visits=row.visits, starts_on=row.starts_on, ends_on=row.ends_on
    )


EVALUATION_VALUES = (
    "patient_id",
    "kind",
    "date",
    "visits_per_week",
    "plan_weeks",
    "certified_until",
)
VISIT_VALUES = ("id", "start", "end", "status", "reported", "signed")


def signed_rows(evaluations) -> list[dict]:
    """The signed ones of a patient's evaluations (instances, newest first) as plan rows."""
    return [
        {name: getattr(e, name) for name in EVALUATION_VALUES}
        for e in evaluations
        if e.signed_at is not None
    ]


def plan_since(rows: list[dict], authorization=None) -> datetime.date | None:
    """The first day whose visits the plan counts: its first day, or the authorization's when
    that began earlier (a day early: UTC against local dates)."""
    plan, _ = _plan_facts(rows)
    if plan is None:
        return None
    first = plan.starts_on
    if authorization is not None:
        first = min(first, authorization.starts_on)
    return first - datetime.timedelta(days=1)


def chart_care_plan(*, rows: list[dict], visits, authorization: VisitAuthorization | None) -> dict:
    """The chart's plan-of-care card from what the chart loaded already: the signed
    evaluation ``rows``, the ``visits`` from plan_since on (instances) and the latest
    ``authorization`` (None when none was recorded). No query."""
    plan, discharged = _plan_facts(rows)
    status = None
    if plan is not None:
        now = timezone.now()
        facts = _visit_facts(
            [
                (v.pk, v.start, v.end, v.status, v.reported, v.note_state == "signed")
                for v in visits
                if v.status in (VisitStatus.ARRIVED, VisitStatus.BOOKED)
            ],
            now,
        )
        status = plan_of_care.plan_status(
            plan=plan,
            visits=facts,
            today=timezone.localdate(),
            authorization=_authorization(authorization),
            discharged_on=discharged,
        )
    return {"status": status, "authorization": authorization}


_LOAD = object()


def patient_plan_status(patient: Patient, *, authorization=_LOAD) -> plan_of_care.PlanStatus | None:
    """Where this patient's plan of care stands, or None before a signed evaluation
    (``authorization``: the latest row when the caller has it already)."""
    if authorization is _LOAD:
        authorization = patient.authorizations.first()
    rows = list(
        Evaluation.objects.signed()
        .filter(patient=patient)
        .order_by("-date", "-id")
        .values(*EVALUATION_VALUES)
    )
    plan, discharged = _plan_facts(rows)
    if plan is None:
        return None
    now = timezone.now()
    visits = (
        Visit.objects.filter(
            patient=patient,
            start__date__gte=plan_since(rows, authorization),
            status__in=(VisitStatus.ARRIVED, VisitStatus.BOOKED),
        )
        .annotate(reported=reported(), signed=signed_note())
        .order_by("start")
        .values_list(*VISIT_VALUES)
    )
    return plan_of_care.plan_status(
        plan=plan,
        visits=_visit_facts(visits, now),
        today=timezone.localdate(),
        authorization=_authorization(authorization),
        discharged_on=discharged,
    )


def clinician_plan_statuses(user) -> list[tuple[Patient, plan_of_care.PlanStatus]]:
    """The plans of care this clinician set, still running, that warn of something: most
    warnings first. Four queries whatever the number of patients."""
    since = timezone.localdate() - datetime.timedelta(weeks=ACTIVE_WEEKS)
    patients = {
        p.pk: p
        for p in Patient.objects.visible_to(user).filter(
            evaluations__clinician=user,
            evaluations__signed_at__isnull=False,
            evaluations__kind__in=PLAN_KINDS,
            evaluations__date__gte=since,
        )
    }
    if not patients:
        return []
    evaluations = defaultdict(list)
    for row in (
        Evaluation.objects.signed()
        .filter(patient_id__in=patients)
        .order_by("-date", "-id")
        .values(*EVALUATION_VALUES)
    ):
        evaluations[row["patient_id"]].append(row)
    authorizations = {}
    for row in VisitAuthorization.objects.filter(patient_id__in=patients).order_by(
        "patient_id", "-recorded_at", "-id"
    ):
        authorizations.setdefault(row.patient_id, row)
    # Each patient's visits from the plan's window on, or from their authorization's start
    # when it began earlier (a day early: UTC against local dates).
    day = datetime.timedelta(days=1)
    wanted = Q(
        patient_id__in=[pk for pk in patients if pk not in authorizations],
        start__date__gte=since - day,
    )
    for pk, authorization in authorizations.items():
        wanted |= Q(patient_id=pk, start__date__gte=min(since, authorization.starts_on) - day)
    now = timezone.now()
    visits = defaultdict(list)
    for row in (
        Visit.objects.filter(wanted, status__in=(VisitStatus.ARRIVED, VisitStatus.BOOKED))
        .annotate(reported=reported(), signed=signed_note())
        .order_by("start")
        .values_list("patient_id", *VISIT_VALUES)
    ):
        visits[row[0]].append(row[1:])
    today = timezone.localdate()
    out = []
    for pk, patient in patients.items():
        plan, discharged = _plan_facts(evaluations[pk])
        if plan is None or discharged is not None:
            continue
        status = plan_of_care.plan_status(
            plan=plan,
            visits=_visit_facts(visits[pk], now),
            today=today,
            authorization=_authorization(authorizations.get(pk)),
        )
        if status.warnings:
            out.append((patient, status))
    out.sort(key=lambda pair: (-len(pair[1].warnings), pair[0].legal_last_name, pair[0].pk))
    return out
