"""A gait photo or video is uploaded from inside the evaluation editor: the upload saves the
draft as typed together with the file, in one transaction, so uploading never costs typing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import UserFactory
from intake.models import Evaluation, GaitMedia, Measurement

from .helpers import PNG, page_data, save

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}


TYPED = {
    "objective_notes": "Hip drop on the left at midstance",
    "m_rom_hip_flexion_l": "112",
    "gait-notes": "Crossover gait on the treadmill",
}


def png(name="side.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def upload(client, evaluation, **extra):
    url = reverse("intake:gait_media_upload", args=[evaluation.pk])
    return client.post(url, page_data(**TYPED, **extra))


@pytest.mark.django_db
def test_uploading_a_photo_saves_what_was_typed_with_it(client, evaluation):
    response = upload(client, evaluation, **{"media-file": png(), "media-caption": "Side view"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("intake:evaluation_edit", args=[evaluation.pk]) + "#sec-gait"
    )
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == TYPED["objective_notes"]
    assert Measurement.objects.get(evaluation=evaluation, key="rom_hip_flexion").left == "112"
    assert evaluation.gait.notes == TYPED["gait-notes"]
    media = GaitMedia.objects.get(evaluation=evaluation)
    assert media.caption == "Side view" and media.content_type == "image/png"
    page = client.get(response["Location"]).content.decode()
    assert TYPED["objective_notes"] in page and 'value="112"' in page
    assert "Saved the evaluation and uploaded the file." in page
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert AuditAction.CHANGED in actions and AuditAction.CREATED in actions


@pytest.mark.django_db
def test_the_editor_is_one_form_that_carries_the_file(client, evaluation):
    page = client.get(reverse("intake:evaluation_edit", args=[evaluation.pk])).content.decode()
    start = page.index('id="evaluation-form"')
    form = page[start - 40 : page.index("</form>", start)]
    assert 'enctype="multipart/form-data"' in form
    assert 'name="media-file"' in form
    upload_url = reverse("intake:gait_media_upload", args=[evaluation.pk])
    assert f'formaction="{upload_url}"' in form
    assert "Save the form first" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"m_mmt_hip_abductors_l": "9"}, "Nothing was saved yet"),
        (
            {"media-file": SimpleUploadedFile("run.jpg", b"<html></html>", "image/jpeg")},
            "not a photo or video",
        ),
        ({}, "Choose a photo or video to upload."),
    ],
    ids=["grid-error", "not-an-image", "no-file"],
)
def test_a_refused_upload_keeps_everything_typed_and_saves_nothing(
    client, evaluation, bad, message
):
    extra = {"media-file": png(), **bad} if "m_mmt_hip_abductors_l" in bad else bad
    response = upload(client, evaluation, **extra)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert TYPED["objective_notes"] in page and 'value="112"' in page
    assert TYPED["gait-notes"] in page
    assert "Choose the file again" in page
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == ""
    assert not Measurement.objects.filter(evaluation=evaluation).exists()
    assert not GaitMedia.objects.exists()


@pytest.mark.django_db
def test_a_file_chosen_and_then_save_pressed_is_uploaded_too(client, evaluation):
    url = reverse("intake:evaluation_edit", args=[evaluation.pk])
    response = client.post(url, page_data(**TYPED, **{"media-file": png()}))
    assert response.status_code == 302
    assert GaitMedia.objects.filter(evaluation=evaluation).count() == 1
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == TYPED["objective_notes"]


@pytest.mark.django_db
def test_a_signed_evaluation_still_refuses_uploads(client, evaluation):
    assert save(client, evaluation).status_code == 302
    client.post(reverse("intake:evaluation_sign", args=[evaluation.pk]), CONFIRM)
    assert Evaluation.objects.get(pk=evaluation.pk).is_signed
    response = upload(client, evaluation, **{"media-file": png()})
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:evaluation_detail", args=[evaluation.pk])
    assert not GaitMedia.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == ""
    page = client.get(response["Location"]).content.decode()
    assert "This evaluation is signed; media can no longer be added." in page


@pytest.mark.django_db
def test_only_the_evaluating_clinician_can_upload(client, evaluation):
    client.force_login(UserFactory(username="t-other", role=Role.CLINICIAN))
    response = upload(client, evaluation, **{"media-file": png()})
    assert response.status_code in (302, 404)
    assert not GaitMedia.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.objective_notes == ""
