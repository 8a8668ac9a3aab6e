"""Calendar invites for discovery calls (intake.ics): parsed back with icalendar."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from intake.ics import PRODID, discovery_call_summary, invite

LA = "America/Los_Angeles"
UID = "discovery-42@clinic.example"
START = datetime(2026, 12, 1, 16, tzinfo=UTC)  # 08:00 PST
HEALTH_WORDS = ("pain", "injur", "fracture", "diagnos", "red flag", "symptom", "knee", "shin")


def make(**overrides) -> bytes:
    kwargs = {
        "uid": UID,
        "start": START,
        "end": START + timedelta(minutes=15),
        "summary": discovery_call_summary("Stride Physio"),
        "description": "We will call you on the number you gave us. To reschedule, use your link.",
        "organizer_email": "calls@stride.example",
        "organizer_name": "Stride Physio",
        "attendee_email": "jordan@example.com",
        "attendee_name": "Jordan Ellis",
        "tz": LA,
        "sequence": 0,
        "method": "REQUEST",
    }
    kwargs.update(overrides)
    return invite(**kwargs)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_request_calendar_headers():
    calendar, event = parse(make())
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == PRODID
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == UID
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Free discovery call with Stride Physio"


def test_start_and_end_are_local_times_with_tzid():
    data = make()
    _, event = parse(data)
    assert event["DTSTART"].params["TZID"] == LA
    assert event["DTEND"].params["TZID"] == LA
    assert b"DTSTART;TZID=America/Los_Angeles:20261201T080000" in data
    assert b"DTEND;TZID=America/Los_Angeles:20261201T081500" in data
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (8, 0)
    assert start == START
    assert event.decoded("DTEND") - start == timedelta(minutes=15)


def test_summer_time_local_hour():
    data = make(
        start=datetime(2026, 7, 1, 15, tzinfo=UTC), end=datetime(2026, 7, 1, 15, 15, tzinfo=UTC)
    )
    assert b"DTSTART;TZID=America/Los_Angeles:20260701T080000" in data


def test_vtimezone_present_before_the_event():
    data = make()
    calendar, _ = parse(data)
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == [LA]
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
    observances = {c.name for c in timezones[0].subcomponents}
    assert observances == {"STANDARD", "DAYLIGHT"}
    offsets = {str(c["TZNAME"]): c["TZOFFSETTO"].td for c in timezones[0].subcomponents}
    assert offsets == {"PST": timedelta(hours=-8), "PDT": timedelta(hours=-7)}


def test_other_time_zone():
    data = make(tz="Europe/Berlin")
    calendar, event = parse(data)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert b"DTSTART;TZID=Europe/Berlin:20261201T170000" in data
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_uid_stable_and_sequence_increments_through_reschedule_and_cancel():
    moved = START + timedelta(days=1, hours=1)
    messages = [
        make(sequence=0),
        make(sequence=1, start=moved, end=moved + timedelta(minutes=15)),
        make(sequence=2, start=moved, end=moved + timedelta(minutes=15), method="CANCEL"),
    ]
    parsed = [parse(m) for m in messages]
    assert [e["UID"] for _, e in parsed] == [UID, UID, UID]
    assert [e["SEQUENCE"] for _, e in parsed] == [0, 1, 2]
    assert [c["METHOD"] for c, _ in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [e["STATUS"] for _, e in parsed] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert parsed[1][1].decoded("DTSTART") == moved
    assert b"DTSTART;TZID=America/Los_Angeles:20261202T090000" in messages[1]


def test_organizer_and_attendee():
    _, event = parse(make(attendee_name="Ellis, Jordan"))
    organizer = event["ORGANIZER"]
    assert organizer == "mailto:calls@stride.example"
    assert organizer.params["CN"] == "Stride Physio"
    attendee = event["ATTENDEE"]
    assert attendee == "mailto:jordan@example.com"
    assert attendee.params["CN"] == "Ellis, Jordan"
    assert attendee.params["RSVP"] == "FALSE"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"


def test_dtstamp_is_utc():
    stamp = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    _, event = parse(make(stamp=stamp))
    assert event.decoded("DTSTAMP") == stamp
    _, event = parse(make())
    assert abs(event.decoded("DTSTAMP") - datetime.now(UTC)) < timedelta(minutes=1)


def test_no_health_words_in_summary():
    summary = discovery_call_summary("Stride Physio")
    assert summary == "Free discovery call with Stride Physio"
    _, event = parse(make())
    text = f"{event['SUMMARY']} {event['DESCRIPTION']}".lower()
    assert not [word for word in HEALTH_WORDS if word in text]


def test_text_is_escaped_and_location_optional():
    _, event = parse(make(description="Line one\nLine two; with, punctuation"))
    assert event["DESCRIPTION"] == "Line one\nLine two; with, punctuation"
    assert "LOCATION" not in event
    _, event = parse(make(location="Phone call"))
    assert event["LOCATION"] == "Phone call"


@pytest.mark.parametrize(
    "overrides",
    [
        {"method": "PUBLISH"},
        {"start": datetime(2026, 12, 1, 16)},
        {"end": START},
        {"sequence": -1},
        {"uid": ""},
        {"uid": "a\r\nX-INJECTED:1"},
        {"attendee_email": "jordan@example.com\r\nX-INJECTED:1"},
        {"organizer_email": "not-an-email"},
    ],
)
def test_invalid_input_is_rejected(overrides):
    with pytest.raises(ValueError):
        make(**overrides)
