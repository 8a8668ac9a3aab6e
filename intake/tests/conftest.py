import pytest

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory


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
    from django.urls import reverse

    client.force_login(frontdesk)
    client.post(reverse("intake:patient_send_link", args=[patient.pk]), {"send_mail": ""})
    url = client.session[f"new-link-{patient.pk}"]
    client.logout()
    path = url.split("testserver", 1)[1]
    token = path.rstrip("/").split("/")[-1]
    return token, path
