"""The patient's side: their current plan through a private link, after a date-of-birth check."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from clinic.access import patient_link
from clinic.audit import audit
from clinic.links.pages import link_unavailable
from clinic.models import AuditAction
from clinic.responses import private_file_response
from plans.forms.patient import COPY_CHECK_PAGE, PLAN_CHECK_PAGE
from plans.models import Exercise, PatientPlanLink, RecordCopyLink, RenderStatus
from plans.responses import photo_response
from plans.services.documents import download_name
from plans.snapshots import live_snapshot
from plans.storage import verified_file, verified_pdf


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
    return render(
        request,
        "plans/patient_plan.html",
        {
            "s": live_snapshot(version),  # today's run stage, not the one issued
            "version": version,
            "token": token,
            "replaced": replaced,
            "pdf_ready": job is not None and job.status == RenderStatus.READY,
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
