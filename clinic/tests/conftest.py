import pytest

from clinic.access import Role

from .factories import UserFactory


@pytest.fixture
def clinician(db):
    return UserFactory(username="t-clinician", role=Role.CLINICIAN)


@pytest.fixture
def frontdesk(db):
    return UserFactory(username="t-frontdesk", role=Role.FRONT_DESK)


@pytest.fixture
def clinic_admin(db):
    return UserFactory(username="t-admin", role=Role.CLINIC_ADMIN, is_staff=True)
