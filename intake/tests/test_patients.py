"""Patient records through the staff screens: create, duplicate guard, validation, search, chart."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, actor_for
from intake import services
from intake.models import Patient

BORN_ADA = datetime.date(1988, 4, 2)

VALID = {
    "legal_first_name": "Sam",
    "legal_last_name": "Rivera",
    "date_of_birth": "1988-03-09",
    "sex": "male",
    "email": "sam.rivera@example.com",
    "phone": "(415) 555-0134",
    "status": "prospect",
}
CREATE_URL = reverse("intake:patient_create")
LIST_URL = reverse("intake:patient_list")


def edit_data(patient: Patient, **changes) -> dict:
    """What the edit form posts: the stored values, then the changes."""
    data = {
        "legal_first_name": patient.legal_first_name,
        "legal_last_name": patient.legal_last_name,
        "preferred_name": patient.preferred_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "email": patient.email,
        "phone": patient.phone.as_e164 if patient.phone else "",
        "status": patient.status,
    }
    return {**data, **changes}


def section(html: str, start: str, end: str | None = None) -> str:
    """The part of a page between two markers (the rest of the page if ``end`` is None)."""
    assert start in html, start
    part = html.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def search(client, q: str):
    return client.post(LIST_URL, {"q": q})


def search_results(response) -> str:
    return section(response.content.decode(), 'id="results-title"', 'id="all-title"')


# ------------------------------------------------------------------ create


@pytest.mark.django_db
def test_creating_a_patient_saves_audits_and_opens_the_chart(client, frontdesk):
    client.force_login(frontdesk)
    response = client.post(CREATE_URL, VALID)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:patient_detail", args=[patient.pk])
    assert (patient.legal_name, patient.date_of_birth) == ("Sam Rivera", datetime.date(1988, 3, 9))
    assert patient.phone.as_e164 == "+14155550134"
    event = AuditEvent.objects.get(action=AuditAction.CREATED)
    assert (event.actor, event.patient, event.object_id) == (frontdesk, patient, str(patient.pk))
    assert event.content_type == ContentType.objects.get_for_model(Patient)


@pytest.mark.django_db
def test_same_name_and_birth_date_is_held_back_and_links_the_existing_record(
    client, frontdesk, patient
):
    client.force_login(frontdesk)
    data = {**VALID, "legal_first_name": "JORDAN", "legal_last_name": "ellis"}
    data["date_of_birth"] = patient.date_of_birth.isoformat()
    response = client.post(CREATE_URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Patient.objects.count() == 1
    assert f'href="{patient.get_absolute_url()}"' in page
    assert "already exists" in page
    assert 'name="confirm_new_person"' in page


@pytest.mark.django_db
def test_confirming_a_different_person_with_the_same_name_saves_a_second_record(
    client, frontdesk, patient
):
    client.force_login(frontdesk)
    data = {**VALID, "legal_first_name": "jordan", "legal_last_name": "ELLIS"}
    data["date_of_birth"] = patient.date_of_birth.isoformat()
    response = client.post(CREATE_URL, {**data, "confirm_new_person": "on"})
    assert response.status_code == 302
    assert Patient.objects.filter(legal_last_name__iexact="ellis").count() == 2


def _years_ago(years: int) -> str:
    return datetime.date(timezone.localdate().year - years, 1, 1).isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "kept", "error"),
    [
        ({"date_of_birth": "2999-01-01"}, 'value="2999-01-01"', "cannot be in the future"),
        ({"date_of_birth": _years_ago(121)}, f'value="{_years_ago(121)}"', "more than 120 years"),
        ({"email": "sam.rivera@"}, 'value="sam.rivera@"', "Enter a valid email address"),
        ({"phone": "12ab"}, 'value="12ab"', "Enter a valid phone number"),
        ({"legal_last_name": ""}, 'value="Sam"', "This field is required"),
    ],
    ids=["birth-in-future", "birth-over-120-years", "email", "phone", "no-last-name"],
)
def test_bad_input_shows_an_error_keeps_the_entries_and_saves_nothing(
    client, frontdesk, changes, kept, error
):
    client.force_login(frontdesk)
    response = client.post(CREATE_URL, {**VALID, "preferred_name": "Sammy", **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert kept in page and 'value="Sammy"' in page
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATED).exists()


@pytest.mark.django_db
def test_a_script_in_the_preferred_name_is_saved_and_shown_escaped(client, frontdesk):
    script = '<script>alert("x")</script>'
    client.force_login(frontdesk)
    client.post(CREATE_URL, {**VALID, "preferred_name": script})
    patient = Patient.objects.get()
    assert patient.preferred_name == script
    page = client.get(patient.get_absolute_url()).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# ------------------------------------------------------------------ search


@pytest.fixture
def priya(db):
    PatientFactory(
        legal_first_name="Tom",
        legal_last_name="Baker",
        date_of_birth=datetime.date(1979, 1, 2),
        email="tom@example.com",
        phone="+12125550199",
    )
    return PatientFactory(
        legal_first_name="Priya",
        legal_last_name="Nakamura",
        date_of_birth=datetime.date(1985, 11, 3),
        email="Priya.N@Example.com",
        phone="+14155550134",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "naka",
        "  priya   NAKA ",
        "1985-11-03",
        "11/03/1985",
        "11/03/85",
        "415.555.0134",
        "(415) 555 0134",
        "priya.n@EXAMPLE.com",
    ],
)
def test_search_finds_the_patient_by_name_birth_date_phone_or_email(
    client, frontdesk, priya, query
):
    client.force_login(frontdesk)
    response = search(client, query)
    assert response.status_code == 200
    results = search_results(response)
    assert f'href="{priya.get_absolute_url()}"' in results
    assert "Baker" not in results


@pytest.mark.django_db
def test_a_two_digit_birth_year_finds_a_patient_born_last_century(client, frontdesk):
    born_1962 = PatientFactory(legal_last_name="Okafor", date_of_birth=datetime.date(1962, 3, 9))
    client.force_login(frontdesk)
    results = search_results(search(client, "03/09/62"))
    assert f'href="{born_1962.get_absolute_url()}"' in results


@pytest.mark.django_db
def test_search_is_posted_and_the_terms_never_enter_a_url_or_the_audit_trail(
    client, frontdesk, priya
):
    client.force_login(frontdesk)
    response = search(client, "Nakamura")
    assert response.request["PATH_INFO"] == LIST_URL
    assert response.request["QUERY_STRING"] == ""
    assert "Nakamura" in search_results(response)
    event = AuditEvent.objects.get(action=AuditAction.VIEWED, actor=frontdesk)
    assert "Nakamura" not in event.detail and "1 result" in event.detail
    # A query string is not a search: nothing is looked up from it.
    page = client.get(LIST_URL, {"q": "Nakamura"}).content.decode()
    assert 'id="results-title"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["zzqx", "Nakamura Baker", "((((((((", "+-+-+-+-", "1/1/1900"])
def test_a_search_without_matches_says_so(client, frontdesk, priya, query):
    client.force_login(frontdesk)
    response = search(client, query)
    assert response.status_code == 200
    assert "No patient matches" in search_results(response)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "    "])
def test_an_empty_search_asks_for_a_term_and_lists_no_results(client, frontdesk, priya, query):
    client.force_login(frontdesk)
    response = search(client, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in page
    assert 'id="results-title"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "expected"),
    [("", "Page 1 of 2"), ("2", "Page 2 of 2"), ("999", "Page 2 of 2"), ("abc", "Page 1 of 2")],
)
def test_the_patient_list_paginates_and_tolerates_bad_page_numbers(
    client, frontdesk, page, expected
):
    PatientFactory.create_batch(30)
    client.force_login(frontdesk)
    response = client.get(LIST_URL, {"page": page} if page else {})
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    rows = section(html, 'id="all-title"').count(", Runner")
    assert rows == (5 if expected == "Page 2 of 2" else 25)


# ------------------------------------------------------------ chart and edit


@pytest.mark.django_db
def test_opening_the_chart_is_audited_with_the_patient(client, frontdesk, patient):
    client.force_login(frontdesk)
    response = client.get(patient.get_absolute_url())
    assert response.status_code == 200
    assert "jordan@example.com" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.VIEWED)
    assert (event.actor, event.patient, event.object_id) == (frontdesk, patient, str(patient.pk))


@pytest.mark.django_db
def test_editing_a_patient_saves_and_audits_the_change(client, frontdesk, patient):
    client.force_login(frontdesk)
    url = reverse("intake:patient_edit", args=[patient.pk])
    assert 'value="jordan@example.com"' in client.get(url).content.decode()
    response = client.post(url, edit_data(patient, phone="415 555 0188", preferred_name="Jo"))
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    patient.refresh_from_db()
    assert (patient.phone.as_e164, patient.display_name) == ("+14155550188", "Jo Ellis")
    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert (event.actor, event.patient) == (frontdesk, patient)
    assert set(event.detail.split(",")) == {"phone", "preferred_name"}


@pytest.mark.django_db
def test_an_invalid_edit_changes_nothing(client, frontdesk, patient):
    client.force_login(frontdesk)
    url = reverse("intake:patient_edit", args=[patient.pk])
    response = client.post(url, edit_data(patient, email="not-an-email", preferred_name="Jo"))
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    patient.refresh_from_db()
    assert (patient.email, patient.preferred_name) == ("jordan@example.com", "")
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED).exists()


@pytest.mark.django_db
def test_patient_services_take_plain_values_and_refuse_unknown_fields(frontdesk):
    actor = actor_for(frontdesk)
    data = {"legal_first_name": "Ada", "legal_last_name": "Stone", "date_of_birth": BORN_ADA}
    patient = services.patient_create(data=data, actor=actor)
    assert (patient.legal_name, patient.date_of_birth) == ("Ada Stone", BORN_ADA)
    with pytest.raises(ValueError, match="pk"):
        services.patient_update(patient=patient, data={"pk": 99}, actor=actor)
    with pytest.raises(ValueError, match="created_at"):
        services.patient_create(data={**data, "created_at": None}, actor=actor)
    with pytest.raises(ValidationError):  # the model's own checks, without a form
        services.patient_create(data={**data, "email": "not an address"}, actor=actor)


@pytest.mark.django_db
def test_an_update_audits_the_fields_whose_value_changed_and_nothing_else(frontdesk):
    actor = actor_for(frontdesk)
    patient = PatientFactory(email="old@example.com", preferred_name="")
    same = {"email": "old@example.com", "preferred_name": ""}
    services.patient_update(patient=patient, data=same, actor=actor)
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED).exists()
    services.patient_update(
        patient=patient, data={**same, "email": "new@example.com", "phone": ""}, actor=actor
    )
    patient.refresh_from_db()
    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert patient.email == "new@example.com" and event.detail == "email"
