"""Discovery-call slot computation (intake.slots): pure, no database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from intake.slots import (
    REASON_BEYOND_HORIZON,
    REASON_OUTSIDE_HOURS,
    REASON_PAST,
    REASON_TAKEN,
    Availability,
    Slot,
    WeeklyHours,
    free_slots,
    group_by_day,
    slot_is_bookable,
    validate_availability,
    validate_hours,
)

LA = "America/Los_Angeles"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

WEEKDAY_HOURS = tuple(
    WeeklyHours(day, start, end)
    for day in range(MON, SAT)
    for start, end in ((time(8), time(12)), (time(13), time(17)))
)


def local(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=ZoneInfo(LA))


def utc(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def avail(clinician_id: int = 1, hours=WEEKDAY_HOURS, **kwargs) -> Availability:
    return Availability(clinician_id=clinician_id, hours=hours, **kwargs)


def local_times(slots: list[Slot]) -> list[str]:
    return [f"{s.start.astimezone(ZoneInfo(LA)):%H:%M}" for s in slots]


def by_day(slots: list[Slot]) -> dict[date, list[Slot]]:
    return dict(group_by_day(slots, LA))


# Sunday 2026-06-07 10:00 PDT; the 21-day horizon ends Sunday 2026-06-28.
SUMMER_NOW = local(2026, 6, 7, 10)


# --- the basic grid ----------------------------------------------------------


def test_32_slots_per_weekday_and_none_at_weekends():
    days = by_day(free_slots([avail()], [], now=SUMMER_NOW, tz=LA))
    assert len(days) == 15  # Mon 8 Jun .. Fri 26 Jun
    assert all(d.weekday() < SAT for d in days)
    assert {len(slots) for slots in days.values()} == {32}
    monday = days[date(2026, 6, 8)]
    assert monday[0] == Slot(utc(2026, 6, 8, 15), utc(2026, 6, 8, 15, 15), 1)
    assert local_times(monday)[15:17] == ["11:45", "13:00"]
    assert local_times(monday)[-1] == "16:45"
    assert all(s.end - s.start == timedelta(minutes=15) for s in monday)
    assert all(s.start.tzinfo is UTC for s in monday)


def test_buffer_of_5_steps_by_20_minutes_and_slots_fit_the_block():
    days = by_day(free_slots([avail(buffer_minutes=5)], [], now=SUMMER_NOW, tz=LA))
    monday = local_times(days[date(2026, 6, 8)])
    assert len(monday) == 24  # 12 per 4-hour block
    assert monday[:4] == ["08:00", "08:20", "08:40", "09:00"]
    assert monday[11:13] == ["11:40", "13:00"]  # 11:40-11:55 fits, 12:00 would not
    assert monday[-1] == "16:40"


def test_30_minute_calls():
    days = by_day(free_slots([avail(call_minutes=30)], [], now=SUMMER_NOW, tz=LA))
    assert len(days[date(2026, 6, 8)]) == 16


# --- bookings ----------------------------------------------------------------


def monday_times(availability: Availability, busy) -> list[str]:
    slots = free_slots([availability], busy, now=SUMMER_NOW, tz=LA)
    return local_times(by_day(slots)[date(2026, 6, 8)])


def test_busy_booking_removes_only_the_overlapping_slot():
    busy = [(1, local(2026, 6, 8, 10).astimezone(UTC), local(2026, 6, 8, 10, 15).astimezone(UTC))]
    times = monday_times(avail(), busy)
    assert len(times) == 31
    assert "10:00" not in times
    assert {"09:45", "10:15"} <= set(times)


def test_off_grid_booking_removes_both_slots_it_touches():
    busy = [(1, local(2026, 6, 8, 10, 5), local(2026, 6, 8, 10, 20))]
    times = monday_times(avail(), busy)
    assert set(monday_times(avail(), [])) - set(times) == {"10:00", "10:15"}


def test_busy_booking_with_buffer_removes_slots_within_the_buffer():
    busy = [(1, local(2026, 6, 8, 10, 5), local(2026, 6, 8, 10, 20))]
    removed = set(monday_times(avail(buffer_minutes=5), [])) - set(
        monday_times(avail(buffer_minutes=5), busy)
    )
    # 10:00-10:15 overlaps; 10:20 starts within 5 min of the 10:20 end;
    # 09:40-09:55 ends 10 min before 10:05, so it stays.
    assert removed == {"10:00", "10:20"}


def test_buffer_before_a_booking_start():
    busy = [(1, local(2026, 6, 8, 10, 3), local(2026, 6, 8, 10, 18))]
    removed = set(monday_times(avail(buffer_minutes=5), [])) - set(
        monday_times(avail(buffer_minutes=5), busy)
    )
    # 09:40-09:55 ends 8 min before 10:03: kept. 10:20 starts 2 min after 10:18: removed.
    assert removed == {"10:00", "10:20"}
    busy = [(1, local(2026, 6, 8, 9, 58), local(2026, 6, 8, 9, 59))]
    removed = set(monday_times(avail(buffer_minutes=5), [])) - set(
        monday_times(avail(buffer_minutes=5), busy)
    )
    assert removed == {"09:40", "10:00"}  # 09:55 end is 3 min before 09:58


def test_other_clinicians_bookings_do_not_matter():
    busy = [(2, local(2026, 6, 8, 10), local(2026, 6, 8, 10, 15))]
    assert len(monday_times(avail(), busy)) == 32


# --- calendar limits ---------------------------------------------------------


def test_blackout_date_removes_the_day():
    blackout = frozenset({date(2026, 6, 10)})
    days = by_day(free_slots([avail(blackout_dates=blackout)], [], now=SUMMER_NOW, tz=LA))
    assert date(2026, 6, 10) not in days
    assert len(days) == 14
    assert len(days[date(2026, 6, 11)]) == 32


def test_horizon_runs_to_the_end_of_the_local_day_21_days_ahead():
    now = local(2026, 6, 8, 6)  # Monday
    days = by_day(free_slots([avail()], [], now=now, tz=LA))
    last = max(days)
    assert last == date(2026, 6, 29) == now.date() + timedelta(days=21)
    assert len(days[last]) == 32  # includes 16:45 PDT = 23:45 UTC
    assert days[last][-1].start == utc(2026, 6, 29, 23, 45)


def test_short_horizon():
    now = local(2026, 6, 8, 6)  # Monday
    days = by_day(free_slots([avail(horizon_days=2)], [], now=now, tz=LA))
    assert list(days) == [date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 10)]


def test_today_is_the_clinic_local_day():
    # 2026-06-09 02:00 UTC is still Monday 8 June 19:00 in Los Angeles.
    days = by_day(free_slots([avail(horizon_days=1)], [], now=utc(2026, 6, 9, 2), tz=LA))
    assert list(days) == [date(2026, 6, 9)]


def test_min_notice():
    now = local(2026, 6, 8, 9, 10)
    slots = free_slots([avail(horizon_days=0)], [], now=now, tz=LA)
    assert local_times(slots)[0] == "10:15"  # first start at or after 10:10
    slots = free_slots([avail(horizon_days=0, min_notice_minutes=65)], [], now=now, tz=LA)
    assert local_times(slots)[0] == "10:15"  # exactly now + notice is allowed
    slots = free_slots([avail(horizon_days=0, min_notice_minutes=0)], [], now=now, tz=LA)
    assert local_times(slots)[0] == "09:15"


def test_naive_now_is_rejected():
    with pytest.raises(ValueError):
        free_slots([avail()], [], now=datetime(2026, 6, 8, 9), tz=LA)


# --- daylight saving ---------------------------------------------------------


def assert_clean(slots: list[Slot]) -> None:
    starts = [s.start for s in slots]
    assert len(set(starts)) == len(starts)
    assert all(a.end <= b.start for a, b in zip(slots, slots[1:], strict=False))


def test_spring_forward_week_keeps_local_hours():
    now = local(2027, 3, 11, 6)  # Thursday before 2027-03-14
    slots = free_slots([avail(horizon_days=8)], [], now=now, tz=LA)
    days = by_day(slots)
    assert list(days) == [date(2027, 3, d) for d in (11, 12, 15, 16, 17, 18, 19)]
    assert {len(v) for v in days.values()} == {32}
    assert {tuple(local_times(v)) for v in days.values()} == {tuple(local_times(days[min(days)]))}
    assert days[date(2027, 3, 12)][0].start == utc(2027, 3, 12, 16)  # 08:00 PST
    assert days[date(2027, 3, 15)][0].start == utc(2027, 3, 15, 15)  # 08:00 PDT
    assert_clean(slots)


def test_fall_back_week_keeps_local_hours():
    now = local(2026, 10, 29, 6)  # Thursday before 2026-11-01
    slots = free_slots([avail(horizon_days=8)], [], now=now, tz=LA)
    days = by_day(slots)
    assert list(days) == [date(2026, 10, 29), date(2026, 10, 30)] + [
        date(2026, 11, d) for d in range(2, 7)
    ]
    assert {len(v) for v in days.values()} == {32}
    assert days[date(2026, 10, 30)][0].start == utc(2026, 10, 30, 15)  # 08:00 PDT
    assert days[date(2026, 11, 2)][0].start == utc(2026, 11, 2, 16)  # 08:00 PST
    assert days[date(2026, 11, 2)][-1].start == utc(2026, 11, 3, 0, 45)  # 16:45 PST
    assert_clean(slots)


def night(start: int, end: int, **kwargs) -> Availability:
    return avail(hours=(WeeklyHours(SUN, time(start), time(end)),), horizon_days=1, **kwargs)


def test_spring_forward_night_block_skips_the_missing_hour():
    now = local(2027, 3, 13, 12)
    slots = free_slots([night(1, 3)], [], now=now, tz=LA)
    assert [s.start for s in slots] == [utc(2027, 3, 14, 9, m) for m in (0, 15, 30, 45)]
    slots = free_slots([night(1, 4)], [], now=now, tz=LA)
    assert local_times(slots) == ["01:00", "01:15", "01:30", "01:45"] + [
        "03:00",
        "03:15",
        "03:30",
        "03:45",
    ]
    assert slots[3].end == slots[4].start == utc(2027, 3, 14, 10)  # no gap, no overlap
    assert_clean(slots)


def test_spring_forward_long_calls_never_overlap():
    now = local(2027, 3, 13, 12)
    slots = free_slots([night(1, 5, call_minutes=40)], [], now=now, tz=LA)
    # 01:40 PST runs to 03:20 PDT, so the 03:00 PDT slot is dropped.
    assert [s.start for s in slots] == [
        utc(2027, 3, 14, 9),
        utc(2027, 3, 14, 9, 40),
        utc(2027, 3, 14, 10, 40),
        utc(2027, 3, 14, 11, 20),
    ]
    assert_clean(slots)


def test_spring_forward_slot_must_fit_the_block_in_real_time():
    now = local(2027, 3, 13, 12)
    slots = free_slots([night(1, 3, call_minutes=40)], [], now=now, tz=LA)
    # 01:40 PST + 40 min = 03:20 PDT, past the 03:00 block end.
    assert [s.start for s in slots] == [utc(2027, 3, 14, 9)]


def test_fall_back_night_block_uses_the_first_occurrence_only():
    now = local(2026, 10, 31, 12)
    slots = free_slots([night(1, 3)], [], now=now, tz=LA)
    assert [s.start for s in slots] == [utc(2026, 11, 1, 8, m) for m in (0, 15, 30, 45)] + [
        utc(2026, 11, 1, 10, m) for m in (0, 15, 30, 45)
    ]
    assert local_times(slots) == ["01:00", "01:15", "01:30", "01:45"] + [
        "02:00",
        "02:15",
        "02:30",
        "02:45",
    ]
    assert_clean(slots)


def test_dst_slot_is_bookable_matches_free_slots():
    now = local(2026, 10, 31, 12)
    assert slot_is_bookable(utc(2026, 11, 1, 8, 15), 1, [night(1, 3)], [], now=now, tz=LA) is None
    second_occurrence = utc(2026, 11, 1, 9, 15)  # 01:15 PST
    reason = slot_is_bookable(second_occurrence, 1, [night(1, 3)], [], now=now, tz=LA)
    assert reason == REASON_OUTSIDE_HOURS


# --- several clinicians --------------------------------------------------------


def test_two_clinicians_interleave_sorted_by_start_then_clinician():
    monday_morning = (WeeklyHours(MON, time(8), time(9)),)
    half_hours = (WeeklyHours(MON, time(8, 10), time(9, 10)),)
    availabilities = [
        avail(2, monday_morning, horizon_days=0),
        avail(3, half_hours, call_minutes=30, horizon_days=0),
        avail(1, monday_morning, horizon_days=0),
    ]
    slots = free_slots(availabilities, [], now=local(2026, 6, 8, 6), tz=LA)
    got = [(f"{s.start.astimezone(ZoneInfo(LA)):%H:%M}", s.clinician_id) for s in slots]
    assert got == [
        ("08:00", 1),
        ("08:00", 2),
        ("08:10", 3),
        ("08:15", 1),
        ("08:15", 2),
        ("08:30", 1),
        ("08:30", 2),
        ("08:40", 3),
        ("08:45", 1),
        ("08:45", 2),
    ]
    assert slots == sorted(slots, key=lambda s: (s.start, s.clinician_id))


def test_one_clinicians_booking_leaves_the_other_free():
    monday_morning = (WeeklyHours(MON, time(8), time(9)),)
    availabilities = [avail(1, monday_morning, horizon_days=0), avail(2, monday_morning)]
    busy = [(1, local(2026, 6, 8, 8), local(2026, 6, 8, 8, 15))]
    slots = free_slots(availabilities, busy, now=local(2026, 6, 8, 6), tz=LA)
    at_eight = [s.clinician_id for s in slots if s.start == utc(2026, 6, 8, 15)]
    assert at_eight == [2]


# --- slot_is_bookable ----------------------------------------------------------

NOW = local(2026, 6, 8, 9, 10)  # Monday
BOOKED = (1, local(2026, 6, 9, 10), local(2026, 6, 9, 10, 15))


def check(start: datetime, clinician_id: int = 1, **kwargs) -> str | None:
    availability = avail(buffer_minutes=5, blackout_dates=frozenset({date(2026, 6, 10)}), **kwargs)
    return slot_is_bookable(start, clinician_id, [availability], [BOOKED], now=NOW, tz=LA)


def test_bookable_ok():
    assert check(local(2026, 6, 9, 8)) is None
    assert check(local(2026, 6, 9, 8).astimezone(UTC)) is None
    assert check(local(2026, 6, 29, 16, 40)) is None  # last slot inside the horizon


def test_bookable_past():
    assert check(local(2026, 6, 8, 8)) == REASON_PAST
    assert check(local(2026, 6, 8, 10)) == REASON_PAST  # inside the 60-min notice
    assert check(local(2026, 6, 6, 3, 7)) == REASON_PAST  # past wins over outside hours


def test_bookable_beyond_horizon():
    assert check(local(2026, 6, 30, 8)) == REASON_BEYOND_HORIZON
    assert check(local(2026, 7, 4, 3)) == REASON_BEYOND_HORIZON  # wins over outside hours
    assert check(local(2026, 6, 12, 8), horizon_days=3) == REASON_BEYOND_HORIZON


def test_bookable_outside_hours():
    assert check(local(2026, 6, 13, 9)) == REASON_OUTSIDE_HOURS  # Saturday
    assert check(local(2026, 6, 9, 12)) == REASON_OUTSIDE_HOURS  # lunch
    assert check(local(2026, 6, 9, 11, 50)) == REASON_OUTSIDE_HOURS  # would not fit
    assert check(local(2026, 6, 9, 8, 15)) == REASON_OUTSIDE_HOURS  # off the 20-min grid
    assert check(local(2026, 6, 10, 9)) == REASON_OUTSIDE_HOURS  # blackout
    assert check(local(2026, 6, 9, 8), clinician_id=9) == REASON_OUTSIDE_HOURS


def test_bookable_taken():
    assert check(local(2026, 6, 9, 10)) == REASON_TAKEN  # the booking itself
    assert check(local(2026, 6, 9, 10, 20)) is None  # starts exactly 5 min after
    assert check(local(2026, 6, 9, 9, 40)) is None  # ends exactly 5 min before
    other = avail(2)
    reason = slot_is_bookable(local(2026, 6, 9, 10), 2, [other], [BOOKED], now=NOW, tz=LA)
    assert reason is None


def test_bookable_requires_aware_start():
    with pytest.raises(ValueError):
        check(datetime(2026, 6, 9, 8))


def test_every_free_slot_is_bookable():
    availability = avail(buffer_minutes=5, horizon_days=3)
    slots = free_slots([availability], [BOOKED], now=NOW, tz=LA)
    assert slots
    assert all(
        slot_is_bookable(s.start, 1, [availability], [BOOKED], now=NOW, tz=LA) is None
        for s in slots
    )


# --- group_by_day --------------------------------------------------------------


def test_group_by_day_uses_clinic_local_dates():
    evening = (WeeklyHours(MON, time(16, 30), time(18)),)
    slots = free_slots([avail(hours=evening, horizon_days=0)], [], now=local(2026, 6, 8, 6), tz=LA)
    # 17:00 PDT Monday is 00:00 UTC Tuesday, but it is still Monday in the clinic.
    assert slots[2].start == utc(2026, 6, 9, 0)
    assert [(d, len(v)) for d, v in group_by_day(slots, LA)] == [(date(2026, 6, 8), 6)]
    assert [d for d, _ in group_by_day(slots, "UTC")] == [date(2026, 6, 8), date(2026, 6, 9)]


def test_group_by_day_sorts_and_handles_empty():
    assert group_by_day([], LA) == []
    a = Slot(utc(2026, 6, 9, 15), utc(2026, 6, 9, 15, 15), 2)
    b = Slot(utc(2026, 6, 8, 15), utc(2026, 6, 8, 15, 15), 1)
    c = Slot(utc(2026, 6, 9, 15), utc(2026, 6, 9, 15, 15), 1)
    d = Slot(utc(2026, 6, 8, 16), utc(2026, 6, 8, 16, 15), 3)
    assert group_by_day([a, d, b, c], LA) == [
        (date(2026, 6, 8), [b, d]),
        (date(2026, 6, 9), [c, a]),
    ]


# --- validation ----------------------------------------------------------------


def test_validate_hours_accepts_the_usual_week():
    assert validate_hours(WEEKDAY_HOURS) == []
    touching = (WeeklyHours(MON, time(8), time(12)), WeeklyHours(MON, time(12), time(13)))
    assert validate_hours(touching) == []
    same_time_other_days = (WeeklyHours(MON, time(8), time(9)), WeeklyHours(TUE, time(8), time(9)))
    assert validate_hours(same_time_other_days) == []


def test_validate_hours_end_must_be_after_start():
    errors = validate_hours((WeeklyHours(MON, time(12), time(8)),))
    assert errors == ["Monday 12:00\u201308:00: the end time must be after the start time."]
    assert len(validate_hours((WeeklyHours(TUE, time(9), time(9)),))) == 1


def test_validate_hours_overlap():
    errors = validate_hours(
        (WeeklyHours(WED, time(8), time(12)), WeeklyHours(WED, time(11), time(14)))
    )
    assert errors == ["Wednesday: 08:00\u201312:00 and 11:00\u201314:00 overlap."]
    nested = (
        WeeklyHours(FRI, time(8), time(17)),
        WeeklyHours(FRI, time(9), time(10)),
        WeeklyHours(FRI, time(11), time(12)),
    )
    assert len(validate_hours(nested)) == 2


def test_validate_hours_call_must_fit():
    short = (WeeklyHours(THU, time(8), time(8, 10)),)
    assert validate_hours(short) == [
        "Thursday 08:00\u201308:10: a 15-minute call does not fit in this block."
    ]
    assert validate_hours(short, call_minutes=10) == []
    assert len(validate_hours(WEEKDAY_HOURS, call_minutes=300)) == 10


def test_validate_hours_bad_weekday():
    assert len(validate_hours((WeeklyHours(7, time(8), time(9)),))) == 1


def test_validate_availability():
    assert validate_availability(avail()) == []
    bad = avail(call_minutes=0, buffer_minutes=-1, horizon_days=-1, min_notice_minutes=-5)
    assert len(validate_availability(bad)) == 4
    with pytest.raises(ValueError):
        free_slots([bad], [], now=NOW, tz=LA)
