"""Calendar invites (iCalendar, RFC 5545 / iTIP RFC 5546) for discovery calls.

Pure functions on top of the ``icalendar`` package, no Django.

Privacy: an invite lands in the runner's and the clinician's calendars and is
often synced to third-party services, so SUMMARY, DESCRIPTION and LOCATION must
not carry health data (no symptoms, injuries, diagnoses or red-flag answers).
Pass a neutral text such as ``discovery_call_summary(clinic_name)``, which gives
"Free discovery call with <clinic>", and keep the description to logistics
(how to join, how to reschedule).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Runner Physio Clinic//Discovery calls//EN"
METHODS = ("REQUEST", "CANCEL")


def discovery_call_summary(clinic_name: str) -> str:
    """The only SUMMARY we send: no health data."""
    return f"Free discovery call with {clinic_name}"


def invite(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    organizer_email: str,
    organizer_name: str,
    attendee_email: str,
    attendee_name: str,
    tz: str,
    sequence: int,
    method: str,
    location: str = "",
    stamp: datetime | None = None,
) -> bytes:
    """A VCALENDAR (METHOD REQUEST or CANCEL) with one VEVENT and its VTIMEZONE.

    ``uid`` must stay the same for every message about one booking (first
    invite, reschedules, cancellation); ``sequence`` must go up by one on each
    reschedule or cancellation so calendar apps replace the earlier version.
    ``start``/``end`` are aware datetimes (UTC in practice); they are written as
    clinic-local times with ``TZID=tz``. ``stamp`` (DTSTAMP) defaults to now.

    ``summary``, ``description`` and ``location`` must not contain health data:
    pass ``discovery_call_summary(clinic_name)`` ("Free discovery call with
    <clinic>") as the summary.
    """
    _check(uid=uid, start=start, end=end, sequence=sequence, method=method)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = _event(uid, start, end, ZoneInfo(tz), sequence, method, stamp)
    _add_text(event, summary=summary, description=description, location=location)
    event.add("organizer", _address(organizer_email, organizer_name))
    event.add("attendee", _attendee(attendee_email, attendee_name))
    calendar.add_component(event)
    _add_timezone(calendar, start, end, ZoneInfo(tz))
    return calendar.to_ical()


def _event(
    uid: str,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    sequence: int,
    method: str,
    stamp: datetime | None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
    event.add("transp", "OPAQUE")
    return event


def _add_text(event: Event, *, summary: str, description: str, location: str) -> None:
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)


def _address(email: str, name: str) -> vCalAddress:
    if not email or "@" not in email or any(c.isspace() or ord(c) < 32 for c in email):
        raise ValueError(f"Not a usable email address: {email!r}")
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name  # icalendar quotes/escapes parameter values
    return address


def _attendee(email: str, name: str) -> vCalAddress:
    address = _address(email, name)
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["RSVP"] = "FALSE"
    return address


def _add_timezone(calendar: Calendar, start: datetime, end: datetime, zone: ZoneInfo) -> None:
    """Add the VTIMEZONE icalendar derives from zoneinfo, for a short date range.

    ``add_missing_timezones`` builds it via ``Timezone.from_tzid``; its default
    range is 1970-2038, so we pass one covering the event's years (smaller
    output, and not limited to 2038). It adds nothing for UTC, whose times are
    written with a ``Z`` suffix and need no VTIMEZONE.
    """
    first = date(start.astimezone(zone).year, 1, 1)
    last = date(end.astimezone(zone).year + 1, 1, 1)
    calendar.add_missing_timezones(first_date=first, last_date=last)


def _check(*, uid: str, start: datetime, end: datetime, sequence: int, method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if not uid or any(c in uid for c in "\r\n"):
        raise ValueError("uid must be a non-empty single line")
    if sequence < 0:
        raise ValueError("sequence must be >= 0")
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        raise ValueError("end must be after start")
