"""One questionnaire step, shared by the patient's link and the clinician's screens."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from clinic.actors import Actor
from intake import services
from intake.forms import (
    STEPS,
    ComplaintForm,
    ConsentForm,
    PriorInjuryFormSet,
    ProfileForm,
    RedFlagScreenForm,
)
from intake.models import Complaint, Intake, PatientSex, RunnerProfile
from intake.services.intakes import PRIOR_INJURY_FIELDS, STEP_MODELS, step_fields

STEP_KEYS = [s.key for s in STEPS]


def build_step_form(intake: Intake, step: str, data=None, *, for_staff: bool):
    if step == "profile":
        instance = RunnerProfile.objects.filter(intake=intake).first()
        initial = None if instance or data is not None else from_the_call(intake, step)
        return ProfileForm(data, instance=instance or RunnerProfile(intake=intake), initial=initial)
    if step == "complaint":
        instance = Complaint.objects.filter(intake=intake).first()
        initial = None if instance or data is not None else from_the_call(intake, step)
        return ComplaintForm(data, instance=instance or Complaint(intake=intake), initial=initial)
    if step == "history":
        if data is not None:  # bound: every filled row counts, whatever was stored before
            return PriorInjuryFormSet(data, prefix="injuries")
        rows = intake.prior_injuries.values("region", "diagnosis", "year", "weeks_lost")
        return PriorInjuryFormSet(initial=list(rows), prefix="injuries")
    if step == "screen":
        return RedFlagScreenForm(
            data,
            initial=RedFlagScreenForm.initial_from(intake.red_flag_answers),
            include_triad=intake.patient.sex == PatientSex.FEMALE,
            for_staff=for_staff,
        )
    return ConsentForm(data)


def step_data(step: str, form) -> dict | list:
    """The plain values of a valid step form, for services.intake_step_save."""
    if step in STEP_MODELS:
        # The form put its values on the instance, the km and pace it converts included.
        return {name: getattr(form.instance, name) for name in step_fields(STEP_MODELS[step])}
    if step == "screen":
        return form.answers()
    if step == "history":
        return [
            {name: f.cleaned_data.get(name) for name in PRIOR_INJURY_FIELDS}
            for f in form.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
    return {}


def from_the_call(intake: Intake, step: str) -> dict:
    """What the prospect told us on the discovery call, offered where the questionnaire asks
    it again: the goal race and its date, where it hurts and the story."""
    call = intake.patient.discovery_calls.order_by("-start").first()
    if call is None:
        return {}
    if step == "profile":
        upcoming = call.goal_race_date and call.goal_race_date >= timezone.localdate()
        return {
            "goal_race_name": call.goal_race,
            "goal_race_date": call.goal_race_date if upcoming else None,
        }
    return {"region": call.area, "mechanism": call.story}


def neighbour(step: str, offset: int) -> str | None:
    index = STEP_KEYS.index(step) + offset
    return STEP_KEYS[index] if 0 <= index < len(STEP_KEYS) else None


def handle_step(
    request: HttpRequest,
    intake: Intake,
    step: str,
    *,
    for_staff: bool,
    template: str,
    step_url,
    done_url: str,
    actor: Actor,
    link=None,
    context: dict | None = None,
):
    """GET shows the step (with what was typed last time, errors included); POST saves it."""
    if request.method == "POST":
        form = build_step_form(intake, step, request.POST, for_staff=for_staff)
        going_back = request.POST.get("go") == "back"
        if form.is_valid():
            intake = services.intake_step_save(
                intake=intake, step=step, data=step_data(step, form), actor=actor
            )
            if step == "consent" and not going_back:
                missing = services.missing_steps(intake)
                if not missing:
                    services.intake_submit(intake=intake, actor=actor, link=link)
                    return redirect(done_url)
                return redirect(step_url(missing[0]) + "?incomplete=1")
            target = neighbour(step, -1 if going_back else 1) or step
            return redirect(step_url(target))
        services.intake_step_keep_draft(intake=intake, step=step, data=request.POST)
        if going_back and neighbour(step, -1):
            return redirect(step_url(neighbour(step, -1)))
        status = 200
    else:
        draft = intake.step_drafts.get(step)
        data = MultiValueDict(draft) if draft else None
        form = build_step_form(intake, step, data, for_staff=for_staff)
        status = 200
    index = STEP_KEYS.index(step)
    return render(
        request,
        template,
        {
            "intake": intake,
            "form": form,
            "step": STEPS[index],
            "steps": STEPS,
            "step_number": index + 1,
            "step_count": len(STEPS),
            "previous_step": neighbour(step, -1),
            "is_formset": step == "history",
            "incomplete": request.GET.get("incomplete") == "1",
            "missing_steps": services.missing_steps(intake) if step == "consent" else [],
            **(context or {}),
        },
        status=status,
    )
