"""The clinic tests' shared fixtures: one user of each staff role, and the two patients'
worlds of the object-leak tests."""

import pytest
import time_machine

from clinic.access import Role

from . import leak_world
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


@pytest.fixture
def clinic(db, settings, tmp_path):
    """Patients A and B of different care teams, each with one record of every kind a route
    takes (clinic/tests/leak_world.py); the clock runs on from a Tuesday morning."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.TWO_FACTOR_REQUIRED = False
    with time_machine.travel(leak_world.NOW, tick=True):
        yield leak_world.build_clinic()
