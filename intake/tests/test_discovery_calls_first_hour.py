"""Discovery calls in a clinic's first hour (issue 18, points 6–8): the booking limit counts
bookings, not attempts; reminders only when they help, with the right day; one manage link
per call; the manage page asks before it moves or cancels and says where the call went."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import UserFactory, request_for
from intake.forms.discovery_calls import time_key
from intake.models import CallAvailability, CallHours, CallManageLink, CallStatus, DiscoveryCall
from intake.services import discovery_calls as calls
from intake.views import discovery_calls as views

from .helpers import LA, NOW, at


def _hours(user, weekdays=range(5)):
    availability = CallAvailability.objects.create(clinician=user)
    for weekday in weekdays:
        for start, end in ((8, 12), (13, 17)):
            CallHours.objects.create(
                availability=availability,
                weekday=weekday,
                start=datetime.time(start),
                end=datetime.time(end),
            )


@pytest.fixture
def maya(db):
    user = UserFactory(username="call-maya", first_name="Maya", role=Role.CLINICIAN)
    _hours(user)
    return user


@pytest.fixture
def sam(maya):
    """A second clinician free at the same times."""
    user = UserFactory(username="call-sam", first_name="Sam", role=Role.CLINICIAN)
    _hours(user)
    return user


FORM = {
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


def post(client, start, *, follow=False, **fields):
    data = {**FORM, "slot": time_key(start), **fields}
    return client.post(reverse("intake:book"), data, follow=follow)


def book(start, *, clinician, email="robin@example.com"):
    return calls.call_book(
        clinician_id=clinician.pk,
        start=start,
        details={"name": "Robin Quinn", "email": email, "phone": "+14155550199"},
        source="online",
        request=request_for(),
    )


def path_of(url: str) -> str:
    return url.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]


def text_of(response) -> str:
    """The page as a person reads it: tags out, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" .", ".")


def manage_url_in(message) -> str:
    return next(word for word in message.body.split() if "/book/m/" in word)


# --------------------------------------------------------- 6. the booking limit counts bookings


@pytest.mark.django_db
def test_typos_double_clicks_and_resubmits_do_not_use_up_the_booking_limit(client, maya, frozen):
    assert post(client, at(2, 9)).status_code == 302  # one booking
    assert post(client, at(2, 9, 15), email="robin@example").status_code == 200  # one typo
    assert post(client, at(2, 9)).status_code == 302  # one double-click
    assert post(client, at(2, 9)).status_code == 302  # two back-button resubmits
    assert post(client, at(2, 9)).status_code == 302
    # The same household books a second call: still allowed, five attempts later.
    second = post(client, at(2, 10), name="Sam Quinn", email="sam@example.com")
    assert second.status_code == 302, second.content.decode()[:2000]
    assert DiscoveryCall.objects.count() == 2


@pytest.mark.django_db
def test_the_back_button_after_booking_shows_the_booking_not_time_taken(
    client, maya, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client, at(2, 9))
        client.cookies.clear()  # even from a fresh session: the same e-mail and phone
        again = post(client, at(2, 9), email="Robin@Example.com", follow=True)
    page = again.content.decode()
    assert "just taken" not in page
    assert "Your call is booked" in page and "Wednesday, December 2" in page and "9:00" in page
    assert "already booked" in page
    assert DiscoveryCall.objects.count() == 1
    assert len(callbacks) == 1  # one confirmation mail, not two


@pytest.mark.django_db
def test_someone_else_on_a_taken_time_is_still_told_it_was_taken(client, maya, frozen):
    post(client, at(2, 9))
    response = post(client, at(2, 9), name="Alex Other", email="alex@example.com")
    assert "That time was just taken." in response.content.decode()
    assert DiscoveryCall.objects.count() == 1


@pytest.mark.django_db
def test_a_sixth_booking_in_an_hour_is_refused_with_the_clinic_phone(
    client, maya, frozen, settings
):
    settings.CLINIC_PHONE = "(206) 555-0142"
    for n, minute in enumerate((0, 15, 30, 45)):
        assert post(client, at(3, 9, minute), email=f"r{n}@example.com").status_code == 302
    assert post(client, at(3, 10), email="r4@example.com").status_code == 302
    sixth = post(client, at(3, 13), name="Sixth Person", email="r5@example.com")
    page = sixth.content.decode()
    assert "try again later" in page and "(206) 555-0142" in page
    assert 'value="Sixth Person"' in page  # entries kept
    assert DiscoveryCall.objects.count() == views.BOOKINGS_PER_IP_PER_HOUR == 5
    # The repeat of a booking already made is still recognised, limit or not.
    again = post(client, at(3, 10), email="r4@example.com")
    assert again.status_code == 302 and DiscoveryCall.objects.count() == 5


@pytest.mark.django_db
def test_a_bot_hammering_the_form_is_stopped_by_a_cap_on_every_post(client, maya, frozen):
    for _ in range(views.BOOKING_POSTS_PER_IP_PER_HOUR):
        post(client, at(2, 9), email="not-an-email")
    response = post(client, at(2, 9))
    assert "try again later" in response.content.decode()
    assert not DiscoveryCall.objects.exists()
    other_address = client.post(
        reverse("intake:book"), {**FORM, "slot": time_key(at(2, 9))}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302  # one address, not the whole clinic


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_racing_itself_books_one_call_with_two_clinicians_free(sam):
    assert connection.vendor == "postgresql"
    start, barrier, results = at(2, 9), threading.Barrier(2), []

    def attempt():
        try:
            barrier.wait(timeout=10)
            call, created = calls.call_book_any(
                start=start,
                details={"name": "Robin Quinn", "email": "robin@example.com", "phone": "+1415"},
                source="online",
                request=request_for(),
            )
            results.append((call.pk, created))
        finally:
            connection.close()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert DiscoveryCall.objects.filter(start=start).count() == 1
    assert len({pk for pk, _ in results}) == 1 and sorted(c for _, c in results) == [False, True]


# --------------------------------------------------------------- 7. reminders and the one link


@pytest.mark.django_db
def test_a_call_booked_within_the_reminder_lead_time_gets_no_reminder(maya, mailoutbox):
    booked_at = datetime.datetime(2026, 12, 1, 13, 27, tzinfo=LA)
    with time_machine.travel(booked_at, tick=False):
        book(at(1, 14, 30), clinician=maya)  # the same afternoon
        book(at(2, 9), clinician=maya, email="next-morning@example.com")  # 19½ hours ahead
    for minutes in (1, 30, 60 * 20):
        later = booked_at + datetime.timedelta(minutes=minutes)
        with time_machine.travel(later, tick=False):
            assert calls.reminders_send(now=later) == 0
    assert not [m for m in mailoutbox if "Reminder" in m.subject]


@pytest.mark.django_db
def test_the_reminder_names_the_right_day_in_subject_and_body(maya, mailoutbox, frozen):
    thursday = book(at(3, 9), clinician=maya)  # booked Tuesday 7 AM, two days ahead
    late = book(at(3, 11), clinician=maya, email="late@example.com")
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
    call = book(at(3, 9), clinician=maya)
    calls.call_reschedule(call=call, start=at(1, 15), request=request_for())
    assert calls.reminders_send(now=NOW + datetime.timedelta(hours=1)) == 0
    calls.call_reschedule(call=call, start=at(4, 9), request=request_for())
    assert calls.reminders_send(now=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=LA)) == 1


@pytest.mark.django_db
def test_every_mail_of_a_call_carries_the_same_working_link(client, maya, mailoutbox, frozen):
    call = book(at(3, 9), clinician=maya)
    calls.call_mail_send(call.pk, "confirmed")
    first = manage_url_in(mailoutbox[0])
    assert calls.reminders_send(now=datetime.datetime(2026, 12, 2, 9, 5, tzinfo=LA)) == 1
    calls.call_reschedule(call=call, start=at(4, 10), request=request_for())
    calls.call_mail_send(call.pk, "rescheduled")
    assert [manage_url_in(m) for m in mailoutbox] == [first] * 3
    assert CallManageLink.objects.filter(call=call).count() == 1
    page = client.get(path_of(first))
    assert page.status_code == 200 and "Friday, December 4 at 10:00 AM" in text_of(page)
    with time_machine.travel(at(3, 9, 30), tick=False):  # after the old time: it moved on
        assert client.get(path_of(first)).status_code == 200
    calls.call_cancel(call=call, request=request_for())
    calls.call_mail_send(call.pk, "cancelled")
    assert "/book/m/" not in mailoutbox[-1].body
    assert client.get(path_of(first)).status_code == 410  # cancelling revokes it
    for message in mailoutbox:
        assert "Robin" not in message.subject and "robin@" not in message.subject


@pytest.mark.django_db
def test_the_database_alone_holds_no_usable_manage_token(maya, frozen):
    call = book(at(3, 9), clinician=maya)
    token = path_of(calls.manage_link_create(call)).rstrip("/").rsplit("/", 1)[-1]
    raw = token.split(":", 1)[0]
    row = CallManageLink.objects.filter(call=call).values().get()
    assert not [k for k, v in row.items() if raw in str(v) or token in str(v)]
    assert CallManageLink.find(token).call == call
    with override_settings(SECRET_KEY="another-secret-key-" * 3):
        assert CallManageLink.find(token) is None  # without the key the token is not ours
    assert calls.manage_link_create(call).endswith(f"/{token}/")  # and the same again


# ------------------------------------------------------ 8. the manage page asks, then says where


@pytest.fixture
def manage(client, maya, frozen):
    """(call, manage page path) for a call on Wednesday 2 December at 9:00."""
    call = book(at(2, 9), clinician=maya)
    return call, path_of(calls.manage_link_create(call))


def slot_of(call, start) -> str:
    return f"{call.clinician_id}-{int(start.timestamp())}"


@pytest.mark.django_db
def test_the_manage_page_shows_the_booking_and_two_actions_not_every_slot(client, manage):
    call, url = manage
    response = client.get(url)
    page = response.content.decode()
    assert "Wednesday, December 2 at 9:00 AM" in text_of(response)
    assert "Change the time" in page and "Cancel the call" in page
    assert 'name="slot"' not in page and page.count("AM<") + page.count("PM<") < 5


@pytest.mark.django_db
def test_times_are_chosen_by_day(client, manage):
    call, url = manage
    days = client.get(url, {"step": "change"}).content.decode()
    assert 'href="?step=change&amp;day=2026-12-03"' in days and 'name="slot"' not in days
    times = client.get(url, {"step": "change", "day": "2026-12-03"}).content.decode()
    assert f'value="{slot_of(call, at(3, 10))}"' in times
    assert f'value="{slot_of(call, at(4, 10))}"' not in times  # only that day's
    assert "Choose a time on Thursday, December 3" in times
    nonsense = client.get(url, {"step": "change", "day": "2026-02-30"})
    assert nonsense.status_code == 200 and "Choose a new day" in nonsense.content.decode()


@pytest.mark.django_db
def test_choosing_a_time_asks_before_moving_and_the_result_names_the_new_time(
    client, manage, django_capture_on_commit_callbacks
):
    call, url = manage
    new = slot_of(call, at(3, 10))
    confirm = client.post(url, {"slot": new})  # what the old page's one tap sent
    body = text_of(confirm)
    assert "Move your call?" in body and "Thursday, December 3 at 10:00 AM" in body
    call.refresh_from_db()
    assert call.start == at(2, 9)  # nothing moved yet
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(url, {"slot": new, "confirm": "yes"})
    assert moved.status_code == 302
    result = text_of(client.get(moved["Location"]))
    assert "Your call has moved" in result and "Thursday, December 3 at 10:00 AM" in result
    call.refresh_from_db()
    assert call.start == at(3, 10) and call.sequence == 1


@pytest.mark.django_db
def test_cancelling_asks_first(client, manage):
    call, url = manage
    confirm = client.post(url, {"action": "cancel"})  # what the old page's button sent
    assert "Cancel your call?" in confirm.content.decode()
    assert DiscoveryCall.objects.get().status == CallStatus.BOOKED
    done = client.post(url, {"action": "cancel", "confirm": "yes"})
    assert "Your call is cancelled" in done.content.decode()
    assert DiscoveryCall.objects.get().status == CallStatus.CANCELLED
    again = client.get(url)
    assert again.status_code == 410 and "Your call is cancelled" in again.content.decode()


@pytest.mark.django_db
def test_a_tampered_or_taken_time_is_refused_on_the_same_page(client, manage, maya):
    call, url = manage
    book(at(3, 10), clinician=maya, email="other@example.com")
    taken = slot_of(call, at(3, 10))
    response = client.post(url, {"slot": taken, "day": "2026-12-03", "confirm": "yes"})
    assert "Choose a time on Thursday, December 3" in text_of(response)  # that day again
    assert "That time was just taken. Please choose another time." in text_of(response)
    foreign = f"{call.clinician_id + 99}-{int(at(3, 11).timestamp())}"
    for slot in ("garbage", foreign, f"{call.clinician_id}--62135596800", ""):
        response = client.post(url, {"slot": slot, "confirm": "yes"})
        assert response.status_code == 200
        assert "Please choose" in response.content.decode()
    call.refresh_from_db()
    assert call.start == at(2, 9)
