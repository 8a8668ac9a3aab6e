"""Booking a discovery call on the public page: free slots by day, one booking per slot and
clinician whatever the race, entries kept on every refusal, and a booking limit that counts
bookings, not attempts."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import UserFactory, actor_for
from intake.forms.discovery_calls import time_key
from intake.models import CallAvailability, CallHours, CallStatus, DiscoveryCall
from intake.services import discovery_calls as calls
from intake.views import discovery_calls as views

from .helpers import DETAILS, NOW, at, book, book_time


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
                actor=actor_for(),
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


# --------------------------------------------------------- the booking limit counts bookings


@pytest.mark.django_db
def test_typos_double_clicks_and_resubmits_do_not_use_up_the_booking_limit(client, maya, frozen):
    assert book_time(client, at(2, 9)).status_code == 302  # one booking
    assert book_time(client, at(2, 9, 15), email="robin@example").status_code == 200  # one typo
    assert book_time(client, at(2, 9)).status_code == 302  # one double-click
    assert book_time(client, at(2, 9)).status_code == 302  # two back-button resubmits
    assert book_time(client, at(2, 9)).status_code == 302
    # The same household books a second call: still allowed, five attempts later.
    second = book_time(client, at(2, 10), name="Sam Quinn", email="sam@example.com")
    assert second.status_code == 302, second.content.decode()[:2000]
    assert DiscoveryCall.objects.count() == 2


@pytest.mark.django_db
def test_the_back_button_after_booking_shows_the_booking_not_time_taken(
    client, maya, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book_time(client, at(2, 9))
        client.cookies.clear()  # even from a fresh session: the same e-mail and phone
        again = book_time(client, at(2, 9), email="Robin@Example.com", follow=True)
    page = again.content.decode()
    assert "just taken" not in page
    assert "Your call is booked" in page and "Wednesday, December 2" in page and "9:00" in page
    assert "already booked" in page
    assert DiscoveryCall.objects.count() == 1
    assert len(callbacks) == 1  # one confirmation mail, not two


@pytest.mark.django_db
def test_someone_else_on_a_taken_time_is_still_told_it_was_taken(client, maya, frozen):
    book_time(client, at(2, 9))
    response = book_time(client, at(2, 9), name="Alex Other", email="alex@example.com")
    assert "That time was just taken." in response.content.decode()
    assert DiscoveryCall.objects.count() == 1


@pytest.mark.django_db
def test_a_sixth_booking_in_an_hour_is_refused_with_the_clinic_phone(
    client, maya, frozen, settings
):
    settings.CLINIC_PHONE = "(206) 555-0142"
    for n, minute in enumerate((0, 15, 30, 45)):
        assert book_time(client, at(3, 9, minute), email=f"r{n}@example.com").status_code == 302
    assert book_time(client, at(3, 10), email="r4@example.com").status_code == 302
    sixth = book_time(client, at(3, 13), name="Sixth Person", email="r5@example.com")
    page = sixth.content.decode()
    assert "try again later" in page and "(206) 555-0142" in page
    assert 'value="Sixth Person"' in page  # entries kept
    assert DiscoveryCall.objects.count() == views.BOOKINGS_PER_IP_PER_HOUR == 5
    # The repeat of a booking already made is still recognised, limit or not.
    again = book_time(client, at(3, 10), email="r4@example.com")
    assert again.status_code == 302 and DiscoveryCall.objects.count() == 5


@pytest.mark.django_db
def test_a_bot_hammering_the_form_is_stopped_by_a_cap_on_every_post(client, maya, frozen):
    for _ in range(views.BOOKING_POSTS_PER_IP_PER_HOUR):
        book_time(client, at(2, 9), email="not-an-email")
    response = book_time(client, at(2, 9))
    assert "try again later" in response.content.decode()
    assert not DiscoveryCall.objects.exists()
    other_address = client.post(
        reverse("intake:book"), {**DETAILS, "slot": time_key(at(2, 9))}, REMOTE_ADDR="10.0.0.9"
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
                actor=actor_for(),
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
