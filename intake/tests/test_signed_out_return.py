"""A clinician signed out in the middle of a form is brought back to that form after logging in
again: the login's ``next`` is the page the form was on, also when the form was posted."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from clinic.middleware import AUTH_AT, LAST_SEEN

from .helpers import page_data


def next_of(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    return parse_qs(location.query)["next"][0]


def idle_for(client, seconds: int) -> None:
    session = client.session
    now = int(time.time())
    session[AUTH_AT], session[LAST_SEEN] = now - seconds, now - seconds
    session.save()


@pytest.mark.django_db
def test_a_form_posted_after_the_idle_logoff_returns_to_its_page_after_login(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    idle_for(client, 16 * 60)
    response = client.post(
        editor, page_data(objective_notes="typed"), HTTP_REFERER=f"http://testserver{editor}"
    )
    assert next_of(response) == editor
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == ""  # nothing saved by a session that had ended


@pytest.mark.django_db
def test_without_a_referer_the_posted_address_is_the_way_back(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    idle_for(client, 16 * 60)
    assert next_of(client.post(editor, page_data())) == editor


@pytest.mark.django_db
def test_an_upload_after_logging_out_in_another_tab_returns_to_the_editor(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    upload = reverse("intake:gait_media_upload", args=[evaluation.pk])
    client.logout()  # "Log out" in another tab: this browser's session is gone
    response = client.post(upload, page_data(), HTTP_REFERER=f"http://testserver{editor}")
    assert next_of(response) == editor


@pytest.mark.django_db
def test_a_referer_from_another_site_is_never_the_way_back(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    client.logout()
    response = client.post(editor, page_data(), HTTP_REFERER="https://evil.example/phish/")
    assert next_of(response) == editor


@pytest.mark.django_db
def test_the_upload_address_opened_after_login_leads_to_the_editor(client, evaluation):
    # A login whose next is the upload address (the refused-upload page was on it).
    upload = reverse("intake:gait_media_upload", args=[evaluation.pk])
    response = client.get(upload)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("intake:evaluation_edit", args=[evaluation.pk]) + "#sec-gait"
    )


@pytest.mark.django_db
def test_the_forms_that_keep_drafts_say_so(client, evaluation):
    editor = reverse("intake:evaluation_edit", args=[evaluation.pk])
    page = client.get(editor).content.decode()
    assert f'data-draft="{editor}"' in page
    assert "js/draft.js" in page


@pytest.mark.django_db
def test_the_staff_questionnaire_step_keeps_drafts_and_the_patients_own_does_not(
    client, clinician, patient, intake_link
):
    client.force_login(clinician)
    step = client.post(reverse("intake:intake_staff_new", args=[patient.pk]))["Location"]
    assert f'data-draft="{step}"' in client.get(step).content.decode()
    client.logout()
    token, _path = intake_link
    page = client.get(reverse("intake:self_intake_step", args=[token, "complaint"]))
    assert 'name="go"' in page.content.decode()  # the same step form, on the patient's side
    assert "data-draft" not in page.content.decode()  # a patient's phone keeps no drafts
