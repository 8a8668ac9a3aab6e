"""A series from the plan of care (issue 21): "2 a week for 6 weeks" is proposed as twelve
times on the same weekdays and hour; collisions show with the nearest free time; nothing is
saved before the front desk books the chosen times, all or none, with one mail."""

import re

import pytest
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import Visit, VisitType
from intake.services import visits

from .helpers import LA, at, working_hours


@pytest.fixture
def maya(db):
    user = UserFactory(username="series-maya", role=Role.CLINICIAN, first_name="Maya")
    working_hours(user, hours=((8, 12), (13, 18)))
    return user


@pytest.fixture
def runner(maya):
    return PatientFactory(email="sam@example.com", primary_clinician=maya)


@pytest.fixture
def desk(db, client):
    user = UserFactory(username="series-desk", role=Role.FRONT_DESK)
    client.force_login(user)
    return user


def series_form(maya, **extra):
    return {
        "visit_type": VisitType.objects.get(key="follow_up").pk,
        "clinician": maya.pk,
        "date": "2026-12-02",  # a Wednesday
        "time": "09:00",
        "weekdays": ["0", "2"],  # Monday and Wednesday
        "count": "12",
        **extra,
    }


@pytest.mark.django_db
def test_two_a_week_for_six_weeks_proposes_twelve_and_shows_the_collision(
    client, desk, maya, runner, frozen
):
    visits.visit_book(
        patient=PatientFactory(),
        clinician=maya,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=at(9, 9, 15),  # Wednesday December 9, 9:15: collides with the series' 9:00
        actor=actor_for(maya),
    )
    url = reverse("intake:visit_series", args=[runner.pk])
    page = client.post(url, series_form(maya, propose="1")).content.decode()
    assert page.count('name="pick-') == 12 + 12  # a wanted or a nearest radio, and skip
    assert "already has a visit or a call then" in page
    assert "nearest free: 8:30 AM" in page  # 8:30-9:15 ends as the other starts
    assert Visit.objects.count() == 1  # nothing saved yet


@pytest.mark.django_db
def test_booking_the_chosen_times_books_them_all_with_one_mail(
    client, desk, maya, runner, frozen, link_mails_sent, mailoutbox
):
    url = reverse("intake:visit_series", args=[runner.pk])
    page = client.post(url, series_form(maya, propose="1")).content.decode()
    picks = dict(re.findall(r'name="(pick-\d+)" id="pick-\d+-w" value="([^"]+)"', page))
    assert len(picks) == 12
    picks["pick-3"] = "skip"
    with link_mails_sent():
        response = client.post(url, {**series_form(maya), **picks, "book": "1"})
    assert response.status_code == 302
    booked = list(Visit.objects.filter(patient=runner).order_by("start"))
    assert len(booked) == 11
    assert {timezone_hour(v) for v in booked} == {(9, 0)}
    assert {v.start.astimezone(LA).weekday() for v in booked} == {0, 2}
    (mail,) = mailoutbox
    assert mail.subject.endswith("visits at Runner PT Clinic are booked") and "11" in mail.subject
    assert mail.body.count("Follow-up") == 11


def timezone_hour(visit):
    local = visit.start.astimezone(LA)
    return local.hour, local.minute


@pytest.mark.django_db
def test_a_time_taken_since_the_proposal_books_nothing_and_says_which(
    client, desk, maya, runner, frozen
):
    url = reverse("intake:visit_series", args=[runner.pk])
    page = client.post(url, series_form(maya, count="4", propose="1")).content.decode()
    picks = dict(re.findall(r'name="(pick-\d+)" id="pick-\d+-w" value="([^"]+)"', page))
    visits.visit_book(  # someone else books Monday December 7, 9:00 meanwhile
        patient=PatientFactory(),
        clinician=maya,
        visit_type=VisitType.objects.get(key="follow_up"),
        start=at(7, 9),
        actor=actor_for(maya),
    )
    response = client.post(url, {**series_form(maya, count="4"), **picks, "book": "1"})
    text = response.content.decode()
    assert response.status_code == 200 and "Monday, December 7, 9:00 AM" in text
    assert "Nothing was booked" in text
    assert not Visit.objects.filter(patient=runner).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weekdays": []}, "Choose at least one weekday"),
        ({"count": "99"}, "less than or equal to 36"),
        ({"count": "two"}, "Enter a whole number"),
        ({"pick-1": "not-a-time"}, "Choose at least one time"),
    ],
    ids=["no-weekday", "too-many", "not-a-number", "tampered-pick"],
)
def test_bad_series_input_is_refused_in_words(client, desk, maya, runner, frozen, change, message):
    url = reverse("intake:visit_series", args=[runner.pk])
    response = client.post(url, {**series_form(maya), "book": "1", **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Visit.objects.exists()
