"""Discovery calls: the public booking page, the prospect's manage link, the front desk."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clinic import ratelimit
from clinic.access import patient_link, public, staff
from clinic.audit import audit, client_ip
from clinic.models import AuditAction
from intake import services, slots
from intake.forms import PatientForm, SendLinkForm
from intake.forms.discovery_calls import (
    BookingForm,
    CallRecordForm,
    PhoneBookingForm,
    parse_slot_key,
    parse_time_key,
    slot_key,
    time_key,
)
from intake.models import CallManageLink, DiscoveryCall, PatientStatus, ReferralSource
from intake.services import discovery_calls as calls
from intake.services.discovery_calls import SlotUnavailable

from .self_intake import link_unavailable

BOOKINGS_PER_IP_PER_HOUR = 5  # spam guard; a family booking together still fits


def _slot_days():
    """Free slots grouped by clinic-local day, with their keys, for the pickers."""
    days = slots.group_by_day(calls.open_slots(), settings.TIME_ZONE)
    return [
        (day, [(slot_key(s), timezone.localtime(s.start), s) for s in day_slots])
        for day, day_slots in days
    ]


def _time_days():
    """Free start times grouped by clinic-local day, each once whoever is free then."""
    days = slots.group_by_day(calls.open_slots(), settings.TIME_ZONE)
    return [
        (
            day,
            [(time_key(start), timezone.localtime(start)) for start in slots.distinct_starts(rows)],
        )
        for day, rows in days
    ]


def _clinician_names():
    return {u.pk: u.get_full_name() or u.get_username() for u in calls.clinicians_taking_calls()}


@never_cache
@public
def book(request):
    """Free slots by day; choosing one opens the short form. No login, no patient data in URLs."""
    chosen = request.GET.get("slot", "") if request.method == "GET" else request.POST.get("slot")
    form = BookingForm(request.POST or None, initial={"slot": chosen})
    pick_again = False
    if request.method == "POST":
        if form.is_spam():
            return render(request, "intake/book_done.html", {"call": None})
        if not ratelimit.allow(
            "book", client_ip(request) or "-", limit=BOOKINGS_PER_IP_PER_HOUR, window_seconds=3600
        ):
            form.add_error(
                None,
                "Too many bookings from your connection. Please try again "
                "later, or call the clinic.",
            )
        elif form.is_valid():
            try:
                call = calls.call_book_any(
                    start=form.cleaned_data["slot"],
                    details=form.details(),
                    source="online",
                    request=request,
                )
            except SlotUnavailable as error:
                form.add_error(None, " ".join(error.messages) + " Please choose another time.")
                chosen, pick_again = "", True
            else:
                request.session["booked_call"] = call.pk
                return redirect("intake:book_done")
    start = parse_time_key(chosen or "")
    if request.method == "POST" and "slot" in form.errors:
        pick_again = True
    return render(
        request,
        "intake/book.html",
        {
            "form": form,
            "pick_again": pick_again,
            "days": _time_days(),
            "chosen": time_key(start) if start else "",
            "chosen_start": timezone.localtime(start) if start else None,
        },
    )


@never_cache
@public
def book_done(request):
    call = DiscoveryCall.objects.filter(pk=request.session.get("booked_call")).first()
    return render(request, "intake/book_done.html", {"call": call})


@never_cache
@patient_link
def call_manage(request, token: str):
    """The prospect cancels or moves their call with the private link from the mail."""
    link = CallManageLink.find(token)
    if link is None:
        return link_unavailable(request, "invalid")
    call = link.call
    if link.state != "active":
        return link_unavailable(request, "expired" if link.state == "expired" else "revoked")
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            calls.call_cancel(call=call, request=request, actor_label=calls.PROSPECT)
            return render(request, "intake/call_manage_done.html", {"cancelled": True})
        parsed = parse_slot_key(request.POST.get("slot", ""))
        if parsed is None or parsed[0] != call.clinician_id:
            error = "Please choose a time from the list."
        else:
            try:
                calls.call_reschedule(
                    call=call, start=parsed[1], request=request, actor_label=calls.PROSPECT
                )
            except SlotUnavailable as problem:
                error = " ".join(problem.messages)
            else:
                return render(request, "intake/call_manage_done.html", {"cancelled": False})
    days = [
        (day, [row for row in rows if row[2].clinician_id == call.clinician_id])
        for day, rows in _slot_days()
    ]
    return render(
        request,
        "intake/call_manage.html",
        {
            "call": call,
            "local_start": timezone.localtime(call.start),
            "days": [(d, rows) for d, rows in days if rows],
            "error": error,
        },
    )


# ----------------------------------------------------------------------------- front desk


def visible_calls(request):
    return DiscoveryCall.objects.visible_to(request.user)


@staff("intake.view_discoverycall")
def call_calendar(request):
    """Day or week of calls per clinician; dates in the query string are not patient data."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2200, 12, 31):
        day = timezone.localdate()  # far-off dates would overflow the week arithmetic
    week = request.GET.get("view") == "week"
    first = day - datetime.timedelta(days=day.weekday()) if week else day
    days = [first + datetime.timedelta(days=i) for i in range(7 if week else 1)]
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(days[0], datetime.time.min, tz)
    end = datetime.datetime.combine(days[-1], datetime.time.max, tz)
    rows = list(
        visible_calls(request)
        .filter(start__range=(start, end))
        .select_related("clinician", "patient")
    )
    by_day = [(d, [c for c in rows if timezone.localtime(c.start).date() == d]) for d in days]
    step = datetime.timedelta(days=7 if week else 1)
    return render(
        request,
        "intake/call_calendar.html",
        {
            "by_day": by_day,
            "day": day,
            "week": week,
            "previous": day - step,
            "next": day + step,
            "today": timezone.localdate(),
        },
    )


@staff("intake.add_discoverycall", "intake.manage_calls")
def call_new(request):
    """Book a call for someone on the phone, from the same free slots as the public page."""
    names = _clinician_names()
    choices = [
        (key, f"{local:%a %b %-d, %-I:%M %p} — {names.get(slot.clinician_id, '')}")
        for _day, rows in _slot_days()
        for key, local, slot in rows
    ]
    form = PhoneBookingForm(request.POST or None, slot_choices=choices)
    if request.method == "POST" and form.is_valid():
        clinician_id, start = form.cleaned_data["slot"]
        try:
            call = calls.call_book(
                clinician_id=clinician_id,
                start=start,
                details=form.details(),
                source="phone",
                request=request,
            )
        except SlotUnavailable as error:
            form.add_error("clinician_slot", " ".join(error.messages))
        else:
            messages.success(request, "Call booked; the confirmation mail is on its way.")
            return redirect("intake:call_detail", pk=call.pk)
    return render(request, "intake/call_new.html", {"form": form})


@staff("intake.view_discoverycall")
def call_detail(request, pk: int):
    call = get_object_or_404(visible_calls(request).select_related("clinician", "patient"), pk=pk)
    form = CallRecordForm(request.POST or None, instance=call)
    if request.method == "POST" and request.user.has_perm("intake.change_discoverycall"):
        if form.is_valid():
            form.save()
            audit(request, AuditAction.CHANGED, obj=call, detail="outcome and notes")
            messages.success(request, "Saved.")
            return redirect("intake:call_detail", pk=call.pk)
    elif request.method == "GET":
        audit(request, AuditAction.VIEWED, obj=call)
    names = _clinician_names()
    reschedule = [
        (key, f"{local:%a %b %-d, %-I:%M %p}")
        for _d, rows in _slot_days()
        for key, local, slot in rows
        if slot.clinician_id == call.clinician_id
    ]
    return render(
        request,
        "intake/call_detail.html",
        {
            "call": call,
            "form": form,
            "local_start": timezone.localtime(call.start),
            "reschedule": reschedule,
            "clinician_name": names.get(call.clinician_id, ""),
        },
    )


@staff("intake.change_discoverycall", "intake.manage_calls")
@require_POST
def call_change(request, pk: int):
    call = get_object_or_404(visible_calls(request), pk=pk)
    if request.POST.get("action") == "cancel":
        if calls.call_cancel(call=call, request=request):
            messages.success(request, "Call cancelled; the slot is free again.")
        else:
            messages.info(request, "This call was already cancelled.")
        return redirect("intake:call_detail", pk=call.pk)
    parsed = parse_slot_key(request.POST.get("slot", ""))
    try:
        if parsed is None or parsed[0] != call.clinician_id:
            raise SlotUnavailable("Choose a new time from the list.")
        calls.call_reschedule(call=call, start=parsed[1], request=request)
    except SlotUnavailable as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Call moved; the new invite is on its way.")
    return redirect("intake:call_detail", pk=call.pk)


@staff("intake.add_patient", "intake.view_discoverycall")
def call_convert(request, pk: int):
    """Create (or link) the patient from the call, and optionally send the questionnaire."""
    call = get_object_or_404(visible_calls(request), pk=pk)
    if call.patient_id:
        return redirect(call.patient)
    first, _, last = call.name.partition(" ")
    initial = {
        "legal_first_name": first,
        "legal_last_name": last,
        "email": call.email,
        "phone": call.phone,
        # How they heard of the clinic, as the caller said; the call itself is linked.
        "referral_source": call.heard_from,
        "status": PatientStatus.PROSPECT,
        "primary_clinician": call.clinician_id,
    }
    form = PatientForm(request.POST or None, initial=initial)
    link_form = SendLinkForm(request.POST or None, initial={"send_mail": True})
    if request.method == "POST" and form.is_valid() and link_form.is_valid():
        patient = services.patient_create_from_call(call=call, form=form, request=request)
        if request.POST.get("send_link"):
            _link, url, _sent = services.intake_link_create(
                patient=patient,
                by=request.user,
                request=request,
                email=link_form.cleaned_data["send_mail"],
            )
            request.session[f"new-link-{patient.pk}"] = url
        messages.success(request, f"{patient.display_name} is now a patient.")
        return redirect(patient)
    return render(
        request,
        "intake/call_convert.html",
        {
            "call": call,
            "form": form,
            "duplicates": form.duplicates,
            "creating": True,
        },
    )
