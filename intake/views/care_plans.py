"""Plan-of-care tracking pages: a payer's visit authorization, and the clinician's dashboard
panel of plans that need something (a progress note, a re-evaluation, more bookings)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import care_plans
from intake.forms import AuthorizationForm
from intake.models import Patient
from intake.services import care_plans as care_services


@staff("intake.add_visitauthorization")
def authorization_new(request, patient_pk: int):
    """Record a payer's visit authorization: how many visits, between which dates."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    today = timezone.localdate()
    form = AuthorizationForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today + datetime.timedelta(days=90)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            care_services.authorization_record(
                patient=patient, actor=Actor.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Authorization recorded.")
            return redirect(patient)
    audit(request, AuditAction.VIEWED, obj=patient, detail="authorization form")
    return render(request, "intake/authorization_new.html", {"patient": patient, "form": form})


@staff("intake.view_clinical")
@require_GET
def plans_panel(request):
    """The clinician's plans of care that warn of something (htmx panel, or a page)."""
    context = {"rows": care_plans.clinician_plan_statuses(request.user)}
    audit(request, AuditAction.VIEWED, detail="plans of care panel")
    if request.htmx:
        return render(request, "intake/_plans_panel.html", context)
    return render(request, "intake/plans_panel.html", context)
