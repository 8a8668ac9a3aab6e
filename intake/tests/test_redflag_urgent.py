"""A red flag that cannot wait: the patient is told what to do at once, the clinicians are
mailed, and it sits on top of the chart and the evaluation until a clinician decides."""

import pytest
from django.conf import settings
from django.urls import reverse

from clinic.actors import Actor
from clinic.models import AuditAction, AuditEvent
from intake import redflags
from intake.models import RedFlagAlert
from intake.services.intakes import NOTICE_LABEL, redflag_notice_send

from .helpers import save, submit

WORKER = Actor.system(NOTICE_LABEL)  # as redflag_notice_task calls it

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}

# Three Wells points from what the patient can answer: a high probability (Riddle & Wells 2004).
HIGH_WELLS = dict.fromkeys(
    ("wells_active_cancer", "wells_bedridden_or_surgery", "wells_whole_leg_swollen"), True
)
FEMORAL_NECK = {"fn_groin_pain_activity": "yes", "fn_hop_pain": "yes", "fn_night_pain": "yes"}


def queued_notice(callback) -> bool:
    """An on-commit callback that queues the clinicians' red-flag notice."""
    task = getattr(getattr(callback, "func", None), "__self__", None)
    return getattr(task, "name", "") == "intake.tasks.redflag_notice_task"


def thank_you_page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------ pure rules


def test_the_patient_action_follows_the_most_severe_flag():
    femoral = redflags.screen({"fn_groin_pain_activity": True, "fn_hop_pain": True})
    night = redflags.screen({"night_rest_pain": True})
    assert redflags.patient_action(femoral) == redflags.CALL_TODAY
    assert redflags.patient_action(night) is None
    assert redflags.patient_action(night + femoral) == redflags.CALL_TODAY
    emergency = redflags.screen({"bowel_bladder_change": True})
    assert redflags.patient_action(femoral + emergency) == redflags.GO_TO_EMERGENCY
    clot = redflags.screen(HIGH_WELLS)
    assert redflags.patient_action(clot) == redflags.SEE_DOCTOR_TODAY
    assert redflags.patient_action(femoral + clot) == redflags.SEE_DOCTOR_TODAY
    assert redflags.patient_action(clot + emergency) == redflags.GO_TO_EMERGENCY
    assert [
        f.severity for f in redflags.screen({"night_rest_pain": True, "bowel_bladder_change": True})
    ] == [
        redflags.EMERGENCY,
        redflags.REVIEW,
    ]


# ------------------------------------------------------------------ the patient


@pytest.mark.django_db
def test_a_hard_stop_tells_the_patient_to_stop_running_and_call_today_with_the_number(
    client, intake_link
):
    submit(client, intake_link[1], **FEMORAL_NECK)
    assert RedFlagAlert.objects.get().hard_stop
    page = thank_you_page(client, intake_link[1])
    assert "Please call the clinic today" in page
    assert "Stop running" in page
    assert settings.CLINIC_PHONE in page
    assert "will go through it with you at your visit" not in page


@pytest.mark.django_db
def test_an_emergency_answer_sends_the_patient_to_emergency_care(client, intake_link):
    submit(client, intake_link[1], bowel_bladder_change="yes")
    page = thank_you_page(client, intake_link[1])
    assert "Please get medical help now" in page
    assert "emergency department" in page and "911" in page
    assert "will go through it with you at your visit" not in page


@pytest.mark.django_db
def test_a_possible_blood_clot_sends_the_patient_to_a_doctor_today_with_the_911_signs(
    client, intake_link
):
    """A high Wells score had the bone-injury words ("stop jumping and hopping")."""
    submit(client, intake_link[1], **dict.fromkeys(HIGH_WELLS, "yes"))
    assert RedFlagAlert.objects.get().kind == "dvt"
    page = thank_you_page(client, intake_link[1])
    assert "Please see a doctor today" in page
    assert "blood clot" in page
    for sign in ("short of breath", "chest pain", "cough up blood", "911"):
        assert sign in page
    assert settings.CLINIC_PHONE in page
    assert "hopping" not in page and "will go through it with you at your visit" not in page


@pytest.mark.django_db
def test_a_review_flag_keeps_the_visit_message(client, intake_link):
    submit(client, intake_link[1], night_rest_pain="yes")
    page = thank_you_page(client, intake_link[1])
    assert "will go through it with you at your visit" in page
    assert "Please call the clinic today" not in page


@pytest.mark.django_db
def test_once_a_clinician_decides_the_link_shows_the_plain_thank_you(
    client, intake_link, clinician
):
    submit(client, intake_link[1], **FEMORAL_NECK)
    RedFlagAlert.objects.get().resolve(by=clinician, decision="urgent_referral", reason="MRI")
    assert "Please call the clinic today" not in thank_you_page(client, intake_link[1])


# ------------------------------------------------------------------ the clinicians


@pytest.mark.django_db
def test_clinicians_are_mailed_at_once_without_patient_data_in_the_subject(
    client,
    intake_link,
    patient,
    clinician,
    frontdesk,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(client, intake_link[1], **FEMORAL_NECK)
    alert = RedFlagAlert.objects.get()
    assert [c.args for c in callbacks if queued_notice(c)] == [([alert.pk],)]
    assert redflag_notice_send([alert.pk], actor=WORKER) == 1
    (mail,) = mailoutbox
    assert mail.to == [clinician.email]  # clinicians only, not the front desk
    for private in (patient.legal_first_name, patient.legal_last_name, patient.email):
        assert private not in mail.subject and private not in mail.body
    assert str(patient.date_of_birth.year) not in mail.subject
    assert "Suspected femoral neck bone stress injury" in mail.body
    assert reverse("intake:patient_detail", args=[patient.pk]) in mail.body
    assert AuditEvent.objects.filter(action=AuditAction.SENT, object_id=str(alert.pk)).exists()


@pytest.mark.django_db
def test_without_a_clinician_address_the_notice_goes_to_the_clinic(
    client, intake_link, clinician, mailoutbox, settings
):
    clinician.email = ""
    clinician.save(update_fields=["email"])
    settings.CLINIC_EMAIL = "front@clinic.example"
    submit(client, intake_link[1], **FEMORAL_NECK)
    assert redflag_notice_send([RedFlagAlert.objects.get().pk], actor=WORKER) == 1
    (mail,) = mailoutbox
    assert mail.to == ["front@clinic.example"]

    mailoutbox.clear()
    settings.CLINIC_EMAIL = ""
    assert redflag_notice_send([RedFlagAlert.objects.get().pk], actor=WORKER) == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_review_flag_mails_nobody(client, intake_link, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(client, intake_link[1], night_rest_pain="yes")
    assert RedFlagAlert.objects.get().severity == redflags.REVIEW
    assert not any(queued_notice(c) for c in callbacks)


@pytest.mark.django_db
def test_a_notice_for_a_flag_decided_in_the_meantime_is_not_sent(
    client, intake_link, clinician, mailoutbox
):
    submit(client, intake_link[1], **FEMORAL_NECK)
    alert = RedFlagAlert.objects.get()
    alert.resolve(by=clinician, decision="urgent_referral", reason="Phoned, MRI booked")
    assert redflag_notice_send([alert.pk], actor=WORKER) == 0
    assert mailoutbox == []


# ------------------------------------------------------------------ the chart and editors


@pytest.fixture
def flagged_evaluation(client, intake_link, clinician, patient):
    submit(client, intake_link[1], **FEMORAL_NECK)
    client.force_login(clinician)
    client.post(reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "initial"})
    evaluation = patient.evaluations.get()
    assert save(client, evaluation).status_code == 302
    return evaluation


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["intake:patient_detail", "intake:evaluation_edit", "intake:evaluation_detail"]
)
def test_the_open_hard_stop_sits_on_top_of_the_chart_and_the_evaluation(
    client, flagged_evaluation, page
):
    pk = flagged_evaluation.patient_id if page == "intake:patient_detail" else flagged_evaluation.pk
    html = client.get(reverse(page, args=[pk])).content.decode()
    banner = html.split('id="redflag-banner-h"', 1)[1].split("</section>", 1)[0]
    assert "Suspected femoral neck bone stress injury" in banner
    assert reverse("intake:redflag_resolve", args=[RedFlagAlert.objects.get().pk]) in banner
    # On top: before the first section of the page's own content.
    assert (
        html.index('id="redflag-banner-h"')
        < html.index("<section", html.index("</nav>") + 1) + 1000
    )


@pytest.mark.django_db
def test_signing_with_an_open_hard_stop_needs_the_acknowledgement(client, flagged_evaluation):
    sign = reverse("intake:evaluation_sign", args=[flagged_evaluation.pk])
    response = client.post(sign, CONFIRM, follow=True)
    flagged_evaluation.refresh_from_db()
    assert not flagged_evaluation.is_signed
    assert "confirm that you have seen it" in response.content.decode()
    assert 'name="red_flags_acknowledged"' in response.content.decode()

    client.post(sign, {"red_flags_acknowledged": "yes", **CONFIRM})
    flagged_evaluation.refresh_from_db()
    assert flagged_evaluation.is_signed
    event = AuditEvent.objects.get(action=AuditAction.SIGNED)
    assert event.detail == "red flags acknowledged: femoral_neck"


@pytest.mark.django_db
def test_a_decided_flag_leaves_the_pages_and_needs_no_acknowledgement(
    client, flagged_evaluation, clinician
):
    RedFlagAlert.objects.get().resolve(by=clinician, decision="treat_modified", reason="Examined")
    html = client.get(reverse("intake:evaluation_detail", args=[flagged_evaluation.pk])).content
    assert b"redflag-banner-h" not in html and b"red_flags_acknowledged" not in html
    client.post(reverse("intake:evaluation_sign", args=[flagged_evaluation.pk]), CONFIRM)
    flagged_evaluation.refresh_from_db()
    assert flagged_evaluation.is_signed
