"""The patient's side: their current plan through a private link, after a date-of-birth check."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from clinic.access import patient_link
from clinic.actors import Actor
from clinic.audit import audit
from clinic.links.pages import link_unavailable
from clinic.models import AuditAction
from clinic.responses import private_file_response
from intake.models import Visit
from intake.services.visits import NOTICE_PERIOD, is_late, upcoming_visits, visit_cancel
from plans.forms.patient import COPY_CHECK_PAGE, PLAN_CHECK_PAGE
from plans.models import Exercise, PatientPlanLink, RecordCopyLink, RenderStatus
from plans.responses import photo_response
from plans.services.documents import download_name
from plans.snapshots import live_snapshot
from plans.storage import verified_file, verified_pdf

PLAN_PAGE_VISITS = 3  # the next visits above the exercises; the mails carry each one


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_plan(request, link, token: str):
    version = link.plan.current_version()
    if version is None:
        return link_unavailable(request, "revoked")
    audit(
        request,
        AuditAction.VIEWED,
        obj=version,
        patient=link.plan.patient,
        actor_label=link.ACTOR_LABEL,
    )
    replaced = bool(link.version_number and link.version_number < version.number)
    job = getattr(version, "render", None)
    now = timezone.now()
    return render(
        request,
        "plans/patient_plan.html",
        {
            "s": live_snapshot(version),  # today's run stage, not the one issued
            "version": version,
            "token": token,
            "replaced": replaced,
            "pdf_ready": job is not None and job.status == RenderStatus.READY,
            "visits": [
                (visit, is_late(visit, now))
                for visit in upcoming_visits(link.plan.patient, now).select_related(
                    "visit_type", "clinician"
                )[:PLAN_PAGE_VISITS]
            ],
        },
    )


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_visit_cancel(request, link, token: str, pk: int):
    """The patient cancels one of their own upcoming visits: a page that says when it is and
    whether it counts as late, then a button. One already cancelled or over says so; another
    patient's visit is not found."""
    visit = get_object_or_404(
        Visit.objects.filter(patient=link.plan.patient).select_related("visit_type"), pk=pk
    )
    now = timezone.now()
    open_to_cancel = upcoming_visits(link.plan.patient, now).filter(pk=visit.pk).exists()
    late = is_late(visit, now)
    if open_to_cancel and request.method == "POST" and not link.birth_date_just_checked:
        try:
            visit_cancel(visit=visit, actor=Actor.from_request(request, label=link.ACTOR_LABEL))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your visit is cancelled. We have sent you an e-mail.")
        return redirect("plans:patient_plan", token)
    audit(
        request,
        AuditAction.VIEWED,
        obj=visit,
        patient=link.plan.patient,
        actor_label=link.ACTOR_LABEL,
        detail="cancel page",
    )
    return render(
        request,
        "plans/patient_visit_cancel.html",
        {
            "visit": visit,
            "late": late,
            "open_to_cancel": open_to_cancel,
            "token": token,
            "notice_hours": int(NOTICE_PERIOD / datetime.timedelta(hours=1)),
        },
    )


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_plan_pdf(request, link, token: str):
    version = link.plan.current_version()
    handle = verified_pdf(getattr(version, "render", None)) if version else None
    if handle is None:
        return render(request, "plans/patient_pdf_pending.html", {"token": token}, status=404)
    audit(
        request,
        AuditAction.DOWNLOADED,
        obj=version,
        patient=link.plan.patient,
        actor_label=link.ACTOR_LABEL,
    )
    return private_file_response(handle, f"home-exercises-v{version.number}.pdf", "application/pdf")


@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE, asset=True)
def patient_exercise_photo(request, link, token: str, key: str):
    """An exercise photo inside the patient's current plan, after the birth-date check."""
    version = link.plan.current_version()
    keys = {item["key"] for item in version.snapshot["items"]} if version else set()
    exercise = Exercise.objects.exclude(photo="").filter(key=key).first()
    if key not in keys or exercise is None:
        raise Http404
    return photo_response(exercise)


# ------------------------------------------------------------------ the patient's own copy


@never_cache
@patient_link(RecordCopyLink, birth_date=COPY_CHECK_PAGE)
def patient_copy(request, link, token: str):
    """The patient's page for their released copy of the record."""
    document = link.document
    audit(
        request,
        AuditAction.VIEWED,
        obj=document,
        patient=link.patient,
        actor_label=link.ACTOR_LABEL,
    )
    return render(
        request,
        "plans/record_copy.html",
        {"token": token, "document": document, "ready": document.status == RenderStatus.READY},
    )


@never_cache
@patient_link(RecordCopyLink, birth_date=COPY_CHECK_PAGE)
def patient_copy_zip(request, link, token: str):
    document = link.document
    handle = verified_file(document)
    if handle is None:
        context = {"token": token, "document": document, "ready": False}
        return render(request, "plans/record_copy.html", context, status=404)
    audit(
        request,
        AuditAction.DOWNLOADED,
        obj=document,
        patient=link.patient,
        actor_label=link.ACTOR_LABEL,
        detail="patient copy",
    )
    return private_file_response(handle, download_name(document), "application/zip")
