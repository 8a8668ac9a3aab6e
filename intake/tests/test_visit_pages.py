"""The calendar and visit pages (issue 21): the front desk books from the chart and straight
after converting a call, sees the whole clinic's day and week with the calls on it, and moves,
cancels, checks in and marks no-shows; refusals keep what was typed; other clinicians'
patients stay hidden."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import EmergencyAccess, Patient, Visit, VisitStatus, VisitType, WorkingHours
from intake.services import visits

from .helpers import at, working_hours


@pytest.fixture
def desk(db, client):
    user = UserFactory(username="visit-desk", role=Role.FRONT_DESK)
    client.force_login(user)
    return user


@pytest.fixture
def maya(db):
    user = UserFactory(username="pages-maya", role=Role.CLINICIAN, first_name="Maya")
    working_hours(user, hours=((8, 12), (13, 18)))
    return user


@pytest.fixture
def runner(maya):
    return PatientFactory(
        legal_first_name="Jordan", legal_last_name="Ellis", primary_clinician=maya
    )


def book_form(**extra):
    return {
        "visit_type": VisitType.objects.get(key="follow_up").pk,
        "date": "2026-12-02",
        "time": "09:00",
        **extra,
    }


def booked(patient, clinician, start, key="follow_up"):
    return visits.visit_book(
        patient=patient,
        clinician=clinician,
        visit_type=VisitType.objects.get(key=key),
        start=start,
        actor=actor_for(clinician),
    )


@pytest.mark.django_db
def test_the_front_desk_books_from_the_chart(client, desk, maya, runner, frozen):
    chart = client.get(runner.get_absolute_url()).content.decode()
    url = reverse("intake:visit_new", args=[runner.pk])
    assert url in chart and "Nothing booked." in chart
    form = client.get(url).content.decode()
    assert "Book a visit for Jordan Ellis" in form
    response = client.post(url, book_form(clinician=maya.pk))
    visit = Visit.objects.get()
    assert response["Location"] == reverse("intake:visit_detail", args=[visit.pk])
    assert (visit.start, visit.booked_by, visit.clinician) == (at(2, 9), desk, maya)
    chart = client.get(runner.get_absolute_url()).content.decode()
    assert "Wed Dec 2, 9:00 AM" in chart


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time": "07:00"}, "outside Maya"),
        ({"time": "09:03"}, "5-minute grid"),
        ({"date": "2026-11-30"}, "That time has passed"),
        ({"date": "2027-03-14", "time": "02:30"}, "the clocks skip it"),  # spring forward
        ({"date": "not-a-date"}, "Enter a valid date"),
        ({"time": ""}, "This field is required"),
    ],
    ids=["out-of-hours", "off-grid", "past", "dst-gap", "bad-date", "no-time"],
)
def test_a_refused_booking_says_why_and_keeps_what_was_typed(
    client, desk, maya, runner, frozen, change, message
):
    url = reverse("intake:visit_new", args=[runner.pk])
    response = client.post(url, book_form(clinician=maya.pk, **change))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'value="{change.get("date", "2026-12-02")}"' in page or "date" not in change
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_taken_time_is_refused_and_the_days_free_times_are_offered(
    client, desk, maya, runner, frozen
):
    booked(PatientFactory(), maya, at(2, 9))
    url = reverse("intake:visit_new", args=[runner.pk])
    page = client.post(url, book_form(clinician=maya.pk, time="09:15")).content.decode()
    assert "already has a visit or a call" in page
    assert 'value="09:45"' in page and 'value="09:00"' not in page and 'value="09:30"' not in page
    response = client.post(url, book_form(clinician=maya.pk, time="09:15", suggested="09:45"))
    assert response.status_code == 302
    assert Visit.objects.get(patient=runner).start == at(2, 9, 45)


@pytest.mark.django_db
def test_show_free_times_books_nothing(client, desk, maya, runner, frozen):
    url = reverse("intake:visit_new", args=[runner.pk])
    page = client.post(url, book_form(clinician=maya.pk, time="", show="1")).content.decode()
    assert 'name="suggested" value="08:00"' in page and "This field is required" not in page
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_converting_a_call_goes_on_to_book_the_evaluation(client, booked_call_desk):
    client.force_login(booked_call_desk["desk"])
    call = booked_call_desk["call"]
    response = client.post(
        reverse("intake:call_convert", args=[call.pk]),
        {
            "legal_first_name": "Robin",
            "legal_last_name": "Quinn",
            "date_of_birth": "1991-02-03",
            "email": "robin@example.com",
            "phone": "+14155550199",
            "status": "prospect",
            "referral_source": "discovery_call",
            "book_evaluation": "1",
        },
    )
    call.refresh_from_db()
    book = reverse("intake:visit_new", args=[call.patient_id])
    assert response["Location"] == f"{book}?type=initial_evaluation"
    form = client.get(response["Location"]).content.decode()
    evaluation = VisitType.objects.get(key="initial_evaluation")
    assert f'<option value="{evaluation.pk}" selected>' in form


@pytest.fixture
def booked_call_desk(booked):
    return {"call": booked, "desk": UserFactory(username="convert-desk", role=Role.FRONT_DESK)}


@pytest.mark.django_db
def test_the_calendar_shows_the_clinics_day_and_week_with_calls(
    client, desk, maya, runner, frozen, booked
):
    # ``booked``: Robin Quinn's discovery call with the call clinician, Wednesday 9:00
    visit = visits.visit_book(
        patient=runner,
        clinician=maya,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=at(2, 10),
        actor=actor_for(maya),
    )
    url = reverse("intake:visit_calendar")
    day = client.get(url, {"day": "2026-12-02", "who": "all"}).content.decode()
    assert "Jordan Ellis" in day and reverse("intake:visit_detail", args=[visit.pk]) in day
    assert "Robin Quinn" in day  # the discovery call
    assert "Maya" in day
    week = client.get(url, {"day": "2026-12-03", "view": "week", "who": "all"}).content.decode()
    assert "Jordan Ellis" in week and "Wed Dec 2" in week and "Sun Dec 6" in week
    assert 'data-cal-key="ArrowLeft"' in week and "day=2026-11-26" in week
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, detail__startswith="calendar")
    bad = client.get(url, {"day": "99999-01-01", "who": "nobody"})
    assert bad.status_code == 200


@pytest.mark.django_db
def test_a_clinician_sees_anothers_patients_as_busy_only(client, maya, runner, frozen):
    visit = booked(runner, maya, at(2, 10))
    ben = UserFactory(username="pages-ben", role=Role.CLINICIAN, first_name="Ben")
    working_hours(ben)
    client.force_login(ben)
    day = client.get(reverse("intake:visit_calendar"), {"day": "2026-12-02", "who": "all"})
    page = day.content.decode()
    assert "Busy" in page and "Jordan" not in page
    assert reverse("intake:visit_detail", args=[visit.pk]) not in page
    assert client.get(reverse("intake:visit_detail", args=[visit.pk])).status_code == 404


@pytest.mark.django_db
def test_the_calendar_costs_the_same_queries_for_one_visit_or_thirty(
    client, desk, maya, frozen, django_assert_max_num_queries
):
    url = reverse("intake:visit_calendar")
    booked(PatientFactory(), maya, at(2, 8))
    client.get(url)  # the first request of a session loads its roles once
    with django_assert_max_num_queries(20) as one:
        client.get(url, {"day": "2026-12-02", "view": "week", "who": "all"})
    for day in (2, 3, 4):
        for hour in (9, 10, 11, 13, 14, 15, 16, 17):
            booked(PatientFactory(), maya, at(day, hour))
    with django_assert_max_num_queries(20) as many:
        page = client.get(url, {"day": "2026-12-02", "view": "week", "who": "all"})
    assert page.content.decode().count("cal-entry cal-visit") == 25
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_the_visit_page_moves_cancels_and_refuses_in_words(client, desk, maya, runner, frozen):
    visit = booked(runner, maya, at(3, 9))
    url = reverse("intake:visit_detail", args=[visit.pk])
    page = client.get(url).content.decode()
    assert "Move to another time" in page and "Check-in opens on the day" in page
    refused = client.post(url, {"move-date": "2026-12-03", "move-time": "06:00"})
    assert (
        "outside Maya" in refused.content.decode() and 'value="06:00"' in refused.content.decode()
    )
    moved = client.post(url, {"move-date": "2026-12-04", "move-time": "10:00"})
    assert moved.status_code == 302
    visit.refresh_from_db()
    assert visit.start == at(4, 10)
    client.post(reverse("intake:visit_status", args=[visit.pk, "cancel"]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    again = client.post(reverse("intake:visit_status", args=[visit.pk, "cancel"]), follow=True)
    assert "not booked any more" in again.content.decode()


@pytest.mark.django_db
def test_check_in_and_no_show_from_the_visit_page(client, desk, maya, runner):
    import time_machine

    with time_machine.travel(at(1, 6), tick=False):
        first = booked(runner, maya, at(2, 9))
        second = booked(runner, maya, at(2, 10))
    with time_machine.travel(at(2, 9, 20), tick=False):
        page = client.get(reverse("intake:visit_detail", args=[first.pk])).content.decode()
        assert "Checked in" in page and "No-show" in page
        client.post(reverse("intake:visit_status", args=[first.pk, "no-show"]))
        client.post(reverse("intake:visit_status", args=[second.pk, "arrive"]))
        unknown = client.post(reverse("intake:visit_status", args=[second.pk, "teleport"]))
    assert unknown.status_code == 302
    statuses = dict(Visit.objects.values_list("pk", "status"))
    assert statuses == {first.pk: VisitStatus.NO_SHOW, second.pk: VisitStatus.ARRIVED}


@pytest.mark.django_db
def test_a_visit_of_a_patient_outside_the_care_team_is_not_found(client, maya, runner, frozen):
    visit = booked(runner, maya, at(3, 9))
    ben = UserFactory(username="pages-ben2", role=Role.CLINICIAN)
    client.force_login(ben)
    assert client.get(reverse("intake:visit_new", args=[runner.pk])).status_code == 404
    cancel = client.post(reverse("intake:visit_status", args=[visit.pk, "cancel"]))
    assert cancel.status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.BOOKED


@pytest.mark.django_db
def test_the_dashboard_lists_todays_visits_the_clinicians_own(client, maya, runner):
    import time_machine

    ben = UserFactory(username="pages-ben3", role=Role.CLINICIAN, first_name="Ben")
    working_hours(ben)
    with time_machine.travel(at(2, 6), tick=False):
        mine = booked(runner, maya, at(2, 9))
        theirs = booked(PatientFactory(legal_last_name="Zyx"), ben, at(2, 10))
        booked(PatientFactory(legal_last_name="Tomorrowby"), maya, at(3, 9))
        client.force_login(maya)
        page = client.get(reverse("clinic:dashboard")).content.decode()
        assert 'id="panel-visits"' in page and "Jordan Ellis" in page
        assert "Zyx" not in page and "Tomorrowby" not in page
        desk = UserFactory(username="pages-desk", role=Role.FRONT_DESK)
        client.force_login(desk)
        page = client.get(reverse("clinic:dashboard")).content.decode()
    for visit in (mine, theirs):
        assert reverse("intake:visit_detail", args=[visit.pk]) in page


@pytest.mark.django_db
def test_a_visit_booked_and_cancelled_opens_no_chart(client, desk, runner, frozen):
    ben = UserFactory(username="pages-ben4", role=Role.CLINICIAN, first_name="Ben")
    working_hours(ben)
    visit = booked(runner, ben, at(3, 9))
    assert Patient.objects.visible_to(ben).filter(pk=runner.pk).exists()  # booked: his patient
    visits.visit_cancel(visit=visit, actor=actor_for(desk))
    assert not Patient.objects.visible_to(ben).filter(pk=runner.pk).exists()


@pytest.mark.django_db
def test_a_clinician_in_by_emergency_access_cannot_book_to_keep_the_record(runner, frozen):
    ben = UserFactory(username="pages-ben5", role=Role.CLINICIAN, first_name="Ben")
    working_hours(ben)
    EmergencyAccess.objects.create(
        patient=runner,
        user=ben,
        reason="Covering a colleague",
        expires_at=at(1, 12),
    )
    with pytest.raises(ValidationError, match="emergency access"):
        booked(runner, ben, at(3, 9))
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_the_clinic_cancelling_inside_the_notice_is_not_a_late_cancel(
    client, desk, maya, runner, frozen
):
    soon, other = booked(runner, maya, at(1, 15)), booked(runner, maya, at(1, 16))
    client.post(reverse("intake:visit_status", args=[soon.pk, "cancel"]), {"by": "clinic"})
    client.post(reverse("intake:visit_status", args=[other.pk, "cancel"]), {"by": "patient"})
    statuses = dict(Visit.objects.values_list("pk", "status"))
    assert statuses == {soon.pk: VisitStatus.CANCELLED, other.pk: VisitStatus.LATE_CANCEL}


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["9999-12-31", "2029-01-01", "1999-01-01"])
def test_a_date_far_off_is_refused_in_words(client, desk, maya, runner, frozen, date):
    url = reverse("intake:visit_new", args=[runner.pk])
    for data in (
        book_form(clinician=maya.pk, date=date),
        book_form(clinician=maya.pk, date=date, time="", show="1"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "from today to two years ahead" in response.content.decode()
    visit = booked(runner, maya, at(3, 9))
    moved = client.post(
        reverse("intake:visit_detail", args=[visit.pk]), {"move-date": date, "move-time": "17:00"}
    )
    assert moved.status_code == 200 and "two years ahead" in moved.content.decode()


def test_working_hours_off_the_grid_are_refused_by_the_admin_form():
    import datetime

    hours = WorkingHours(weekday=0, start=datetime.time(8, 7), end=datetime.time(12))
    with pytest.raises(ValidationError, match="5-minute grid"):
        hours.clean()
