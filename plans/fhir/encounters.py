"""Treatment visits as FHIR R4 Encounters, and what was delivered at each as Procedures.

One Encounter per signed treatment note (a draft is not yet part of the record), with the
visit's type, time and clinician, the diagnoses of the evaluation whose plan it followed as
its reasons; one Procedure per intervention delivered, coded with its CPT code
(http://www.ama-assn.org/go/cpt, the URI FHIR registers for CPT) and this project's
intervention key, with its minutes and parameters as a note. Pure: plans/records.py loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from intake import note_interventions

from .bundle import Refs, _without_blank, coding, concept, instant

if TYPE_CHECKING:
    from plans.records import PatientRecord

CPT = "http://www.ama-assn.org/go/cpt"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
AMBULATORY = {"system": ACT_CODE, "code": "AMB", "display": "ambulatory"}


def _reasons(record: PatientRecord, note, refs: Refs) -> list[dict]:
    """The diagnoses of the latest signed evaluation on or before the visit's day."""
    day = timezone.localdate(note.visit.start)
    earlier = [e for e in record.evaluations if e.date <= day and e.kind != "discharge"]
    if not earlier:
        return []
    evaluation = earlier[-1]  # record.evaluations are by date
    return [refs.ref(f"Condition/{d.pk}") for d in evaluation.diagnoses.all()]


def encounters(record: PatientRecord, refs: Refs) -> list[dict]:
    patient_ref = refs.ref(f"Patient/{record.patient.pk}")
    entries = []
    for note in record.notes:
        visit = note.visit
        encounter_key = f"Encounter/{visit.pk}"
        kind = "Progress note" if note.progress_note else "Treatment note"
        resource = {
            "resourceType": "Encounter",
            "status": "finished",
            "class": AMBULATORY,
            "type": [
                concept(
                    coding("visit-types", visit.visit_type.key, visit.visit_type.name),
                    text=visit.visit_type.name,
                )
            ],
            "subject": patient_ref,
            "participant": [{"individual": refs.practitioner(note.clinician)}],
            "period": {"start": instant(visit.start), "end": instant(visit.end)},
            "reasonReference": _reasons(record, note, refs),
            "serviceType": concept(
                coding("note-kinds", "progress" if note.progress_note else "daily", kind)
            ),
        }
        entries.append(refs.entry(encounter_key, _without_blank(resource)))
        for item in note.interventions.all():
            intervention = item.intervention
            described = note_interventions.describe(intervention.details_kind, item.details)
            minutes = f"{item.minutes} min" if item.minutes else ""
            codings = [coding("interventions", intervention.key, intervention.name)]
            if intervention.cpt_code:
                codings.insert(0, {"system": CPT, "code": intervention.cpt_code})
            procedure = {
                "resourceType": "Procedure",
                "status": "completed",
                "code": concept(*codings, text=intervention.name),
                "subject": patient_ref,
                "encounter": refs.ref(encounter_key),
                "performedPeriod": {"start": instant(visit.start), "end": instant(visit.end)},
                "performer": [{"actor": refs.practitioner(note.clinician)}],
                "note": [{"text": "; ".join(filter(None, [minutes, described]))}]
                if (minutes or described)
                else [],
            }
            entries.append(refs.entry(f"Procedure/{item.pk}", _without_blank(procedure)))
    return entries
