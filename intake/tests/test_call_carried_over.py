"""What the caller said on the discovery call stays with the patient: how they heard of the
clinic, the goal race and its date, where it hurts and their story, on the chart and offered
again in the questionnaire."""

import datetime
import re

import pytest
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import UserFactory
from intake.forms.discovery_calls import BookingForm
from intake.models import IntakeLink, Patient

CONVERT = {
    "legal_first_name": "Robin",
    "legal_last_name": "Quinn",
    "date_of_birth": "1991-02-03",
    "email": "robin@example.com",
    "phone": "+14155550199",
    "status": "prospect",
    "referral_source": "coach",
    "send_link": "1",
    "send_mail": "",
}


@pytest.fixture
def told(booked):
    booked.heard_from = "coach"
    booked.area = "knee"
    booked.how_long = "six weeks"
    booked.goal_race = "California International Marathon"
    booked.goal_race_date = datetime.date(2027, 12, 5)
    booked.story = "Outside knee pain after 8 miles, worse on downhills."
    booked.save()
    return booked


@pytest.fixture
def converted(client, told):
    client.force_login(UserFactory(username="desk-carry", role=Role.FRONT_DESK))
    url = reverse("intake:call_convert", args=[told.pk])
    form = client.get(url).content.decode()
    assert '<option value="coach" selected>' in form  # not "Discovery call"
    assert client.post(url, CONVERT).status_code == 302
    return Patient.objects.get(legal_last_name="Quinn")


@pytest.mark.django_db
def test_the_chart_keeps_what_the_caller_said(client, converted):
    assert converted.referral_source == "coach"
    chart = client.get(converted.get_absolute_url()).content.decode()
    card = chart.split('id="call-h"', 1)[1].split("</section>", 1)[0]
    for said in ("California International Marathon", "Dec 5, 2027", "Knee, six weeks"):
        assert said in card
    assert "Outside knee pain after 8 miles" in card and "Coach or running club" in card


@pytest.mark.django_db
def test_the_questionnaire_offers_the_goal_race_and_the_story_again(client, converted):
    token_path = client.session[f"new-link-{converted.pk}"].split("testserver", 1)[1]
    client.logout()
    profile = client.get(token_path + "profile/").content.decode()
    assert 'value="California International Marathon"' in profile
    assert 'value="2027-12-05"' in profile
    complaint = client.get(token_path + "complaint/").content.decode()
    assert "Outside knee pain after 8 miles" in complaint
    assert re.search(r'value="knee"[^>]*checked', complaint)
    assert IntakeLink.objects.filter(intake__patient=converted).count() == 1


def test_discovery_call_is_not_an_answer_to_how_did_you_hear_about_us():
    choices = dict(BookingForm().fields["heard_from"].choices)
    assert "discovery_call" not in choices and "coach" in choices


def test_booking_by_phone_asks_for_the_callers_name_not_yours():
    from intake.forms.discovery_calls import PhoneBookingForm

    form = PhoneBookingForm()
    assert form.fields["name"].label == "Caller's name"
    assert not [f.label for f in form.fields.values() if "Your" in str(f.label)]
    assert BookingForm().fields["name"].label == "Your name"  # the public form is unchanged
