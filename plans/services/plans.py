"""Writes for plans: generate from a signed evaluation, edit, and issue a frozen version."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from clinic.actors import Actor
from clinic.audit import audit
from clinic.links.mail import link_mail_queue
from clinic.models import AuditAction
from intake import measurements
from intake.models import Evaluation, SpecialTestResult
from intake.progress import grid_rows
from plans import progressions, rules
from plans.models import Exercise, Plan, PlanItem, PlanRuleRow, PlanVersion
from plans.snapshots import plan_snapshot

from .links import plan_link_create
from .rendering import render_job_create

# Intake answers that are night pain (intake.redflags): a bone stress sign (DOMAIN.md s.2).
NIGHT_PAIN_ANSWERS = ("night_rest_pain", "fn_night_pain")


class ContraindicatedError(ValidationError):
    """Adding this exercise needs the clinician's confirmation and a reason."""


def library() -> dict[str, rules.LibraryFacts]:
    return {
        e.key: rules.LibraryFacts(
            key=e.key,
            phase=e.phase,
            kind=e.kind,
            impact=e.impact,
            weight_bearing=e.weight_bearing,
            contraindicated_conditions=frozenset(e.contraindicated_conditions),
            contraindicated_findings=frozenset(e.contraindicated_findings),
            contraindicated_phases=dict(e.contraindicated_phases),
        )
        for e in Exercise.objects.filter(active=True)
    }


def rule_table() -> list[rules.Rule]:
    return [
        rules.Rule(
            key=row.key,
            exercise=row.exercise_key,
            reason=row.reason,
            source=row.source,
            when_conditions=frozenset(row.when_conditions),
            when_flags=frozenset(row.when_flags),
            phases=frozenset(row.phases),
            priority=row.priority,
            dosage_overrides=row.dosage_overrides,
            lsi_area=row.lsi_area or None,
        )
        for row in PlanRuleRow.objects.filter(active=True)
    ]


def _condition_keys(evaluation: Evaluation) -> frozenset[str]:
    """The conditions the clinician recorded: the plan follows the condition, never the code
    (M76.89- is MTSS or proximal hamstring tendinopathy; DOMAIN.md s.2)."""
    return (
        frozenset(d.condition for d in evaluation.diagnoses.all() if d.condition)
        & rules.CONDITION_KEYS
    )


def _pain_now(evaluation: Evaluation) -> int | None:
    nprs = evaluation.outcomes.filter(measure="NPRS").first()
    if nprs and nprs.total is not None:
        return int(nprs.total)
    complaint = getattr(evaluation.intake, "complaint", None) if evaluation.intake else None
    return complaint.pain_now if complaint else None


def findings_for(evaluation: Evaluation, phase: str) -> rules.Findings:
    """What the plan engine needs from a signed evaluation."""
    flags = set()
    if evaluation.patient.red_flag_alerts.filter(
        kind="femoral_neck", hard_stop=True, resolved_at__isnull=True
    ).exists():
        flags.add("femoral_neck_red_flag")
    positives = {
        t.key for t in evaluation.special_tests.all() if t.result == SpecialTestResult.POSITIVE
    }
    hop_pain = "hop_test" in positives
    if hop_pain:
        flags.add("positive_hop_test")
    answers = evaluation.intake.red_flag_answers if evaluation.intake else {}
    if measurements.bone_stress_suspected(
        focal_bony_tenderness="focal_bony_tenderness" in positives,
        night_pain=any(answers.get(key) is True for key in NIGHT_PAIN_ANSWERS),
    ):
        flags.add("suspected_bone_stress")
    # A diagnosed bone stress injury is handled by the engine per phase (cleared for
    # impact only from return to run on).
    conditions = _condition_keys(evaluation)
    rows = grid_rows(evaluation)
    lsi = {r.defn.key: r.lsi for r in rows if r.lsi is not None}
    if any(r.flagged for r in rows if r.defn.key in measurements.Y_BALANCE_KEYS):
        flags.add("y_balance_reach_low")  # Plisky 2006 cut-offs (intake.measurements)
    gait = getattr(evaluation, "gait", None)
    target = None
    if gait is not None and gait.cadence:
        target = measurements.cadence_target(gait.cadence)
        # 180 is not a universal target (DOMAIN.md s.5): cadence work is proposed only when
        # the clinician chose gait retraining in the plan of care.
        if "gait_retraining" in evaluation.interventions:
            flags.add("low_cadence")
    side = evaluation.involved_side if evaluation.involved_side in rules.SIDES else "both"
    return rules.Findings(
        conditions=conditions,
        side=side,
        pain_now=_pain_now(evaluation),
        phase=phase,
        flags=frozenset(flags),
        cadence_target=target,
        cadence_measured=gait.cadence if gait is not None and gait.cadence else None,
        lsi=lsi,
    )


def _refuse_while_a_hard_stop_other_than_the_femoral_neck_is_open(patient) -> None:
    """A possible clot or cauda equina blocks the plan with its own words; the femoral-neck
    stop has the engine's referral message (plans.rules.FEMORAL_NECK_BLOCK)."""
    open_stops = patient.red_flag_alerts.filter(hard_stop=True, resolved_at__isnull=True).exclude(
        kind="femoral_neck"
    )
    labels = sorted({alert.label for alert in open_stops})
    if labels:
        raise ValidationError(
            f"No exercise plan while a hard-stop red flag is undecided: {'; '.join(labels)}. "
            "A clinician records the medical clearance or decision on the patient's chart first."
        )


@transaction.atomic
def plan_generate(*, evaluation: Evaluation, phase: str, actor: Actor) -> Plan:
    """Propose a plan from the evaluation's findings; the rules decide, never the view."""
    if not evaluation.is_signed:
        raise ValidationError("Sign the evaluation before generating a plan from it.")
    _refuse_while_a_hard_stop_other_than_the_femoral_neck_is_open(evaluation.patient)
    findings = findings_for(evaluation, phase)
    exercises = {e.key: e for e in Exercise.objects.filter(active=True)}
    generated = rules.generate(findings, rule_table(), library())
    if generated.blocked:
        raise ValidationError(generated.blocked)
    plan = Plan.objects.create(
        patient=evaluation.patient,
        evaluation=evaluation,
        phase=phase,
        return_to_run=phase in ("return_to_run", "perform"),
        created_by=actor.user,
    )
    for candidate in generated.items:
        exercise = exercises[candidate.exercise]
        item = PlanItem(
            plan=plan,
            exercise=exercise,
            order=candidate.order,
            reasons=list(candidate.reasons),
            **exercise.dosage(),
        )
        _apply_overrides(item, candidate.dosage_overrides)
        item.save()
    audit(actor, AuditAction.CREATED, obj=plan, detail=f"generated, {phase}")
    return plan


_INT_FIELDS = {
    "sets",
    "reps",
    "hold_seconds",
    "rest_seconds",
    "sessions_per_day",
    "days_per_week",
    "weeks",
    "pain_allowed",
}
_NOTE_FIELDS = {"notes", "frequency", "progression"}


def _apply_overrides(item: PlanItem, overrides) -> None:
    """Put a rule's dosage overrides (plans/rules_data.py wording) into the item's fields."""
    notes = []
    for name, value in overrides.items():
        if name in _INT_FIELDS:
            setattr(item, name, int(value))
        elif name == "load" and str(value).upper().endswith("RM"):
            item.load, item.load_value = "nRM", str(value).upper()
        elif name == "load":
            item.load = str(value)
        elif name == "tempo":
            digits = re.findall(r"\d+", str(value))
            item.tempo = "-".join(digits) if len(digits) == 3 else item.tempo
        elif name == "schedule" and value in progressions.PROGRESSIONS:
            item.progression = value
        elif name in _NOTE_FIELDS:
            notes.append(str(value).rstrip(".") + ".")
    if notes:
        item.dosage_notes = " ".join(notes)[:200]
    if item.progression:
        _start_the_program(item, progressions.PROGRESSIONS[item.progression])


def _start_the_program(item: PlanItem, program: progressions.Progression) -> None:
    """Week 1's dose and the program's length, from the program itself (plans/progressions.py)."""
    first = program.steps[0]
    item.sets, item.reps, item.weeks = first.sets, first.reps, program.weeks
    if first.rm:
        item.load, item.load_value = "nRM", f"{first.reps}RM"


def contraindication(plan: Plan, exercise: Exercise) -> str:
    """Why this exercise is contraindicated for the plan's patient now, or ""."""
    findings = findings_for(plan.evaluation, plan.phase)
    entry = library().get(exercise.key)
    if entry is None:
        return ""
    flags = rules.effective_flags(findings)
    return rules.exclusion_reason(entry, findings, flags) or ""


@transaction.atomic
def plan_item_add(
    *, plan: Plan, exercise: Exercise, actor: Actor, override_reason: str = ""
) -> PlanItem:
    reason = contraindication(plan, exercise)
    if reason and not override_reason.strip():
        raise ContraindicatedError(reason)
    last = plan.items.aggregate(last=Max("order"))["last"] or 0
    item = PlanItem.objects.create(
        plan=plan,
        exercise=exercise,
        order=last + 1,
        reasons=["Added by your clinician."],
        override_reason=override_reason.strip() if reason else "",
        override_by=actor.user if reason else None,
        **exercise.dosage(),
    )
    detail = f"added {exercise.key}" + (" despite contraindication" if reason else "")
    audit(actor, AuditAction.CHANGED, obj=plan, detail=detail)
    return item


@transaction.atomic
def plan_item_remove(*, item: PlanItem, actor: Actor) -> None:
    plan = item.plan
    item.delete()
    for order, remaining in enumerate(plan.items.order_by("order", "id"), start=1):
        if remaining.order != order:
            remaining.order = order
            remaining.save(update_fields=["order"])
    audit(actor, AuditAction.CHANGED, obj=plan, detail=f"removed {item.exercise.key}")


@transaction.atomic
def plan_item_move(*, item: PlanItem, offset: int, actor: Actor) -> None:
    items = list(item.plan.items.order_by("order", "id"))
    index = items.index(item)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for order, row in enumerate(items, start=1):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])
    audit(actor, AuditAction.CHANGED, obj=item.plan, detail="reordered")


@transaction.atomic
def plan_item_update(*, item: PlanItem, values: dict, actor: Actor) -> PlanItem:
    """Save an item's dosage and note: ``values`` are cleaned field values, by field name
    (the item form's, checked by the model's clean())."""
    unknown = set(values) - {*PlanItem.DOSAGE_FIELDS, "progression", "notes"}
    if unknown:
        raise ValueError(f"Not a dosage field of a plan item: {sorted(unknown)}")
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    audit(actor, AuditAction.CHANGED, obj=item.plan, detail=f"dosage {item.exercise.key}")
    return item


@transaction.atomic
def plan_issue(*, plan: Plan, actor: Actor) -> PlanVersion:
    """Freeze the plan as the next numbered version; later library edits never change it."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.evaluation.is_signed:
        raise ValidationError("The evaluation behind this plan is not signed.")
    if plan.patient.has_unresolved_hard_stop():
        raise ValidationError(
            "A hard-stop red flag is undecided: no plan can be issued until a clinician "
            "records a decision on it (the patient's chart lists it)."
        )
    items = list(plan.items.select_related("exercise"))
    if not items:
        raise ValidationError("Add at least one exercise before issuing the plan.")
    for item in items:
        try:
            item.full_clean(exclude=["plan", "exercise", "override_by"])
        except ValidationError as error:
            raise ValidationError(f"{item.exercise.name}: {' '.join(error.messages)}") from error
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        issued_by=actor.user,
        snapshot=plan_snapshot(plan, items, number=number, issued_by=actor.user),
    )
    render_job_create(version)  # the PDF is rendered by a worker after this commits
    audit(actor, AuditAction.ISSUED, obj=version, patient=plan.patient, detail=f"v{number}")
    return version


@transaction.atomic
def plan_settings_update(
    *, plan: Plan, notes: str, return_to_run: bool, run_stage: int | None, actor: Actor
) -> Plan:
    """The plan's note, return-to-run switch and walk-run stage. Once runs are logged the
    stage is left alone: a stage decision may just have moved it."""
    plan.notes = notes
    plan.return_to_run = return_to_run
    fields = ["notes", "return_to_run", "updated_at"]
    if not plan.run_logs.exists():
        plan.run_stage = run_stage
        fields.append("run_stage")
    plan.save(update_fields=fields)
    audit(actor, AuditAction.CHANGED, obj=plan, detail="settings")
    return plan


@transaction.atomic
def plan_link_send(*, plan: Plan, base_url: str, actor: Actor) -> tuple[str, bool]:
    """A new private link to the patient's current plan, e-mailed when they have an address.

    ``base_url`` is the site's scheme and host the link starts with (the view passes the
    request's). Returns the link (shown once to staff to copy) and whether a mail was queued
    (a worker sends it once this commits).
    """
    if not plan.versions.exists():
        raise ValidationError("Issue the plan first; the link shows the current version.")
    link, _token = plan_link_create(plan=plan, by=actor.user, purpose="mail")
    audit(actor, AuditAction.CREATED, obj=link, patient=plan.patient, detail="plan link")
    queued = link_mail_queue(link=link, base_url=base_url, actor=actor)
    return link.url(base_url), queued
