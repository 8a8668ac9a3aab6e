"""The date-of-birth check that opens a patient's private link (the plan link, the record
copy link) and its lockout: wrong dates count against the link in the database and, through
django-axes, against the address; the opener (clinic/links/opener.py) runs it.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as format_date

from clinic import ratelimit
from clinic.audit import audit, client_ip
from clinic.links.forms import BirthDateForm
from clinic.models import AuditAction


def _session_key(link) -> str:
    return f"{link.SESSION_PREFIX}-ok-{link.pk}"


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
