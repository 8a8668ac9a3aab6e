"""Staff screens for patient records: list, search, create, edit, chart, questionnaire links."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic import show_once
from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import selectors, services
from intake.forms import (
    EmergencyAccessForm,
    EmergencyReviewForm,
    PatientForm,
    PatientSearchForm,
    SendLinkForm,
)
from intake.forms.outcome_requests import OutcomeRequestForm
from intake.models import EmergencyAccess, IntakeLink, Patient
from intake.services.emergency import emergency_access_open, emergency_access_review
from intake.services.outcome_requests import (
    outcome_request_create as outcome_request_create_service,
)

PAGE_SIZE = 25
SEARCH_LIMIT = 50
# The chart shows the questionnaire-link and outcome-request forms together: both have a
# send_mail field, and without a prefix both inputs get id="id_send_mail".
OUTCOME_FORM_PREFIX = "outcome"


@staff("intake.view_patient")
def patient_list(request):
    """All patients, paginated; a search is POSTed so no patient detail enters a URL."""
    form = PatientSearchForm(request.POST or None)
    results, too_many, others = None, False, []
    if request.method == "POST" and form.is_valid():
        matches = list(
            Patient.objects.visible_to(request.user)
            .select_related("primary_clinician")
            .search(form.cleaned_data["q"])[: SEARCH_LIMIT + 1]
        )
        results, too_many = matches[:SEARCH_LIMIT], len(matches) > SEARCH_LIMIT
        audit(request, AuditAction.VIEWED, detail=f"patient search, {len(results)} results")
        if request.user.has_perm("intake.view_clinical"):
            # Outside the care team: name and date of birth only, to open by emergency access.
            others = list(
                Patient.objects.search(form.cleaned_data["q"])
                .exclude(pk__in=Patient.objects.visible_to(request.user).values("pk"))
                .only("legal_first_name", "legal_last_name", "preferred_name", "date_of_birth")[
                    :SEARCH_LIMIT
                ]
            )
    page = Paginator(
        Patient.objects.visible_to(request.user).select_related("primary_clinician"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/patient_list.html",
        {"form": form, "results": results, "too_many": too_many, "others": others, "page": page},
    )


@staff("intake.add_patient")
def patient_create(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(
            data=form.patient_data(), actor=Actor.from_request(request)
        )
        messages.success(request, f"{patient.display_name} was added.")
        return redirect(patient)
    return render(
        request,
        "intake/patient_form.html",
        {"form": form, "duplicates": form.duplicates, "creating": True},
    )


@staff("intake.change_patient")
def patient_edit(request, pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        services.patient_update(
            patient=patient, data=form.patient_data(), actor=Actor.from_request(request)
        )
        messages.success(request, "Changes saved.")
        return redirect(patient)
    if request.method == "GET":
        audit(request, AuditAction.VIEWED, obj=patient, detail="edit form")
    return render(request, "intake/patient_form.html", {"form": form, "patient": patient})


@staff("intake.view_patient")
def patient_detail(request, pk: int):
    """The patient chart. Clinical sections only for roles that may see clinical content."""
    context = selectors.patient_chart(user=request.user, pk=pk)
    patient = context["patient"]
    detail = "emergency access" if context["emergency"] else ""
    audit(request, AuditAction.VIEWED, obj=patient, detail=detail)
    context["link_form"] = SendLinkForm()
    context["new_link_url"] = show_once.take(request, f"new-link-{patient.pk}")
    if context["clinical"]:
        context["outcome_form"] = OutcomeRequestForm(prefix=OUTCOME_FORM_PREFIX)
        context["new_outcome_url"] = show_once.take(request, f"new-outcome-link-{patient.pk}")
    return render(request, "intake/patient_detail.html", context)


@staff("intake.add_intakelink")
@require_POST
def patient_send_link(request, pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = SendLinkForm(request.POST)
    form.is_valid()
    wants_mail = form.cleaned_data.get("send_mail", False)
    _link, url, queued = services.intake_link_create(
        patient=patient,
        actor=Actor.from_request(request),
        base_url=request.build_absolute_uri("/"),
        email=wants_mail,
    )
    if queued:
        messages.success(request, "The questionnaire link is being e-mailed to the patient.")
    elif wants_mail:
        messages.warning(request, "The patient has no e-mail address: copy the link below.")
    # Shown once on the chart; only its hash is stored, so it cannot be shown again later.
    show_once.keep(request, f"new-link-{patient.pk}", url)
    return redirect(patient)


@staff("intake.view_clinical", "intake.add_outcomerequest")
@require_POST
def outcome_request_create(request, pk: int):
    """Send the patient outcome measures to fill in at home before a re-evaluation."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = OutcomeRequestForm(request.POST, prefix=OUTCOME_FORM_PREFIX)
    if not form.is_valid():
        messages.error(request, "Choose at least one measure for the patient to fill in.")
        return redirect(patient)
    _link, url, queued = outcome_request_create_service(
        patient=patient,
        measures=form.cleaned_data["measures"],
        actor=Actor.from_request(request),
        base_url=request.build_absolute_uri("/"),
        email=form.cleaned_data["send_mail"],
    )
    if queued:
        messages.success(request, "The outcome-measure link is being e-mailed to the patient.")
    elif form.cleaned_data["send_mail"]:
        messages.warning(request, "The patient has no e-mail address: copy the link below.")
    show_once.keep(request, f"new-outcome-link-{patient.pk}", url)
    return redirect(patient)


@staff("intake.change_intakelink")
@require_POST
def intake_link_revoke(request, pk: int):
    link = get_object_or_404(
        IntakeLink.objects.visible_to(request.user).select_related("intake__patient"),
        pk=pk,
    )
    services.intake_link_revoke(link=link, actor=Actor.from_request(request))
    messages.success(request, "The link was revoked; it no longer opens the questionnaire.")
    return redirect(link.intake.patient)


@staff("intake.view_patient", "intake.view_clinical")
def emergency_access(request, pk: int):
    """Open a record outside the care team: a reason first; name and date of birth only."""
    patient = get_object_or_404(
        Patient.objects.only(
            "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth"
        ),
        pk=pk,
    )
    if Patient.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect(patient)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        emergency_access_open(
            patient=patient, reason=form.cleaned_data["reason"], actor=Actor.from_request(request)
        )
        messages.warning(
            request,
            f"Emergency access is open for {settings.EMERGENCY_ACCESS_HOURS} hours and has "
            f"been reported to the clinic admin.",
        )
        return redirect(patient)
    return render(
        request,
        "intake/emergency_access.html",
        {"form": form, "patient": patient, "settings_hours": settings.EMERGENCY_ACCESS_HOURS},
    )


@staff("intake.review_emergencyaccess")
def emergency_review_list(request):
    """The clinic admin's list of emergency accesses, unreviewed first."""
    grants = EmergencyAccess.objects.select_related("user", "patient", "reviewed_by").order_by(
        F("reviewed_at").asc(nulls_first=True), "-started_at"
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    audit(request, AuditAction.VIEWED, detail="emergency access list")
    return render(
        request,
        "intake/emergency_review_list.html",
        {"page": page, "form": EmergencyReviewForm()},
    )


@staff("intake.review_emergencyaccess")
@require_POST
def emergency_review(request, pk: int):
    grant = get_object_or_404(EmergencyAccess.objects.unreviewed(), pk=pk)
    form = EmergencyReviewForm(request.POST)
    if form.is_valid():
        emergency_access_review(
            grant=grant, note=form.cleaned_data["note"], actor=Actor.from_request(request)
        )
        messages.success(request, "Marked as reviewed.")
    return redirect("intake:emergency_review_list")
