"""The calendar's read side: a day (one column per clinician) or a week (one column per day)
of visits and discovery calls, with each clinician's working hours shaded. A few queries
whatever the data: the visits, the calls, the names this user may see, the hours, days off."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from intake import calendar_grid, visit_times
from intake.models import BlackoutDate, CallStatus, DiscoveryCall, Visit, VisitStatus, WorkingHours

# Shown on the calendar: what holds time, and what the front desk follows up (fees, calls).
SHOWN = (VisitStatus.BOOKED, VisitStatus.ARRIVED, VisitStatus.LATE_CANCEL, VisitStatus.NO_SHOW)


@dataclass
class Column:
    label: str
    day: datetime.date
    blocks: list[calendar_grid.Block]
    working: list[tuple[float, float]]
    off: bool
    today: bool


def clinicians_on_calendar():
    """Active staff with working hours: those the calendar has columns for."""
    return (
        get_user_model()
        .objects.filter(is_active=True, call_availability__working_hours__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def visit_calendar(*, user, day: datetime.date, week: bool, clinician_ids: list[int]) -> dict:
    tz = timezone.get_current_timezone()
    first = day - datetime.timedelta(days=day.weekday()) if week else day
    days = [first + datetime.timedelta(days=i) for i in range(7 if week else 1)]
    start = datetime.datetime.combine(days[0], datetime.time.min, tz)
    end = datetime.datetime.combine(days[-1] + datetime.timedelta(days=1), datetime.time.min, tz)
    clinicians = {c.pk: c for c in clinicians_on_calendar().filter(pk__in=clinician_ids)}
    ids = [pk for pk in clinician_ids if pk in clinicians]
    entries = _visit_entries(user, ids, start, end) + _call_entries(user, ids, start, end)
    schedules = _schedules(ids)
    columns_spec = (
        [(d, f"{d:%a %b} {d.day}", ids) for d in days]
        if week
        else [(day, _name(clinicians[pk]), [pk]) for pk in ids]
    )
    windows = {
        (d, pk): visit_times.working_windows(d, schedules[pk], tz=str(tz))
        for d in days
        for pk in ids
    }
    all_windows = [
        (s.astimezone(tz), e.astimezone(tz)) for rows in windows.values() for s, e, _ in rows
    ]
    first_hour, last_hour = calendar_grid.hour_range(all_windows, entries)
    today = timezone.localdate()
    columns = []
    for column_day, label, lanes in columns_spec:
        mine = [e for e in entries if e.start.date() == column_day and e.lane in lanes]
        lane_windows = [
            (s.astimezone(tz), e.astimezone(tz))
            for pk in lanes
            for s, e, _ in windows[(column_day, pk)]
        ]
        columns.append(
            Column(
                label=label,
                day=column_day,
                blocks=calendar_grid.blocks(mine, lanes=lanes, first_hour=first_hour),
                working=calendar_grid.shaded(lane_windows, first_hour=first_hour)
                if len(lanes) == 1
                else [],
                off=all(column_day in schedules[pk].days_off for pk in lanes) if lanes else False,
                today=column_day == today,
            )
        )
    hours = list(range(first_hour, last_hour))
    return {
        "columns": columns,
        "hours": [(h, f"{datetime.time(h):%-I %p}") for h in hours],
        "height": round((last_hour - first_hour) * calendar_grid.REM_PER_HOUR, 3),
        "rem_per_hour": calendar_grid.REM_PER_HOUR,
        "days": days,
        "clinicians": clinicians,
        "lanes": ids,
        "lane_names": [_name(clinicians[pk]) for pk in ids],
    }


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _label(user, windows) -> str:
    """A day column's heading: the clinician, and where they work that day if it is said."""
    places = list(dict.fromkeys(where for _, _, where in windows if where))
    return " · ".join([_name(user), *places])


def _url_of(name: str):
    """pk -> the address of that object's page, reversing the route once per page."""
    marker = 987654321
    pattern = reverse(name, args=[marker])
    return lambda pk: pattern.replace(str(marker), str(int(pk)))


def _visit_entries(user, ids, start, end) -> list[calendar_grid.Entry]:
    rows = list(
        Visit.objects.filter(clinician_id__in=ids, start__lt=end, end__gt=start, status__in=SHOWN)
        .select_related("visit_type", "patient")
        .only(  # a busy week holds hundreds: only what a block shows (no phone parsing)
            "id",
            "clinician_id",
            "start",
            "end",
            "status",
            "visit_type__name",
            "patient__preferred_name",
            "patient__legal_first_name",
            "patient__legal_last_name",
        )
        .order_by("start")
    )
    url = _url_of("intake:visit_detail")
    visible = set(
        Visit.objects.visible_to(user)
        .filter(pk__in=[v.pk for v in rows])
        .values_list("pk", flat=True)
    )
    entries = []
    for visit in rows:
        seen = visit.pk in visible
        entries.append(
            calendar_grid.Entry(
                kind="visit",
                pk=visit.pk,
                lane=visit.clinician_id,
                start=timezone.localtime(visit.start),
                end=timezone.localtime(visit.end),
                title=visit.patient.display_name if seen else "Busy",
                detail=visit.visit_type.name if seen else "",
                status=visit.status,
                url=url(visit.pk) if seen else "",
            )
        )
    return entries


def _call_entries(user, ids, start, end) -> list[calendar_grid.Entry]:
    rows = list(
        DiscoveryCall.objects.filter(
            clinician_id__in=ids, start__lt=end, end__gt=start, status=CallStatus.BOOKED
        )
        .only("id", "clinician_id", "start", "end", "name")
        .order_by("start")
    )
    url = _url_of("intake:call_detail")
    visible = set(
        DiscoveryCall.objects.visible_to(user)
        .filter(pk__in=[c.pk for c in rows])
        .values_list("pk", flat=True)
    )
    return [
        calendar_grid.Entry(
            kind="call",
            pk=call.pk,
            lane=call.clinician_id,
            start=timezone.localtime(call.start),
            end=timezone.localtime(call.end),
            title=call.name if call.pk in visible else "Discovery call",
            detail="Discovery call",
            status="call",
            url=url(call.pk) if call.pk in visible else "",
        )
        for call in rows
    ]


def _schedules(ids: list[int]) -> dict[int, visit_times.Schedule]:
    blocks: dict[int, list[tuple]] = {pk: [] for pk in ids}
    rows = WorkingHours.objects.filter(availability__clinician_id__in=ids).values_list(
        "availability__clinician_id", "weekday", "start", "end", "location"
    )
    for clinician_id, *block in rows:
        blocks[clinician_id].append(tuple(block))
    off: dict[int | None, list[datetime.date]] = {}
    for clinician_id, date in BlackoutDate.objects.filter(
        Q(availability__isnull=True) | Q(availability__clinician_id__in=ids)
    ).values_list("availability__clinician_id", "date"):
        off.setdefault(clinician_id, []).append(date)
    clinic_wide = off.get(None, [])
    return {pk: visit_times.schedule_of(blocks[pk], clinic_wide + off.get(pk, [])) for pk in ids}
