"""Working hours and days off for visits (intake.visit_times): pure, in local wall time."""

import datetime
import zoneinfo

import pytest

from intake.visit_times import (
    Schedule,
    WorkingBlock,
    location_at,
    unavailable_reason,
    working_windows,
)

TZ = "America/Los_Angeles"
LA = zoneinfo.ZoneInfo(TZ)
T = datetime.time

WEEK = Schedule(
    blocks=(
        WorkingBlock(0, T(8), T(12), "Downtown"),
        WorkingBlock(0, T(13), T(17), "Downtown"),
        WorkingBlock(2, T(7), T(19), "Track-side"),
    ),
    days_off=frozenset({datetime.date(2027, 3, 22)}),
)


def local(y, m, d, h, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=LA)


def reason(start, minutes=45, schedule=WEEK):
    return unavailable_reason(
        start, start + datetime.timedelta(minutes=minutes), schedule, tz=TZ, who="Maya"
    )


@pytest.mark.parametrize(
    ("start", "minutes"),
    [
        (local(2027, 3, 8, 8), 60),  # Monday, first hour
        (local(2027, 3, 8, 11, 15), 45),  # ends exactly at 12:00
        (local(2027, 3, 8, 13), 240),  # the whole afternoon
        (local(2027, 3, 10, 18), 60),  # Wednesday's long day
    ],
)
def test_times_inside_a_block_are_bookable(start, minutes):
    assert reason(start, minutes) is None


@pytest.mark.parametrize(
    ("start", "minutes", "words"),
    [
        (local(2027, 3, 8, 7, 55), 45, "outside Maya's working hours: on Mondays 8:00 AM–12:00 PM"),
        (local(2027, 3, 8, 11, 30), 45, "and 1:00 PM–5:00 PM"),  # across the lunch break
        (local(2027, 3, 9, 9), 45, "Maya does not work on Tuesdays"),
        (local(2027, 3, 22, 9), 45, "Maya is off on Monday, March 22"),
        (local(2027, 3, 10, 23, 30), 60, "outside"),  # past midnight
    ],
)
def test_times_outside_say_why(start, minutes, words):
    assert words in reason(start, minutes)


def test_no_hours_at_all_points_to_the_schedule():
    assert "no working hours yet" in reason(local(2027, 3, 8, 9), schedule=Schedule())


@pytest.mark.parametrize(
    "day",
    [8, 15],  # the Mondays before and after the spring-forward of March 14, 2027
)
def test_the_same_wall_time_is_inside_on_both_sides_of_a_dst_change(day):
    start = local(2027, 3, day, 8)
    assert reason(start, 60) is None
    assert location_at(start, WEEK, tz=TZ) == "Downtown"


def test_the_utc_hour_differs_across_dst_but_the_wall_time_does_not():
    before, after = local(2027, 3, 8, 8), local(2027, 3, 15, 8)
    assert before.astimezone(datetime.UTC).hour != after.astimezone(datetime.UTC).hour
    assert reason(before, 60) is None and reason(after, 60) is None


def test_working_windows_of_a_day_are_aware_and_skip_days_off():
    windows = working_windows(datetime.date(2027, 3, 15), WEEK, tz=TZ)
    assert [(s.hour, e.hour, where) for s, e, where in windows] == [
        (8, 12, "Downtown"),
        (13, 17, "Downtown"),
    ]
    assert working_windows(datetime.date(2027, 3, 22), WEEK, tz=TZ) == []
    assert location_at(local(2027, 3, 9, 9), WEEK, tz=TZ) == ""


def test_a_block_starting_in_the_spring_forward_gap_starts_when_time_exists_again():
    night = Schedule(blocks=(WorkingBlock(6, T(2, 30), T(5)),))  # Sundays
    ((start, end, _),) = working_windows(datetime.date(2027, 3, 14), night, tz=TZ)
    assert (start.hour, start.minute, end.hour) == (3, 30, 5)
