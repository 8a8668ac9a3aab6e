"""A booked visit's life (issue 21): moved, cancelled (late inside the notice period), checked
in, marked a no-show; each change mails the patient with the same invite UID, and the reminder
goes out once, 24 hours before."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clinic.access import Role
from clinic.models import AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import BookedSlot, Visit, VisitStatus, VisitType
from intake.services import visits
from intake.services.visit_mail import visit_mail_send, visit_reminders_send

from .helpers import LA, NOW, at, parsed_invite, working_hours


@pytest.fixture
def maya(db):
    user = UserFactory(username="visits-maya", role=Role.CLINICIAN, first_name="Maya")
    working_hours(user, hours=((7, 19),))
    return user


@pytest.fixture
def visit(maya, frozen, link_mails_sent):
    patient = PatientFactory(email="sam@example.com", preferred_name="Sam")
    with link_mails_sent():
        return visits.visit_book(
            patient=patient,
            clinician=maya,
            visit_type=VisitType.objects.get(key="follow_up"),
            start=at(3, 9),  # Thursday, two days ahead
            actor=actor_for(maya),
        )


@pytest.mark.django_db
def test_booking_mails_the_patient_an_invite_without_health_data(visit, mailoutbox):
    (mail,) = mailoutbox
    assert mail.subject.startswith("Your visit at") and "Sam" not in mail.subject
    assert "Thursday, December 3, 2026 at 9:00 AM" in mail.body
    assert "Follow-up" in mail.body and "Maya" in mail.body
    invite = parsed_invite(mail)
    event = invite.walk("VEVENT")[0]
    assert str(invite["METHOD"]) == "REQUEST"
    assert event["DTSTART"].dt == at(3, 9) and event["DTEND"].dt == at(3, 9, 45)
    assert str(event["SUMMARY"]).startswith("Visit at")
    assert visit.reminder_due_at == at(2, 9)


@pytest.mark.django_db
def test_moving_keeps_the_uid_frees_the_old_time_and_mails_the_new_one(
    visit, maya, mailoutbox, link_mails_sent
):
    with link_mails_sent():
        visits.visit_move(visit=visit, start=at(3, 9, 15), actor=actor_for(maya))  # overlaps
    visit.refresh_from_db()
    assert (visit.start, visit.end, visit.sequence) == (at(3, 9, 15), at(3, 10), 1)
    starts = sorted(BookedSlot.objects.filter(visit=visit).values_list("start", flat=True))
    assert starts[0] == at(3, 9, 15) and len(starts) == 9
    booked, moved = mailoutbox
    assert "has moved" in moved.subject and "9:15 AM" in moved.body
    uids = {str(parsed_invite(m).walk("VEVENT")[0]["UID"]) for m in mailoutbox}
    assert len(uids) == 1
    assert AuditEvent.objects.filter(detail__startswith="moved from").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "error"),
    [
        (at(3, 6), visits.VisitOutOfHours),
        (at(1, 6), ValidationError),  # in the past
        (at(3, 9), ValidationError),  # the same time
    ],
    ids=["out-of-hours", "past", "same-time"],
)
def test_a_refused_move_leaves_the_visit_and_its_time_as_they_were(visit, maya, start, error):
    with pytest.raises(error):
        visits.visit_move(visit=visit, start=start, actor=actor_for(maya))
    visit.refresh_from_db()
    assert visit.start == at(3, 9) and visit.slots.count() == 9


@pytest.mark.django_db
def test_a_move_onto_another_visit_is_refused_and_keeps_both(visit, maya):
    other = visits.visit_book(
        patient=PatientFactory(),
        clinician=maya,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=at(3, 11),
        actor=actor_for(maya),
    )
    with pytest.raises(visits.VisitTimeTaken):
        visits.visit_move(visit=visit, start=at(3, 10, 30), actor=actor_for(maya))
    assert BookedSlot.objects.filter(visit=visit).count() == 9
    assert BookedSlot.objects.filter(visit=other).count() == 9


@pytest.mark.django_db
def test_cancelling_mails_a_cancel_invite(visit, maya, mailoutbox, link_mails_sent):
    with link_mails_sent():
        visits.visit_cancel(visit=visit, actor=actor_for(maya))
    invite = parsed_invite(mailoutbox[-1])
    assert str(invite["METHOD"]) == "CANCEL" and "cancelled" in mailoutbox[-1].subject
    assert Visit.objects.get().status == VisitStatus.CANCELLED


@pytest.mark.django_db
def test_a_visit_cannot_be_cancelled_once_it_is_over(visit, maya):
    with pytest.raises(ValidationError, match="no-show"):
        visits.visit_cancel(visit=visit, actor=actor_for(maya), now=at(3, 10))
    with pytest.raises(ValidationError, match="has started"):  # a tampered late POST
        visits.visit_cancel(visit=visit, actor=actor_for(maya), now=at(3, 9, 5))


@pytest.mark.django_db
def test_checking_in_is_for_the_visits_own_day(visit, maya):
    with pytest.raises(ValidationError, match="day of their visit"):
        visits.visit_arrive(visit=visit, actor=actor_for(maya))  # it is Tuesday
    arrived = visits.visit_arrive(visit=visit, actor=actor_for(maya), now=at(3, 8, 50))
    assert arrived.status == VisitStatus.ARRIVED and arrived.status_changed_at == at(3, 8, 50)
    assert arrived.slots.count() == 9  # still holds the time
    with pytest.raises(ValidationError, match="arrived already"):
        visits.visit_no_show(visit=visit, actor=actor_for(maya), now=at(3, 9, 30))


@pytest.mark.django_db
def test_a_no_show_is_marked_after_the_start_and_frees_the_rest_of_the_time(visit, maya):
    with pytest.raises(ValidationError, match="not started yet"):
        visits.visit_no_show(visit=visit, actor=actor_for(maya))
    missed = visits.visit_no_show(visit=visit, actor=actor_for(maya), now=at(3, 9, 10))
    assert missed.status == VisitStatus.NO_SHOW and not missed.slots.exists()
    with pytest.raises(ValidationError, match="not booked any more"):
        visits.visit_cancel(visit=visit, actor=actor_for(maya), now=at(3, 9, 10))


@pytest.mark.django_db
def test_the_reminder_goes_out_once_and_a_move_gets_its_own(visit, maya, mailoutbox):
    mailoutbox.clear()
    day_before = at(2, 9, 5)
    assert visit_reminders_send(now=day_before) == 1
    assert visit_reminders_send(now=day_before) == 0  # the beat fires again
    assert visit_reminders_send(now=day_before + datetime.timedelta(hours=3)) == 0
    (reminder,) = mailoutbox
    assert reminder.subject.endswith("is tomorrow") and "Sam" not in reminder.subject
    with time_machine.travel(day_before, tick=False):
        visits.visit_move(visit=visit, start=at(4, 10), actor=actor_for(maya))
    assert visit_reminders_send(now=at(3, 10, 5)) == 1


@pytest.mark.django_db
def test_a_failed_reminder_is_released_and_sent_on_the_next_beat(visit, mailoutbox, monkeypatch):
    mailoutbox.clear()
    from intake.services import visit_mail

    real = visit_mail.visit_mail_send

    def broken(*args, **kwargs):
        raise OSError("smtp down for sam@example.com")

    monkeypatch.setattr(visit_mail, "visit_mail_send", broken)
    assert visit_reminders_send(now=at(2, 9, 5)) == 0
    assert Visit.objects.get().reminder_sent_at is None
    monkeypatch.setattr(visit_mail, "visit_mail_send", real)
    assert visit_reminders_send(now=at(2, 9, 10)) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_no_mail_for_a_visit_booked_near_or_for_a_patient_without_an_address(maya, frozen):
    near = visits.visit_book(
        patient=PatientFactory(email=""),
        clinician=maya,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=at(1, 15),
        actor=actor_for(maya),
    )
    assert near.reminder_due_at is None
    assert visit_mail_send(near.pk, "booked") is False


@pytest.mark.django_db
def test_a_queued_confirmation_is_not_sent_for_a_visit_cancelled_meanwhile(visit, maya, mailoutbox):
    visits.visit_cancel(visit=visit, actor=actor_for(maya))
    mailoutbox.clear()
    assert visit_mail_send(visit.pk, "booked") is False
    assert not mailoutbox


def test_now_is_a_tuesday_morning():
    assert NOW.weekday() == 1 and NOW.tzinfo == LA
