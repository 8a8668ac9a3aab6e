"""Discovery calls and visits hold one same clinician's time (issue 21): the database refuses a
visit over a call, the call pages never offer a time the clinician spends with a patient, and
moving or cancelling a call frees what it held."""

import pytest
from django.db import IntegrityError, transaction

from clinic.tests.factories import PatientFactory, actor_for
from intake.models import BookedSlot, VisitType
from intake.models.visits import grid_slots
from intake.services import discovery_calls as calls
from intake.services import visits

from .helpers import at


def book_visit(clinician, start, key="follow_up"):
    return visits.visit_book(
        patient=PatientFactory(),
        clinician=clinician,
        visit_type=VisitType.objects.get(key=key),
        start=start,
        actor=actor_for(clinician),
    )


def test_grid_slots_cover_every_slot_a_time_reaches_into():
    assert grid_slots(at(2, 9, 50), at(2, 10, 10)) == [
        at(2, 9, 50),
        at(2, 9, 55),
        at(2, 10),
        at(2, 10, 5),
    ]
    # off the grid: 9:52-9:57 touches the slots of 9:50 and 9:55
    assert grid_slots(at(2, 9, 52), at(2, 9, 57)) == [at(2, 9, 50), at(2, 9, 55)]
    assert grid_slots(at(2, 9), at(2, 9)) == []


@pytest.mark.django_db
def test_a_booked_call_holds_its_slots(booked):
    held = list(BookedSlot.objects.filter(call=booked).order_by("start").values_list("start"))
    assert [row[0] for row in held] == grid_slots(booked.start, booked.end)
    assert held


@pytest.mark.django_db
def test_a_visit_over_a_booked_call_is_refused(booked, caller_clinician):
    with pytest.raises(visits.VisitTimeTaken, match="already has a visit or a call"):
        book_visit(caller_clinician, at(2, 8, 30))  # 8:30-9:15 runs into the 9:00 call
    assert not BookedSlot.objects.filter(visit__isnull=False).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_slot_held_twice_by_a_call_and_a_visit(booked, caller_clinician):
    visit = book_visit(caller_clinician, at(2, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedSlot.objects.create(visit=visit, clinician=caller_clinician, start=booked.start)


@pytest.mark.django_db
def test_a_slot_is_held_by_exactly_one_visit_or_call(booked, caller_clinician):
    visit = book_visit(caller_clinician, at(2, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedSlot.objects.create(
            visit=visit, call=booked, clinician=caller_clinician, start=at(3, 9)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedSlot.objects.create(clinician=caller_clinician, start=at(3, 9))


@pytest.mark.django_db
def test_the_call_pages_do_not_offer_a_time_spent_with_a_patient(caller_clinician, frozen):
    book_visit(caller_clinician, at(2, 9))
    offered = {
        slot.start for slot in calls.open_slots() if slot.clinician_id == caller_clinician.pk
    }
    assert at(2, 9) not in offered and at(2, 9, 30) not in offered
    assert at(2, 10) in offered
    with pytest.raises(calls.SlotUnavailable):
        calls.call_book(
            clinician_id=caller_clinician.pk,
            start=at(2, 9),
            details={"name": "Robin", "email": "r@example.com", "phone": "+14155550199"},
            source="online",
            actor=actor_for(),
        )


@pytest.mark.django_db
def test_moving_a_call_moves_its_slots_and_cancelling_frees_them(booked, caller_clinician):
    calls.call_reschedule(call=booked, start=at(2, 11), actor=actor_for(caller_clinician))
    starts = set(BookedSlot.objects.filter(call=booked).values_list("start", flat=True))
    assert min(starts) == at(2, 11)
    book_visit(caller_clinician, at(2, 9))  # the old time is free for a patient
    calls.call_cancel(call=booked, actor=actor_for(caller_clinician))
    assert not BookedSlot.objects.filter(call=booked).exists()
    book_visit(caller_clinician, at(2, 11))
