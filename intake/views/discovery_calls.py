"""Discovery calls: the public booking page, the prospect's manage link, the front desk."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clinic import ratelimit, show_once
from clinic.access import patient_link, public, staff
from clinic.actors import Actor
from clinic.audit import audit, client_ip
from clinic.models import AuditAction
from intake import services, slots
from intake.forms import PatientForm, SendLinkForm
from intake.forms.discovery_calls import (
    BookingForm,
    CallMoveForm,
    CallRecordForm,
    PhoneBookingForm,
    parse_slot_key,
    parse_time_key,
    slot_key,
    time_key,
)
from intake.models import (
    CallManageLink,
    CallStatus,
    DiscoveryCall,
    PatientStatus,
)
from intake.services import discovery_calls as calls
from intake.services.discovery_calls import BookingLimitReached, SlotUnavailable

# The per-address limit counts bookings made; a family booking together still fits. A failed
# attempt (a typo, a taken time, a resubmit of a booking made) costs nothing against it.
BOOKINGS_PER_IP_PER_HOUR = 5
# Every submit counts against this much higher cap, so a bot cannot hammer the form.
BOOKING_POSTS_PER_IP_PER_HOUR = 50


def _too_many_bookings() -> str:
    return (
        "Too many bookings from your connection in the last hour. Please try again later, "
        f"or call us at {settings.CLINIC_PHONE}."
    )


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
        address = client_ip(request) or "-"
        if not ratelimit.allow(
            "book-post", address, limit=BOOKING_POSTS_PER_IP_PER_HOUR, window_seconds=3600
        ):
            form.add_error(None, _too_many_bookings())
        elif form.is_valid():
            try:
                call, created = calls.call_book_any(
                    start=form.cleaned_data["slot"],
                    details=form.details(),
                    source="online",
                    actor=Actor.from_request(request),
                    new_booking_allowed=not ratelimit.exhausted(
                        "book", address, limit=BOOKINGS_PER_IP_PER_HOUR
                    ),
                )
            except BookingLimitReached:
                form.add_error(None, _too_many_bookings())
            except SlotUnavailable as error:
                form.add_error(None, " ".join(error.messages) + " Please choose another time.")
                chosen, pick_again = "", True
            else:
                if created:  # only a booking made counts against the limit
                    ratelimit.hit("book", address, window_seconds=3600)
                request.session["booked_call"] = call.pk
                request.session["booked_call_again"] = not created
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
    """The booking's time (the back button and a resubmit land here too, not on "taken")."""
    call = DiscoveryCall.objects.filter(pk=request.session.get("booked_call")).first()
    again = bool(request.session.get("booked_call_again"))
    return render(request, "intake/book_done.html", {"call": call, "again": again})


def _cancelled_page(request, link):
    """A cancelled call's link says what happened, not just "no longer active"."""
    call = link.call
    if call.status != CallStatus.CANCELLED:
        return None
    context = {"call": call, "local_start": timezone.localtime(call.start), "cancelled": True}
    return render(request, "intake/call_manage_done.html", context, status=410)


@never_cache
@patient_link(CallManageLink, done=_cancelled_page)
def call_manage(request, link, token: str):
    """The prospect moves or cancels their call with the private link from the mails: the
    booking and its two actions first; a day, then its times; a confirmation before anything
    changes; the new time on the result. Plain GET links and forms: no JavaScript needed."""
    call = link.call
    page = {"call": call, "local_start": timezone.localtime(call.start)}
    data = request.POST if request.method == "POST" else request.GET
    confirmed = request.method == "POST" and data.get("confirm") == "yes"
    if data.get("action") == "cancel" or data.get("step") == "cancel":
        if not confirmed:
            return render(request, "intake/call_manage_confirm.html", {**page, "cancel": True})
        calls.call_cancel(call=call, actor=Actor.from_request(request, label=calls.PROSPECT))
        return render(request, "intake/call_manage_done.html", {**page, "cancelled": True})
    if data.get("step") == "moved":
        return render(request, "intake/call_manage_done.html", {**page, "cancelled": False})
    if "slot" in data or data.get("step") == "confirm":
        return _manage_move(request, call, page, data, confirmed=confirmed)
    if data.get("step") == "change":
        return _manage_times(request, page, _free_days(call), data.get("day", ""))
    return render(request, "intake/call_manage.html", page)


def _manage_move(request, call, page, data, *, confirmed: bool):
    """A chosen time: the confirmation first, then the move (and the result by redirect, so
    a reload does not send it again)."""
    days = _free_days(call)
    form = CallMoveForm(data, free=[row for _day, rows in days for row in rows])
    if form.is_valid():
        start = form.cleaned_data["slot"][1]
        if not confirmed:
            context = {**page, "form": form, "new_start": timezone.localtime(start)}
            return render(request, "intake/call_manage_confirm.html", context)
        try:
            calls.call_reschedule(
                call=call, start=start, actor=Actor.from_request(request, label=calls.PROSPECT)
            )
        except SlotUnavailable as problem:
            form.add_error("slot", " ".join(problem.messages) + " Please choose another time.")
        else:
            return redirect(f"{request.path}?step=moved")
    # Back to the chosen time's day (the form says which), else to the list of days.
    chosen = data.get("slot", "")
    days_of = {key: day.isoformat() for day, rows in days for key, _local, _slot in rows}
    day = days_of.get(chosen, data.get("day", ""))
    return _manage_times(request, page, days, day, error=" ".join(form.errors.get("slot", [])))


def _manage_times(request, page, days, day: str, *, error: str = ""):
    """The times of one day as radios, or the days to choose from (an unknown day too)."""
    match = next(((d, rows) for d, rows in days if d.isoformat() == day), None)
    if match is None:
        context = {**page, "weeks": _by_week(days), "error": error}
        return render(request, "intake/call_manage_days.html", context)
    chosen, rows = match
    parts = [
        (name, [row for row in rows if low <= row[1].hour < high])
        for name, low, high in (("Morning", 0, 12), ("Afternoon", 12, 17), ("Evening", 17, 24))
    ]
    context = {**page, "day": chosen, "parts": [p for p in parts if p[1]], "error": error}
    return render(request, "intake/call_manage_times.html", context)


def _by_week(days):
    """(label, [(day, number of free times)]) per week from Monday: "This week", "Next
    week", "Week of December 14"."""
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    weeks: dict[datetime.date, list] = {}
    for day, rows in days:
        weeks.setdefault(day - datetime.timedelta(days=day.weekday()), []).append((day, len(rows)))
    labels = {0: "This week", 1: "Next week"}
    return [
        (labels.get((monday - this_monday).days // 7, f"Week of {monday:%B} {monday.day}"), rows)
        for monday, rows in weeks.items()
    ]


def _free_days(call):
    """The free slots of the call's clinician by clinic-local day (its own time is busy)."""
    days = [
        (day, [row for row in rows if row[2].clinician_id == call.clinician_id])
        for day, rows in _slot_days()
    ]
    return [(day, rows) for day, rows in days if rows]


# ----------------------------------------------------------------------------- front desk


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
        DiscoveryCall.objects.visible_to(request.user)
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
                actor=Actor.from_request(request),
            )
        except SlotUnavailable as error:
            form.add_error("clinician_slot", " ".join(error.messages))
        else:
            messages.success(request, "Call booked; the confirmation mail is on its way.")
            return redirect("intake:call_detail", pk=call.pk)
    return render(request, "intake/call_new.html", {"form": form})


@staff("intake.view_discoverycall")
def call_detail(request, pk: int):
    call = get_object_or_404(
        DiscoveryCall.objects.visible_to(request.user).select_related("clinician", "patient"), pk=pk
    )
    form = CallRecordForm(request.POST or None, instance=call)
    if request.method == "POST" and request.user.has_perm("intake.change_discoverycall"):
        if form.is_valid():
            calls.call_record_update(
                call=call,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                actor=Actor.from_request(request),
            )
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
    call = get_object_or_404(DiscoveryCall.objects.visible_to(request.user), pk=pk)
    actor = Actor.from_request(request)
    if request.POST.get("action") == "cancel":
        if calls.call_cancel(call=call, actor=actor):
            messages.success(request, "Call cancelled; the slot is free again.")
        else:
            messages.info(request, "This call was already cancelled.")
        return redirect("intake:call_detail", pk=call.pk)
    parsed = parse_slot_key(request.POST.get("slot", ""))
    try:
        if parsed is None or parsed[0] != call.clinician_id:
            raise SlotUnavailable("Choose a new time from the list.")
        calls.call_reschedule(call=call, start=parsed[1], actor=actor)
    except SlotUnavailable as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Call moved; the new invite is on its way.")
    return redirect("intake:call_detail", pk=call.pk)


@staff("intake.add_patient", "intake.view_discoverycall")
def call_convert(request, pk: int):
    """Create (or link) the patient from the call, and optionally send the questionnaire."""
    call = get_object_or_404(DiscoveryCall.objects.visible_to(request.user), pk=pk)
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
        actor = Actor.from_request(request)
        patient = services.patient_create_from_call(
            call=call, data=form.patient_data(), actor=actor
        )
        if request.POST.get("send_link"):
            _link, url, _queued = services.intake_link_create(
                patient=patient,
                actor=actor,
                base_url=request.build_absolute_uri("/"),
                email=link_form.cleaned_data["send_mail"],
            )
            show_once.keep(request, f"new-link-{patient.pk}", url)
        messages.success(request, f"{patient.display_name} is now a patient.")
        if request.POST.get("book_evaluation") and request.user.has_perm("intake.add_visit"):
            book = reverse("intake:visit_new", args=[patient.pk])
            return redirect(f"{book}?type=initial_evaluation")
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
