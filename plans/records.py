"""Reads for the record exports: one patient's whole record, and the clinic's statistics facts.

The FHIR builder (plans/fhir.py) and the statistics (plans/statistics.py) are pure; these
functions do their queries, a fixed number whatever the size of the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from clinic.access import is_staff_member
from intake.models import (
    DiscoveryCall,
    Evaluation,
    Intake,
    OutcomeRequest,
    OutcomeResponse,
    Patient,
    PatientStatus,
)

from . import statistics
from .models import PlanVersion


def exportable_patients(user):
    """Patients whose record this user may export (intake.export_record).

    A clinician exports the patients they may open (their care team, Patient.visible_to);
    a clinic admin, who opens no chart, may export any patient's record (audited).
    """
    if not (is_staff_member(user) and user.has_perm("intake.export_record")):
        return Patient.objects.none()
    if user.has_perm("intake.view_patient"):
        return Patient.objects.visible_to(user)
    return Patient.objects.all()


@dataclass
class PatientRecord:
    """Everything the FHIR export holds for one patient, loaded."""

    patient: Patient
    intakes: list[Intake]
    evaluations: list[Evaluation]  # signed only: a draft is not yet part of the record
    outcome_requests: list[OutcomeRequest]  # answered at home, not yet taken into an evaluation
    versions: list[PlanVersion]  # issued plan versions, by plan then number
    calls: list[DiscoveryCall]


def patient_record(patient: Patient) -> PatientRecord:
    """The patient's record for export, in a fixed number of queries."""
    intakes = (
        patient.intakes.select_related("profile", "complaint", "created_by", "accepted_by")
        .prefetch_related("prior_injuries")
        .order_by("created_at", "id")
    )
    evaluations = (
        patient.evaluations.filter(signed_at__isnull=False)
        .select_related("clinician", "signed_by", "gait")
        .prefetch_related("measurements", "special_tests", "outcomes", "diagnoses")
        .order_by("date", "id")
    )
    requests = patient.outcome_requests.filter(
        submitted_at__isnull=False, evaluation__isnull=True
    ).order_by("submitted_at")
    versions = (
        PlanVersion.objects.filter(plan__patient=patient)
        .select_related("plan", "issued_by", "render")
        .order_by("plan_id", "number")
    )
    calls = patient.discovery_calls.select_related("clinician").order_by("start")
    return PatientRecord(
        patient=Patient.objects.select_related("primary_clinician").get(pk=patient.pk),
        intakes=list(intakes),
        evaluations=list(evaluations),
        outcome_requests=list(requests),
        versions=list(versions),
        calls=list(calls),
    )


# ------------------------------------------------------------------ statistics facts


def call_facts() -> list[statistics.CallFact]:
    """Every discovery call, with its month in the clinic's time zone."""
    rows = DiscoveryCall.objects.values_list(
        "start", "source", "heard_from", "status", "outcome", "patient_id"
    ).order_by("start")
    return [
        statistics.CallFact(
            month=timezone.localtime(start).strftime("%Y-%m"),
            booked_via=source,
            heard_from=heard_from,
            status=status,
            outcome=outcome,
            converted=patient_id is not None,
        )
        for start, source, heard_from, status, outcome, patient_id in rows
    ]


def active_patient_facts() -> list[statistics.ActivePatientFact]:
    """Active patients, without names: id, clinician, dates and the primary diagnosis code."""
    patients = (
        Patient.objects.filter(status=PatientStatus.ACTIVE)
        .select_related("primary_clinician")
        .order_by("pk")
    )
    evaluations: dict[int, list[Evaluation]] = {}
    signed = (
        Evaluation.objects.filter(patient__in=patients, signed_at__isnull=False)
        .prefetch_related("diagnoses")
        .order_by("date", "id")
    )
    for evaluation in signed:
        evaluations.setdefault(evaluation.patient_id, []).append(evaluation)
    return [
        statistics.ActivePatientFact(
            patient_id=patient.pk,
            clinician=_staff_name(patient.primary_clinician),
            since=timezone.localtime(patient.created_at).date(),
            evaluation_dates=[e.date for e in evaluations.get(patient.pk, [])],
            diagnosis_codes=_primary_codes(evaluations.get(patient.pk, [])),
        )
        for patient in patients
    ]


def outcome_facts() -> list[statistics.PatientOutcomes]:
    """Per patient with a signed evaluation: the first primary diagnosis and every score."""
    first_codes: dict[int, str] = {}
    signed = (
        Evaluation.objects.filter(signed_at__isnull=False)
        .prefetch_related("diagnoses")
        .order_by("patient_id", "date", "id")
    )
    for evaluation in signed:
        if evaluation.patient_id not in first_codes:
            codes = _primary_codes([evaluation])
            first_codes[evaluation.patient_id] = codes[0] if codes else ""
    scores: dict[int, list[statistics.Score]] = {}
    responses = (
        OutcomeResponse.objects.filter(evaluation__signed_at__isnull=False)
        .select_related("evaluation")
        .order_by("evaluation__date", "evaluation_id")
    )
    for response in responses:
        if response.score is not None:
            scores.setdefault(response.evaluation.patient_id, []).append(
                statistics.Score(response.measure, response.evaluation.date, response.score)
            )
    return [
        statistics.PatientOutcomes(patient_id=pk, diagnosis_code=code, scores=scores.get(pk, []))
        for pk, code in first_codes.items()
    ]


def _primary_codes(evaluations: list[Evaluation]) -> list[str]:
    """The primary diagnosis code of each evaluation (its first diagnosis if none is primary)."""
    codes = []
    for evaluation in evaluations:
        diagnoses = sorted(evaluation.diagnoses.all(), key=lambda d: (not d.primary, d.pk))
        if diagnoses:
            codes.append(diagnoses[0].code)
    return codes


def _staff_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
