"""The patient's side of the questionnaire: reached only through a private signed link."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from clinic.access import patient_link
from clinic.audit import audit
from clinic.links.pages import link_unavailable
from clinic.models import AuditAction
from intake import redflags, services
from intake.forms import STEPS
from intake.models import IntakeLink, IntakeStatus
from intake.questionnaire_steps import STEP_KEYS, handle_step


def _done_page(request, intake):
    """Thank you — and, while a flag that cannot wait is undecided, what to do right now."""
    action = redflags.patient_action(intake.red_flag_alerts.open())
    context = {"intake": intake, "action": action, "redflags": redflags}
    return render(request, "intake/self_intake_done.html", context)


def _open(request, token: str):
    """(link, None) for a usable link, else (link or None, the page to show instead)."""
    link = IntakeLink.find(token)
    if link is None:
        return None, link_unavailable(request, "invalid")
    if link.state == "used" or link.intake.status != IntakeStatus.DRAFT:
        return link, _done_page(request, link.intake)
    if link.state in ("expired", "revoked"):
        audit(
            request,
            AuditAction.DENIED,
            obj=link,
            patient=link.intake.patient,
            actor_label=services.PATIENT_LINK_ACTOR,
            detail=f"link {link.state}",
        )
        return link, link_unavailable(request, link.state)
    return link, None


@never_cache
@patient_link
def self_intake(request, token: str):
    link, page = _open(request, token)
    if page is not None:
        return page
    intake = link.intake
    audit(request, AuditAction.VIEWED, obj=intake, actor_label=services.PATIENT_LINK_ACTOR)
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
@patient_link
def self_intake_step(request, token: str, step: str):
    if step not in STEP_KEYS:
        raise Http404
    link, page = _open(request, token)
    if page is not None:
        return page
    return handle_step(
        request,
        link.intake,
        step,
        for_staff=False,
        template="intake/self_intake_step.html",
        step_url=lambda s: reverse("intake:self_intake_step", args=[token, s]),
        done_url=reverse("intake:self_intake", args=[token]),
        actor_label=services.PATIENT_LINK_ACTOR,
        link=link,
        context={"token": token},
    )
