"""Signing asks first; a diagnosis code that names the other side is shown and must be
confirmed."""

import pytest
from django.urls import reverse

from clinic.models import AuditAction, AuditEvent
from intake import diagnoses

from .helpers import save

SIGN = {"confirm": "yes"}


def test_the_side_is_read_from_the_codes_description():
    assert diagnoses.code_side("M84.351A") == diagnoses.RIGHT
    assert diagnoses.code_side("M22.2X2") == diagnoses.LEFT
    assert diagnoses.code_side("M72.2") is None  # plantar fascial fibromatosis: no side


class Dx:
    def __init__(self, code):
        self.code, self.description = code, ""


def test_only_a_one_sided_evaluation_can_contradict_a_code():
    femur = [Dx("M84.351A")]  # right femur
    assert diagnoses.side_mismatches("left", femur) == ["M84.351A"]
    assert diagnoses.side_mismatches("right", femur) == []
    assert diagnoses.side_mismatches("both", femur) == []
    assert diagnoses.side_mismatches("na", femur) == []


@pytest.mark.django_db
def test_a_post_without_the_confirmation_signs_nothing(client, evaluation):
    save(client, evaluation)
    response = client.post(reverse("intake:evaluation_sign", args=[evaluation.pk]), follow=True)
    evaluation.refresh_from_db()
    assert not evaluation.is_signed
    assert "confirm to sign the evaluation" in response.content.decode()


@pytest.mark.django_db
def test_a_right_femur_code_on_a_left_evaluation_is_shown_and_must_be_confirmed(
    client,
    evaluation,
):
    assert save(client, evaluation, **{"dx-0-code": "M84.351A"}).status_code == 302
    url = reverse("intake:evaluation_detail", args=[evaluation.pk])
    page = client.get(url).content.decode()
    assert "Check the side:" in page and 'name="sides_checked"' in page
    sign = reverse("intake:evaluation_sign", args=[evaluation.pk])
    response = client.post(sign, SIGN, follow=True)
    evaluation.refresh_from_db()
    assert not evaluation.is_signed
    assert "M84.351A names the other side" in response.content.decode()
    client.post(sign, {**SIGN, "sides_checked": "yes"})
    evaluation.refresh_from_db()
    assert evaluation.is_signed
    assert AuditEvent.objects.get(action=AuditAction.SIGNED).detail == "sides confirmed: M84.351A"


@pytest.mark.django_db
def test_matching_sides_sign_without_the_extra_box(client, evaluation):
    save(client, evaluation)  # left evaluation, M22.2X2 left knee
    page = client.get(reverse("intake:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "Check the side:" not in page and "sides_checked" not in page
    client.post(reverse("intake:evaluation_sign", args=[evaluation.pk]), SIGN)
    evaluation.refresh_from_db()
    assert evaluation.is_signed
