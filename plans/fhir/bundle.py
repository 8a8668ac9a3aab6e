"""One patient's record as a FHIR R4 Bundle (type "collection"); pure, no database.

plans/records.py loads a PatientRecord; ``record_bundle`` turns it into a Bundle dict and
``bundle_json`` validates every resource with fhir.resources (R4B, the release closest to R4
that the library ships) before it leaves the clinic.

Codes: ICD-10-CM for diagnoses; LOINC only where the code is certain (72514-3, pain severity
0-10); everything else uses this project's code systems under CODE_SYSTEMS, whose codes are
our own stable keys (intake/measurements.py, intake/scoring, the exercise library).
Resources are identified by urn:uuid full URLs derived from the site address and the row
id, so the same record exported twice gives the same ids. Observations are built in
plans/fhir/observations.py, QuestionnaireResponses in plans/fhir/responses.py, treatment
visits' Encounters and Procedures in plans/fhir/encounters.py.
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

if TYPE_CHECKING:
    from plans.records import PatientRecord

FHIR_BASE = "https://runner-pt.example/fhir"
CODE_SYSTEMS = f"{FHIR_BASE}/CodeSystem"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
SHA256_EXTENSION = f"{FHIR_BASE}/StructureDefinition/attachment-sha256"

# Administrative gender has no "intersex": it maps to "other", "prefer not to say" to "unknown".
GENDER = {"female": "female", "male": "male", "intersex": "other", "undisclosed": "unknown"}


def coding(system_key: str, code: str, display: str = "") -> dict:
    """A Coding in one of this project's code systems."""
    result = {"system": f"{CODE_SYSTEMS}/{system_key}", "code": code}
    return {**result, "display": display} if display else result


def concept(*codings: dict, text: str = "") -> dict:
    result: dict = {"coding": list(codings)} if codings else {}
    return {**result, "text": text} if text else result


def number(value) -> int | float:
    """A JSON number for a FHIR decimal: 42.00 → 42, 12.5 → 12.5."""
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def instant(value: datetime.datetime) -> str:
    return value.isoformat()


def staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


class Refs:
    """Stable urn:uuid identities for the resources of one export."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.practitioners: dict[int, object] = {}

    def uuid(self, key: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base_url}/fhir/{key}"))

    def ref(self, key: str) -> dict:
        return {"reference": f"urn:uuid:{self.uuid(key)}"}

    def entry(self, key: str, resource: dict) -> dict:
        ident = self.uuid(key)
        resource = {"resourceType": resource["resourceType"], "id": ident, **resource}
        return {"fullUrl": f"urn:uuid:{ident}", "resource": resource}

    def practitioner(self, user) -> dict:
        """A reference to a staff member; each one referenced becomes a Practitioner entry."""
        self.practitioners[user.pk] = user
        return {**self.ref(f"Practitioner/{user.pk}"), "display": staff_name(user)}


# ------------------------------------------------------------------ the bundle


def record_bundle(record: PatientRecord, *, base_url: str, now: datetime.datetime) -> dict:
    """The patient's record as a FHIR Bundle of type collection (a dict, not yet validated)."""
    from . import encounters, observations, responses

    refs = Refs(base_url)
    patient = record.patient
    if patient.primary_clinician is not None:
        refs.practitioner(patient.primary_clinician)
    entries = [
        *conditions(record, refs),
        *observations.observations(record, refs),
        *responses.questionnaire_responses(record, refs),
        *care_plans(record, refs),
        *appointments(record, refs),
        *encounters.encounters(record, refs),
        *documents(record, refs),
    ]
    practitioners = [practitioner(user, refs) for _pk, user in sorted(refs.practitioners.items())]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(now),
        "entry": [patient_entry(patient, refs), *practitioners, *entries],
    }


def validate(bundle: dict) -> None:
    """Raise pydantic.ValidationError unless every resource and the Bundle are valid FHIR."""
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    Bundle.model_validate(bundle)


def bundle_json(bundle: dict) -> str:
    validate(bundle)
    return json.dumps(bundle, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------ Patient, Practitioner


def patient_entry(patient, refs: Refs) -> dict:
    names = [
        {"use": "official", "family": patient.legal_last_name, "given": [patient.legal_first_name]}
    ]
    if patient.preferred_name:
        names.append(
            {"use": "usual", "family": patient.legal_last_name, "given": [patient.preferred_name]}
        )
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone.as_e164})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    resource = {
        "resourceType": "Patient",
        "identifier": [{"system": f"{FHIR_BASE}/sid/patient", "value": str(patient.pk)}],
        "name": names,
        "birthDate": patient.date_of_birth.isoformat(),
    }
    if telecom:
        resource["telecom"] = telecom
    if patient.sex in GENDER:
        resource["gender"] = GENDER[patient.sex]
    if contact := emergency_contact(patient):
        resource["contact"] = [contact]
    if patient.primary_clinician is not None:
        resource["generalPractitioner"] = [refs.practitioner(patient.primary_clinician)]
    return refs.entry(f"Patient/{patient.pk}", resource)


def emergency_contact(patient) -> dict | None:
    if not (patient.emergency_contact_name or patient.emergency_contact_phone):
        return None
    role = {"system": CONTACT_ROLE, "code": "C", "display": "Emergency Contact"}
    contact: dict = {
        "relationship": [concept(role, text=patient.emergency_contact_relationship)],
    }
    if patient.emergency_contact_name:
        contact["name"] = {"text": patient.emergency_contact_name}
    if patient.emergency_contact_phone:
        contact["telecom"] = [{"system": "phone", "value": patient.emergency_contact_phone.as_e164}]
    return contact


def practitioner(user, refs: Refs) -> dict:
    name: dict = {"text": staff_name(user)}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    resource = {
        "resourceType": "Practitioner",
        "identifier": [{"system": f"{FHIR_BASE}/sid/staff", "value": str(user.pk)}],
        "active": user.is_active,
        "name": [name],
    }
    return refs.entry(f"Practitioner/{user.pk}", resource)


# ------------------------------------------------------------------ Condition


def conditions(record: PatientRecord, refs: Refs) -> list[dict]:
    patient_ref = refs.ref(f"Patient/{record.patient.pk}")
    encounter = {
        "system": CONDITION_CATEGORY,
        "code": "encounter-diagnosis",
        "display": "Encounter Diagnosis",
    }
    entries = []
    for evaluation in record.evaluations:
        for diagnosis in evaluation.diagnoses.all():
            category = [concept(encounter)]
            if diagnosis.primary:
                category.append(concept(coding("diagnosis-role", "primary", "Primary diagnosis")))
            icd = {"system": ICD10CM, "code": diagnosis.code, "display": diagnosis.description}
            resource = {
                "resourceType": "Condition",
                "category": category,
                "code": concept(icd, text=diagnosis.description),
                "subject": patient_ref,
                "recordedDate": evaluation.date.isoformat(),
                "recorder": refs.practitioner(evaluation.clinician),
            }
            entries.append(refs.entry(f"Condition/{diagnosis.pk}", resource))
    return entries


# ------------------------------------------------------------------ CarePlan


def care_plan_status(record: PatientRecord, version) -> str:
    """Older versions were replaced; the newest is active until the patient is discharged."""
    newer = any(v.plan_id == version.plan_id and v.number > version.number for v in record.versions)
    if newer:
        return "revoked"
    return "completed" if record.patient.status == "discharged" else "active"


def care_plans(record: PatientRecord, refs: Refs) -> list[dict]:
    diagnoses_by_evaluation = {e.pk: list(e.diagnoses.all()) for e in record.evaluations}
    entries = []
    for version in record.versions:
        snapshot = version.snapshot
        status = care_plan_status(record, version)
        description = f"Phase: {snapshot.get('phase', '')}. {snapshot.get('note', '')}".strip()
        resource = {
            "resourceType": "CarePlan",
            "status": status,
            "intent": "plan",
            "category": [concept(coding("care-plan", "home-exercise", "Home-exercise plan"))],
            "title": f"Home-exercise plan, version {version.number}",
            "description": description,
            "subject": refs.ref(f"Patient/{record.patient.pk}"),
            "period": {"start": version.issued_at.date().isoformat()},
            "created": instant(version.issued_at),
            "author": refs.practitioner(version.issued_by),
            "activity": care_plan_activities(snapshot, status),
        }
        addresses = diagnoses_by_evaluation.get(version.plan.evaluation_id, [])
        if addresses:
            resource["addresses"] = [refs.ref(f"Condition/{d.pk}") for d in addresses]
        previous = [v for v in record.versions if v.plan_id == version.plan_id]
        previous = [v for v in previous if v.number == version.number - 1]
        if previous:
            resource["replaces"] = [refs.ref(f"CarePlan/{previous[0].pk}")]
        if not resource["activity"]:
            del resource["activity"]
        entries.append(refs.entry(f"CarePlan/{version.pk}", resource))
    return entries


ACTIVITY_STATUS = {"active": "in-progress", "revoked": "stopped", "completed": "completed"}


def care_plan_activities(snapshot: dict, plan_status: str) -> list[dict]:
    status = ACTIVITY_STATUS[plan_status]
    activities = []
    for item in snapshot.get("items", []):
        detail = {
            "code": concept(coding("exercises", item["key"], item["name"]), text=item["name"]),
            "status": status,
            "description": " ".join(filter(None, [item.get("dosage_sentence"), item.get("notes")])),
        }
        if item.get("reasons"):
            detail["reasonCode"] = [{"text": reason} for reason in item["reasons"]]
        activities.append({"detail": _without_blank(detail)})
    if target := snapshot.get("cadence_target"):
        low, high = target
        code = concept(coding("care-plan-activities", "cadence-target", "Running cadence target"))
        text = f"Run to a metronome at {low}–{high} beats per minute."
        activities.append({"detail": {"code": code, "status": status, "description": text}})
    run = snapshot.get("return_to_run")
    if run:
        for stage in run.get("stages", []):
            activities.append({"detail": walk_run_stage(stage, run["current_stage"], status)})
    return activities


def walk_run_stage(stage: dict, current: int, plan_status: str) -> dict:
    number = stage["stage"]
    if plan_status == "in-progress":
        status = "completed" if number < current else "in-progress"
        status = "not-started" if number > current else status
    else:
        status = plan_status
    if stage["walk_minutes"] is None:
        intervals = f"run {stage['run_minutes']}"
    else:
        intervals = f"walk {stage['walk_minutes']} min, run {stage['run_minutes']} min"
    description = (
        f"Stage {number}: {intervals}; {stage['distance_miles']} mi "
        f"({stage['distance_km']} km) in all; effort RPE {stage['rpe']}."
    )
    code = coding("return-to-run", f"walk-run-stage-{number}", f"Walk-run stage {number}")
    return {"code": concept(code), "status": status, "description": description}


def _without_blank(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in ("", None, [])}


# ------------------------------------------------------------------ Appointment


def appointment_status(call) -> str:
    if call.status == "cancelled":
        return "cancelled"
    if call.outcome == "no_show":
        return "noshow"
    if call.outcome:
        return "fulfilled"
    return "booked"


def appointments(record: PatientRecord, refs: Refs) -> list[dict]:
    patient_ref = refs.ref(f"Patient/{record.patient.pk}")
    service = concept(coding("appointment-types", "discovery-call", "Discovery call"))
    entries = []
    for call in record.calls:
        comment = "\n\n".join(filter(None, [call.story and f"Prospect: {call.story}", call.notes]))
        resource = {
            "resourceType": "Appointment",
            "status": appointment_status(call),
            "serviceType": [service],
            "description": f"Discovery call ({call.get_call_type_display().lower()})",
            "start": instant(call.start),
            "end": instant(call.end),
            "created": instant(call.created_at),
            "comment": comment,
            "participant": [
                {"actor": patient_ref, "status": "accepted"},
                {"actor": refs.practitioner(call.clinician), "status": "accepted"},
            ],
        }
        entries.append(refs.entry(f"Appointment/{call.pk}", _without_blank(resource)))
    return entries


# ------------------------------------------------------------------ DocumentReference


def documents(record: PatientRecord, refs: Refs) -> list[dict]:
    """Each issued plan's PDF: where staff download it and its SHA-256, not its bytes."""
    entries = []
    for version in record.versions:
        job = getattr(version, "render", None)
        if job is None or job.status != "ready" or not job.file.name:
            continue
        url = refs.base_url + reverse("plans:version_pdf", args=[version.pk])
        attachment = {
            "contentType": "application/pdf",
            "url": url,
            "title": f"home-exercises-v{version.number}.pdf",
        }
        if job.finished_at:
            attachment["creation"] = instant(job.finished_at)
        if job.checksum:
            attachment["extension"] = [{"url": SHA256_EXTENSION, "valueString": job.checksum}]
        current = care_plan_status(record, version) != "revoked"
        resource = {
            "resourceType": "DocumentReference",
            "status": "current" if current else "superseded",
            "docStatus": "final",
            "type": concept(coding("document-types", "home-exercise-plan-pdf", "Plan PDF")),
            "subject": refs.ref(f"Patient/{record.patient.pk}"),
            "author": [refs.practitioner(version.issued_by)],
            "description": f"Home-exercise plan, version {version.number} (PDF)",
            "content": [{"attachment": attachment}],
            "context": {"related": [refs.ref(f"CarePlan/{version.pk}")]},
        }
        if job.finished_at:
            resource["date"] = instant(job.finished_at)
        entries.append(refs.entry(f"DocumentReference/{version.pk}", resource))
    return entries
