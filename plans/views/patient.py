"""The patient's side: their current plan through a private link, after a date-of-birth check."""

import mimetypes

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.cache import never_cache

from clinic import ratelimit
from clinic.access import patient_link
from clinic.audit import audit, client_ip
from clinic.models import AuditAction
from intake.forms.patients import BirthDateField
from intake.views.self_intake import link_unavailable
from plans.models import Exercise, PatientPlanLink, RecordCopyLink, RenderStatus
from plans.services.documents import download_name
from plans.snapshots import live_snapshot
from plans.storage import verified_file, verified_pdf

PLAN_CHECK_PAGE = {
    "heading": "Your home exercises",
    "intro": "To keep your plan private, please confirm your date of birth.",
    "button": "Open my plan",
}


class BirthDateForm(forms.Form):
    # Read as the staff's patient form reads it; a date that cannot be a birth date is an
    # error on the form, never a wrong guess.
    date_of_birth = BirthDateField(
        label="Your date of birth",
        error_messages={"required": "Please enter your date of birth."},
    )


def _session_key(link) -> str:
    return f"{link.SESSION_PREFIX}-ok-{link.pk}"


def open_link(request, model, token):
    """(link, page to show instead or None) for a plans.models.BirthDateLink token."""
    link = model.find(token)
    if link is None:
        return None, link_unavailable(request, "invalid")
    if link.state == "locked":
        return link, render(request, "plans/patient_locked.html", status=403)
    if link.state in ("expired", "revoked"):
        audit(
            request,
            AuditAction.DENIED,
            obj=link,
            patient=link.patient,
            actor_label=link.ACTOR_LABEL,
            detail=f"link {link.state}",
        )
        return link, link_unavailable(request, link.state)
    return link, None


def birth_date_checked(request, link) -> bool:
    return bool(request.session.get(_session_key(link)))


def check_birth_date(request, link, page: dict):
    """The birth-date page, or None once this browser has passed the check for the link."""
    if birth_date_checked(request, link):
        return None
    form = BirthDateForm(request.POST or None)
    context = {"form": form, **page}
    if request.method == "POST":
        # The staff login's protection too (django-axes): wrong dates lock this link at this
        # address for a while, on top of the link's own lock after MAX_BIRTH_DATE_TRIES.
        if AxesProxyHandler.is_locked(request, _axes_credentials(link)) or not ratelimit.allow(
            "plan-dob", client_ip(request) or "-", limit=30, window_seconds=3600
        ):
            return render(request, "plans/patient_slow_down.html", status=429)
        if form.is_valid() and form.cleaned_data["date_of_birth"] == link.patient.date_of_birth:
            request.session.cycle_key()
            request.session[_session_key(link)] = True
            audit(
                request,
                AuditAction.LOGIN,
                obj=link,
                patient=link.patient,
                actor_label=link.ACTOR_LABEL,
                detail="date of birth checked",
            )
            return None
        if form.is_valid():
            return _wrong_birth_date(request, link, context)
    return render(request, "plans/patient_check.html", context)


def _axes_credentials(link) -> dict:
    # An id, never a name: axes stores it.
    return {"username": f"{link.SESSION_PREFIX}-{link.pk}"}


def _wrong_birth_date(request, link, context):
    model = type(link)
    AxesProxyHandler.user_login_failed(__name__, _axes_credentials(link), request)
    # Counted in the database, so parallel guesses cannot share one count.
    model.objects.filter(pk=link.pk).update(failed_checks=F("failed_checks") + 1)
    model.objects.filter(
        pk=link.pk,
        locked_at__isnull=True,
        failed_checks__gte=model.MAX_BIRTH_DATE_TRIES,
    ).update(locked_at=timezone.now())
    link.refresh_from_db(fields=["failed_checks", "locked_at"])
    audit(
        request,
        AuditAction.LOGIN_FAILED,
        obj=link,
        patient=link.patient,
        actor_label=link.ACTOR_LABEL,
        detail=f"wrong date of birth ({link.failed_checks})",
    )
    if link.locked_at:
        return render(request, "plans/patient_locked.html", status=403)
    left = model.MAX_BIRTH_DATE_TRIES - link.failed_checks
    form = context["form"]
    # Say how the date was read, so that a patient who meant another year or day sees it.
    read = format_date(form.cleaned_data["date_of_birth"], "F j, Y")
    form.add_error("date_of_birth", f"{read} does not match our records. {left} tries left.")
    return render(request, "plans/patient_check.html", context)


def _open(request, token):
    """The plan link's checks: (link, page to show instead or None)."""
    link, page = open_link(request, PatientPlanLink, token)
    if page is None:
        page = check_birth_date(request, link, PLAN_CHECK_PAGE)
    return link, page


def _current_version(link):
    return link.plan.versions.order_by("-number").select_related("render", "plan").first()


@never_cache
@patient_link
def patient_plan(request, token: str):
    link, page = _open(request, token)
    if page is not None:
        return page
    version = _current_version(link)
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
@patient_link
def patient_plan_pdf(request, token: str):
    link, page = _open(request, token)
    if page is not None:
        return page
    version = _current_version(link)
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
    return pdf_response(handle, f"home-exercises-v{version.number}.pdf")


def file_response(handle, filename: str, content_type: str) -> FileResponse:
    """A private download under a name the server chose (never the patient's name)."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(handle, filename: str) -> FileResponse:
    return file_response(handle, filename, "application/pdf")


def photo_response(exercise) -> FileResponse:
    """Stream an exercise photo; the stored name was chosen by the server on upload."""
    try:
        handle = exercise.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(exercise.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@patient_link
def patient_exercise_photo(request, token: str, key: str):
    """An exercise photo inside the patient's current plan, after the birth-date check."""
    link, page = open_link(request, PatientPlanLink, token)
    if page is not None or not birth_date_checked(request, link):
        raise Http404
    version = _current_version(link)
    keys = {item["key"] for item in version.snapshot["items"]} if version else set()
    exercise = Exercise.objects.exclude(photo="").filter(key=key).first()
    if key not in keys or exercise is None:
        raise Http404
    return photo_response(exercise)


# ------------------------------------------------------------------ the patient's own copy

COPY_CHECK_PAGE = {
    "heading": "Your health record",
    "intro": "To keep your record private, please confirm your date of birth.",
    "button": "Open my record",
}


def _open_copy(request, token):
    """The copy link's checks: (link, page to show instead or None). Never before release."""
    link, page = open_link(request, RecordCopyLink, token)
    if page is None and link.document.released_at is None:
        audit(
            request,
            AuditAction.DENIED,
            obj=link,
            patient=link.patient,
            actor_label=link.ACTOR_LABEL,
            detail="copy not released",
        )
        page = link_unavailable(request, "revoked")
    if page is None:
        page = check_birth_date(request, link, COPY_CHECK_PAGE)
    return link, page


@never_cache
@patient_link
def patient_copy(request, token: str):
    """The patient's page for their released copy of the record."""
    link, page = _open_copy(request, token)
    if page is not None:
        return page
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
@patient_link
def patient_copy_zip(request, token: str):
    link, page = _open_copy(request, token)
    if page is not None:
        return page
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
    return file_response(handle, download_name(document), "application/zip")
