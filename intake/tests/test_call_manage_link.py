"""The prospect's manage link: it moves and cancels their call, refuses a taken or tampered
time, expires with the call, and its page asks before it moves or cancels and says where the
call went."""

import pytest
import time_machine
from django.urls import reverse

from clinic.tests.factories import actor_for
from intake.models import CallStatus, DiscoveryCall
from intake.services import discovery_calls as calls

from .helpers import at, call_booked, manage_token, path_of, text_of


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
    assert calls.call_cancel(call=booked, actor=actor_for()) is False


@pytest.mark.django_db
def test_rescheduling_into_a_taken_slot_is_refused(client, booked, caller_clinician):
    other = calls.call_book(
        clinician_id=caller_clinician.pk,
        start=at(3, 10),
        details={"name": "Other", "email": "o@example.com", "phone": "+14155550111"},
        source="online",
        actor=actor_for(),
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


# ------------------------------------------------------ the manage page asks, then says where


@pytest.fixture
def manage(client, maya, frozen):
    """(call, manage page path) for a call on Wednesday 2 December at 9:00."""
    call = call_booked(at(2, 9), clinician=maya)
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
    call_booked(at(3, 10), clinician=maya, email="other@example.com")
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
