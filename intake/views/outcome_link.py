"""The patient answers outcome measures at home through a private link (no login)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.access import patient_link
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.forms.outcome_requests import PatientOutcomeForm
from intake.models import OutcomeLink
from intake.services.outcome_requests import outcome_request_submit


def _done_page(request, link):
    """The thank-you page once the measures are sent; None before."""
    if link.state != "used":
        return None
    return render(request, "intake/outcome_link_done.html", {"req": link.request})


@never_cache
@patient_link(OutcomeLink, done=_done_page)
def outcome_link(request, link, token: str):
    outcome_request = link.request
    data = request.POST if request.method == "POST" else None
    forms = [PatientOutcomeForm(data, measure=code) for code in outcome_request.measures]
    # A list, not a generator: every form validates, so every error shows at once.
    if data is not None and all([form.is_valid() for form in forms]):  # noqa: C419
        answers = {form.measure.code: form.answers() for form in forms}
        actor = Actor.from_request(request, label=link.ACTOR_LABEL)
        outcome_request_submit(link=link, answers=answers, actor=actor)
        return render(request, "intake/outcome_link_done.html", {"req": outcome_request})
    if data is None:
        audit(
            request,
            AuditAction.VIEWED,
            obj=outcome_request,
            patient=outcome_request.patient,
            actor_label=OutcomeLink.ACTOR_LABEL,
        )
    return render(
        request,
        "intake/outcome_link.html",
        {"req": outcome_request, "forms": forms, "has_errors": data is not None},
    )
