"""Billing units of one visit by the 8-minute rule (DOMAIN.md section 11).

Pure: no Django, no database. The CMS rule (Medicare Claims Processing Manual ch. 5 §20.2):
add up the minutes of every timed code; 8-22 minutes are 1 unit, 23-37 are 2, 38-52 are 3,
and so on by 15; fewer than 8 minutes bill nothing. Untimed codes (an evaluation, needle
insertion) are 1 unit each whatever their minutes.

Which timed code gets the units: each first takes one unit per full 15 minutes it had; the
units left go one by one to the codes with the most minutes left over ("units go first to
the code with the most minutes"), so 33 min of 97110 and 7 min of 97140 are 40 minutes = 3
units: 2 for 97110 (30 of its minutes) and 1 for 97140 (its 7 minutes beat 97110's 3).
Equal leftovers go to the code listed first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

UNIT_MINUTES = 15  # CMS: timed codes are billed per 15 minutes
FIRST_UNIT_MINUTES = 8  # CMS: fewer than 8 timed minutes in all bill no unit


@dataclass(frozen=True)
class Service:
    """One intervention delivered at the visit, as billed."""

    code: str  # CPT code, e.g. "97110"
    timed: bool
    minutes: int = 0  # whole minutes; counted for timed codes only


@dataclass(frozen=True)
class BilledLine:
    code: str
    timed: bool
    minutes: int
    units: int


def units_for_minutes(total_minutes: int) -> int:
    """Units for the visit's total timed minutes: 0-7 -> 0, 8-22 -> 1, 23-37 -> 2, ..."""
    _check_minutes(total_minutes)
    if total_minutes < FIRST_UNIT_MINUTES:
        return 0
    return (total_minutes - FIRST_UNIT_MINUTES) // UNIT_MINUTES + 1


def bill(services: Iterable[Service]) -> list[BilledLine]:
    """Every service with its units, in the order given. ValueError for minutes that are not
    a whole number of minutes from 0 up, or a code listed twice (add its minutes up first)."""
    services = list(services)
    codes = [s.code for s in services]
    if len(set(codes)) != len(codes):
        raise ValueError("Each code once: add up the minutes of a code given twice.")
    for service in services:
        _check_minutes(service.minutes)
    timed = [s for s in services if s.timed]
    left = units_for_minutes(sum(s.minutes for s in timed))
    units = {s.code: s.minutes // UNIT_MINUTES for s in timed}
    left -= sum(units.values())
    by_leftover = sorted(
        (s for s in timed if s.minutes % UNIT_MINUTES),
        key=lambda s: (-(s.minutes % UNIT_MINUTES), codes.index(s.code)),
    )
    for service in by_leftover[: max(left, 0)]:
        units[service.code] += 1
    return [
        BilledLine(s.code, s.timed, s.minutes, units[s.code] if s.timed else 1) for s in services
    ]


def merged(entries: Iterable[tuple[str, bool, int]]) -> list[Service]:
    """(code, timed, minutes) of each intervention delivered, as one Service per code in the
    order first seen: two interventions billed under one code (joint and soft-tissue
    mobilization are both 97140) add up their minutes. Entries without a code are not billed."""
    services: dict[str, Service] = {}
    for code, timed, minutes in entries:
        if not code:
            continue
        _check_minutes(minutes)
        before = services.get(code)
        if before is None:
            services[code] = Service(code, timed, minutes)
        else:
            services[code] = Service(code, before.timed or timed, before.minutes + minutes)
    return list(services.values())


def summary(lines: Iterable[BilledLine]) -> str:
    """One line for the note's billing box: "97110 x2, 97140 x1 (40 timed minutes); 20560 x1"."""
    lines = list(lines)
    timed = [line for line in lines if line.timed and line.units]
    untimed = [line for line in lines if not line.timed]
    parts = []
    if timed:
        minutes = sum(line.minutes for line in lines if line.timed)
        codes = ", ".join(f"{line.code} x{line.units}" for line in timed)
        parts.append(f"{codes} ({minutes} timed minutes)")
    elif any(line.timed for line in lines):
        minutes = sum(line.minutes for line in lines if line.timed)
        parts.append(f"no timed unit ({minutes} timed minutes: fewer than 8)")
    if untimed:
        parts.append(", ".join(f"{line.code} x1" for line in untimed))
    return "; ".join(parts) or "Nothing to bill"


def _check_minutes(minutes: object) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        raise ValueError(f"Minutes must be a whole number from 0 up, not {minutes!r}.")
