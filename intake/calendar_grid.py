"""Where each visit and call sits on the calendar's time grid: pure layout, no queries.

A calendar is columns (the days of a week, or the clinicians of one day), each split into
lanes (the clinicians shown in that column). Entries become blocks placed in rem from the top
of the column and in percent across it, so the page needs no script to draw them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

REM_PER_HOUR = 4.0  # one hour is 4rem tall: a 15-minute entry keeps one line of text
DEFAULT_HOURS = (7, 19)  # shown when nobody works that day


@dataclass(frozen=True)
class Entry:
    kind: str  # "visit" or "call"
    pk: int
    lane: int  # the clinician's id
    start: datetime.datetime  # local, aware
    end: datetime.datetime
    title: str
    detail: str
    status: str
    url: str


@dataclass(frozen=True)
class Block:
    entry: Entry
    top: float  # rem
    height: float  # rem
    left: float  # percent
    width: float  # percent
    time: str


def hour_range(
    windows: list[tuple[datetime.datetime, datetime.datetime]], entries: list[Entry]
) -> tuple[int, int]:
    """The hours the grid shows: from the earliest working hour or entry to the latest,
    whole hours, DEFAULT_HOURS when the day is empty."""
    starts = [s.hour for s, _ in windows] + [e.start.hour for e in entries]
    ends = [_ceil_hour(e) for _, e in windows] + [_ceil_hour(e.end) for e in entries]
    if not starts:
        return DEFAULT_HOURS
    return min(starts), max(max(ends), min(starts) + 1)


def _ceil_hour(moment: datetime.datetime) -> int:
    if moment.minute or moment.second:
        return min(24, moment.hour + 1)
    return moment.hour or 24  # midnight at the end of the day


def rem_at(moment: datetime.datetime, first_hour: int) -> float:
    """Distance from the top of the grid, in wall-clock time."""
    minutes = (moment.hour - first_hour) * 60 + moment.minute
    return round(max(0, minutes) * REM_PER_HOUR / 60, 3)


def blocks(entries: list[Entry], *, lanes: list[int], first_hour: int) -> list[Block]:
    """Blocks of one column. Each lane (clinician) gets an equal share of the width; within a
    lane, entries that overlap (a cancelled visit under its replacement) split the lane."""
    width = 100 / max(1, len(lanes))
    placed = []
    for lane_index, lane in enumerate(lanes):
        mine = sorted((e for e in entries if e.lane == lane), key=lambda e: (e.start, e.pk))
        for group in _overlapping_groups(mine):
            share = width / len(group)
            for index, entry in enumerate(group):
                top = rem_at(entry.start, first_hour)
                bottom = (
                    rem_at(entry.end, first_hour)
                    if entry.end.date() == entry.start.date()
                    else None
                )
                height = (bottom if bottom is not None else top + 1) - top
                placed.append(
                    Block(
                        entry=entry,
                        top=top,
                        height=max(height, 1.0),
                        left=round(lane_index * width + index * share, 3),
                        width=round(share, 3),
                        time=f"{entry.start:%-I:%M}–{entry.end:%-I:%M %p}",
                    )
                )
    return placed


def _overlapping_groups(entries: list[Entry]) -> list[list[Entry]]:
    groups: list[list[Entry]] = []
    group_end = None
    for entry in entries:
        if group_end is not None and entry.start < group_end:
            groups[-1].append(entry)
            group_end = max(group_end, entry.end)
        else:
            groups.append([entry])
            group_end = entry.end
    return groups


def shaded(
    windows: list[tuple[datetime.datetime, datetime.datetime]], *, first_hour: int
) -> list[tuple[float, float]]:
    """(top, height) in rem of the working hours, drawn lighter than the rest of the day."""
    return [
        (rem_at(start, first_hour), round(rem_at(end, first_hour) - rem_at(start, first_hour), 3))
        for start, end in windows
    ]
