"""What the letters and the patient's record summary say, as HTML for WeasyPrint (plans/pdf.py).

- The physician letter summarises one signed evaluation: findings, diagnosis, goals, plan of
  care, the treatment since (visits attended, interventions, the latest goal review), the home
  program, and the outcome-measure charts (intake/progress.py).
- The coach letter, sent only with the patient's recorded consent, holds what a coach needs to
  plan the runner's week: the return-to-run stage and its rules, the exercises, the cadence
  target. Never a diagnosis, a finding or a clinician's note.
- The record summary is the readable half of the patient's own copy (the FHIR Bundle is the
  other half, plans/services/documents.py).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from intake import measurements
from intake.models import ReferralSource
from intake.note_context import treatment_summary
from intake.progress import evaluation_findings, patient_progress
from intake.summaries import STEP_TITLES, intake_summary

from .models import DocumentKind, PlanVersion, RecordDocument
from .pdf import PAGE_SIZES, STATIC_SCHEME
from .records import PatientRecord
from .snapshots import live_snapshot


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _page() -> dict:
    """What every printed record shares: the clinic, the date, the page size, the stylesheet."""
    return {
        "clinic": settings.CLINIC_NAME,
        "today": timezone.localdate(),
        "page_size": PAGE_SIZES.get(settings.PLAN_PAGE_SIZE, "letter"),
        "static_css": f"{STATIC_SCHEME}css/letter-print.css",
    }


def _charts(patient) -> list[dict]:
    """Outcome-measure charts (server-rendered SVG, intake/charts.py) with their change."""
    return [
        {
            "name": mp.measure.name,
            "svg": str(mp.chart_svg),
            "change": mp.change,
            "meaningful": mp.meaningful,
        }
        for mp in patient_progress(patient)["measures"]
    ]


def _evaluation(evaluation) -> dict:
    """One signed evaluation as the printed record shows it (letter and summary alike)."""
    return {
        "evaluation": evaluation,
        "clinician": _person(evaluation.clinician),
        "findings": evaluation_findings(evaluation),
        "special_labels": dict(measurements.ALL_SPECIAL_TESTS),
        "addenda": [
            {"author": _person(a.author), "at": a.created_at, "text": a.text}
            for a in evaluation.addenda.select_related("author")
        ],
    }


def _home_program(version: PlanVersion | None) -> dict | None:
    """The exercises of an issued plan, from its frozen snapshot, and today's running stage."""
    if version is None:
        return None
    snapshot = live_snapshot(version)
    rtr = snapshot.get("return_to_run")
    stages = rtr["stages"] if rtr else []
    current = next((s for s in stages if s["stage"] == rtr["current_stage"]), None) if rtr else None
    return {
        "number": version.number,
        "issued_at": version.issued_at,
        "phase": snapshot.get("phase", ""),
        "items": [
            {"name": item["name"], "dosage": item["dosage_sentence"]}
            for item in snapshot.get("items", [])
        ],
        "return_to_run": rtr,
        "stage": current,
        "cadence_target": snapshot.get("cadence_target"),
    }


def _referring_physician(patient) -> str:
    """Who referred the patient, when the chart says it was a physician."""
    if patient.referral_source == ReferralSource.PHYSICIAN:
        return patient.referral_detail
    return ""


def physician_letter_html(document: RecordDocument) -> str:
    evaluation = document.evaluation
    version = (
        PlanVersion.objects.filter(plan__evaluation=evaluation)
        .select_related("plan")
        .order_by("-issued_at", "-id")
        .first()
    )
    return render_to_string(
        "plans/pdf/physician_letter.html",
        {
            **_page(),
            **_evaluation(evaluation),
            "patient": document.patient,
            "referrer": _referring_physician(document.patient),
            "author": _person(document.created_by),
            "program": _home_program(version),
            "charts": _charts(document.patient),
            "treatment": treatment_summary(
                document.patient_id, evaluation.date, _next_evaluation_day(evaluation)
            ),
            "document": document,
        },
    )


def _next_evaluation_day(evaluation):
    """The day of the patient's next signed evaluation (a new plan, or the discharge)."""
    return (
        type(evaluation)
        .objects.signed()
        .filter(patient_id=evaluation.patient_id, date__gt=evaluation.date)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def current_version(patient) -> PlanVersion | None:
    """The current plan: the newest version the patient was given, whichever evaluation."""
    return (
        PlanVersion.objects.filter(plan__patient=patient)
        .select_related("plan__evaluation")
        .order_by("-issued_at", "-id")
        .first()
    )


def coach_program(version: PlanVersion | None, evaluation) -> tuple[dict | None, list | None]:
    """(home program, cadence target) for a coach: the plan's target, else the evaluation's.

    Shared by the coach letter and the coach's link (plans/services/coach.py).
    """
    program = _home_program(version)
    cadence = program["cadence_target"] if program else None
    if cadence is None and evaluation is not None:
        from intake.progress import cadence_target

        cadence = cadence_target(evaluation)
    return program, cadence


def coach_letter_html(document: RecordDocument) -> str:
    """Only what a coach needs for the runner's week: no diagnosis, findings or notes."""
    patient = document.patient
    program, cadence = coach_program(current_version(patient), document.evaluation)
    return render_to_string(
        "plans/pdf/coach_letter.html",
        {
            **_page(),
            "runner": patient.preferred_name or patient.legal_first_name,
            "patient": patient,
            "author": _person(document.created_by),
            "consent_at": document.consent_recorded_at,
            "program": program,
            "cadence": cadence,
        },
    )


def record_summary_html(record: PatientRecord) -> str:
    """The patient's record in plain words, for their own copy."""
    return render_to_string(
        "plans/pdf/record_summary.html",
        {
            **_page(),
            "patient": record.patient,
            "primary_clinician": _person(record.patient.primary_clinician),
            "intakes": [
                {
                    "intake": intake,
                    "sections": [
                        (STEP_TITLES.get(key, key.capitalize()), pairs)
                        for key, pairs in intake_summary(intake).items()
                        if pairs
                    ],
                }
                for intake in record.intakes
                if intake.submitted_at
            ],
            "evaluations": [_evaluation(e) for e in record.evaluations],
            "home_answers": record.outcome_requests,
            "programs": [_home_program(v) for v in record.versions],
            "calls": record.calls,
            "charts": _charts(record.patient),
        },
    )


LETTERS = {
    DocumentKind.PHYSICIAN_LETTER: physician_letter_html,
    DocumentKind.COACH_LETTER: coach_letter_html,
}


def letter_html(document: RecordDocument) -> str:
    return LETTERS[document.kind](document)
