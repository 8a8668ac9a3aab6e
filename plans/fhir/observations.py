"""FHIR Observations of one patient's record (pure, no database); part of plans/fhir's export.

Pain (LOINC 72514-3), outcome-measure totals with their items as components, each measurement
row (left and right as components) and its limb symmetry index, special tests, cadence and the
running-gait findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake import measurements, scoring
from intake.progress import grid_rows

from .bundle import LOINC, UCUM, Refs, coding, concept, instant, number

if TYPE_CHECKING:
    from plans.records import PatientRecord

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
UCUM_CODES = {"°": "deg", "cm": "cm", "s": "s", "%": "%", "reps": "{reps}", "kg": "kg", "N": "N"}
CATEGORY_DISPLAY = {"exam": "Exam", "survey": "Survey"}


def category(code: str) -> list[dict]:
    system = {"system": OBSERVATION_CATEGORY, "code": code, "display": CATEGORY_DISPLAY[code]}
    return [concept(system)]


def quantity(value, unit: str) -> dict:
    return {"value": number(value), "unit": unit, "system": UCUM, "code": UCUM_CODES[unit]}


def score_quantity(value) -> dict:
    return {"value": number(value), "unit": "score", "system": UCUM, "code": "{score}"}


def measure_spec(code: str) -> scoring.Measure | None:
    try:
        return scoring.get_measure(code)
    except ValueError:
        return None


# ------------------------------------------------------------------ Observation


def observations(record: PatientRecord, refs: Refs) -> list[dict]:
    patient_ref = refs.ref(f"Patient/{record.patient.pk}")
    entries = [
        entry for intake in record.intakes for entry in intake_pain(intake, patient_ref, refs)
    ]
    for evaluation in record.evaluations:
        base = {
            "resourceType": "Observation",
            "status": "final",  # signed evaluations only; corrections are addenda
            "subject": patient_ref,
            "effectiveDateTime": evaluation.date.isoformat(),
            "performer": [refs.practitioner(evaluation.clinician)],
        }
        entries += measurement_observations(evaluation, base, refs)
        entries += special_test_observations(evaluation, base, refs)
        entries += outcome_observations(evaluation, base, refs)
        entries += gait_observations(evaluation, base, refs)
    return entries


def intake_pain(intake, patient_ref: dict, refs: Refs) -> list[dict]:
    """Pain now (and best, worst) as the patient gave it in the pre-visit questionnaire."""
    complaint = getattr(intake, "complaint", None)
    if intake.status == "draft" or complaint is None:
        return []
    components = [
        {"code": concept(coding("intake", name, label)), "valueInteger": value}
        for name, label, value in (
            ("pain_best", "Pain at its best", complaint.pain_best),
            ("pain_worst", "Pain at its worst", complaint.pain_worst),
        )
        if value is not None
    ]
    resource = {
        "resourceType": "Observation",
        "status": "final" if intake.status == "accepted" else "preliminary",
        "category": category("survey"),
        "code": concept(PAIN_SEVERITY, coding("intake", "pain_now", "Pain now"), text="Pain now"),
        "subject": patient_ref,
        "effectiveDateTime": instant(intake.submitted_at or intake.created_at),
        "performer": [patient_ref],
        "valueInteger": complaint.pain_now,
        "derivedFrom": [refs.ref(f"QuestionnaireResponse/intake/{intake.pk}")],
    }
    if components:
        resource["component"] = components
    return [refs.entry(f"Observation/intake-pain/{intake.pk}", resource)]


def measurement_observations(evaluation, base: dict, refs: Refs) -> list[dict]:
    """Each grid row with its left and right values; its limb symmetry index beside it."""
    entries = []
    for row in grid_rows(evaluation, list(evaluation.measurements.all())):
        defn = row.defn
        sides = [side_component(defn, side, getattr(row, side), evaluation) for side in SIDES]
        components = [c for c in sides if c]
        if not components:
            continue
        key = f"Observation/evaluation/{evaluation.pk}/{defn.key}"
        resource = {
            **base,
            "category": category("exam"),
            "code": concept(coding("measurements", defn.key, defn.label), text=defn.label),
            "component": components,
        }
        entries.append(refs.entry(key, resource))
        if row.lsi is not None:
            entries.append(lsi_observation(row, evaluation, base, refs, measured=key))
    return entries


SIDES = ("left", "right")


def side_component(defn, side: str, text: str, evaluation) -> dict | None:
    if not text:
        return None
    component: dict = {"code": concept(coding("measurements", f"{defn.key}.{side}", side))}
    value, _error = measurements.parse_value(defn, text)
    if value is None:  # stored before a bound changed: kept as typed
        return {**component, "valueString": text}
    if defn.kind != "number":
        return {**component, "valueString": str(value)}
    unit = evaluation.force_unit if defn.unit == "kg or N" else defn.unit
    return {**component, "valueQuantity": quantity(value, unit)}


def lsi_observation(row, evaluation, base: dict, refs: Refs, *, measured: str) -> dict:
    defn = row.defn
    label = f"{defn.label}: limb symmetry index"
    ratio = "uninvolved ÷ involved" if defn.timed else "involved ÷ uninvolved"
    side = evaluation.get_involved_side_display().lower()
    threshold = measurements.LSI_THRESHOLD
    resource = {
        **base,
        "category": category("exam"),
        "code": concept(coding("measurements", f"{defn.key}.lsi", label), text=label),
        "valueQuantity": quantity(row.lsi_shown, "%"),
        "referenceRange": [
            {"low": quantity(threshold, "%"), "text": "usual return-to-sport threshold"}
        ],
        "note": [{"text": f"Involved side: {side}; {ratio} × 100."}],
        "derivedFrom": [refs.ref(measured)],
    }
    if row.flagged:
        low = {"system": INTERPRETATION, "code": "L", "display": "Low"}
        resource["interpretation"] = [concept(low, text=f"Below {threshold} %")]
    return refs.entry(f"{measured}/lsi", resource)


def special_test_observations(evaluation, base: dict, refs: Refs) -> list[dict]:
    labels = dict(measurements.ALL_SPECIAL_TESTS)
    entries = []
    for test in evaluation.special_tests.all():
        if test.result == "not_tested":
            continue
        label = labels.get(test.key, test.key)
        result = test.get_result_display()
        resource = {
            **base,
            "category": category("exam"),
            "code": concept(coding("special-tests", test.key, label), text=label),
            "valueCodeableConcept": concept(
                coding("special-test-results", test.result, result), text=result
            ),
            "bodySite": {"text": test.get_side_display()},
        }
        entries.append(refs.entry(f"Observation/special-test/{test.pk}", resource))
    return entries


def outcome_observations(evaluation, base: dict, refs: Refs) -> list[dict]:
    """The measure's score (FAAM in %), its items as components, from its response."""
    entries = []
    for response in evaluation.outcomes.all():
        spec = measure_spec(response.measure)
        name = spec.name if spec else response.measure
        codes = [coding("outcome-measures", response.measure, name)]
        if response.measure == "NPRS":
            codes.insert(0, PAIN_SEVERITY)
        resource = {
            **base,
            "category": category("survey"),
            "code": concept(*codes, text=name),
            "derivedFrom": [refs.ref(f"QuestionnaireResponse/outcome/{response.pk}")],
        }
        score = response.score
        if score is None:
            reason = concept({"system": DATA_ABSENT, "code": "unknown", "display": "Unknown"})
            resource["dataAbsentReason"] = {**reason, "text": "Not scored"}
            if response.problems:
                resource["note"] = [{"text": str(p)} for p in response.problems]
        elif response.measure.startswith("FAAM"):
            resource["valueQuantity"] = quantity(score, "%")
        else:
            resource["valueQuantity"] = score_quantity(score)
        if components := item_components(response.measure, response.answers, spec):
            resource["component"] = components
        entries.append(refs.entry(f"Observation/outcome/{response.pk}", resource))
    return entries


def answered_items(measure: str, answers: dict, spec) -> list[tuple[str, str, int]]:
    """(item key, label, points) of the answered items, in the measure's order."""
    labels = scoring.item_labels(measure) if spec else {}
    order = spec.items if spec else sorted(answers)
    return [
        (key, labels.get(key, key), int(answers[key]))
        for key in order
        if answers.get(key) is not None
    ]


def item_components(measure: str, answers: dict, spec) -> list[dict]:
    return [
        {
            "code": concept(coding("outcome-measure-items", f"{measure}.{key}", label)),
            "valueInteger": points,
        }
        for key, label, points in answered_items(measure, answers, spec)
    ]


GAIT_CHOICES = (
    "setting",
    "foot_strike",
    "overstriding",
    "pelvic_drop",
    "knee_valgus",
    "trunk_lean",
)


def gait_observations(evaluation, base: dict, refs: Refs) -> list[dict]:
    gait = getattr(evaluation, "gait", None)
    if gait is None:
        return []
    entries, resource = [], {**base, "category": category("exam")}
    cadence_key = f"Observation/gait/{gait.pk}/cadence"
    if gait.cadence:
        cadence = {"value": gait.cadence, "unit": "steps/min", "system": UCUM, "code": "/min"}
        code = concept(coding("gait", "cadence", "Running cadence"), text="Running cadence")
        entries.append(
            refs.entry(cadence_key, {**resource, "code": code, "valueQuantity": cadence})
        )
    components = gait_components(gait)
    if not (components or gait.notes):
        return entries
    code = coding("gait", "running-gait-analysis", "Running gait analysis")
    resource["code"] = concept(code, text="Running gait analysis")
    if components:
        resource["component"] = components
    if gait.notes:
        resource["note"] = [{"text": gait.notes}]
    if gait.cadence:
        resource["hasMember"] = [refs.ref(cadence_key)]
    entries.append(refs.entry(f"Observation/gait/{gait.pk}", resource))
    return entries


def gait_components(gait) -> list[dict]:
    def code(name: str) -> dict:
        label = str(gait._meta.get_field(name).verbose_name)
        return concept(coding("gait", name, label[:1].upper() + label[1:]))

    components = []
    for name in GAIT_CHOICES:
        if value := getattr(gait, name):
            shown = getattr(gait, f"get_{name}_display")()
            answer = concept(coding(f"gait-{name.replace('_', '-')}", value, shown), text=shown)
            components.append({"code": code(name), "valueCodeableConcept": answer})
    if gait.speed_kmh is not None:
        speed = {"value": number(gait.speed_kmh), "unit": "km/h", "system": UCUM, "code": "km/h"}
        components.append({"code": code("speed_kmh"), "valueQuantity": speed})
    if gait.footwear:
        components.append({"code": code("footwear"), "valueString": gait.footwear})
    return components
