"""The audit trail is written through one helper and cannot be changed or deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import InternalError
from django.test import RequestFactory
from django.urls import reverse

from clinic.audit import audit
from clinic.models import AppendOnlyError, AuditAction, AuditEvent

from .factories import TEST_PASSWORD, PatientFactory


@pytest.mark.django_db
def test_audit_records_actor_object_patient_ip_and_user_agent(clinician):
    patient = PatientFactory()
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.1.2.3")
    request.user = clinician
    event = audit(request, AuditAction.VIEWED, obj=patient)
    assert event.actor == clinician
    assert event.patient == patient
    assert event.content_type == ContentType.objects.get_for_model(patient)
    assert event.object_id == str(patient.pk)
    assert (event.ip_address, event.user_agent) == ("10.1.2.3", "Firefox")


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(clinician):
    event = audit(None, AuditAction.EXPORTED, actor=clinician)
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_postgresql_refuses_raw_updates_and_deletes_of_audit_rows(clinician):
    if connection.vendor != "postgresql":
        pytest.fail("the suite runs on PostgreSQL (make test sets DATABASE_URL)")
    event = audit(None, AuditAction.EXPORTED, actor=clinician)
    for sql in (
        "UPDATE clinic_auditevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM clinic_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(InternalError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


@pytest.mark.django_db
def test_login_success_and_failure_are_audited(client, frontdesk):
    client.post(reverse("login"), {"username": "t-frontdesk", "password": "wrong"})
    client.post(reverse("login"), {"username": "t-frontdesk", "password": TEST_PASSWORD})
    logins = AuditEvent.objects.exclude(action=AuditAction.ROLE_CHANGED)  # the fixture's own
    actions = list(logins.order_by("id").values_list("action", "actor_label"))
    assert actions == [(AuditAction.LOGIN_FAILED, "t-frontdesk"), (AuditAction.LOGIN, "")]


@pytest.mark.django_db
def test_clinic_admin_reads_the_audit_trail_but_cannot_add_change_or_delete(
    client, clinic_admin, clinician
):
    event = audit(None, AuditAction.VIEWED, actor=clinician, obj=PatientFactory())
    client.force_login(clinic_admin)
    changelist = reverse("admin:clinic_auditevent_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"patient": event.patient_id}).status_code == 200
    assert client.get(changelist, {"action__exact": "viewed"}).status_code == 200
    assert client.get(reverse("admin:clinic_auditevent_add")).status_code == 403
    delete_url = reverse("admin:clinic_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    detail = client.get(reverse("admin:clinic_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_clinic_admin_cannot_make_anyone_a_superuser(client, clinic_admin, frontdesk):
    client.force_login(clinic_admin)
    page = client.get(reverse("admin:auth_user_change", args=[frontdesk.pk]))
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content
