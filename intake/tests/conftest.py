"""The intake tests' shared fixtures: staff, a patient, a questionnaire link, a draft
evaluation, and the discovery calls' clinician, clock and booked call."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import CallAvailability, CallHours, Evaluation
from intake.services import discovery_calls as calls

from .helpers import NOW, at, call_hours, working_hours


@pytest.fixture
def clinician(db):
    return UserFactory(username="t-clinician", first_name="Maya", role=Role.CLINICIAN)


@pytest.fixture
def frontdesk(db):
    return UserFactory(username="t-frontdesk", role=Role.FRONT_DESK)


@pytest.fixture
def clinic_admin(db):
    return UserFactory(username="t-admin", role=Role.CLINIC_ADMIN, is_staff=True)


@pytest.fixture
def patient(db):
    return PatientFactory(
        legal_first_name="Jordan",
        legal_last_name="Ellis",
        email="jordan@example.com",
        sex="female",
    )


@pytest.fixture
def intake_link(client, frontdesk, patient):
    """(token, url path) of a fresh questionnaire link for ``patient``, made through the UI."""
    client.force_login(frontdesk)
    client.post(reverse("intake:patient_send_link", args=[patient.pk]), {"send_mail": ""})
    url = client.session[f"new-link-{patient.pk}"]
    client.logout()
    path = url.split("testserver", 1)[1]
    token = path.rstrip("/").split("/")[-1]
    return token, path


@pytest.fixture
def evaluation(client, clinician, patient):
    """A draft evaluation of ``patient``, made through the UI by ``clinician``, who stays
    logged in to ``client``."""
    client.force_login(clinician)
    response = client.post(
        reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "initial"}
    )
    assert response.status_code == 302
    return Evaluation.objects.get(patient=patient)


@pytest.fixture
def frozen():
    """The discovery calls' clock stands still at NOW (a Tuesday morning)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def caller_clinician(db):
    """A clinician who takes discovery calls on weekdays, 8-12 and 13-17."""
    user = UserFactory(username="call-clinician", first_name="Maya", role=Role.CLINICIAN)
    availability = CallAvailability.objects.create(clinician=user)
    for weekday in range(5):
        CallHours.objects.create(
            availability=availability,
            weekday=weekday,
            start=datetime.time(8),
            end=datetime.time(12),
        )
        CallHours.objects.create(
            availability=availability,
            weekday=weekday,
            start=datetime.time(13),
            end=datetime.time(17),
        )
    working_hours(user)
    return user


@pytest.fixture
def booked(caller_clinician, frozen):
    """A video call booked online for Wednesday 9:00, through the booking service."""
    return calls.call_book(
        clinician_id=caller_clinician.pk,
        start=at(2, 9),
        details={
            "name": "Robin Quinn",
            "email": "robin@example.com",
            "phone": "+14155550199",
            "call_type": "video",
        },
        source="online",
        actor=actor_for(),
    )


@pytest.fixture
def maya(db):
    """A clinician who takes discovery calls on weekdays, 8-12 and 13-17."""
    user = UserFactory(username="call-maya", first_name="Maya", role=Role.CLINICIAN)
    call_hours(user)
    return user


@pytest.fixture
def sam(maya):
    """A second clinician free at the same times."""
    user = UserFactory(username="call-sam", first_name="Sam", role=Role.CLINICIAN)
    call_hours(user)
    return user
