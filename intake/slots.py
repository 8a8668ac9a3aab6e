"""Free discovery-call slots: pure Python, no Django and no database.

The clinic admin sets, per clinician, weekly call hours, call length, a buffer
between calls, blackout dates, a booking horizon and a minimum notice
(``Availability``). ``free_slots`` turns that plus the existing active bookings
into bookable ``Slot`` objects; ``slot_is_bookable`` re-checks one start time
when the staff book a clinician, ``free_at`` finds the clinicians free at a
time when the runner submits the form (the runner picks a time, not a clinician).

Time zones: hours are clinic wall-clock times in ``tz`` (an IANA name such as
"America/Los_Angeles"); slots are returned as aware UTC datetimes. Local hours
stay the same across a daylight-saving change (8:00 local is 15:00 UTC in
summer and 16:00 UTC in winter in Los Angeles). Local times that do not exist
(the spring-forward gap) are skipped; ambiguous local times (the repeated hour
at fall-back) use their first occurrence (``fold=0``), so the repeated hour
never yields duplicate slots. A slot always lasts ``call_minutes`` of real time
and never overlaps another slot of the same clinician.

The horizon runs to the end of the clinic-local day ``horizon_days`` after
today; the minimum notice keeps slots starting before ``now + notice`` out.
Assumes one ``Availability`` per clinician.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

Busy = tuple[int, datetime, datetime]

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

REASON_PAST = "That time is in the past."
REASON_BEYOND_HORIZON = "That time is beyond how far ahead we book."
REASON_OUTSIDE_HOURS = "That time is outside our call hours."
REASON_TAKEN = "That time was just taken."


@dataclass(frozen=True)
class WeeklyHours:
    """One block of call hours on a weekday (0 = Monday), clinic-local wall clock."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Availability:
    clinician_id: int
    hours: tuple[WeeklyHours, ...]
    call_minutes: int = 15
    buffer_minutes: int = 0
    blackout_dates: frozenset[date] = frozenset()
    horizon_days: int = 21
    min_notice_minutes: int = 60


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    clinician_id: int


# --- public API --------------------------------------------------------------


def free_slots(
    availabilities: Iterable[Availability],
    busy: Iterable[Busy],
    *,
    now: datetime,
    tz: str,
) -> list[Slot]:
    """Every free slot of every clinician, sorted by (start, clinician_id).

    ``busy`` holds (clinician_id, start, end) of existing active bookings, in UTC.
    """
    zone = ZoneInfo(tz)
    busy_by = _busy_by_clinician(busy)
    found: dict[tuple[datetime, int], Slot] = {}
    for avail in availabilities:
        taken = busy_by.get(avail.clinician_id, [])
        for slot in _open_slots(avail, now, zone):
            if not _conflicts(slot, taken, avail.buffer_minutes):
                found[(slot.start, slot.clinician_id)] = slot
    return [found[key] for key in sorted(found)]


def slot_is_bookable(
    slot_start: datetime,
    clinician_id: int,
    availabilities: Iterable[Availability],
    busy: Iterable[Busy],
    *,
    now: datetime,
    tz: str,
) -> str | None:
    """None when ``slot_start`` is a free slot of the clinician, else a reason.

    Precedence: past (which includes "sooner than the minimum notice"), beyond
    the horizon, outside call hours (also blackout dates, unknown clinician,
    times off the slot grid), taken (overlaps a booking or its buffer).
    """
    _require_aware(slot_start, "slot_start")
    _require_aware(now, "now")
    zone = ZoneInfo(tz)
    avail = next((a for a in availabilities if a.clinician_id == clinician_id), None)
    notice = timedelta(minutes=avail.min_notice_minutes if avail else 0)
    if slot_start < now + notice:
        return REASON_PAST
    if avail is None:
        return REASON_OUTSIDE_HOURS
    if slot_start.astimezone(zone).date() > _local_days(now, zone, avail.horizon_days)[-1]:
        return REASON_BEYOND_HORIZON
    slot = next((s for s in _open_slots(avail, now, zone) if s.start == slot_start), None)
    if slot is None:
        return REASON_OUTSIDE_HOURS
    if _conflicts(slot, _busy_by_clinician(busy).get(clinician_id, []), avail.buffer_minutes):
        return REASON_TAKEN
    return None


def free_at(
    slot_start: datetime,
    availabilities: Iterable[Availability],
    busy: Iterable[Busy],
    *,
    now: datetime,
    tz: str,
) -> tuple[list[int], str | None]:
    """The clinicians free at ``slot_start``, least booked that clinic-local day first (then
    by id), and None; or no clinicians and the reason, "taken" before "outside call hours".
    """
    avails, busy = list(availabilities), list(busy)
    reasons = {
        a.clinician_id: slot_is_bookable(slot_start, a.clinician_id, avails, busy, now=now, tz=tz)
        for a in avails
    }
    free = [clinician_id for clinician_id, reason in reasons.items() if reason is None]
    if not free:
        found = set(reasons.values())
        order = (REASON_PAST, REASON_BEYOND_HORIZON, REASON_TAKEN, REASON_OUTSIDE_HOURS)
        return [], next((r for r in order if r in found), REASON_OUTSIDE_HOURS)
    zone = ZoneInfo(tz)
    day = slot_start.astimezone(zone).date()
    booked = Counter(c for c, start, _end in busy if start.astimezone(zone).date() == day)
    return sorted(free, key=lambda c: (booked[c], c)), None


def distinct_starts(slots: Iterable[Slot]) -> list[datetime]:
    """The start times of ``slots``, each once, in order."""
    return sorted({slot.start for slot in slots})


def group_by_day(slots: Iterable[Slot], tz: str) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their clinic-local start date, in date order."""
    zone = ZoneInfo(tz)
    ordered = sorted(slots, key=lambda s: (s.start, s.clinician_id))
    days = groupby(ordered, key=lambda s: s.start.astimezone(zone).date())
    return [(day, list(group)) for day, group in days]


def validate_hours(hours: Iterable[WeeklyHours], call_minutes: int = 15) -> list[str]:
    """Plain-language problems with a set of weekly hours; empty when fine.

    Checks: weekday is 0-6, end after start, a call fits in every block, and no
    two blocks on the same weekday overlap (touching blocks are fine).
    """
    blocks = list(hours)
    errors = [e for block in blocks for e in _block_errors(block, call_minutes)]
    return errors + _overlap_errors(blocks)


def validate_availability(avail: Availability) -> list[str]:
    """``validate_hours`` plus the numeric settings; empty when fine."""
    errors = []
    if avail.call_minutes < 1:
        errors.append("Call length must be at least 1 minute.")
    if avail.buffer_minutes < 0:
        errors.append("The buffer between calls cannot be negative.")
    if avail.horizon_days < 0:
        errors.append("The booking horizon cannot be negative.")
    if avail.min_notice_minutes < 0:
        errors.append("The minimum notice cannot be negative.")
    return errors + validate_hours(avail.hours, avail.call_minutes)


# --- slot generation ---------------------------------------------------------


def _open_slots(avail: Availability, now: datetime, zone: ZoneInfo) -> list[Slot]:
    """Schedule slots within notice and horizon, ignoring bookings."""
    _require_aware(now, "now")
    earliest = now + timedelta(minutes=avail.min_notice_minutes)
    days = _local_days(now, zone, avail.horizon_days)
    return [s for s in _schedule_slots(avail, days, zone) if s.start >= earliest]


def _schedule_slots(avail: Availability, days: list[date], zone: ZoneInfo) -> list[Slot]:
    if avail.call_minutes < 1 or avail.buffer_minutes < 0:
        raise ValueError("call_minutes must be >= 1 and buffer_minutes >= 0")
    call = timedelta(minutes=avail.call_minutes)
    step = call + timedelta(minutes=avail.buffer_minutes)
    slots: list[Slot] = []
    for day in days:
        if day in avail.blackout_dates:
            continue
        for block in avail.hours:
            if block.weekday == day.weekday():
                slots.extend(_block_slots(avail.clinician_id, day, block, call, step, zone))
    return _drop_overlaps(sorted(slots))


def _block_slots(
    clinician_id: int,
    day: date,
    block: WeeklyHours,
    call: timedelta,
    step: timedelta,
    zone: ZoneInfo,
) -> Iterator[Slot]:
    """Step through the block in wall-clock time; keep slots that exist and fit."""
    wall = datetime.combine(day, block.start)
    wall_end = datetime.combine(day, block.end)
    block_end = _to_utc(wall_end, zone)
    while wall + call <= wall_end:
        if _exists(wall, zone):
            start = _to_utc(wall, zone)
            if start + call <= block_end:
                yield Slot(start, start + call, clinician_id)
        wall += step


def _drop_overlaps(slots: list[Slot]) -> list[Slot]:
    """Keep the earlier of two overlapping slots (only happens around spring-forward)."""
    kept: list[Slot] = []
    for slot in slots:
        if not kept or slot.start >= kept[-1].end:
            kept.append(slot)
    return kept


def _local_days(now: datetime, zone: ZoneInfo, horizon_days: int) -> list[date]:
    today = now.astimezone(zone).date()
    return [today + timedelta(days=n) for n in range(horizon_days + 1)]


def _to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """Naive local wall time to aware UTC; ambiguous times use fold=0."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    """False for local times in a spring-forward gap (they do not round-trip)."""
    return _to_utc(wall, zone).astimezone(zone).replace(tzinfo=None) == wall


# --- bookings ----------------------------------------------------------------


def _busy_by_clinician(busy: Iterable[Busy]) -> dict[int, list[tuple[datetime, datetime]]]:
    by: dict[int, list[tuple[datetime, datetime]]] = {}
    for clinician_id, start, end in busy:
        by.setdefault(clinician_id, []).append((start, end))
    return by


def _conflicts(
    slot: Slot, intervals: Iterable[tuple[datetime, datetime]], buffer_minutes: int
) -> bool:
    """True when the slot, widened by the buffer on both sides, overlaps a booking."""
    pad = timedelta(minutes=buffer_minutes)
    return any(slot.start < end + pad and slot.end + pad > start for start, end in intervals)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


# --- validation --------------------------------------------------------------


def _block_errors(block: WeeklyHours, call_minutes: int) -> list[str]:
    if not 0 <= block.weekday <= 6:
        return [f"Weekday {block.weekday} is not valid; use 0 (Monday) to 6 (Sunday)."]
    label = f"{WEEKDAY_NAMES[block.weekday]} {_span(block)}"
    if block.end <= block.start:
        return [f"{label}: the end time must be after the start time."]
    if _minutes(block) < call_minutes:
        return [f"{label}: a {call_minutes}-minute call does not fit in this block."]
    return []


def _overlap_errors(blocks: list[WeeklyHours]) -> list[str]:
    valid = sorted(
        (b for b in blocks if 0 <= b.weekday <= 6 and b.start < b.end),
        key=lambda b: (b.weekday, b.start, b.end),
    )
    errors: list[str] = []
    latest: WeeklyHours | None = None  # the block ending last so far on this weekday
    for block in valid:
        if latest and latest.weekday == block.weekday and block.start < latest.end:
            errors.append(
                f"{WEEKDAY_NAMES[block.weekday]}: {_span(latest)} and {_span(block)} overlap."
            )
        if not latest or latest.weekday != block.weekday or block.end > latest.end:
            latest = block
    return errors


def _minutes(block: WeeklyHours) -> float:
    span = datetime.combine(date.min, block.end) - datetime.combine(date.min, block.start)
    return span.total_seconds() / 60


def _span(block: WeeklyHours) -> str:
    return f"{block.start:%H:%M}\u2013{block.end:%H:%M}"
