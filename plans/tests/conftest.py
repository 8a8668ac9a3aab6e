"""The plans tests' shared fixtures: the clinician, the users who may not see their records,
where files land, and plans generated, issued and linked through the app."""

from pathlib import Path

import pytest
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import (
    PatientPlanLinkFactory,
    PlanVersionFactory,
    SignedEvaluationFactory,
    UserFactory,
)
from plans.models import Plan


@pytest.fixture
def clinician(db):
    """The clinician of the plans tests: named, on the care team of the patients they make."""
    return UserFactory(
        username="p-clinician", first_name="Maya", last_name="Okafor", role=Role.CLINICIAN
    )


@pytest.fixture
def others(db):
    """Who may not see the clinician's records: front desk, a clinician outside the care
    team, a clinic admin."""
    return {
        "desk": UserFactory(username="p-desk", role=Role.FRONT_DESK),
        "outsider": UserFactory(username="p-outsider", role=Role.CLINICIAN),
        "admin": UserFactory(username="p-clinic-admin", role=Role.CLINIC_ADMIN),
    }


@pytest.fixture
def media_root(settings) -> Path:
    """Where rendered and uploaded files land in this test (a temporary folder: conftest.py
    at the top of the suite moves MEDIA_ROOT, which the default storage follows)."""
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def plan(client, clinician):
    """A plan for left patellofemoral pain, generated through the editor by ``clinician``,
    who stays logged in to ``client``."""
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M22.2X2")
    client.force_login(clinician)
    response = client.post(
        reverse("plans:plan_create", args=[evaluation.pk]), {"phase": "strengthen"}
    )
    assert response.status_code == 302
    return Plan.objects.get()


@pytest.fixture
def version(clinician):
    """An issued first version of a newly generated plan of ``clinician``."""
    return PlanVersionFactory(plan__evaluation__clinician=clinician)


@pytest.fixture
def plan_link(version):
    """(link, signed token) of the patient's mailed link to ``version``'s plan."""
    link = PatientPlanLinkFactory(plan=version.plan)
    return link, link.signed_token
