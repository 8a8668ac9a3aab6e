"""Reads that pages share: what the patient chart shows, loaded in a known number of queries.

Selectors read and never write; the view audits the read (who viewed what) and renders.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Trim
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from intake import care_plans
from intake.models import (
    DiscoveryCall,
    EmergencyAccess,
    EvaluationKind,
    Patient,
    TreatmentConsent,
    TreatmentNote,
)
from intake.models.visits import HOLDS_TIME
from intake.progress import patient_progress


def patient_chart(*, user, pk: int) -> dict:
    """The chart of one patient this user may open (404 otherwise), as template context.

    Everyone with the chart gets the demographics, the questionnaires and the discovery call;
    clinical roles also get the red flags, evaluations, plans, progress, outcome requests and
    who opened the chart lately. ``emergency`` is when a break-the-glass access ends, if the
    chart was opened by one.
    """
    clinical = user.has_perm("intake.view_clinical")
    patients = Patient.objects.visible_to(user).select_related("primary_clinician")
    # Whether a discovery call came before: its card costs a query only when there is one.
    patients = patients.annotate(
        had_call=Exists(DiscoveryCall.objects.filter(patient=OuterRef("pk")))
    )
    if clinical:
        # Opened by "break the glass"? Asked within the patient's query: one query less.
        patients = patients.annotate(
            emergency_until=Subquery(
                EmergencyAccess.objects.active()
                .filter(patient=OuterRef("pk"), user=user)
                .order_by("-expires_at")
                .values("expires_at")[:1]
            )
        )
    # The latest visit authorization, within the patient's query (plan-of-care card).
    patients = patients.annotate(authorization_json=care_plans.latest_authorization("pk"))
    # The dry-needling consent on file (its signing date), within the patient's query too.
    patients = patients.annotate(
        needling_consent_on=Subquery(
            TreatmentConsent.objects.filter(
                patient=OuterRef("pk"), kind="dry_needling", withdrawn_at__isnull=True
            )
            .order_by("-signed_on")
            .values("signed_on")[:1]
        )
    )
    patient = get_object_or_404(patients, pk=pk)
    if clinical:  # one query for the history, the progress table and the plan of care
        evaluations = list(patient.evaluations.select_related("clinician", "gait"))
        rows = care_plans.signed_rows(evaluations)
    else:
        rows = list(
            patient.evaluations.signed()
            .order_by("-date", "-id")
            .values(*care_plans.EVALUATION_VALUES)
        )
    authorization = care_plans.authorization_from_json(patient.authorization_json)
    visits = _chart_visits(
        patient, since=care_plans.plan_since(rows, authorization), with_notes=clinical
    )
    chart = {
        "patient": patient,
        "clinical": clinical,
        "emergency": getattr(patient, "emergency_until", None),
        "intakes": patient.intakes.select_related("accepted_by").prefetch_related("links"),
        "call": patient.discovery_calls.order_by("-start").first() if patient.had_call else None,
        "visits": visits,
        "care_plan": care_plans.chart_care_plan(
            rows=rows,
            visits=visits["in_plan"],
            authorization=authorization,
        ),
    }
    if clinical:
        chart.update(_clinical_chart(patient, evaluations))
        chart["timeline"] = _timeline(evaluations, visits["noted"])
    return chart


def _timeline(evaluations: list, noted: list) -> list[dict]:
    """Evaluations and treatment notes, newest first (a day's evaluation before its note)."""
    entries = [{"kind": "evaluation", "date": e.date, "order": 1, "item": e} for e in evaluations]
    entries += [
        {"kind": "note", "date": timezone.localdate(v.start), "order": 0, "item": v} for v in noted
    ]
    return sorted(entries, key=lambda e: (e["date"], e["order"], e["item"].pk), reverse=True)


def _chart_visits(patient: Patient, *, since: datetime.date | None, with_notes: bool) -> dict:
    """The next booked visits, soonest first, then the last few, in one query; with a plan
    of care (``since``: the first day it counts), every visit from that day on too; and
    ``with_notes``, every visit with a treatment note (the chart's timeline)."""
    now = timezone.now()
    upcoming = Q(end__gt=now, status__in=HOLDS_TIME)
    visits = (
        patient.visits.select_related("visit_type", "clinician")
        .annotate(
            reported=care_plans.reported(),
            note_state=Subquery(
                TreatmentNote.objects.filter(visit=OuterRef("pk"))
                .annotate(
                    state=Case(
                        When(signed_at__isnull=False, then=Value("signed")),
                        default=Value("draft"),
                    )
                )
                .values("state")[:1]
            ),
            note_pk=Subquery(TreatmentNote.objects.filter(visit=OuterRef("pk")).values("pk")[:1]),
            note_author=Subquery(
                TreatmentNote.objects.filter(visit=OuterRef("pk"))
                .annotate(
                    name=Trim(Concat("clinician__first_name", Value(" "), "clinician__last_name"))
                )
                .values("name")[:1]
            ),
            note_is_progress=Subquery(
                TreatmentNote.objects.filter(visit=OuterRef("pk")).values("progress_note")[:1]
            ),
            upcoming=Case(When(upcoming, then=Value(1)), default=Value(0)),
            upcoming_start=Case(When(upcoming, then=F("start")), default=None),
        )
        .order_by("-upcoming", F("upcoming_start").asc(nulls_last=True), "-start")
    )
    noted = Q(Exists(TreatmentNote.objects.filter(visit=OuterRef("pk"))))
    if since is None and not with_notes:
        rows = list(visits[:CHART_VISITS])
    else:
        # The last few past visits whatever the plan's first day (a subquery: one query).
        fifth_past = patient.visits.exclude(upcoming).order_by("-start").values("start")[4:5]
        last_past = Q(start__gte=Coalesce(Subquery(fifth_past), Value(EPOCH)))
        wanted = upcoming | (~upcoming & last_past)
        if since is not None:
            wanted |= Q(start__date__gte=since)
        if with_notes:
            wanted |= noted
        rows = list(visits.filter(wanted)[:PLAN_VISITS_MAX])
    return {
        "upcoming": [v for v in rows if v.upcoming][:CHART_VISITS],
        "past": [v for v in rows if not v.upcoming][:5],
        "in_plan": [v for v in rows if since is not None and v.start.date() >= since],
        "noted": [v for v in rows if v.note_pk is not None],
    }


CHART_VISITS = 20  # upcoming first (a plan of care: 2 a week for 6 weeks), then the past
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # before any visit
PLAN_VISITS_MAX = 500  # a year's plan at 7 a week is 365: a bound, never reached


def _clinical_chart(patient: Patient, evaluations: list) -> dict:
    alerts = patient.red_flag_alerts.select_related("resolved_by", "intake").by_urgency()
    return {
        "alerts": alerts,
        "urgent_alerts": [a for a in alerts if a.is_open and a.needs_action_now],
        "evaluations": evaluations,
        # Plans by their reverse relation: intake never imports plans (STYLE.md).
        "plans": patient.plans.prefetch_related(
            # Version numbers only: each snapshot is ~70 KiB (apps.get_model: no plans import).
            Prefetch(
                "versions",
                queryset=apps.get_model("plans", "PlanVersion").objects.defer("snapshot"),
            )
        ).order_by("-created_at"),
        "evaluation_kinds": EvaluationKind.choices,
        "progress": patient_progress(patient, evaluations),
        "outcome_requests": patient.outcome_requests.prefetch_related("links")[:3],
        "recent_access": (
            AuditEvent.objects.for_patient(patient)
            .filter(action=AuditAction.VIEWED, actor__isnull=False)
            .values("actor__username", "actor__first_name", "actor__last_name")
            .annotate(last=Max("at"), times=Count("id"))
            .order_by("-last")[:8]
        ),
    }
