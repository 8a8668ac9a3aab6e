"""Coach links: the clinician makes and revokes them; the coach opens a read-only page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clinic import ratelimit, show_once
from clinic.access import patient_link, staff
from clinic.actors import Actor
from clinic.audit import audit, client_ip
from clinic.links.pages import link_unavailable
from clinic.models import AuditAction
from plans.forms.coach import CoachLinkForm
from plans.models import CoachLink, Plan
from plans.services import coach

# A page a coach reloads now and then; far more from one address is someone guessing.
COACH_PAGE_LIMIT = 120
COACH_PAGE_WINDOW = 3600


@staff("intake.view_clinical", "plans.add_coachlink")
def coach_link_create(request, pk: int):
    """A coach link, only with the patient's consent ticked; its URL is shown once."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("patient"), pk=pk)
    form = CoachLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, url = coach.coach_link_create(
                plan=plan,
                base_url=request.build_absolute_uri("/"),
                actor=Actor.from_request(request),
                show_diagnosis=form.cleaned_data["show_diagnosis"],
                coach_name=form.cleaned_data["coach_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            show_once.keep(request, f"new-coach-link-{plan.pk}", url)
            messages.success(request, "Coach link made: copy it below for the coach.")
            return redirect(plan)
    return render(
        request,
        "plans/coach_link_create.html",
        {"plan": plan, "patient": plan.patient, "form": form},
    )


@staff("intake.view_clinical", "plans.change_coachlink")
@require_POST
def coach_link_revoke(request, pk: int):
    link = get_object_or_404(
        CoachLink.objects.visible_to(request.user).select_related("plan__patient"),
        pk=pk,
    )
    coach.coach_link_revoke(link=link, actor=Actor.from_request(request))
    messages.success(request, "The coach link was revoked; it no longer opens.")
    return redirect(link.plan)


def _too_many(request):
    """Guessing tokens is limited per address, before any token is looked up."""
    address = client_ip(request) or "-"
    if ratelimit.allow(
        "coach-link", address, limit=COACH_PAGE_LIMIT, window_seconds=COACH_PAGE_WINDOW
    ):
        return None
    return render(request, "plans/patient_slow_down.html", status=429)


@never_cache  # no-store: a shared or public computer keeps no copy
@patient_link(CoachLink, before=_too_many)
def coach_page(request, link, token: str):
    """The coach's read-only page; the token is the credential (no date-of-birth check)."""
    if request.method != "GET":  # read-only: nothing to post
        return redirect(request.path)
    context = coach.coach_view(link)
    if context is None:
        return link_unavailable(request, "revoked")
    audit(
        request,
        AuditAction.VIEWED,
        obj=link,
        patient=link.plan.patient,
        actor_label=link.ACTOR_LABEL,
        detail=f"plan version {context['version'].number}",
    )
    return render(request, "plans/coach_page.html", context)
