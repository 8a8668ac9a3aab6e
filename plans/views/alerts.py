"""The clinician's view between visits: the chart's card and the alerts
panel of the dashboard, both loaded by htmx, and the acknowledgement of an alert."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import Patient
from plans.between_visits import between_visits as between_visits_context
from plans.forms.alerts import AlertAckForm
from plans.services import alerts

CLINICAL = "intake.view_clinical"


@staff(CLINICAL)
@require_GET
def between_visits(request, pk: int):
    """The chart's between-visits card (htmx), or a page of its own."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    context = between_visits_context(patient)
    if request.htmx:  # part of the chart, which audited the view
        return render(request, "plans/_between_visits_body.html", context)
    audit(request, AuditAction.VIEWED, obj=patient, detail="between visits")
    return render(request, "plans/between_visits.html", context)


@staff(CLINICAL)
@require_GET
def alerts_panel(request):
    """The dashboard's alerts panel (htmx), or a page of its own."""
    context = {"alerts": alerts.alerts_for(request.user), "back": "dashboard"}
    if request.htmx:
        return render(request, "plans/_alerts_panel.html", context)
    return render(request, "plans/alerts.html", context)


@staff(CLINICAL, "plans.add_alertack")
@require_POST
def alert_ack(request, pk: int):
    """Acknowledge one open alert of the patient, with the clinician's note (audited)."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = AlertAckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            alerts.alert_acknowledge(
                patient=patient,
                kind=data["kind"],
                key=data["key"],
                note=data["note"],
                actor=Actor.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Alert acknowledged for {patient.display_name}.")
    elif "note" in form.errors:
        messages.error(request, " ".join(form.errors["note"]))
    else:
        messages.error(request, "This alert could not be acknowledged: nothing was changed.")
    if form.data.get("back") == "chart":
        return redirect(f"{patient.get_absolute_url()}#between-visits-h")
    return redirect(reverse("clinic:dashboard"))
