"""Roles and permissions are cached across requests, and a change applies on the next one."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.access import Role


def _statements(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response.status_code, [q["sql"] for q in context.captured_queries]


def test_roles_and_permissions_are_not_queried_again_on_the_next_request(client, frontdesk):
    client.force_login(frontdesk)
    url = reverse("intake:patient_list")
    status, first = _statements(client, url)
    assert status == 200 and any("auth_permission" in sql for sql in first)
    status, second = _statements(client, url)
    assert status == 200
    assert not [sql for sql in second if "auth_group" in sql or "auth_permission" in sql]


def test_losing_a_role_applies_on_the_next_request(client, frontdesk):
    client.force_login(frontdesk)
    url = reverse("intake:patient_list")
    assert client.get(url).status_code == 200
    frontdesk.groups.clear()
    assert client.get(url).status_code == 403
    frontdesk.groups.add(Group.objects.get(name=Role.FRONT_DESK))
    assert client.get(url).status_code == 200


def test_a_permission_taken_from_a_role_applies_on_the_next_request(client, frontdesk):
    client.force_login(frontdesk)
    url = reverse("intake:patient_list")
    assert client.get(url).status_code == 200
    group = Group.objects.get(name=Role.FRONT_DESK)
    view_patient = Permission.objects.get(content_type__app_label="intake", codename="view_patient")
    group.permissions.remove(view_patient)
    assert client.get(url).status_code == 403
    group.permissions.add(view_patient)
    assert client.get(url).status_code == 200


def test_a_permission_given_to_the_user_applies_on_the_next_request(client, frontdesk):
    client.force_login(frontdesk)
    url = reverse("clinic:audit_export")
    assert client.get(url).status_code == 403
    audit = Permission.objects.get(content_type__app_label="clinic", codename="export_audit")
    frontdesk.user_permissions.add(audit)
    assert client.get(url).status_code != 403
