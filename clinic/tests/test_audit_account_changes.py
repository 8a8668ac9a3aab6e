"""A change of a user's roles or account flags writes a ROLE_CHANGED audit event."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent

from .factories import UserFactory


def role_changes(user) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED, object_id=str(user.pk))
    return list(events.order_by("id").values_list("actor_label", "detail"))


@pytest.fixture
def runner(db):
    return User.objects.create_user("new-hire", password="a-long-test-passphrase")


@pytest.mark.django_db
def test_creating_an_account_is_audited_with_its_flags(runner):
    assert role_changes(runner) == [
        ("system", "account created, is_active=True, is_staff=False, is_superuser=False")
    ]


@pytest.mark.django_db
def test_adding_removing_and_clearing_groups_are_audited(runner):
    clinician, front_desk = (Group.objects.get(name=r) for r in (Role.CLINICIAN, Role.FRONT_DESK))
    runner.groups.add(clinician, front_desk)
    runner.groups.remove(front_desk)
    runner.groups.clear()
    front_desk.user_set.add(runner)  # from the group's side
    assert role_changes(runner)[1:] == [
        ("system", "groups+=Clinician, Front desk"),
        ("system", "groups-=Front desk"),
        ("system", "groups-=Clinician"),
        ("system", "groups+=Front desk"),
    ]


@pytest.mark.django_db
def test_changing_account_flags_is_audited_and_other_saves_are_not(runner):
    runner.first_name = "Ada"
    runner.save()
    runner.is_active = False
    runner.is_staff = True
    runner.save()
    assert role_changes(runner)[1:] == [("system", "is_active=False, is_staff=True")]


@pytest.mark.django_db
def test_the_last_login_update_costs_no_extra_query_and_no_event(runner):
    with CaptureQueriesContext(connection) as queries:
        runner.save(update_fields=["last_login"])
    assert len(queries) == 1
    assert len(role_changes(runner)) == 1  # only the creation


@pytest.mark.django_db
def test_a_role_change_in_the_admin_names_the_admin_who_made_it(client, clinic_admin):
    staff_member = UserFactory(username="moving-desk", role=Role.FRONT_DESK)
    clinician = Group.objects.get(name=Role.CLINICIAN)
    client.force_login(clinic_admin)
    response = client.post(
        reverse("admin:auth_user_change", args=[staff_member.pk]),
        {
            "username": "moving-desk",
            "first_name": "Test",
            "last_name": "",
            "email": "moving-desk@clinic.example",
            "is_active": "on",
            "groups": [clinician.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = AuditEvent.objects.filter(
        action=AuditAction.ROLE_CHANGED, object_id=str(staff_member.pk), actor=clinic_admin
    )
    assert sorted(events.values_list("detail", flat=True)) == [
        "groups+=Clinician",
        "groups-=Front desk",
    ]
    assert events.first().ip_address == "127.0.0.1"
