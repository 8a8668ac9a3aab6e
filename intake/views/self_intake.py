"""The patient's side of the questionnaire: reached only through a private signed link."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from clinic.access import patient_link
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import redflags, services
from intake.forms import STEPS
from intake.models import IntakeLink, IntakeStatus
from intake.questionnaire_steps import STEP_KEYS, handle_step


def _done_page(request, link):
    """Once sent: thank you — and, while a flag that cannot wait is undecided, what to do
    right now. None while the questionnaire is still a draft."""
    intake = link.intake
    if link.state != "used" and intake.status == IntakeStatus.DRAFT:
        return None
    action = redflags.patient_action(intake.red_flag_alerts.open())
    context = {"intake": intake, "action": action, "redflags": redflags}
    return render(request, "intake/self_intake_done.html", context)


@never_cache
@patient_link(IntakeLink, done=_done_page)
def self_intake(request, link, token: str):
    intake = link.intake
    audit(request, AuditAction.VIEWED, obj=intake, actor_label=IntakeLink.ACTOR_LABEL)
    missing = services.missing_steps(intake)
    first = missing[0] if missing else STEP_KEYS[-1]
    return render(
        request,
        "intake/self_intake_start.html",
        {
            "intake": intake,
            "steps": STEPS,
            "first_step": first,
            "resuming": bool(intake.completed_steps),
            "token": token,
        },
    )


@never_cache
@patient_link(IntakeLink, done=_done_page)
def self_intake_step(request, link, token: str, step: str):
    if step not in STEP_KEYS:
        raise Http404
    return handle_step(
        request,
        link.intake,
        step,
        for_staff=False,
        template="intake/self_intake_step.html",
        step_url=lambda s: reverse("intake:self_intake_step", args=[token, s]),
        done_url=reverse("intake:self_intake", args=[token]),
        actor=Actor.from_request(request, label=link.ACTOR_LABEL),
        link=link,
        context={"token": token},
    )
