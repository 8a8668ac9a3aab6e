"""Reading a typed date of birth (pure, no database): one reading for every form that asks.

A date box in the browser sends ISO dates; where it is missing, people type 3/4/1985, 3/4/85
or 4.3.1985. A two-digit year means the most recent year with those two digits that puts the
birth in the past ("85" is 1985, "05" is 2005, "27" on 26 November 2026 is 1927): a birth date
is always in the past, and a patient who typed "85" meant 1985, not the year 85 A.D. that the
browser's date box sends as "0085". Whatever cannot be a birth date is a ValidationError with a
message a patient understands, never a date.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

OLDEST_PLAUSIBLE_AGE_YEARS = 120

UNREADABLE = "Please enter the date as month/day/year, for example 03/28/1985."
NO_SUCH_DATE = "There is no such date; please check the day and the month."
IN_THE_FUTURE = "The date of birth cannot be in the future."
TOO_LONG_AGO = (
    f"The date of birth is more than {OLDEST_PLAUSIBLE_AGE_YEARS} years ago; please check the year."
)

# (pattern, order of the groups): ISO from a date box, US month/day/year, day.month.year.
_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})"), ("month", "day", "year")),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})"), ("day", "month", "year")),
)


def read_birth_date(text: str, *, today: datetime.date) -> datetime.date:
    """The date of birth ``text`` means, checked to be possible on ``today``."""
    parts = _parts(text)
    if parts is None:
        raise ValidationError(UNREADABLE, code="invalid")
    year, month, day = parts
    if year < 100:
        year = _century_in_the_past(year, month, day, today)
    try:
        value = datetime.date(year, month, day)
    except ValueError as impossible:
        raise ValidationError(NO_SUCH_DATE, code="invalid") from impossible
    check_birth_date(value, today=today)
    return value


def check_birth_date(value: datetime.date, *, today: datetime.date) -> None:
    """A date that may be someone's birth: not ahead of today, not beyond the oldest age."""
    if value > today:
        raise ValidationError(IN_THE_FUTURE, code="future")
    if value < _years_before(today, OLDEST_PLAUSIBLE_AGE_YEARS):
        raise ValidationError(TOO_LONG_AGO, code="too_old")


def _parts(text: str) -> tuple[int, int, int] | None:
    text = (text or "").strip()
    for pattern, order in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            named = dict(zip(order, map(int, match.groups()), strict=True))
            return named["year"], named["month"], named["day"]
    return None


def _century_in_the_past(two_digits: int, month: int, day: int, today: datetime.date) -> int:
    year = today.year - today.year % 100 + two_digits
    # Compared as tuples: 29 February of a year that has none still picks its century here
    # and is then refused as no such date.
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # today is 29 February
        return today.replace(year=today.year - years, day=28)
