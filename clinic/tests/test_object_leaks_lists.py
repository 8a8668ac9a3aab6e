"""No object leaks in lists: the patient list and search, the dashboard, the call calendar
and the exports hold only the rows the user may see."""

import csv
import io

import pytest
from django.urls import reverse

from .helpers import client_for
from .leak_routes import body
from .leak_world import NOW, World

# ------------------------------------------------- lists, search, dashboard, exports


def with_ids(world: World) -> dict:
    """A query string naming the world's patient in every way a view could read it."""
    return dict.fromkeys(("patient", "patient_id", "pk", "id"), world.patient.pk)


def chart_link(world: World) -> str:
    return f'href="{world.patient.get_absolute_url()}"'


@pytest.mark.django_db
def test_the_patient_list_and_search_show_an_outsider_no_chart_of_patient_a(clinic):
    a, b, outsider = clinic.a, clinic.b, client_for(clinic.outsider)
    listing = body(outsider.get(reverse("intake:patient_list"), with_ids(a)))
    assert chart_link(b) in listing  # the outsider's own patient: the list works
    assert chart_link(a) not in listing and a.patient.legal_last_name not in listing
    birth_date = a.patient.date_of_birth.isoformat()  # a name would be echoed back
    found = body(outsider.post(reverse("intake:patient_list"), {"q": birth_date}))
    results, _, others = found.partition("Other patients of the clinic")
    assert a.patient.legal_last_name not in results and chart_link(a) not in found
    # By design: name and date of birth, with the emergency-access button only.
    assert a.patient.legal_last_name in others
    assert reverse("intake:emergency_access", args=[a.patient.pk]) in others
    own = body(client_for(clinic.clinician).get(reverse("intake:patient_list")))
    assert chart_link(a) in own and chart_link(b) not in own


@pytest.mark.django_db
def test_the_dashboard_shows_each_clinician_only_their_care_teams_records(clinic):
    a, b = clinic.a, clinic.b
    for user, mine, theirs in ((clinic.clinician, a, b), (clinic.outsider, b, a)):
        page = body(client_for(user).get(reverse("clinic:dashboard"), with_ids(theirs)))
        assert mine.patient.legal_last_name in page  # the panels do list rows
        assert theirs.patient.legal_last_name not in page, user.username
        assert reverse("intake:intake_review", args=[theirs.intake.pk]) not in page
        assert reverse("intake:redflag_resolve", args=[theirs.alert.pk]) not in page


@pytest.mark.django_db
def test_the_call_calendar_shows_a_clinician_only_their_own_calls(clinic):
    a, b = clinic.a, clinic.b
    url, day = reverse("intake:call_calendar"), NOW.date().isoformat()
    for user, mine, theirs in ((clinic.clinician, a, b), (clinic.outsider, b, a)):
        page = body(client_for(user).get(url, {"day": day, **with_ids(theirs)}))
        assert mine.call.name in page and theirs.call.name not in page, user.username
    for view in ("day", "week"):
        page = body(client_for(clinic.desk).get(url, {"day": day, "view": view}))
        assert a.call.name in page and b.call.name in page  # the front desk runs every call


@pytest.mark.django_db
def test_exports_hold_only_the_asked_patients_rows(clinic):
    a, b = clinic.a, clinic.b
    fhir = client_for(clinic.outsider).get(
        reverse("plans:patient_fhir_export", args=[b.patient.pk])
    )
    assert fhir.status_code == 200 and b.patient.legal_last_name in body(fhir)
    assert a.patient.legal_last_name not in fhir.content.decode()
    admin_client = client_for(clinic.admin)
    trail = body(admin_client.get(reverse("clinic:audit_export_patient", args=[b.patient.pk])))
    rows = list(csv.reader(io.StringIO(trail)))[1:]
    assert rows and all(row[5] == str(b.patient.pk) for row in rows)
    assert a.patient.legal_last_name not in trail
    for report in ("calls", "active-patients", "outcomes"):
        url = reverse("intake:clinic_statistics_csv", args=[report])
        report_csv = body(admin_client.get(url))
        assert a.patient.legal_last_name not in report_csv and a.call.name not in report_csv


@pytest.mark.django_db
def test_the_audit_export_search_is_refused_to_every_role_but_the_clinic_admin(clinic):
    for user in (clinic.clinician, clinic.outsider, clinic.desk):
        client = client_for(user)
        search = client.post(
            reverse("clinic:audit_export"), {"q": clinic.a.patient.legal_last_name}
        )
        assert search.status_code == 403 and clinic.a.patient.legal_last_name not in body(search)
        assert client.get(reverse("clinic:audit_export")).status_code == 403


@pytest.mark.django_db
def test_the_emergency_review_list_is_the_clinic_admins_only(clinic):
    url = reverse("intake:emergency_review_list")
    for user in (clinic.clinician, clinic.outsider, clinic.desk):
        response = client_for(user).get(url)
        assert response.status_code == 403 and clinic.a.patient.legal_last_name not in body(
            response
        )
    review = reverse("intake:emergency_review", args=[clinic.a.grant.pk])
    assert review in body(client_for(clinic.admin).get(url))
