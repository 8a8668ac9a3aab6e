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


# --------------------------------------------------------------------------- a series


def test_two_a_week_for_six_weeks_is_twelve_times_on_the_same_weekdays_and_hour():
    from intake.visit_times import series_times

    starts = series_times(local(2027, 3, 1, 8), weekdays=[0, 2], count=12, tz=TZ)
    assert len(starts) == 12
    assert {s.weekday() for s in starts} == {0, 2}
    assert {(s.hour, s.minute) for s in starts} == {(8, 0)}  # across the March 14 change
    utc_hours = {s.astimezone(datetime.UTC).hour for s in starts}
    assert utc_hours == {16, 15}  # PST before, PDT after: the wall time is what stays
    assert starts[0] == local(2027, 3, 1, 8) and starts[-1] == local(2027, 4, 7, 8)


def test_a_series_shows_each_collision_with_the_nearest_free_time_that_day():
    from intake.visit_times import series_proposals, series_times

    starts = series_times(local(2027, 3, 8, 9), weekdays=[0, 2], count=6, tz=TZ)
    taken = (local(2027, 3, 10, 8, 45), local(2027, 3, 10, 9, 30))  # Wednesday
    proposals = series_proposals(
        starts,
        minutes=45,
        schedule=WEEK,
        busy=[taken],
        now=local(2027, 3, 1, 7),
        tz=TZ,
        who="Maya",
    )
    by_start = {p.wanted: p for p in proposals}
    assert by_start[local(2027, 3, 8, 9)].conflict == ""
    wednesday = by_start[local(2027, 3, 10, 9)]
    assert "already has a visit or a call" in wednesday.conflict
    assert wednesday.nearest == local(2027, 3, 10, 9, 30)  # right after the taken time
    day_off = by_start[local(2027, 3, 22, 9)]
    assert "off on Monday, March 22" in day_off.conflict and day_off.nearest is None
    assert [p.conflict == "" for p in proposals].count(True) == 4


def test_an_out_of_hours_series_time_is_offered_the_nearest_working_time():
    from intake.visit_times import series_proposals

    (proposal,) = series_proposals(
        [local(2027, 3, 8, 12, 30)],  # Monday lunch break
        minutes=45,
        schedule=WEEK,
        busy=[],
        now=local(2027, 3, 1, 7),
        tz=TZ,
    )
    assert "outside" in proposal.conflict
    assert proposal.nearest == local(2027, 3, 8, 13)  # 13:00 is 30 min away, 11:15 75 min
