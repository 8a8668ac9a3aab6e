"""When a clinician can see a patient: inside their working hours, not on a day off. Pure
functions on plain data, in the clinic's local wall time, so a visit at 9:00 is inside
"9:00–17:00" on either side of a daylight-saving change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class WorkingBlock:
    weekday: int  # 0 = Monday
    start: datetime.time
    end: datetime.time
    location: str = ""


@dataclass(frozen=True)
class Schedule:
    blocks: tuple[WorkingBlock, ...] = ()
    days_off: frozenset[datetime.date] = field(default_factory=frozenset)

    def blocks_on(self, weekday: int) -> list[WorkingBlock]:
        return sorted((b for b in self.blocks if b.weekday == weekday), key=lambda b: b.start)


def clock(value: datetime.time) -> str:
    """9:00 AM, 12:30 PM: how the front desk reads a time."""
    return datetime.datetime.combine(datetime.date(2000, 1, 1), value).strftime("%-I:%M %p")


def _block_holding(
    start: datetime.datetime, end: datetime.datetime, schedule: Schedule, zone: ZoneInfo
) -> WorkingBlock | None:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_end.date() != local_start.date():
        return None  # no working block runs past midnight
    for block in schedule.blocks_on(local_start.weekday()):
        if block.start <= local_start.time() and local_end.time() <= block.end:
            return block
    return None


def unavailable_reason(
    start: datetime.datetime,
    end: datetime.datetime,
    schedule: Schedule,
    *,
    tz: str,
    who: str = "The clinician",
) -> str | None:
    """Why [start, end) cannot be booked with this clinician, in words; None when it can."""
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    day = f"{local:%A, %B} {local.day}"
    if local.date() in schedule.days_off:
        return f"{who} is off on {day}."
    if not schedule.blocks:
        return f"{who} has no working hours yet: the clinic admin sets them in their schedule."
    if _block_holding(start, end, schedule, zone):
        return None
    blocks = schedule.blocks_on(local.weekday())
    if not blocks:
        return f"{who} does not work on {WEEKDAYS[local.weekday()]}s."
    hours = " and ".join(f"{clock(b.start)}–{clock(b.end)}" for b in blocks)
    return f"That is outside {who}'s working hours: on {WEEKDAYS[local.weekday()]}s {hours}."


def location_at(start: datetime.datetime, schedule: Schedule, *, tz: str) -> str:
    """Where the clinician works at ``start`` ("" for the only site or outside hours)."""
    zone = ZoneInfo(tz)
    block = _block_holding(start, start, schedule, zone)
    return block.location if block else ""


def working_windows(
    day: datetime.date, schedule: Schedule, *, tz: str
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    """The day's working blocks as aware (start, end, location); none on a day off. A wall
    time in a spring-forward gap moves forward by the gap (2:30 becomes 3:30)."""
    if day in schedule.days_off:
        return []
    zone = ZoneInfo(tz)
    windows = []
    for block in schedule.blocks_on(day.weekday()):
        start = _aware(datetime.datetime.combine(day, block.start), zone)
        end = _aware(datetime.datetime.combine(day, block.end), zone)
        windows.append((start, end, block.location))
    return windows


def _aware(wall: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    aware = wall.replace(tzinfo=zone)
    roundtrip = aware.astimezone(datetime.UTC).astimezone(zone)
    return aware if roundtrip.replace(tzinfo=None) == wall else roundtrip


def schedule_of(blocks: Iterable[tuple], days_off: Iterable[datetime.date]) -> Schedule:
    """A Schedule from (weekday, start, end, location) rows and dates."""
    return Schedule(
        blocks=tuple(WorkingBlock(*row) for row in blocks), days_off=frozenset(days_off)
    )


def free_starts(
    windows: list[tuple[datetime.datetime, datetime.datetime, str]],
    busy: list[tuple[datetime.datetime, datetime.datetime]],
    *,
    minutes: int,
    now: datetime.datetime,
    step_minutes: int = 15,
) -> list[datetime.datetime]:
    """Start times, every ``step_minutes`` from each block's start, where a visit of
    ``minutes`` fits inside the block, overlaps nothing busy and has not begun."""
    length = datetime.timedelta(minutes=minutes)
    step = datetime.timedelta(minutes=step_minutes)
    starts = []
    for block_start, block_end, _ in windows:
        moment = block_start
        while moment + length <= block_end:
            clash = any(moment < b_end and b_start < moment + length for b_start, b_end in busy)
            if moment >= now and not clash:
                starts.append(moment)
            moment += step
    return starts


# --- a series from a plan of care ("2 a week for 6 weeks") --------------------------------


@dataclass(frozen=True)
class Proposal:
    """One time of a series: the wanted start, why it cannot be booked ("" when it can) and
    the nearest free start that day to offer instead (None when the day has none)."""

    wanted: datetime.datetime
    conflict: str = ""
    nearest: datetime.datetime | None = None


def series_times(
    first: datetime.datetime, *, weekdays: Iterable[int], count: int, tz: str
) -> list[datetime.datetime]:
    """``count`` starts at ``first``'s local wall-clock time on ``weekdays``, from its day on:
    9:00 stays 9:00 across a daylight-saving change."""
    zone = ZoneInfo(tz)
    local = first.astimezone(zone)
    days = sorted(set(weekdays))
    if not days or count < 1:
        return []
    starts, day = [], local.date()
    while len(starts) < count:
        if day.weekday() in days:
            starts.append(_aware(datetime.datetime.combine(day, local.time()), zone))
        day += datetime.timedelta(days=1)
    return starts


def series_proposals(
    starts: list[datetime.datetime],
    *,
    minutes: int,
    schedule: Schedule,
    busy: list[tuple[datetime.datetime, datetime.datetime]],
    now: datetime.datetime,
    tz: str,
    who: str = "The clinician",
) -> list[Proposal]:
    """Check each start against the hours, the days off and what is already booked (visits
    and calls), and offer the nearest free start of the same day for each that collides.
    Nothing is saved: the front desk sees them all first."""
    length = datetime.timedelta(minutes=minutes)
    proposals = []
    for start in starts:
        end = start + length
        conflict = unavailable_reason(start, end, schedule, tz=tz, who=who)
        if conflict is None and start < now:
            conflict = "That time has passed."
        if conflict is None and any(start < b_end and b_start < end for b_start, b_end in busy):
            conflict = f"{who} already has a visit or a call then."
        if not conflict:
            proposals.append(Proposal(wanted=start))
            continue
        day = start.astimezone(ZoneInfo(tz)).date()
        free = free_starts(working_windows(day, schedule, tz=tz), busy, minutes=minutes, now=now)
        nearest = min(free, key=lambda t: (abs(t - start), t)) if free else None
        proposals.append(Proposal(wanted=start, conflict=conflict, nearest=nearest))
    return proposals
