"""Clinic admins export the audit trail as CSV: per patient ("who saw my record") or per user."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.access import Role
from clinic.audit import audit
from clinic.models import AuditAction, AuditEvent
from clinic.views.audit import COLUMNS

from .factories import PatientFactory, UserFactory


def download(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def seen_by(user, patient, ip="10.0.0.7", **kwargs):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox")
    request.user = user
    return audit(request, kwargs.pop("action", AuditAction.VIEWED), obj=patient, **kwargs)


@pytest.fixture
def patient(db):
    return PatientFactory(legal_first_name="Paula", legal_last_name="Radcliffe")


@pytest.mark.django_db
def test_only_the_clinic_admin_role_may_export():
    holders = Group.objects.filter(
        permissions__codename="export_audit", permissions__content_type__app_label="clinic"
    )
    assert list(holders.values_list("name", flat=True)) == [Role.CLINIC_ADMIN.value]


@pytest.mark.django_db
def test_patient_export_lists_who_saw_the_record_and_is_itself_audited(
    client, clinic_admin, clinician, patient
):
    seen_by(clinician, patient)
    seen_by(clinician, PatientFactory())  # someone else's record
    client.force_login(clinic_admin)

    response = client.get(reverse("clinic:audit_export_patient", args=[patient.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"audit-patient-{patient.pk}-" in disposition and "Radcliffe" not in disposition
    rows = download(response)
    assert [(r["Who"], r["Action"]) for r in rows] == [
        ("t-clinician", "Viewed"),
        ("t-admin", "Exported"),
    ]
    viewed = rows[0]
    assert viewed["Current role"] == "Clinician"
    assert viewed["What"] == f"patient #{patient.pk}"
    assert (viewed["From (IP address)"], viewed["Browser"]) == ("10.0.0.7", "Firefox")
    assert viewed["Patient ID"] == str(patient.pk)
    export = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (export.actor, export.patient) == (clinic_admin, patient)


@pytest.mark.django_db
def test_export_neutralises_formulas_that_arrive_in_audit_fields(client, clinic_admin, patient):
    audit(None, AuditAction.LOGIN_FAILED, patient=patient, actor_label='=HYPERLINK("x")')
    client.force_login(clinic_admin)
    rows = download(client.get(reverse("clinic:audit_export_patient", args=[patient.pk])))
    assert rows[0]["Who"] == '\'=HYPERLINK("x")'


@pytest.mark.django_db
def test_user_export_lists_everything_that_user_did_and_nothing_else(
    client, clinic_admin, clinician, frontdesk, patient
):
    seen_by(clinician, patient, action=AuditAction.CHANGED, detail="phone")
    seen_by(frontdesk, patient)
    client.force_login(clinic_admin)

    response = client.get(reverse("clinic:audit_export_user", args=[clinician.pk]))

    assert f"audit-user-{clinician.pk}-" in response["Content-Disposition"]
    rows = download(response)
    assert [(r["Who"], r["Action"], r["Detail"]) for r in rows] == [
        ("t-clinician", "Changed", "phone")
    ]
    export = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (export.actor, export.object_id, export.patient) == (
        clinic_admin,
        str(clinician.pk),
        None,
    )


@pytest.mark.django_db
def test_export_queries_do_not_grow_with_the_number_of_events(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    url = reverse("clinic:audit_export_patient", args=[patient.pk])

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as queries:
            download(client.get(url))
        return len(queries)

    staff = [UserFactory(role=Role.CLINICIAN) for _ in range(3)]
    seen_by(staff[0], patient)
    queries_for_export()  # warm: the first request after login does session work
    few = queries_for_export()
    for user in staff:
        for _ in range(5):
            seen_by(user, patient)
    assert queries_for_export() == few


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["audit_export_patient", "audit_export_user"])
def test_clinicians_and_front_desk_cannot_export(client, clinician, frontdesk, patient, url_name):
    pk = patient.pk if url_name == "audit_export_patient" else clinician.pk
    url = reverse(f"clinic:{url_name}", args=[pk])
    for user in (clinician, frontdesk):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("clinic:audit_export")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


@pytest.mark.django_db
def test_export_page_finds_a_patient_by_name_or_number_without_names_in_urls(
    client, clinic_admin, clinician, patient
):
    other = PatientFactory(legal_last_name="Kipchoge")
    client.force_login(clinic_admin)
    page = client.get(reverse("clinic:audit_export")).content.decode()
    assert reverse("clinic:audit_export_user", args=[clinician.pk]) in page
    assert "Radcliffe" not in page  # no patient is listed before a search

    by_name = client.post(reverse("clinic:audit_export"), {"q": "radcliffe"}).content.decode()
    assert reverse("clinic:audit_export_patient", args=[patient.pk]) in by_name
    assert reverse("clinic:audit_export_patient", args=[other.pk]) not in by_name
    by_number = client.post(reverse("clinic:audit_export"), {"q": f"#{other.pk}"}).content.decode()
    assert reverse("clinic:audit_export_patient", args=[other.pk]) in by_number
    searches = AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=clinic_admin)
    assert list(searches.values_list("detail", flat=True)) == [
        "audit export search, 1 results",
        "audit export search, 1 results",
    ]


@pytest.mark.django_db
def test_the_admin_audit_trail_links_to_the_export(client, clinic_admin):
    client.force_login(clinic_admin)
    page = client.get(reverse("admin:clinic_auditevent_changelist")).content.decode()
    assert reverse("clinic:audit_export") in page


@pytest.mark.django_db
def test_a_patient_is_found_by_name_or_birth_date_and_their_events_listed(client, clinic_admin):
    """The admin list searches usernames only (a name in ?q= would sit in the URL); the audit
    page finds the patient by a POST and links to the list filtered by patient number."""
    paula = PatientFactory(
        legal_first_name="Paula",
        legal_last_name="Radcliffe",
        date_of_birth=datetime.date(1973, 12, 17),
    )
    other = PatientFactory(legal_first_name="Joan", legal_last_name="Benoit")
    clinician = UserFactory(username="maya")
    seen_by(clinician, paula)
    seen_by(clinician, other)
    client.force_login(clinic_admin)

    changelist = reverse("admin:clinic_auditevent_changelist")
    page = client.get(changelist).content.decode()
    assert "Find a patient’s events" in page
    assert "To find a patient by name or date of birth" in page

    filtered = f"{changelist}?patient={paula.pk}"
    for query in ("Radcliffe", "paula radcliffe", "12/17/1973"):
        found = client.post(reverse("clinic:audit_export"), {"q": query}).content.decode()
        assert filtered.replace("&", "&amp;") in found, query
        assert f'?patient={other.pk}"' not in found, query

    listed = client.get(filtered)
    assert listed.status_code == 200
    events = list(listed.context["cl"].result_list)
    assert events and {event.patient_id for event in events} == {paula.pk}
