"""Discovery calls: booking, no double booking, invites, reminders, manage links, front desk."""

import datetime
import re
import threading

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory, request_for
from intake.forms.discovery_calls import time_key
from intake.models import (
    CallAvailability,
    CallHours,
    CallManageLink,
    CallStatus,
    DiscoveryCall,
    IntakeLink,
    Patient,
)
from intake.services import discovery_calls as calls

from .helpers import LA, NOW, at

DETAILS = {
    "name": "Robin Quinn",
    "email": "robin@example.com",
    "phone": "(415) 555-0199",
    "call_type": "phone",
    "area": "knee",
    "how_long": "6 weeks",
    "story": "Knee hurts after 5 miles",
    "heard_from": "web",
    "consent": "on",
}


def book(client, start, clinician, **extra):
    key = f"{clinician.pk}-{int(start.timestamp())}"
    return client.post(reverse("intake:book"), {**DETAILS, "slot": key, **extra})


@pytest.mark.django_db
def test_the_booking_page_lists_free_slots_by_day(client, caller_clinician, frozen):
    page = client.get(reverse("intake:book")).content.decode()
    assert "Tuesday, December 1" in page and "8:00 AM" in page
    assert "Saturday, December 5" not in page  # no hours at weekends


@pytest.mark.django_db
def test_a_prospect_books_a_slot_and_it_is_no_longer_offered(
    client, caller_clinician, frozen, django_capture_on_commit_callbacks
):
    start = at(2, 9)
    with django_capture_on_commit_callbacks() as callbacks:
        response = book(client, start, caller_clinician)
    assert response.status_code == 302 and response["Location"] == reverse("intake:book_done")
    assert "?" not in response["Location"]  # no patient data in the URL
    call = DiscoveryCall.objects.get()
    assert (call.start, call.status, call.phone) == (start, CallStatus.BOOKED, "+14155550199")
    assert len(callbacks) == 1  # the confirmation mail is queued after commit
    page = client.get(reverse("intake:book")).content.decode()
    assert f"?slot={time_key(start)}" not in page
    assert f"?slot={time_key(at(2, 9, 15))}" in page


@pytest.fixture
def second_clinician(caller_clinician):
    """A second clinician with the same Tuesday morning hours."""
    user = UserFactory(username="call-clinician-2", first_name="Sam", role=Role.CLINICIAN)
    availability = CallAvailability.objects.create(clinician=user)
    CallHours.objects.create(
        availability=availability, weekday=2, start=datetime.time(8), end=datetime.time(12)
    )
    return user


def book_time(client, start, **extra):
    return client.post(reverse("intake:book"), {**DETAILS, "slot": time_key(start), **extra})


@pytest.mark.django_db
def test_a_time_two_clinicians_are_free_shows_one_button(
    client, caller_clinician, second_clinician, frozen
):
    page = client.get(reverse("intake:book")).content.decode()
    assert page.count(f'href="?slot={time_key(at(2, 9))}"') == 1
    assert "?slot=" in page and not re.search(r"\?slot=\d+-", page)  # no clinician in keys


@pytest.mark.django_db
def test_one_time_books_each_free_clinician_then_says_it_is_taken(
    client, caller_clinician, second_clinician, frozen
):
    start = at(2, 9)
    assert book_time(client, start).status_code == 302
    assert book_time(client, start, email="sam@example.com").status_code == 302
    booked = DiscoveryCall.objects.filter(start=start).values_list("clinician_id", flat=True)
    assert sorted(booked) == sorted([caller_clinician.pk, second_clinician.pk])
    third = book_time(client, start, email="alex@example.com")
    assert third.status_code == 200
    assert "That time was just taken. Please choose another time." in third.content.decode()
    assert DiscoveryCall.objects.filter(start=start).count() == 2
    assert f'value="{time_key(start)}"' not in third.content.decode()  # no longer offered


@pytest.mark.django_db
def test_a_booked_time_goes_to_the_clinician_least_booked_that_day(
    client, caller_clinician, second_clinician, frozen
):
    first, second = sorted([caller_clinician, second_clinician], key=lambda u: u.pk)
    assert book_time(client, at(2, 9)).status_code == 302  # a tie: the lower id
    assert DiscoveryCall.objects.get().clinician == first
    assert book_time(client, at(2, 10)).status_code == 302
    assert DiscoveryCall.objects.get(start=at(2, 10)).clinician == second


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(1, 6), "That time is in the past."),
        (at(30, 9), "beyond how far ahead we book"),
        (at(2, 12, 30), "outside our call hours"),
    ],
)
def test_impossible_slots_are_refused_with_entries_kept(
    client, caller_clinician, frozen, start, message
):
    response = book(client, start, caller_clinician)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert 'value="Robin Quinn"' in body
    assert not DiscoveryCall.objects.exists()


@pytest.mark.django_db
def test_a_taken_slot_says_so_and_keeps_the_entries(client, caller_clinician, frozen):
    start = at(2, 9)
    book(client, start, caller_clinician)
    response = book(client, start, caller_clinician, name="Sam Second", email="sam@example.com")
    body = response.content.decode()
    assert "That time was just taken." in body and "Sam Second" in body
    assert DiscoveryCall.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("email", "not-an-email"), ("phone", "12ab"), ("consent", "")]
)
def test_bad_details_are_refused(client, caller_clinician, frozen, field, value):
    response = book(client, at(2, 9), caller_clinician, **{field: value})
    assert response.status_code == 200
    assert not DiscoveryCall.objects.exists()


@pytest.mark.django_db
def test_a_flood_from_one_address_gets_a_friendly_try_again_later(client, caller_clinician, frozen):
    for hour, minute in ((9, 0), (9, 15), (9, 30), (9, 45), (10, 0)):
        book(client, at(3, hour, minute), caller_clinician)
    response = book(client, at(3, 13), caller_clinician, name="Flood Six")
    body = response.content.decode()
    assert "try again later" in body and "Flood Six" in body
    assert DiscoveryCall.objects.count() == 5


@pytest.mark.django_db
def test_the_honeypot_books_nothing(client, caller_clinician, frozen):
    response = book(client, at(2, 9), caller_clinician, website="http://spam.example")
    assert response.status_code == 200
    assert not DiscoveryCall.objects.exists()


@pytest.mark.django_db
def test_two_direct_inserts_for_one_slot_raise_an_integrity_error(caller_clinician):
    fields = {
        "clinician": caller_clinician,
        "start": at(2, 9),
        "end": at(2, 9, 15),
        "name": "A",
        "email": "a@example.com",
        "phone": "+14155550101",
        "source": "online",
        "consent_to_contact_at": at(1, 7),
    }
    DiscoveryCall.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        DiscoveryCall.objects.create(**fields)
    # A cancelled call frees the slot.
    DiscoveryCall.objects.update(status=CallStatus.CANCELLED)
    DiscoveryCall.objects.create(**fields)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_racing_for_one_slot_get_exactly_one_booking(caller_clinician):
    assert connection.vendor == "postgresql"
    start = at(2, 9)
    barrier = threading.Barrier(20)
    results = []

    def attempt(n):
        try:
            barrier.wait(timeout=10)
            calls.call_book(
                clinician_id=caller_clinician.pk,
                start=start,
                details={
                    "name": f"Runner {n}",
                    "email": f"r{n}@example.com",
                    "phone": "+14155550100",
                    "call_type": "phone",
                },
                source="online",
                request=request_for(),
            )
            results.append("booked")
        except calls.SlotUnavailable as error:
            results.append(" ".join(error.messages))
        finally:
            connection.close()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert results.count("booked") == 1
    assert results.count("That time was just taken.") == 19
    assert DiscoveryCall.objects.filter(start=start, status=CallStatus.BOOKED).count() == 1


def parsed_invite(message):
    attachment = message.attachments[0]
    return icalendar.Calendar.from_ical(
        attachment[1] if isinstance(attachment, tuple) else attachment.content
    )


@pytest.mark.django_db
def test_the_invite_keeps_its_uid_and_has_the_right_time_zone_and_method(booked, mailoutbox):
    calls.call_mail_send(booked.pk, "confirmed")
    first = parsed_invite(mailoutbox[0])
    event = first.walk("VEVENT")[0]
    assert first["METHOD"] == "REQUEST"
    assert event["DTSTART"].dt == datetime.datetime(2026, 12, 2, 9, 0, tzinfo=LA)
    assert str(event["DTSTART"].params["TZID"]) == "America/Los_Angeles"
    assert "knee" not in mailoutbox[0].subject.lower() and "Robin" not in mailoutbox[0].subject
    calls.call_reschedule(call=booked, start=at(3, 10), request=request_for())
    calls.call_mail_send(booked.pk, "rescheduled")
    calls.call_cancel(call=DiscoveryCall.objects.get(), request=request_for())
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


def manage_token(call):
    """Make a manage link the way the mail task does, and return its token."""
    url = calls.manage_link_create(call)
    return url.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_the_manage_link_moves_and_cancels_the_call(client, booked):
    token = manage_token(booked)
    url = reverse("intake:call_manage", args=[token])
    new_start = at(3, 10)
    slot = f"{booked.clinician_id}-{int(new_start.timestamp())}"
    response = client.post(url, {"slot": slot, "confirm": "yes"}, follow=True)
    assert "has moved" in response.content.decode()
    booked.refresh_from_db()
    assert booked.start == new_start and booked.sequence == 1
    client.post(url, {"action": "cancel", "confirm": "yes"})
    booked.refresh_from_db()
    assert booked.status == CallStatus.CANCELLED
    # The link is dead now, and cancelling twice changes nothing.
    assert client.get(url).status_code == 410
    assert calls.call_cancel(call=booked, request=request_for()) is False


@pytest.mark.django_db
def test_rescheduling_into_a_taken_slot_is_refused(client, booked, caller_clinician):
    other = calls.call_book(
        clinician_id=caller_clinician.pk,
        start=at(3, 10),
        details={"name": "Other", "email": "o@example.com", "phone": "+14155550111"},
        source="online",
        request=request_for(),
    )
    token = manage_token(booked)
    response = client.post(
        reverse("intake:call_manage", args=[token]),
        {"slot": f"{other.clinician_id}-{int(other.start.timestamp())}"},
    )
    assert "just taken" in response.content.decode()
    booked.refresh_from_db()
    assert booked.start == at(2, 9)


@pytest.mark.django_db
def test_tampered_and_expired_manage_links_get_clear_pages(client, booked):
    token = manage_token(booked)
    assert client.get(reverse("intake:call_manage", args=[token + "x"])).status_code == 404
    with time_machine.travel(at(2, 9, 1)):
        assert client.get(reverse("intake:call_manage", args=[token])).status_code == 410


@pytest.mark.django_db
def test_front_desk_sees_the_calendar_books_by_phone_and_records_the_outcome(
    client, caller_clinician, frozen
):
    desk = UserFactory(username="desk", role=Role.FRONT_DESK)
    client.force_login(desk)
    key = f"{caller_clinician.pk}-{int(at(1, 10).timestamp())}"
    response = client.post(
        reverse("intake:call_new"), {**DETAILS, "clinician_slot": key, "name": "Phone Caller"}
    )
    call = DiscoveryCall.objects.get()
    assert response["Location"] == reverse("intake:call_detail", args=[call.pk])
    assert call.source == "phone" and call.booked_by == desk
    today = client.get(reverse("intake:call_calendar")).content.decode()
    assert "Phone Caller" in today
    week = client.get(reverse("intake:call_calendar"), {"view": "week", "day": "2026-12-01"})
    assert "Phone Caller" in week.content.decode()
    assert "Phone Caller" in client.get(reverse("clinic:dashboard")).content.decode()
    client.post(
        reverse("intake:call_detail", args=[call.pk]),
        {"outcome": "evaluation_booked", "notes": "Wants to run CIM"},
    )
    call.refresh_from_db()
    assert (call.outcome, call.notes) == ("evaluation_booked", "Wants to run CIM")


@pytest.mark.django_db
def test_a_clinician_sees_only_their_own_calls(client, booked):
    other = UserFactory(username="other-clin", role=Role.CLINICIAN)
    client.force_login(other)
    assert client.get(reverse("intake:call_detail", args=[booked.pk])).status_code == 404
    client.force_login(booked.clinician)
    assert client.get(reverse("intake:call_detail", args=[booked.pk])).status_code == 200


@pytest.mark.django_db
def test_converting_a_call_creates_the_patient_and_sends_the_questionnaire(client, booked):
    desk = UserFactory(username="desk2", role=Role.FRONT_DESK)
    client.force_login(desk)
    url = reverse("intake:call_convert", args=[booked.pk])
    form = client.get(url).content.decode()
    assert 'value="Robin"' in form and 'value="Quinn"' in form
    data = {
        "legal_first_name": "Robin",
        "legal_last_name": "Quinn",
        "date_of_birth": "1991-02-03",
        "email": "robin@example.com",
        "phone": "+14155550199",
        "status": "prospect",
        "referral_source": "discovery_call",
        "send_link": "1",
        "send_mail": "on",
    }
    response = client.post(url, data)
    patient = Patient.objects.get(legal_last_name="Quinn")
    assert response["Location"] == patient.get_absolute_url()
    booked.refresh_from_db()
    assert booked.patient == patient
    assert IntakeLink.objects.filter(intake__patient=patient).count() == 1
    assert any("/q/" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_converting_warns_about_a_patient_who_already_exists(client, booked):
    PatientFactory(
        legal_first_name="Robin", legal_last_name="Quinn", date_of_birth=datetime.date(1991, 2, 3)
    )
    desk = UserFactory(username="desk3", role=Role.FRONT_DESK)
    client.force_login(desk)
    response = client.post(
        reverse("intake:call_convert", args=[booked.pk]),
        {
            "legal_first_name": "Robin",
            "legal_last_name": "Quinn",
            "date_of_birth": "1991-02-03",
            "status": "prospect",
        },
    )
    assert "already exists" in response.content.decode()
    assert Patient.objects.filter(legal_last_name="Quinn").count() == 1
    assert CallManageLink.objects.count() == 0
