"""Clinician screens for plans: generate, edit (htmx partial updates), issue, preview."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic import show_once
from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from clinic.responses import private_file_response
from intake.models import Evaluation
from plans import services
from plans.access import PLAN_CHANGE, PLAN_VIEW
from plans.forms.coach import CoachLinkForm
from plans.forms.plans import PlanGenerateForm, PlanItemAddForm, PlanItemForm, PlanSettingsForm
from plans.models import (
    Exercise,
    PatientPlanLink,
    Plan,
    PlanItem,
    PlanVersion,
    RenderJob,
    RenderStatus,
)
from plans.responses import photo_response
from plans.services import coach, logs, rendering
from plans.snapshots import dosage_sentence, illustration, plan_snapshot, progression_steps
from plans.storage import verified_pdf


@staff("intake.view_clinical", "plans.add_plan")
@require_POST
def plan_create(request, pk: int):
    """Generate a plan from a signed evaluation's findings."""
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user), pk=pk)
    form = PlanGenerateForm(request.POST)
    phase = form.cleaned_data["phase"] if form.is_valid() else "strengthen"
    try:
        plan = services.plan_generate(
            evaluation=evaluation, phase=phase, actor=Actor.from_request(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    messages.success(request, "Plan proposed from the evaluation. Review and adjust it.")
    return redirect(plan)


def _editor_context(plan: Plan, *, add_form=None, confirm=None, item_forms=None) -> dict:
    items = list(plan.items.select_related("exercise"))
    item_forms = item_forms or {}
    urgent_alerts = plan.patient.alerts_needing_action()
    return {
        "plan": plan,
        "patient": plan.patient,
        "rows": [
            {
                "item": item,
                "form": item_forms.get(item.pk) or PlanItemForm(instance=item),
                "sentence": dosage_sentence(item),
                # Dated as if issued today; the issued plan is dated from its issue day.
                "progression": progression_steps(item.progression, timezone.localdate()),
                "drawing": illustration(item.exercise.key),
            }
            for item in items
        ],
        "add_form": add_form or PlanItemAddForm(),
        "confirm": confirm,
        "settings_form": PlanSettingsForm(
            initial={
                "notes": plan.notes,
                "return_to_run": plan.return_to_run,
                "run_stage": plan.run_stage,
            },
            stage_locked=plan.run_logs.exists(),
        ),
        "versions": plan.versions.select_related("issued_by").defer("snapshot"),
        "hard_stop": any(a.hard_stop for a in urgent_alerts),
        "urgent_alerts": urgent_alerts,
        "links": plan.links.filter(purpose="mail").order_by("-created_at")[:5],
        "run": logs.run_panel(plan),
    }


def _coach_card(request, plan: Plan) -> dict:
    """The editor's coach card: live links, the form, a new link's URL once."""
    return {
        "links": coach.live_coach_links(plan),
        "form": CoachLinkForm(),
        "new_url": show_once.take(request, f"new-coach-link-{plan.pk}"),
    }


def _items_response(request, plan, **extra):
    """The item list alone for htmx, the whole editor otherwise."""
    template = "plans/_plan_items.html" if request.htmx else "plans/plan_edit.html"
    return render(request, template, _editor_context(plan, **extra))


@staff(*PLAN_VIEW)
def plan_edit(request, pk: int):
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("patient", "evaluation"), pk=pk
    )
    audit(request, AuditAction.VIEWED, obj=plan)
    context = _editor_context(plan)
    context["new_link_url"] = show_once.take(request, f"new-plan-link-{plan.pk}")
    context["coach"] = _coach_card(request, plan)
    return render(request, "plans/plan_edit.html", context)


@staff(*PLAN_CHANGE)
@require_POST
def plan_item_update(request, pk: int):
    item = get_object_or_404(
        PlanItem.objects.visible_to(request.user).select_related("plan__patient", "exercise"),
        pk=pk,
    )
    form = PlanItemForm(request.POST, instance=item)
    if form.is_valid():  # runs the model's clean(): reps or hold, load value
        services.plan_item_update(
            item=item, values=form.cleaned_data, actor=Actor.from_request(request)
        )
        return _items_response(request, item.plan)
    return _items_response(request, item.plan, item_forms={item.pk: form})


@staff(*PLAN_CHANGE)
@require_POST
def plan_item_add(request, pk: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    form = PlanItemAddForm(request.POST)
    if not form.is_valid():
        return _items_response(request, plan, add_form=form)
    exercise = form.cleaned_data["exercise"]
    try:
        services.plan_item_add(
            plan=plan,
            exercise=exercise,
            actor=Actor.from_request(request),
            override_reason=form.cleaned_data["override_reason"],
        )
    except services.ContraindicatedError as error:
        confirm = {"exercise": exercise, "reason": " ".join(error.messages)}
        return _items_response(request, plan, add_form=form, confirm=confirm)
    return _items_response(request, plan)


@staff(*PLAN_CHANGE)
@require_POST
def plan_item_remove(request, pk: int):
    item = get_object_or_404(PlanItem.objects.visible_to(request.user), pk=pk)
    plan = item.plan
    services.plan_item_remove(item=item, actor=Actor.from_request(request))
    return _items_response(request, plan)


@staff(*PLAN_CHANGE)
@require_POST
def plan_item_move(request, pk: int, direction: str):
    if direction not in ("up", "down"):
        raise Http404
    item = get_object_or_404(PlanItem.objects.visible_to(request.user), pk=pk)
    offset = -1 if direction == "up" else 1
    services.plan_item_move(item=item, offset=offset, actor=Actor.from_request(request))
    return _items_response(request, item.plan)


@staff(*PLAN_CHANGE)
@require_POST
def plan_settings(request, pk: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    locked = plan.run_logs.exists()
    form = PlanSettingsForm(
        request.POST, initial={"run_stage": plan.run_stage}, stage_locked=locked
    )
    if form.is_valid():
        services.plan_settings_update(
            plan=plan,
            notes=form.cleaned_data["notes"],
            return_to_run=form.cleaned_data["return_to_run"],
            run_stage=form.cleaned_data["run_stage"],
            actor=Actor.from_request(request),
        )
        messages.success(request, "Saved.")
        return redirect(plan)
    context = _editor_context(plan)
    context["settings_form"] = form  # the note and the stage as typed, with their errors
    messages.error(request, "Please correct the plan settings below; nothing was saved.")
    return render(request, "plans/plan_edit.html", context)


@staff("intake.view_clinical", "plans.add_planversion")
@require_POST
def plan_issue(request, pk: int):
    """Issue after the confirmation step, and e-mail the plan link when asked to."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("patient"), pk=pk)
    if request.POST.get("confirm") != "yes":  # the button inside "Issue…", not a stray POST
        messages.error(request, "Open “Issue to the patient…” and confirm to issue the plan.")
        return redirect(plan)
    actor = Actor.from_request(request)
    try:
        version = services.plan_issue(plan=plan, actor=actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(request, f"Version {version.number} issued to the patient.")
    # Sending the link is the link's own right (plan_link_send), not the issuing one.
    if request.POST.get("send_link") == "yes" and request.user.has_perms(PLAN_CHANGE):
        _send_link(request, plan, actor)
        return redirect(plan)  # the editor shows the new link to copy
    return redirect("plans:version_detail", pk=version.pk)


@staff(*PLAN_VIEW)
def plan_preview(request, pk: int):
    """The patient's view of the plan as it would be issued now (nothing is saved)."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("patient", "evaluation"), pk=pk
    )
    audit(request, AuditAction.VIEWED, obj=plan, detail="preview")
    items = list(plan.items.select_related("exercise"))
    snapshot = plan_snapshot(plan, items, number=None, issued_by=request.user)
    return render(
        request,
        "plans/version_detail.html",
        {"plan": plan, "s": snapshot, "preview": True, "version": None},
    )


@staff(*PLAN_VIEW)
def version_detail(request, pk: int):
    """The issued version as the patient sees it (web view; same content as the PDF)."""
    version = get_object_or_404(
        PlanVersion.objects.visible_to(request.user).select_related("plan__patient"),
        pk=pk,
    )
    audit(request, AuditAction.VIEWED, obj=version, patient=version.plan.patient)
    latest = version.plan.versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "plans/version_detail.html",
        {
            "version": version,
            "plan": version.plan,
            "s": version.snapshot,
            "superseded_by": latest if latest != version.number else None,
        },
    )


def _visible_jobs(request):
    return RenderJob.objects.visible_to(request.user).select_related("version__plan__patient")


@staff(*PLAN_VIEW)
def render_status(request, pk: int):
    """The PDF status of a version; htmx polls it until the PDF is ready or failed."""
    job = get_object_or_404(_visible_jobs(request), version_id=pk)
    return render(request, "plans/_render_status.html", {"job": job, "version": job.version})


@staff(*PLAN_CHANGE)
@require_POST
def render_retry(request, pk: int):
    job = get_object_or_404(_visible_jobs(request), version_id=pk)
    if job.status == RenderStatus.FAILED:
        rendering.render_job_retry(job=job, actor=Actor.from_request(request))
        job.refresh_from_db()
    if request.htmx:
        return render(request, "plans/_render_status.html", {"job": job, "version": job.version})
    return redirect("plans:version_detail", pk=job.version_id)


@staff(*PLAN_VIEW)
def version_pdf(request, pk: int):
    job = get_object_or_404(_visible_jobs(request), version_id=pk)
    handle = verified_pdf(job)
    if handle is None:
        messages.error(
            request,
            "The PDF is not available: it is not ready, or the stored file "
            "no longer matches its checksum. Retry the render.",
        )
        return redirect("plans:version_detail", pk=pk)
    audit(request, AuditAction.DOWNLOADED, obj=job.version, patient=job.version.plan.patient)
    return private_file_response(
        handle, f"home-exercises-v{job.version.number}.pdf", "application/pdf"
    )


@staff(*PLAN_CHANGE)
@require_POST
def plan_link_send(request, pk: int):
    """A private link to the current plan for the patient: e-mailed, and shown once to copy."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("patient"), pk=pk)
    _send_link(request, plan, Actor.from_request(request))
    return redirect(plan)


def _send_link(request, plan: Plan, actor: Actor) -> None:
    try:
        url, queued = services.plan_link_send(
            plan=plan, base_url=request.build_absolute_uri("/"), actor=actor
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    if queued:
        messages.success(request, "The plan link is being e-mailed to the patient.")
    else:
        messages.warning(
            request, "The patient has no e-mail address: copy the link below for them."
        )
    show_once.keep(request, f"new-plan-link-{plan.pk}", url)


@staff(*PLAN_CHANGE)
@require_POST
def plan_link_revoke(request, pk: int):
    link = get_object_or_404(
        PatientPlanLink.objects.visible_to(request.user).select_related("plan__patient"),
        pk=pk,
    )
    link.revoke(actor=request)
    messages.success(request, "The link was revoked; it no longer opens the plan.")
    return redirect(link.plan)


@staff(*PLAN_VIEW)
def exercise_photo(request, key: str):
    """A clinic's own exercise photo, for staff pages (never a public media URL)."""
    exercise = get_object_or_404(Exercise.objects.exclude(photo=""), key=key)
    return photo_response(exercise)
