"""Writes for evaluations: start, save every section together, sign, addenda, gait media."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import diagnoses, plan_of_care, scoring, uploads
from intake.models import (
    Addendum,
    Diagnosis,
    Evaluation,
    EvaluationKind,
    GaitAnalysis,
    GaitMedia,
    Goal,
    GoalReview,
    IntakeStatus,
    Measurement,
    OutcomeResponse,
    Patient,
    SignedRecordError,
    SpecialTest,
)
from intake.summaries import intake_summary


def _subjective_from_intake(intake) -> str:
    """Plain-text summary of the accepted questionnaire to start the subjective note."""
    summary = intake_summary(intake)
    lines = []
    for section in ("complaint", "profile", "history"):
        lines += [f"{label}: {value}" for label, value in summary.get(section, [])]
    return "\n".join(lines)


@transaction.atomic
def evaluation_start(*, patient: Patient, kind: str, actor: Actor) -> Evaluation:
    """A draft evaluation; the subjective is prefilled from the latest accepted questionnaire."""
    intake = patient.intakes.filter(status=IntakeStatus.ACCEPTED).order_by("-accepted_at").first()
    evaluation = Evaluation.objects.create(
        patient=patient,
        clinician=actor.user,
        kind=kind if kind in EvaluationKind.values else EvaluationKind.INITIAL,
        intake=intake,
        subjective=_subjective_from_intake(intake) if intake else "",
    )
    if intake and hasattr(intake, "complaint"):
        # Both sides or no side: no limb symmetry index is computed.
        evaluation.involved_side = intake.complaint.side
        evaluation.save(update_fields=["involved_side"])
    audit(actor, AuditAction.CREATED, obj=evaluation)
    return evaluation


# What the evaluation page edits on each record (the forms' fields; services refuse others).
EVALUATION_FIELDS = (
    "kind",
    "date",
    "involved_side",
    "subjective",
    "objective_notes",
    "assessment",
    "visits_per_week",
    "plan_weeks",
    "certified_until",
    "interventions",
    "plan_notes",
    "force_unit",
)
GAIT_FIELDS = (
    "setting",
    "speed_kmh",
    "footwear",
    "cadence",
    "foot_strike",
    "overstriding",
    "pelvic_drop",
    "knee_valgus",
    "trunk_lean",
    "notes",
)
GOAL_FIELDS = ("term", "text", "target_date", "linked_to_race")
DIAGNOSIS_FIELDS = ("code", "condition", "primary")


def _refuse_unknown(what: str, values: Mapping, allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"Not a field of the {what}: {', '.join(sorted(map(str, unknown)))}")


@dataclass(frozen=True, kw_only=True)
class EvaluationData:
    """Everything the evaluation page saves, as plain values: built from its valid forms by
    intake.forms.evaluations.evaluation_data, or by hand (seeds, tests). Each section
    replaces what was stored; a key no section has is refused when the data is made."""

    record: Mapping[str, Any] = field(default_factory=dict)  # EVALUATION_FIELDS
    measurements: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key: (L, R)
    special_tests: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (key, side)
    gait: Mapping[str, Any] | None = None  # GAIT_FIELDS; None: no gait section
    outcomes: Mapping[str, Mapping[str, int | None]] = field(default_factory=dict)  # answers
    diagnoses: Sequence[Mapping[str, Any]] = ()  # DIAGNOSIS_FIELDS, the primary first or marked
    goals: Sequence[Mapping[str, Any]] = ()  # GOAL_FIELDS
    goal_reviews: Mapping[int, str] = field(default_factory=dict)  # earlier goal's id: status

    def __post_init__(self) -> None:
        _refuse_unknown("evaluation", self.record, EVALUATION_FIELDS)
        if self.gait is not None:
            _refuse_unknown("gait analysis", self.gait, GAIT_FIELDS)
        for row in self.diagnoses:
            _refuse_unknown("diagnosis", row, DIAGNOSIS_FIELDS)
        for row in self.goals:
            _refuse_unknown("goal", row, GOAL_FIELDS)
        _refuse_unknown("outcome measures", self.outcomes, tuple(scoring.MEASURES))


@transaction.atomic
def evaluation_save(
    *, evaluation: Evaluation, data: EvaluationData, actor: Actor, outcome_request=None
) -> Evaluation:
    """Save every section of the evaluation page, replacing what was there.

    ``outcome_request``: the patient's answers from home that prefilled the page; it is
    marked as taken over by this evaluation.
    """
    for name, value in data.record.items():
        setattr(evaluation, name, value)
    if evaluation.date and evaluation.certified_until:
        problem = plan_of_care.certification_problem(evaluation.date, evaluation.certified_until)
        if problem:
            raise ValidationError({"certified_until": problem})
    evaluation.save()
    if outcome_request is not None:
        outcome_request.evaluation = evaluation
        outcome_request.save(update_fields=["evaluation"])
    _replace_measurements(evaluation, data.measurements)
    _replace_special_tests(evaluation, data.special_tests)
    _save_gait(evaluation, data.gait)
    _replace_outcomes(evaluation, data.outcomes)
    _replace_diagnoses(evaluation, data.diagnoses)
    _replace_goals(evaluation, data.goals)
    _replace_goal_reviews(evaluation, data.goal_reviews)
    audit(actor, AuditAction.CHANGED, obj=evaluation)
    return evaluation


def _replace_measurements(evaluation, rows: Mapping[str, tuple[str, str]]) -> None:
    evaluation.measurements.all().delete()
    Measurement.objects.bulk_create(
        Measurement(evaluation=evaluation, key=key, left=left, right=right)
        for key, (left, right) in rows.items()
    )


def _replace_special_tests(evaluation, results: Mapping[tuple[str, str], str]) -> None:
    evaluation.special_tests.all().delete()
    SpecialTest.objects.bulk_create(
        SpecialTest(evaluation=evaluation, key=key, side=side, result=result)
        for (key, side), result in results.items()
    )


def _save_gait(evaluation, values: Mapping | None) -> None:
    gait = GaitAnalysis.objects.filter(evaluation=evaluation).first()
    if values is None:
        if gait is not None:
            gait.delete()
        return
    gait = gait or GaitAnalysis(evaluation=evaluation)
    for name, value in values.items():
        setattr(gait, name, value)
    gait.save()


def _replace_outcomes(evaluation, outcomes: Mapping[str, Mapping]) -> None:
    evaluation.outcomes.all().delete()
    for code, answers in outcomes.items():
        result = scoring.score(code, dict(answers))
        OutcomeResponse.objects.create(
            evaluation=evaluation,
            measure=code,
            answers=dict(answers),
            total=result.total,
            percent=result.percent,
            complete=result.complete,
            problems=list(result.problems),
        )


def _replace_diagnoses(evaluation, rows: Sequence[Mapping]) -> None:
    evaluation.diagnoses.all().delete()
    rows = [row for row in rows if row.get("code")]
    has_primary = any(row.get("primary") for row in rows)
    for index, row in enumerate(rows):
        try:
            condition = diagnoses.condition_for(row["code"], row.get("condition") or "")
        except ValueError as error:
            raise ValidationError({"diagnoses": str(error)}) from error
        Diagnosis.objects.create(
            evaluation=evaluation,
            code=row["code"],
            description=diagnoses.describe(row["code"]) or "",
            condition=condition,
            primary=bool(row.get("primary")) or (not has_primary and index == 0),
        )


def _replace_goals(evaluation, rows: Sequence[Mapping]) -> None:
    evaluation.goals.all().delete()
    race_date = _goal_race_date(evaluation)
    for row in rows:
        if not row.get("text"):
            continue
        goal = Goal(evaluation=evaluation, **{k: row.get(k) for k in GOAL_FIELDS if k in row})
        if goal.linked_to_race and race_date:
            goal.target_date = race_date
        goal.save()


def _replace_goal_reviews(evaluation, statuses: Mapping[int, str]) -> None:
    """Only goals of the patient's earlier signed evaluations can be reviewed here."""
    evaluation.goal_reviews.all().delete()
    reviewable = set(
        Goal.objects.filter(
            evaluation__patient_id=evaluation.patient_id,
            evaluation__signed_at__isnull=False,
            pk__in=list(statuses),
        )
        .exclude(evaluation=evaluation)
        .values_list("pk", flat=True)
    )
    if set(statuses) - reviewable:
        raise ValueError("A goal review names a goal that is not the patient's earlier goal.")
    GoalReview.objects.bulk_create(
        GoalReview(evaluation=evaluation, goal_id=goal_id, status=status)
        for goal_id, status in statuses.items()
    )


def _goal_race_date(evaluation):
    intake = evaluation.intake
    profile = getattr(intake, "profile", None) if intake else None
    return profile.goal_race_date if profile else None


@transaction.atomic
def evaluation_sign(
    *,
    evaluation: Evaluation,
    actor: Actor,
    red_flags_acknowledged: bool = False,
    sides_checked: bool = False,
) -> None:
    """Sign. While the patient has open red flags that cannot wait, or a diagnosis code names
    the other side than the involved side, only with the clinician's explicit confirmation
    (recorded in the audit trail)."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.is_signed:
        _check_before_signing(evaluation, red_flags_acknowledged, sides_checked)
    open_flags = evaluation.patient.alerts_needing_action()
    wrong_side = evaluation.side_mismatches()
    evaluation.sign(by=actor.user)
    notes = []
    if open_flags:
        notes.append(f"red flags acknowledged: {','.join(a.key for a in open_flags)}")
    if wrong_side:
        notes.append(f"sides confirmed: {','.join(wrong_side)}")
    audit(actor, AuditAction.SIGNED, obj=evaluation, detail="; ".join(notes)[:255])


def _check_before_signing(evaluation: Evaluation, red_flags_acknowledged, sides_checked):
    problems = []
    if evaluation.patient.alerts_needing_action() and not red_flags_acknowledged:
        problems.append(
            "This patient has an open red flag that cannot wait: confirm that you have seen it "
            "before signing."
        )
    wrong_side = evaluation.side_mismatches()
    if wrong_side and not sides_checked:
        problems.append(
            f"The involved side is {evaluation.get_involved_side_display().lower()}, but "
            f"{', '.join(wrong_side)} names the other side: correct it, or confirm that both "
            "are right."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def addendum_add(*, evaluation: Evaluation, text: str, actor: Actor) -> Addendum:
    addendum = Addendum.objects.create(evaluation=evaluation, author=actor.user, text=text)
    audit(actor, AuditAction.CREATED, obj=addendum, patient=evaluation.patient)
    return addendum


@transaction.atomic
def gait_media_add(
    *, evaluation: Evaluation, upload, content_type: str, caption: str, actor: Actor
) -> GaitMedia:
    """Store a checked photo or video (GaitMediaForm sniffed its content) under a
    server-chosen name, in private storage outside any public URL."""
    media = GaitMedia(
        evaluation=evaluation,
        content_type=content_type,
        size=upload.size,
        caption=caption,
        uploaded_by=actor.user,
    )
    media.file.save(uploads.safe_stored_name(content_type), upload, save=False)
    media.save()
    audit(actor, AuditAction.CREATED, obj=media, patient=evaluation.patient)
    return media


@transaction.atomic
def evaluation_save_with_media(
    *,
    evaluation: Evaluation,
    data: EvaluationData,
    upload,
    content_type: str,
    caption: str,
    actor: Actor,
    outcome_request=None,
) -> GaitMedia:
    """Save the draft as typed and add the photo or video, in one transaction: an upload from
    the editor never costs what was typed, and nothing is kept of a refused one."""
    # Locked, so that a signature from another tab cannot slip in between check and save.
    if Evaluation.objects.select_for_update().get(pk=evaluation.pk).is_signed:
        raise SignedRecordError()
    evaluation = evaluation_save(
        evaluation=evaluation, data=data, actor=actor, outcome_request=outcome_request
    )
    return gait_media_add(
        evaluation=evaluation,
        upload=upload,
        content_type=content_type,
        caption=caption,
        actor=actor,
    )
