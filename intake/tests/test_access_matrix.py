"""Who sees what: the role matrix for patient records, questionnaires and red flags.

| | Front desk | Clinician | Clinic admin | Anonymous |
|---|---|---|---|---|
| Patient list, search, create, edit, chart (contact data) | yes | yes | 403 | login |
| Questionnaire links: create, revoke | yes | yes | 403 | login |
| Red flags and questionnaire answers on the chart | hidden | yes | 403 | login |
| Review, staff entry, accept, resolve red flag | 403 | yes | 403 | login |
| Audit trail (admin) | no | no | yes | login |
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from clinic.models import AuditAction, AuditEvent
from intake.models import Intake, IntakeLink, IntakeStatus, Patient, RedFlagAlert

from .helpers import NO_FLAGS, fill_all, step

MISSING_ID = 987654


@dataclass
class Submitted:
    """A questionnaire the patient sent through their link, with one open red flag."""

    patient: Patient
    intake: Intake
    link: IntakeLink
    alert: RedFlagAlert


@pytest.fixture
def submitted(client, intake_link, patient) -> Submitted:
    _, path = intake_link
    fill_all(client, path, {**NO_FLAGS, "night_rest_pain": "yes"})
    client.post(step(path, "consent"), {"privacy": "on", "treatment": "on"})
    intake = Intake.objects.get(patient=patient)
    assert intake.status == IntakeStatus.AWAITING_REVIEW
    return Submitted(patient, intake, IntakeLink.objects.get(), RedFlagAlert.objects.get())


@pytest.fixture(params=["frontdesk", "clinician"])
def desk_user(request):
    """Front desk, and a clinician who can do everything front desk can."""
    return request.getfixturevalue(request.param)


def patient_form(patient: Patient, **changes) -> dict:
    data = {
        "legal_first_name": patient.legal_first_name,
        "legal_last_name": patient.legal_last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "email": patient.email,
        "sex": patient.sex,
        "status": patient.status,
    }
    return {**data, **changes}


# Clinical views as (url name, method, arguments from a Submitted).
CLINICAL_VIEWS = [
    ("intake:intake_review", "get", lambda s: [s.intake.pk]),
    ("intake:intake_step", "get", lambda s: [s.intake.pk, "complaint"]),
    ("intake:intake_step", "post", lambda s: [s.intake.pk, "complaint"]),
    ("intake:intake_accept", "post", lambda s: [s.intake.pk]),
    ("intake:intake_staff_new", "post", lambda s: [s.patient.pk]),
    ("intake:redflag_resolve", "get", lambda s: [s.alert.pk]),
    ("intake:redflag_resolve", "post", lambda s: [s.alert.pk]),
]
CLINICAL_IDS = [f"{name.split(':')[1]}-{method}" for name, method, _ in CLINICAL_VIEWS]
RESOLVE = {"decision": "treat", "reason": "Mechanical night pain."}


def request_view(client, name, method, args, data=None):
    return getattr(client, method)(reverse(name, args=args), data or {})


# ------------------------------------------------------ front desk and clinician


@pytest.mark.django_db
def test_desk_roles_list_search_create_and_edit_patients(client, desk_user, patient):
    client.force_login(desk_user)
    listing = client.get(reverse("intake:patient_list"))
    assert listing.status_code == 200 and "Ellis, Jordan" in listing.content.decode()
    found = client.post(reverse("intake:patient_list"), {"q": "ellis"})
    assert patient.get_absolute_url() in found.content.decode().split('id="all-title"')[0]
    new = {"legal_first_name": "Ana", "legal_last_name": "Ruiz", "date_of_birth": "1992-07-01"}
    response = client.post(reverse("intake:patient_create"), {**new, "status": "prospect"})
    assert response.status_code == 302
    assert Patient.objects.filter(legal_last_name="Ruiz").exists()
    edit = reverse("intake:patient_edit", args=[patient.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, patient_form(patient, preferred_name="Jo")).status_code == 302
    patient.refresh_from_db()
    assert patient.preferred_name == "Jo"


@pytest.mark.django_db
def test_desk_roles_create_and_revoke_questionnaire_links(client, desk_user, patient):
    client.force_login(desk_user)
    response = client.post(reverse("intake:patient_send_link", args=[patient.pk]), {})
    assert response.status_code == 302
    link = IntakeLink.objects.get(intake__patient=patient)
    assert link.state == "active" and link.created_by == desk_user
    assert "/q/" in client.get(patient.get_absolute_url()).content.decode()  # shown once
    response = client.post(reverse("intake:intake_link_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == "revoked"


@pytest.mark.django_db
def test_front_desk_chart_shows_contact_data_but_no_red_flags_or_answers(
    client, frontdesk, submitted
):
    submitted.patient.phone = "+14155550134"
    submitted.patient.save()
    client.force_login(frontdesk)
    response = client.get(submitted.patient.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "jordan@example.com" in page and "(415) 555-0134" in page
    assert "Awaiting review" in page  # that a questionnaire came back, not what it says
    assert "Red flags" not in page and submitted.alert.label not in page
    assert "Hard stop" not in page
    assert reverse("intake:intake_review", args=[submitted.intake.pk]) not in page
    assert reverse("intake:redflag_resolve", args=[submitted.alert.pk]) not in page


@pytest.mark.django_db
def test_front_desk_dashboard_has_no_clinical_panel(client, frontdesk, submitted):
    client.force_login(frontdesk)
    page = client.get(reverse("clinic:dashboard")).content.decode()
    assert "Open red flags" not in page and submitted.alert.label not in page
    assert reverse("intake:intake_review", args=[submitted.intake.pk]) not in page


@pytest.mark.django_db
def test_clinician_chart_shows_red_flags_and_links_the_review(client, clinician, submitted):
    client.force_login(clinician)
    page = client.get(submitted.patient.get_absolute_url()).content.decode()
    assert "Red flags" in page and submitted.alert.label in page
    assert reverse("intake:intake_review", args=[submitted.intake.pk]) in page
    assert reverse("intake:redflag_resolve", args=[submitted.alert.pk]) in page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "args"), CLINICAL_VIEWS, ids=CLINICAL_IDS)
def test_front_desk_is_refused_every_clinical_view(
    client, frontdesk, submitted, name, method, args
):
    client.force_login(frontdesk)
    response = request_view(client, name, method, args(submitted), RESOLVE)
    assert response.status_code == 403
    submitted.intake.refresh_from_db()
    submitted.alert.refresh_from_db()
    assert submitted.intake.status == IntakeStatus.AWAITING_REVIEW
    assert submitted.alert.is_open
    assert Intake.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=frontdesk, action=AuditAction.CHANGED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "args"), CLINICAL_VIEWS, ids=CLINICAL_IDS)
def test_clinician_opens_every_clinical_view(client, clinician, submitted, name, method, args):
    client.force_login(clinician)
    response = request_view(client, name, method, args(submitted), RESOLVE)
    # A step posted with the wrong fields comes back with errors; the other posts redirect.
    expected = 200 if method == "get" or name == "intake:intake_step" else 302
    assert response.status_code == expected


# ------------------------------------------------------------------ clinic admin


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "with_id"),
    [
        ("intake:patient_list", "get", False),
        ("intake:patient_list", "post", False),
        ("intake:patient_create", "get", False),
        ("intake:patient_detail", "get", True),
        ("intake:patient_edit", "get", True),
        ("intake:patient_send_link", "post", True),
    ],
)
def test_clinic_admin_cannot_open_patient_records(
    client, clinic_admin, patient, name, method, with_id
):
    client.force_login(clinic_admin)
    response = request_view(client, name, method, [patient.pk] if with_id else [], {"q": "Ellis"})
    assert response.status_code == 403
    assert b"Ellis" not in response.content
    assert not IntakeLink.objects.exists()


@pytest.mark.django_db
def test_clinic_admin_reads_the_audit_trail(client, clinic_admin, clinician, patient):
    client.force_login(clinician)
    client.get(patient.get_absolute_url())
    client.force_login(clinic_admin)
    response = client.get(reverse("admin:clinic_auditevent_changelist"), {"patient": patient.pk})
    assert response.status_code == 200
    assert "t-clinician" in response.content.decode()


# --------------------------------------------------------------------- anonymous


STAFF_VIEWS = [
    ("clinic:dashboard", "get", lambda s: []),
    ("intake:patient_list", "get", lambda s: []),
    ("intake:patient_list", "post", lambda s: []),
    ("intake:patient_create", "get", lambda s: []),
    ("intake:patient_create", "post", lambda s: []),
    ("intake:patient_detail", "get", lambda s: [s.patient.pk]),
    ("intake:patient_edit", "get", lambda s: [s.patient.pk]),
    ("intake:patient_edit", "post", lambda s: [s.patient.pk]),
    ("intake:patient_send_link", "post", lambda s: [s.patient.pk]),
    ("intake:intake_link_revoke", "post", lambda s: [s.link.pk]),
    *CLINICAL_VIEWS,
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "args"),
    STAFF_VIEWS,
    ids=[f"{name.split(':')[1]}-{method}" for name, method, _ in STAFF_VIEWS],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, submitted, name, method, args):
    client.cookies.clear()
    url = reverse(name, args=args(submitted))
    response = request_view(client, name, method, args(submitted), RESOLVE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"next={url}" in response["Location"].replace("%2F", "/")
    submitted.alert.refresh_from_db()
    assert submitted.alert.is_open and Intake.objects.count() == 1


# ------------------------------------------------------------------ object level


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("intake:patient_detail", "get", [MISSING_ID]),
        ("intake:patient_edit", "get", [MISSING_ID]),
        ("intake:patient_edit", "post", [MISSING_ID]),
        ("intake:patient_send_link", "post", [MISSING_ID]),
        ("intake:intake_staff_new", "post", [MISSING_ID]),
        ("intake:intake_link_revoke", "post", [MISSING_ID]),
        ("intake:intake_review", "get", [MISSING_ID]),
        ("intake:intake_step", "get", [MISSING_ID, "profile"]),
        ("intake:intake_step", "post", [MISSING_ID, "complaint"]),
        ("intake:intake_accept", "post", [MISSING_ID]),
        ("intake:redflag_resolve", "get", [MISSING_ID]),
        ("intake:redflag_resolve", "post", [MISSING_ID]),
    ],
)
def test_a_record_that_does_not_exist_is_404_not_500(client, clinician, name, method, args):
    client.force_login(clinician)
    assert request_view(client, name, method, args, RESOLVE).status_code == 404
    assert not Intake.objects.exists() and not IntakeLink.objects.exists()


@pytest.mark.django_db
def test_an_unknown_questionnaire_step_is_404(client, clinician, submitted):
    client.force_login(clinician)
    url = reverse("intake:intake_step", args=[submitted.intake.pk, "payment"])
    assert client.get(url).status_code == 404
