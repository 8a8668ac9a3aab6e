"""Reads for the clinic statistics: the facts intake/clinic_statistics.py counts, each loaded in
a fixed number of queries whatever the size of the clinic."""

from __future__ import annotations

from django.utils import timezone

from intake import clinic_statistics
from intake.models import DiscoveryCall, Evaluation, OutcomeResponse, Patient, PatientStatus


def call_facts() -> list[clinic_statistics.CallFact]:
    """Every discovery call, with its month in the clinic's time zone."""
    rows = DiscoveryCall.objects.values_list(
        "start", "source", "heard_from", "status", "outcome", "patient_id"
    ).order_by("start")
    return [
        clinic_statistics.CallFact(
            month=timezone.localtime(start).strftime("%Y-%m"),
            booked_via=source,
            heard_from=heard_from,
            status=status,
            outcome=outcome,
            converted=patient_id is not None,
        )
        for start, source, heard_from, status, outcome, patient_id in rows
    ]


def active_patient_facts() -> list[clinic_statistics.ActivePatientFact]:
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
        clinic_statistics.ActivePatientFact(
            patient_id=patient.pk,
            clinician=_staff_name(patient.primary_clinician),
            since=timezone.localtime(patient.created_at).date(),
            evaluation_dates=[e.date for e in evaluations.get(patient.pk, [])],
            diagnosis_codes=_primary_codes(evaluations.get(patient.pk, [])),
        )
        for patient in patients
    ]


def outcome_facts() -> list[clinic_statistics.PatientOutcomes]:
    """Per patient with a signed evaluation: the first primary diagnosis and every score."""
    first_codes: dict[int, str] = {}
    signed = (
        Evaluation.objects.filter(signed_at__isnull=False)
        .prefetch_related("diagnoses")
        .order_by("patient_id", "date", "id")
    )
    conditions: dict[int, str] = {}
    for evaluation in signed:
        if evaluation.patient_id not in first_codes:
            primary = _primary_diagnosis(evaluation)
            first_codes[evaluation.patient_id] = primary.code if primary else ""
            conditions[evaluation.patient_id] = primary.condition if primary else ""
    scores: dict[int, list[clinic_statistics.Score]] = {}
    responses = (
        OutcomeResponse.objects.filter(evaluation__signed_at__isnull=False)
        .select_related("evaluation")
        .order_by("evaluation__date", "evaluation_id")
    )
    for response in responses:
        if response.score is not None:
            scores.setdefault(response.evaluation.patient_id, []).append(
                clinic_statistics.Score(response.measure, response.evaluation.date, response.score)
            )
    return [
        clinic_statistics.PatientOutcomes(
            patient_id=pk,
            diagnosis_code=code,
            scores=scores.get(pk, []),
            condition=conditions.get(pk, ""),
        )
        for pk, code in first_codes.items()
    ]


def _primary_diagnosis(evaluation: Evaluation):
    """The evaluation's primary diagnosis (its first if none is primary), or None."""
    diagnoses = sorted(evaluation.diagnoses.all(), key=lambda d: (not d.primary, d.pk))
    return diagnoses[0] if diagnoses else None


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
