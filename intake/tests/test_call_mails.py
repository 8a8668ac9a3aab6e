"""The mails of a discovery call: the invite (one UID, the clinic's time zone, REQUEST then
CANCEL), one reminder only when it helps and naming the right day, and the same working manage
link in every mail."""

import datetime

import pytest
import time_machine
from django.test import override_settings

from clinic.tests.factories import actor_for
from intake.models import CallManageLink, DiscoveryCall
from intake.services import discovery_calls as calls

from .helpers import LA, NOW, at, call_booked, manage_url_in, parsed_invite, path_of, text_of

# ---------------------------------------------------------------- the invite and reminders


@pytest.mark.django_db
def test_the_invite_keeps_its_uid_and_has_the_right_time_zone_and_method(booked, mailoutbox):
    calls.call_mail_send(booked.pk, "confirmed")
    first = parsed_invite(mailoutbox[0])
    event = first.walk("VEVENT")[0]
    assert first["METHOD"] == "REQUEST"
    assert event["DTSTART"].dt == datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LA)
    assert str(event["DTSTART"].params["TZID"]) == "America/Los_Angeles"
    assert "knee" not in mailoutbox[0].subject.lower() and "Robin" not in mailoutbox[0].subject
    calls.call_reschedule(call=booked, start=at(3, 10), actor=actor_for())
    calls.call_mail_send(booked.pk, "rescheduled")
    calls.call_cancel(call=DiscoveryCall.objects.get(), actor=actor_for())
    calls.call_mail_send(booked.pk, "cancelled")
    invites = [parsed_invite(m) for m in mailoutbox]
    uids = {str(c.walk("VEVENT")[0]["UID"]) for c in invites}
    assert len(uids) == 1
    assert [str(c["METHOD"]) for c in invites] == ["REQUEST", "REQUEST", "CANCEL"]
    sequences = [int(c.walk("VEVENT")[0]["SEQUENCE"]) for c in invites]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3


@pytest.mark.django_db
def test_the_reminder_goes_out_exactly_once_even_when_the_sender_restarts(booked, mailoutbox):
    day_before = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LA)
    assert calls.reminders_send(now=day_before) == 1
    assert calls.reminders_send(now=day_before) == 0  # beat fires again / worker restarted
    assert calls.reminders_send(now=day_before + datetime.timedelta(hours=3)) == 0
    assert [m.subject.startswith("Reminder") for m in mailoutbox] == [True]


@pytest.mark.django_db
def test_a_failed_reminder_is_tried_again_and_still_sent_once(booked, mailoutbox, monkeypatch):
    day_before = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LA)
    original = calls.call_mail_send

    def broken(call_id, kind):
        raise OSError("SMTP down")

    monkeypatch.setattr(calls, "call_mail_send", broken)
    assert calls.reminders_send(now=day_before) == 0
    assert DiscoveryCall.objects.get().reminder_sent_at is None
    monkeypatch.setattr(calls, "call_mail_send", original)
    assert calls.reminders_send(now=day_before) == 1
    assert calls.reminders_send(now=day_before) == 0
    assert len(mailoutbox) == 1


# --------------------------------------------------------------- reminders and the one link


@pytest.mark.django_db
def test_a_call_booked_within_the_reminder_lead_time_gets_no_reminder(maya, mailoutbox):
    booked_at = datetime.datetime(2026, 12, 1, 13, 27, tzinfo=LA)
    with time_machine.travel(booked_at, tick=False):
        call_booked(at(1, 14, 30), clinician=maya)  # the same afternoon
        call_booked(at(2, 9), clinician=maya, email="next-morning@example.com")  # 19½ hours ahead
    for minutes in (1, 30, 60 * 20):
        later = booked_at + datetime.timedelta(minutes=minutes)
        with time_machine.travel(later, tick=False):
            assert calls.reminders_send(now=later) == 0
    assert not [m for m in mailoutbox if "Reminder" in m.subject]


@pytest.mark.django_db
def test_the_reminder_names_the_right_day_in_subject_and_body(maya, mailoutbox, frozen):
    thursday = call_booked(at(3, 9), clinician=maya)  # booked Tuesday 7 AM, two days ahead
    late = call_booked(at(3, 11), clinician=maya, email="late@example.com")
    wednesday_9 = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LA)
    with time_machine.travel(wednesday_9, tick=False):
        assert calls.reminders_send(now=wednesday_9) == 1
    (tomorrow,) = mailoutbox
    assert tomorrow.to == [thursday.email]
    assert tomorrow.subject.endswith("is tomorrow")
    assert "tomorrow, Thursday, December 3" in tomorrow.body
    # The sender was down overnight: the late reminder says "today", not "tomorrow".
    thursday_8 = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=LA)
    with time_machine.travel(thursday_8, tick=False):
        assert calls.reminders_send(now=thursday_8) == 1
    today = mailoutbox[1]
    assert today.to == [late.email]
    assert today.subject.endswith("is today") and "today, Thursday, December 3" in today.body
    assert "tomorrow" not in today.subject + today.body
    for message in mailoutbox:
        assert "Robin" not in message.subject and "@" not in message.subject


def test_the_day_word_is_counted_in_the_clinic_time_zone():
    evening = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=LA)  # 07:30 UTC on the 2nd
    assert calls.day_word(at(1, 23, 45), now=evening) == "today"
    assert calls.day_word(at(2, 0, 15), now=evening) == "tomorrow"
    assert calls.day_word(at(4, 9), now=evening) == "on Friday"
    assert calls.day_word(at(12, 9), now=evening) == "on Saturday, December 12"


@pytest.mark.django_db
def test_a_call_moved_within_the_lead_time_gets_no_reminder_and_one_moved_far_gets_one(
    maya, mailoutbox, frozen
):
    call = call_booked(at(3, 9), clinician=maya)
    calls.call_reschedule(call=call, start=at(1, 15), actor=actor_for())
    assert calls.reminders_send(now=NOW + datetime.timedelta(hours=1)) == 0
    calls.call_reschedule(call=call, start=at(4, 9), actor=actor_for())
    assert calls.reminders_send(now=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=LA)) == 1


@pytest.mark.django_db
def test_every_mail_of_a_call_carries_the_same_working_link(client, maya, mailoutbox, frozen):
    call = call_booked(at(3, 9), clinician=maya)
    calls.call_mail_send(call.pk, "confirmed")
    first = manage_url_in(mailoutbox[0])
    assert calls.reminders_send(now=datetime.datetime(2026, 12, 2, 9, 5, tzinfo=LA)) == 1
    calls.call_reschedule(call=call, start=at(4, 10), actor=actor_for())
    calls.call_mail_send(call.pk, "rescheduled")
    assert [manage_url_in(m) for m in mailoutbox] == [first] * 3
    assert CallManageLink.objects.filter(call=call).count() == 1
    page = client.get(path_of(first))
    assert page.status_code == 200 and "Friday, December 4 at 10:00 AM" in text_of(page)
    with time_machine.travel(at(3, 9, 30), tick=False):  # after the old time: it moved on
        assert client.get(path_of(first)).status_code == 200
    calls.call_cancel(call=call, actor=actor_for())
    calls.call_mail_send(call.pk, "cancelled")
    assert "/book/m/" not in mailoutbox[-1].body
    assert client.get(path_of(first)).status_code == 410  # cancelling revokes it
    for message in mailoutbox:
        assert "Robin" not in message.subject and "robin@" not in message.subject


@pytest.mark.django_db
def test_the_database_alone_holds_no_usable_manage_token(maya, frozen):
    call = call_booked(at(3, 9), clinician=maya)
    token = path_of(calls.manage_link_create(call)).rstrip("/").rsplit("/", 1)[-1]
    raw = token.split(":", 1)[0]
    row = CallManageLink.objects.filter(call=call).values().get()
    assert not [k for k, v in row.items() if raw in str(v) or token in str(v)]
    assert CallManageLink.find(token).call == call
    with override_settings(SECRET_KEY="another-secret-key-" * 3):
        assert CallManageLink.find(token) is None  # without the key the token is not ours
    assert calls.manage_link_create(call).endswith(f"/{token}/")  # and the same again
