"""The clinic's calendar and its visits: book, move, cancel, check in, no-show."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import care_plans, visit_calendar, visit_times
from intake.forms import SeriesForm, VisitBookingForm, WhenForm
from intake.models import Patient, TreatmentNote, Visit, VisitType
from intake.services import visits as visit_services


def _day_param(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2200, 12, 31):
        return timezone.localdate()  # far-off dates would overflow the week arithmetic
    return day


@staff("intake.view_visit")
def calendar(request):
    """Day (a column per clinician) or week (a column per day) of visits and calls. The
    query string holds a date, the view and a clinician id: no patient data."""
    day = _day_param(request.GET.get("day", ""))
    week = request.GET.get("view") == "week"
    everyone = list(visit_calendar.clinicians_on_calendar())
    who = request.GET.get("who", "")
    if who.isdigit() and any(c.pk == int(who) for c in everyone):
        chosen = [int(who)]
    elif who == "all" or not any(c.pk == request.user.pk for c in everyone):
        chosen, who = [c.pk for c in everyone], "all"
    else:
        chosen, who = [request.user.pk], str(request.user.pk)
    context = visit_calendar.visit_calendar(
        user=request.user, day=day, week=week, clinician_ids=chosen
    )
    step = datetime.timedelta(days=7 if week else 1)
    audit(request, AuditAction.VIEWED, detail=f"calendar {day:%Y-%m-%d}{' week' if week else ''}")
    return render(
        request,
        "intake/visit_calendar.html",
        {
            **context,
            "day": day,
            "week": week,
            "who": who,
            "everyone": everyone,
            "previous": day - step,
            "next": day + step,
            "today": timezone.localdate(),
        },
    )


def _free_times(clinician, visit_type: VisitType, day: datetime.date, *, exclude=None):
    """Free starts that day for this clinician and visit length (a quarter-hour grid)."""
    tz = timezone.get_current_timezone()
    windows = visit_times.working_windows(
        day, visit_services.schedule_for(clinician.pk), tz=str(tz)
    )
    if not windows:
        return []
    busy = visit_services.busy_between(
        clinician.pk,
        min(w[0] for w in windows),
        max(w[1] for w in windows),
        exclude_visit=exclude,
    )
    return visit_times.free_starts(windows, busy, minutes=visit_type.minutes, now=timezone.now())


@staff("intake.add_visit")
def visit_new(request, patient_pk: int):
    """Book a visit for this patient: type, clinician, day and time; the day's free times
    are offered as one-click choices. Refusals keep what was entered."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    initial = {"date": timezone.localdate() + datetime.timedelta(days=1)}
    kind = request.GET.get("type", "")
    wanted = VisitType.objects.filter(key=kind, active=True).first()
    if wanted:
        initial["visit_type"] = wanted.pk
    if patient.primary_clinician_id:
        initial["clinician"] = patient.primary_clinician_id
    data = request.POST.copy() if request.method == "POST" else None
    looking = data is not None and bool(data.get("show"))  # "show free times", not "book"
    if data is not None and data.get("suggested"):
        data["time"] = data["suggested"]  # a free time picked from the list
    form = VisitBookingForm(data, initial=initial, time_required=not looking)
    if data is not None and form.is_valid() and not looking:
        try:
            visit = visit_services.visit_book(
                patient=patient,
                clinician=form.cleaned_data["clinician"],
                visit_type=form.cleaned_data["visit_type"],
                start=form.cleaned_data["start"],
                actor=Actor.from_request(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            local = timezone.localtime(visit.start)
            messages.success(
                request,
                f"Booked: {visit.visit_type.name}, {local:%A, %B} {local.day}, {local:%-I:%M %p}.",
            )
            return redirect("intake:visit_detail", pk=visit.pk)
    audit(request, AuditAction.VIEWED, obj=patient, detail="visit booking form")
    return render(
        request,
        "intake/visit_new.html",
        {"patient": patient, "form": form, "free": _offered(form, data)},
    )


def _offered(form, data) -> list:
    """The free times of the day and clinician the form holds (after a refusal, or when the
    front desk asks for them)."""
    fields = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    clinician, visit_type, day = (
        fields.get("clinician"),
        fields.get("visit_type"),
        fields.get("date"),
    )
    if not (clinician and visit_type and day):
        return []
    return [timezone.localtime(s) for s in _free_times(clinician, visit_type, day)]


@staff("intake.view_visit")
def visit_detail(request, pk: int):
    """One visit: who, when, its status, and what may be done with it now."""
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("patient", "clinician", "visit_type"),
        pk=pk,
    )
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("move-suggested"):
        data["move-time"] = data["move-suggested"]  # a free time picked from the list
    local = timezone.localtime(visit.start)
    form = WhenForm(data, initial={"date": local.date(), "time": local.time()}, prefix="move")
    if data is not None:
        if not request.user.has_perm("intake.change_visit"):
            raise PermissionDenied
        if data.get("move-show"):
            form.fields["time"].required = False
        if form.is_valid() and not data.get("move-show"):
            try:
                visit_services.visit_move(
                    visit=visit, start=form.cleaned_data["start"], actor=Actor.from_request(request)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Visit moved; the patient gets the new time by e-mail.")
                return redirect("intake:visit_detail", pk=visit.pk)
    free = []
    if form.is_bound and getattr(form, "cleaned_data", {}).get("date"):
        free = [
            timezone.localtime(s)
            for s in _free_times(
                visit.clinician, visit.visit_type, form.cleaned_data["date"], exclude=visit
            )
        ]
    audit(request, AuditAction.VIEWED, obj=visit, patient=visit.patient)
    now = timezone.now()
    plan = care_plans.patient_plan_status(visit.patient) if visit.holds_time else None
    return render(
        request,
        "intake/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "free": free,
            "late": visit_services.is_late(visit, now),
            "progress_note_due": plan is not None and plan.progress_note_visit == visit.pk,
            "note": (
                TreatmentNote.objects.filter(visit=visit).first()
                if request.user.has_perm("intake.view_treatmentnote")
                else None
            ),
            "can_note": visit.holds_time and local.date() <= timezone.localdate(),
            "started": visit.start <= now,
            "today": local.date() == timezone.localdate(),
            "notice_hours": int(visit_services.NOTICE_PERIOD / datetime.timedelta(hours=1)),
            "calendar_url": f"{reverse('intake:visit_calendar')}?day={local:%Y-%m-%d}",
        },
    )


STATUS_ACTIONS = {
    "cancel": (visit_services.visit_cancel, "Visit cancelled; the time is free again."),
    "arrive": (visit_services.visit_arrive, "Checked in."),
    "no-show": (visit_services.visit_no_show, "Marked as a no-show."),
}


@staff("intake.change_visit")
@require_POST
def visit_status(request, pk: int, action: str):
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=pk)
    if action not in STATUS_ACTIONS:
        return redirect("intake:visit_detail", pk=visit.pk)
    service, done = STATUS_ACTIONS[action]
    extra = {"by_clinic": request.POST.get("by") == "clinic"} if action == "cancel" else {}
    try:
        visit = service(visit=visit, actor=Actor.from_request(request), **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if visit.status == "late_cancel":
            done = "Cancelled late (inside the notice period); the time is free again."
        messages.success(request, done)
    return redirect("intake:visit_detail", pk=visit.pk)


@staff("intake.add_visit")
def visit_series(request, patient_pk: int):
    """Book a series from the plan of care: the times it proposes, which collide and the
    nearest free time for each, shown before anything is saved; then all or none."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    initial = {
        "date": timezone.localdate() + datetime.timedelta(days=1),
        "visit_type": VisitType.objects.filter(key="follow_up")
        .values_list("pk", flat=True)
        .first(),
        "clinician": patient.primary_clinician_id,
    }
    plan = care_plans.patient_plan_status(patient)
    if plan is not None:  # prefilled from the plan of care: what it still needs
        if plan.to_book:
            initial["count"] = min(plan.to_book, SeriesForm.COUNT_MAX)
        if plan.plan.visits_per_week:
            initial["weekdays"] = SERIES_WEEKDAYS[plan.plan.visits_per_week]
    form = SeriesForm(request.POST or None, initial=initial)
    proposals = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("book"):
            starts = _chosen(request.POST)
            try:
                booked = visit_services.visit_series_book(
                    patient=patient,
                    clinician=data["clinician"],
                    visit_type=data["visit_type"],
                    starts=starts,
                    actor=Actor.from_request(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Booked {len(booked)} visits.")
                return redirect(patient)
        proposals = _proposals(data)
    audit(request, AuditAction.VIEWED, obj=patient, detail="visit series form")
    return render(
        request,
        "intake/visit_series.html",
        {"patient": patient, "form": form, "proposals": proposals, "plan": plan},
    )


# The weekdays a series starts from for N visits a week (a project default: spread out, no
# weekend); the front desk changes them on the form.
SERIES_WEEKDAYS = {
    1: [0],
    2: [0, 3],
    3: [0, 2, 4],
    4: [0, 1, 3, 4],
    5: [0, 1, 2, 3, 4],
    6: [0, 1, 2, 3, 4, 5],
    7: [0, 1, 2, 3, 4, 5, 6],
}


def _proposals(data) -> list:
    tz = str(timezone.get_current_timezone())
    starts = visit_times.series_times(
        data["start"], weekdays=data["weekdays"], count=data["count"], tz=tz
    )
    clinician = data["clinician"]
    busy = visit_services.busy_between(
        clinician.pk,
        starts[0] - datetime.timedelta(days=1),
        starts[-1] + datetime.timedelta(days=1),
    )
    proposals = visit_times.series_proposals(
        starts,
        minutes=data["visit_type"].minutes,
        schedule=visit_services.schedule_for(clinician.pk),
        busy=busy,
        now=timezone.now(),
        tz=tz,
        who=visit_services.display_name(clinician),
    )
    return [
        (p, timezone.localtime(p.wanted), p.nearest and timezone.localtime(p.nearest))
        for p in proposals
    ]


def _chosen(post) -> list[datetime.datetime]:
    """The times picked on the proposal table (aware ISO values); anything else is skipped
    (the service checks each time again, so a tampered value books nothing wrong)."""
    starts = []
    for key in post:
        if not key.startswith("pick-"):
            continue
        try:
            start = datetime.datetime.fromisoformat(post[key])
        except ValueError:
            continue
        if timezone.is_aware(start):
            starts.append(start)
    return starts
