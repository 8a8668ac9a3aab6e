"""Every model of a patient's record answers ``visible_to(user)`` (clinic/visibility.py).

The lint walks the models' foreign keys: a model that reaches a patient must have the method,
and the path it declares must be the one its keys take, so a new model cannot be left out.
"""

from collections import deque

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from clinic.access import Role
from clinic.tests.factories import (
    CallManageLinkFactory,
    CoachLinkFactory,
    DiscoveryCallFactory,
    EvaluationFactory,
    IntakeFactory,
    IntakeLinkFactory,
    OutcomeLinkFactory,
    PatientFactory,
    PatientPlanLinkFactory,
    PlanVersionFactory,
    RecordCopyLinkFactory,
    RecordDocumentFactory,
    UserFactory,
)
from intake.models import (
    CallManageLink,
    DiscoveryCall,
    Evaluation,
    Intake,
    IntakeLink,
    OutcomeLink,
    Patient,
)
from plans.models import (
    CoachLink,
    PatientPlanLink,
    Plan,
    PlanVersion,
    RecordCopyLink,
    RecordDocument,
    RenderJob,
)

# Rows that reach a patient but follow a rule of their own, each with its reason.
OWN_RULE = {
    "intake.Patient": "the care-team rule itself",
    "intake.DiscoveryCall": "the front desk sees every call, a clinician their own",
    "intake.EmergencyAccess": "break-the-glass grants: listed for the clinic admin to review",
}


def patient_path(model) -> str | None:
    """The shortest path of foreign keys from model to intake.Patient (users skipped)."""
    patient = apps.get_model("intake", "Patient")
    seen, queue = {model}, deque([(model, "")])
    while queue:
        current, path = queue.popleft()
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            target = field.related_model
            if target is None or target._meta.label == settings.AUTH_USER_MODEL:
                continue
            step = f"{path}__{field.name}" if path else field.name
            if target is patient:
                return step
            if target not in seen and target._meta.app_label in ("intake", "plans"):
                seen.add(target)
                queue.append((target, step))
    return None


def record_models():
    for app in ("intake", "plans"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.label not in OWN_RULE and patient_path(model):
                yield model


def test_every_model_of_a_record_answers_visible_to():
    missing = [m._meta.label for m in record_models() if not hasattr(m.objects, "visible_to")]
    assert not missing, f"Give these models visible_to (clinic/visibility.py): {missing}"


def test_the_declared_path_is_the_one_the_keys_take():
    wrong = {
        m._meta.label: (m.PATIENT_PATH, patient_path(m))
        for m in record_models()
        if patient_path(m) != m.PATIENT_PATH
    }
    assert not wrong, f"PATIENT_PATH differs from the foreign keys: {wrong}"


def test_the_lint_sees_the_models_of_a_record():
    labels = {m._meta.label for m in record_models()}
    # Two keys away, three keys away, and a link: the walk reaches them all.
    assert {"intake.Measurement", "plans.RenderJob", "plans.RecordCopyLink"} <= labels
    assert "plans.Exercise" not in labels  # the library belongs to no patient


@pytest.mark.django_db
def test_every_visible_to_compiles_for_each_role():
    users = [UserFactory(role=role) for role in Role]
    for model in record_models():
        for user in users:
            assert isinstance(model.objects.visible_to(user), models.QuerySet)
            list(model.objects.visible_to(user)[:1])  # the query runs


@pytest.fixture
def team():
    """Two clinicians with a patient each (evaluated by them), a front desk and an admin."""
    mine, theirs = UserFactory(role=Role.CLINICIAN), UserFactory(role=Role.CLINICIAN)
    return {
        "me": mine,
        "them": theirs,
        "desk": UserFactory(role=Role.FRONT_DESK),
        "admin": UserFactory(role=Role.CLINIC_ADMIN),
        "my_patient": PatientFactory(primary_clinician=mine),
        "their_patient": PatientFactory(primary_clinician=theirs),
    }


def rows(model, user) -> set[int]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_clinical_rows_follow_the_care_team_and_stay_hidden_from_the_front_desk(team):
    mine = EvaluationFactory(patient=team["my_patient"], clinician=team["me"])
    EvaluationFactory(patient=team["their_patient"], clinician=team["them"])
    intake = IntakeFactory(patient=team["my_patient"])
    assert rows(Evaluation, team["me"]) == {mine.pk}
    assert rows(Intake, team["me"]) == {intake.pk}
    assert rows(Intake, team["them"]) == set()
    for user in (team["desk"], team["admin"]):
        assert rows(Evaluation, user) == set() and rows(Intake, user) == set()


@pytest.mark.django_db
def test_plans_their_versions_pdfs_and_links_follow_the_plan(team):
    version = PlanVersionFactory(
        plan__evaluation__patient=team["my_patient"], plan__evaluation__clinician=team["me"]
    )
    plan = version.plan
    plan_link = PatientPlanLinkFactory(plan=plan)
    coach_link = CoachLinkFactory(plan=plan)
    assert rows(Plan, team["me"]) == {plan.pk}
    assert rows(PlanVersion, team["me"]) == {version.pk}
    assert rows(RenderJob, team["me"]) == {version.render.pk}
    assert rows(PatientPlanLink, team["me"]) == {plan_link.pk}
    assert rows(CoachLink, team["me"]) == {coach_link.pk}
    for user in (team["them"], team["desk"]):
        for model in (Plan, PlanVersion, RenderJob, PatientPlanLink, CoachLink):
            assert rows(model, user) == set(), (model, user)


@pytest.mark.django_db
def test_questionnaire_links_are_the_front_desks_outcome_links_are_not(team):
    intake_link = IntakeLinkFactory(intake__patient=team["my_patient"])
    outcome_link = OutcomeLinkFactory(request__patient=team["my_patient"])
    assert rows(IntakeLink, team["desk"]) == {intake_link.pk}
    assert rows(OutcomeLink, team["desk"]) == set()
    assert rows(OutcomeLink, team["me"]) == {outcome_link.pk}
    assert rows(IntakeLink, team["them"]) == set()


@pytest.mark.django_db
def test_a_patient_copy_is_the_exporters_a_letter_the_care_teams(team):
    copy = RecordDocumentFactory(patient=team["my_patient"], ready=True)
    copy_link = RecordCopyLinkFactory(document=copy)
    # The clinic admin opens no chart but may export any record (audited where it is).
    assert rows(RecordDocument, team["admin"]) == {copy.pk}
    assert rows(RecordCopyLink, team["admin"]) == {copy_link.pk}
    assert rows(RecordDocument, team["them"]) == set()
    assert rows(RecordDocument, team["desk"]) == set()
    assert rows(RecordDocument, team["me"]) == {copy.pk}  # their own patient's


@pytest.mark.django_db
def test_a_call_and_its_manage_link_follow_the_calls_rule(team):
    call = DiscoveryCallFactory(clinician=team["me"])
    link = CallManageLinkFactory(call=call)
    assert rows(DiscoveryCall, team["me"]) == {call.pk}
    assert rows(CallManageLink, team["me"]) == {link.pk}
    assert rows(DiscoveryCall, team["them"]) == rows(CallManageLink, team["them"]) == set()
    assert rows(CallManageLink, team["desk"]) == {link.pk}
    assert Patient.objects.visible_to(team["desk"]).count() == 2  # demographics, for booking
