"""Booking visits (issue 21, step 3): the database keeps every clinician single-booked, on
PostgreSQL under a 20-way race of overlapping times as well as one booking at a time."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import BlackoutDate, BookedSlot, Visit, VisitStatus, VisitType
from intake.services import visits

from .helpers import working_hours

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)  # a Tuesday morning


def at(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=LA)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def therapist(db):
    user = UserFactory(username="visit-pt", role=Role.CLINICIAN, first_name="Maya")
    working_hours(user, hours=((8, 18),))
    return user


def book(therapist, start, key="follow_up", patient=None):
    return visits.visit_book(
        patient=patient or PatientFactory(),
        clinician=therapist,
        visit_type=VisitType.objects.get(key=key),
        start=start,
        actor=actor_for(therapist),
    )


@pytest.mark.django_db
def test_a_visit_holds_its_clinicians_time_slot_by_slot(therapist, frozen):
    visit = book(therapist, at(2, 9))  # 45 minutes
    assert visit.end == at(2, 9, 45)
    assert visit.slots.count() == 9
    assert visit.slots.order_by("start").last().start == at(2, 9, 40)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "second",
    [at(2, 9), at(2, 9, 40), at(2, 8, 30)],  # same start, last 5 minutes, overlapping the start
    ids=["same-start", "overlapping-the-end", "overlapping-the-start"],
)
def test_an_overlapping_visit_is_refused_with_a_clear_message(therapist, frozen, second):
    book(therapist, at(2, 9))
    key = "initial_evaluation" if second == at(2, 8, 30) else "follow_up"  # 8:30 + 60 min
    with pytest.raises(visits.VisitTimeTaken, match="already has a visit"):
        book(therapist, second, key=key)
    assert Visit.objects.count() == 1  # the refused visit left nothing behind


@pytest.mark.django_db
def test_back_to_back_visits_and_another_clinician_at_the_same_time_are_fine(therapist, frozen):
    book(therapist, at(2, 9))
    book(therapist, at(2, 9, 45))  # starts when the first ends
    other = UserFactory(username="visit-pt-2", role=Role.CLINICIAN)
    working_hours(other)
    book(other, at(2, 9))
    assert Visit.objects.count() == 3


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_hold_on_a_slot(therapist, frozen):
    visit = book(therapist, at(2, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookedSlot.objects.create(visit=visit, clinician=therapist, start=at(2, 9, 10))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(1, 6), "That time has passed"),
        (at(2, 9, 7), "5-minute grid"),
        (datetime.datetime(2026, 12, 2, 9, 0), "time zone"),
    ],
    ids=["in-the-past", "off-the-grid", "naive"],
)
def test_bad_times_are_refused_in_plain_words(therapist, frozen, start, message):
    with pytest.raises(ValidationError, match=message):
        book(therapist, start)
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_cancelling_frees_the_time_and_inside_24_hours_it_is_a_late_cancel(therapist, frozen):
    early = book(therapist, at(3, 9))
    late = book(therapist, at(1, 15))  # 8 hours from now
    assert visits.visit_cancel(visit=early, actor=actor_for(therapist)).status == "cancelled"
    assert visits.visit_cancel(visit=late, actor=actor_for(therapist)).status == "late_cancel"
    assert not BookedSlot.objects.exists()
    book(therapist, at(3, 9))  # the freed time can be booked again
    with pytest.raises(ValidationError, match="not booked any more"):
        visits.visit_cancel(visit=early, actor=actor_for(therapist))
    assert Visit.objects.filter(status=VisitStatus.BOOKED).count() == 1


@pytest.mark.django_db
def test_a_visit_length_off_the_grid_is_refused_by_the_admin_form():
    visit_type = VisitType(key="odd", name="Odd", kind="treatment", minutes=42)
    with pytest.raises(ValidationError, match="5-minute steps"):
        visit_type.full_clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_overlapping_bookings_at_once_leave_the_clinician_single_booked(therapist):
    # Twenty front-desk clicks at the same instant, each 45 minutes from 9:00 + 5 x n minutes:
    # every pair within 40 minutes overlaps.
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(20)
    results = {}
    patients = [PatientFactory() for _ in range(20)]
    visit_type = VisitType.objects.get(key="follow_up")

    def attempt(n):
        try:
            barrier.wait(timeout=10)
            visits.visit_book(
                patient=patients[n],
                clinician=therapist,
                visit_type=visit_type,
                start=at(2, 9) + datetime.timedelta(minutes=5 * n),
                actor=actor_for(therapist),
            )
            results[n] = "booked"
        except visits.VisitTimeTaken:
            results[n] = "taken"
        finally:
            connection.close()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert len(results) == 20 and set(results.values()) <= {"booked", "taken"}
    booked = sorted(Visit.objects.filter(status=VisitStatus.BOOKED), key=lambda v: v.start)
    assert list(results.values()).count("booked") == len(booked)
    for first, second in zip(booked, booked[1:], strict=False):
        assert first.end <= second.start, (first.start, second.start)
    # 20 starts over 95 minutes of 45-minute visits: at most 3 fit without overlapping.
    assert 1 <= len(booked) <= 3
    assert BookedSlot.objects.count() == 9 * len(booked)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(2, 7, 30), "outside Maya's working hours: on Wednesdays 8:00 AM–6:00 PM"),
        (at(2, 17, 30), "outside Maya's working hours"),  # 17:30 + 45 min runs past 18:00
        (at(5, 9), "does not work on Saturdays"),
        (at(4, 9), "Maya is off on Friday, December 4"),  # her own day off
        (at(24, 9), "Maya is off on Thursday, December 24"),  # the clinic's
    ],
    ids=["before-hours", "runs-past-hours", "weekend", "own-day-off", "clinic-closed"],
)
def test_a_visit_outside_the_clinicians_hours_is_refused(therapist, frozen, start, message):
    schedule = therapist.call_availability
    BlackoutDate.objects.create(availability=schedule, date=datetime.date(2026, 12, 4))
    BlackoutDate.objects.create(availability=None, date=datetime.date(2026, 12, 24))
    with pytest.raises(visits.VisitOutOfHours, match=message):
        book(therapist, start)
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_clinician_without_working_hours_cannot_be_booked_yet(frozen):
    newcomer = UserFactory(username="visit-new", role=Role.CLINICIAN, first_name="Ben")
    with pytest.raises(visits.VisitOutOfHours, match="Ben has no working hours yet"):
        book(newcomer, at(2, 9))
