"""Reads for the record exports: who may export whose record, and one patient's whole record.

The FHIR builder (plans/fhir) is pure; these functions do its queries, a fixed number
whatever the size of the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from clinic.access import is_staff_member
from intake.models import (
    DeliveredIntervention,
    DiscoveryCall,
    Evaluation,
    Intake,
    OutcomeRequest,
    Patient,
)

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
    notes: list = field(default_factory=list)  # signed treatment notes, by visit


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
    notes = (
        patient.treatment_notes.filter(signed_at__isnull=False)
        .select_related("visit__visit_type", "clinician")
        .prefetch_related(
            Prefetch(
                "interventions",
                queryset=DeliveredIntervention.objects.select_related("intervention"),
            )
        )
        .order_by("visit__start", "id")
    )
    return PatientRecord(
        patient=Patient.objects.select_related("primary_clinician").get(pk=patient.pk),
        intakes=list(intakes),
        evaluations=list(evaluations),
        outcome_requests=list(requests),
        versions=list(versions),
        calls=list(calls),
        notes=list(notes),
    )
