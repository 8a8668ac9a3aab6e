"""FHIR QuestionnaireResponses of one patient's record (pure, no database); part of plans/fhir.

The pre-visit questionnaire (typed answers of each filled-in field, the health screen and the
consents) and every outcome measure as answered, at an evaluation or at home.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from intake import redflags
from intake.models.questionnaires import Surface, Terrain, TrainingChange

from .bundle import FHIR_BASE, Refs, coding, instant, number
from .observations import answered_items, measure_spec

if TYPE_CHECKING:
    from plans.records import PatientRecord


def questionnaire_responses(record: PatientRecord, refs: Refs) -> list[dict]:
    patient_ref = refs.ref(f"Patient/{record.patient.pk}")
    entries = [intake_response(intake, patient_ref, refs) for intake in record.intakes]
    for evaluation in record.evaluations:
        for response in evaluation.outcomes.all():
            entries.append(
                outcome_response(
                    f"QuestionnaireResponse/outcome/{response.pk}",
                    response.measure,
                    response.answers,
                    authored=evaluation.date.isoformat(),
                    author=refs.practitioner(evaluation.clinician),
                    patient_ref=patient_ref,
                    refs=refs,
                )
            )
    for request in record.outcome_requests:  # answered at home, not yet in an evaluation
        for measure, answers in request.answers.items():
            entries.append(
                outcome_response(
                    f"QuestionnaireResponse/outcome-request/{request.pk}/{measure}",
                    measure,
                    answers,
                    authored=instant(request.submitted_at),
                    author=patient_ref,
                    patient_ref=patient_ref,
                    refs=refs,
                )
            )
    return entries


def outcome_response(key, measure, answers, *, authored, author, patient_ref, refs) -> dict:
    spec = measure_spec(measure)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{FHIR_BASE}/Questionnaire/{measure.lower()}",
        "status": "completed",
        "subject": patient_ref,
        "authored": authored,
        "author": author,
        "source": patient_ref,
    }
    items = [
        {"linkId": item, "text": label, "answer": [{"valueInteger": points}]}
        for item, label, points in answered_items(measure, answers or {}, spec)
    ]
    if items:
        resource["item"] = items
    return refs.entry(key, resource)


def intake_response(intake, patient_ref: dict, refs: Refs) -> dict:
    groups = [
        group("profile", "Running", model_items(getattr(intake, "profile", None), "profile")),
        group(
            "complaint", "Complaint", model_items(getattr(intake, "complaint", None), "complaint")
        ),
        group("history", "Earlier injuries", history_items(intake)),
        group("screen", "Health screen", screen_items(intake.red_flag_answers)),
        group("consent", "Consent", consent_items(intake)),
    ]
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{FHIR_BASE}/Questionnaire/intake",
        "status": "in-progress" if intake.status == "draft" else "completed",
        "subject": patient_ref,
        "authored": instant(intake.submitted_at or intake.created_at),
        "source": patient_ref,
    }
    if intake.source == "self":
        resource["author"] = patient_ref
    elif intake.created_by is not None:
        resource["author"] = refs.practitioner(intake.created_by)
    if items := [g for g in groups if g]:
        resource["item"] = items
    return refs.entry(f"QuestionnaireResponse/intake/{intake.pk}", resource)


def group(link_id: str, text: str, items: list[dict]) -> dict | None:
    return {"linkId": link_id, "text": text, "item": items} if items else None


KM_SUFFIX, PACE_FIELD = "_km", "easy_pace_sec_per_km"
LIST_CHOICES = {
    "surfaces": dict(Surface.choices),
    "terrain": dict(Terrain.choices),
    "recent_changes": dict(TrainingChange.choices),
}


def model_items(obj, prefix: str) -> list[dict]:
    """One item per filled-in field of a questionnaire row, typed as stored."""
    if obj is None:
        return []
    items = []
    for field in obj._meta.concrete_fields:
        if field.name in ("id", "intake") or not (answers := field_answers(obj, field)):
            continue
        text = str(field.verbose_name)
        if field.name == PACE_FIELD:
            text += " (seconds per km)"
        elif field.name.endswith(KM_SUFFIX):
            text += " (km)"
        items.append({"linkId": f"{prefix}.{field.name}", "text": text, "answer": answers})
    return items


def field_answers(obj, field) -> list[dict]:
    value = getattr(obj, field.name)
    if value in (None, "", []):
        return []
    system = f"intake-{field.name.replace('_', '-')}"
    if field.choices:
        shown = getattr(obj, f"get_{field.name}_display")()
        return [{"valueCoding": coding(system, str(value), str(shown))}]
    if field.name in LIST_CHOICES:
        labels = LIST_CHOICES[field.name]
        return [{"valueCoding": coding(system, str(v), str(labels.get(v, v)))} for v in value]
    return [typed_answer(value)]


def typed_answer(value) -> dict:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, Decimal | float):
        return {"valueDecimal": number(value)}
    if isinstance(value, datetime.datetime):
        return {"valueDateTime": instant(value)}
    if isinstance(value, datetime.date):
        return {"valueDate": value.isoformat()}
    return {"valueString": str(value)}


def history_items(intake) -> list[dict]:
    return [
        {"linkId": "history.injury", "text": "Earlier injury", "item": items}
        for injury in intake.prior_injuries.all()
        if (items := model_items(injury, "history.injury"))
    ]


def screen_items(answers: dict) -> list[dict]:
    labels = {q.key: q.label for q in (*redflags.GENERAL_FLAGS, *redflags.FEMORAL_NECK_SIGNS)}
    labels.update({c.key: f"Wells: {c.label}" for c in redflags.WELLS_CRITERIA})
    return [
        {"linkId": f"screen.{key}", "text": labels.get(key, key), "answer": [typed_answer(value)]}
        for key, value in answers.items()
        if value not in (None, "")
    ]


def consent_items(intake) -> list[dict]:
    rows = (
        ("privacy_notice_version", "Privacy notice version"),
        ("privacy_accepted_at", "Privacy notice accepted"),
        ("treatment_consent_version", "Treatment consent version"),
        ("treatment_consent_at", "Treatment consent given"),
    )
    return [
        {"linkId": f"consent.{name}", "text": text, "answer": [typed_answer(value)]}
        for name, text in rows
        if (value := getattr(intake, name))
    ]
