"""Patients answer outcome measures at home; the next evaluation starts from their answers."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from intake.models import Evaluation, OutcomeLink, OutcomeRequest, OutcomeResponse


@pytest.fixture
def outcome_path(client, clinician, patient):
    client.force_login(clinician)
    response = client.post(
        reverse("intake:outcome_request_create", args=[patient.pk]),
        {"outcome-measures": ["LEFS", "NPRS"], "outcome-send_mail": ""},
    )
    assert response.status_code == 302
    url = client.session[f"new-outcome-link-{patient.pk}"]
    client.logout()
    return url.split("testserver", 1)[1]


def lefs(points="3"):
    return {f"LEFS-{i}": points for i in range(1, 21)}


@pytest.mark.django_db
def test_patient_answers_and_the_next_evaluation_is_prefilled(
    client, outcome_path, clinician, patient
):
    page = client.get(outcome_path)
    assert page.status_code == 200 and "A little bit of difficulty" in page.content.decode()
    response = client.post(outcome_path, {**lefs(), "NPRS-1": "4"})
    assert "your answers were sent" in response.content.decode()
    answered = OutcomeRequest.objects.get()
    assert answered.answers["LEFS"]["1"] == 3 and answered.answers["NPRS"]["1"] == 4
    assert client.get(outcome_path).status_code == 200  # a used link shows the thank-you page
    assert OutcomeLink.objects.get().state == "used"

    client.force_login(clinician)
    client.post(reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "re_evaluation"})
    evaluation = Evaluation.objects.get()
    editor = client.get(reverse("intake:evaluation_edit", args=[evaluation.pk])).content.decode()
    assert "answers at home" in editor
    assert 'name="om-NPRS-1" value="4"' in editor
    response = client.post(
        reverse("intake:evaluation_edit", args=[evaluation.pk]),
        {
            "kind": "re_evaluation",
            "date": datetime.date.today().isoformat(),
            "involved_side": "left",
            "force_unit": "kg",
            "dx-TOTAL_FORMS": "0",
            "dx-INITIAL_FORMS": "0",
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "om-NPRS-1": "4",
            **{f"om-LEFS-{i}": "3" for i in range(1, 21)},
        },
    )
    assert response.status_code == 302
    assert OutcomeResponse.objects.get(measure="LEFS").total == 60
    assert OutcomeRequest.objects.get().evaluation == evaluation  # taken over once


@pytest.mark.django_db
def test_a_missing_answer_keeps_the_others_and_saves_nothing(client, outcome_path):
    answers = lefs()
    del answers["LEFS-7"]
    response = client.post(outcome_path, {**answers, "NPRS-1": "4"})
    body = response.content.decode()
    assert "Please choose an answer." in body
    assert 'name="LEFS-1" value="3"' in body
    assert body.count(" checked") == 20  # 19 LEFS answers and the NPRS answer kept
    assert OutcomeRequest.objects.get().submitted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["5", "-1", "x"])
def test_impossible_answers_are_refused(client, outcome_path, bad):
    response = client.post(outcome_path, {**lefs(), "LEFS-1": bad, "NPRS-1": "4"})
    assert response.status_code == 200
    assert OutcomeRequest.objects.get().submitted_at is None


@pytest.mark.django_db
def test_expired_and_tampered_outcome_links_get_clear_pages(client, outcome_path):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        assert client.get(outcome_path).status_code == 410
    assert client.get(outcome_path[:-3] + "xx/").status_code == 404


@pytest.mark.django_db
def test_a_new_request_revokes_the_unanswered_one(client, outcome_path, clinician, patient):
    client.force_login(clinician)
    client.post(
        reverse("intake:outcome_request_create", args=[patient.pk]),
        {"outcome-measures": ["FAAM-ADL"]},
    )
    client.logout()
    assert client.get(outcome_path).status_code == 410


@pytest.mark.django_db
def test_front_desk_cannot_request_outcome_measures(client, frontdesk, patient):
    client.force_login(frontdesk)
    response = client.post(
        reverse("intake:outcome_request_create", args=[patient.pk]), {"outcome-measures": ["LEFS"]}
    )
    assert response.status_code == 403
    assert not OutcomeRequest.objects.exists()
    assert not OutcomeResponse.objects.exists()
