"""Clinician screens: review and accept a questionnaire, enter one directly, resolve red flags."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import services
from intake.forms import RedFlagResolveForm
from intake.models import Intake, IntakeSource, IntakeStatus, Patient, RedFlagAlert
from intake.questionnaire_steps import STEP_KEYS, handle_step
from intake.summaries import STEP_TITLES, intake_summary

CLINICAL = ("intake.view_clinical", "intake.change_intake")


@staff(*CLINICAL)
@require_POST
def intake_staff_new(request, pk: int):
    """A clinician enters the questionnaire directly, e.g. with the patient in the room."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    intake = services.intake_start(patient=patient, source=IntakeSource.STAFF, by=request.user)
    return redirect("intake:intake_step", pk=intake.pk, step=STEP_KEYS[0])


@staff(*CLINICAL)
def intake_step(request, pk: int, step: str):
    if step not in STEP_KEYS:
        raise Http404
    intake = get_object_or_404(
        Intake.objects.visible_to(request.user).select_related("patient"), pk=pk
    )
    if intake.status == IntakeStatus.ACCEPTED:
        messages.info(request, "This questionnaire was accepted and can no longer be edited.")
        return redirect("intake:intake_review", pk=intake.pk)
    if request.method == "GET":
        audit(request, AuditAction.VIEWED, obj=intake, detail=f"step {step}")
    return handle_step(
        request,
        intake,
        step,
        for_staff=True,
        template="intake/intake_step_staff.html",
        step_url=lambda s: reverse("intake:intake_step", args=[intake.pk, s]),
        done_url=reverse("intake:intake_review", args=[intake.pk]),
        actor=Actor.from_request(request),
        context={"patient": intake.patient},
    )


@staff(*CLINICAL)
def intake_review(request, pk: int):
    intake = get_object_or_404(
        Intake.objects.visible_to(request.user).select_related("patient", "accepted_by"), pk=pk
    )
    audit(request, AuditAction.VIEWED, obj=intake)
    current = intake_summary(intake)
    original = intake.submitted_answers or {}
    sections = [
        {
            "key": key,
            "title": STEP_TITLES[key],
            "current": current.get(key, []),
            "changed": bool(original) and original.get(key, []) != current.get(key, []),
            "original": original.get(key, []),
        }
        for key in ("profile", "complaint", "history", "screen")
    ]
    return render(
        request,
        "intake/intake_review.html",
        {
            "intake": intake,
            "patient": intake.patient,
            "sections": sections,
            "alerts": intake.red_flag_alerts.all(),
        },
    )


@staff(*CLINICAL)
@require_POST
def intake_accept(request, pk: int):
    intake = get_object_or_404(Intake.objects.visible_to(request.user), pk=pk)
    if services.intake_accept(intake=intake, actor=Actor.from_request(request)):
        messages.success(request, "The questionnaire is now part of the record.")
    else:
        messages.info(
            request, "Only a questionnaire that was sent and awaits review can be accepted."
        )
    return redirect(intake.patient)


@staff("intake.view_clinical", "intake.change_redflagalert")
def redflag_resolve(request, pk: int):
    alert = get_object_or_404(
        RedFlagAlert.objects.visible_to(request.user).select_related("patient", "resolved_by"),
        pk=pk,
    )
    form = RedFlagResolveForm(request.POST or None)
    if request.method == "POST" and alert.is_open and form.is_valid():
        try:
            services.redflag_resolve(
                alert=alert, actor=Actor.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(alert.patient)
    if request.method == "GET":
        audit(request, AuditAction.VIEWED, obj=alert)
    return render(
        request,
        "intake/redflag_resolve.html",
        {"alert": alert, "form": form, "patient": alert.patient},
    )
