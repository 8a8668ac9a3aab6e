"""Red flags raised by the real questionnaire, shown to clinicians, and resolved by them."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory
from intake import redflags
from intake.models import (
    Intake,
    IntakeLink,
    IntakeSource,
    IntakeStatus,
    PatientStatus,
    RedFlagAlert,
)

from .helpers import COMPLAINT, CONSENT, HISTORY, NO_FLAGS, PROFILE, step, submit

# What a clinician answers on the screen step: the examined Wells criteria too.
STAFF_NO_FLAGS = {
    **NO_FLAGS,
    **dict.fromkeys(
        (
            "wells_deep_vein_tenderness",
            "wells_pitting_oedema",
            "wells_collateral_veins",
            "wells_alternative_diagnosis",
        ),
        "no",
    ),
}
GENERAL_KEYS = [q.key for q in redflags.GENERAL_FLAGS]
LABELS = {q.key: q.label for q in redflags.GENERAL_FLAGS}


def new_link_path(client, user, patient) -> str:
    client.force_login(user)
    client.post(reverse("intake:patient_send_link", args=[patient.pk]), {"send_mail": ""})
    url = client.session[f"new-link-{patient.pk}"]
    client.logout()
    return url.split("testserver", 1)[1]


def resolve_url(alert) -> str:
    return reverse("intake:redflag_resolve", args=[alert.pk])


def red_flag_panel(html: str) -> str:
    return html.split('id="panel-red_flags"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def open_alert(client, intake_link):
    submit(client, intake_link[1], night_rest_pain="yes")
    return RedFlagAlert.objects.get()


# -------------------------------------------------------------- raising


@pytest.mark.django_db
@pytest.mark.parametrize("key", GENERAL_KEYS)
def test_each_general_flag_raises_one_open_alert_shown_to_clinicians_and_audited(
    client, intake_link, patient, clinician, key
):
    submit(client, intake_link[1], **{key: "yes"})
    alert = RedFlagAlert.objects.get()
    assert (alert.kind, alert.key, alert.patient, alert.is_open) == ("general", key, patient, True)
    assert alert.intake == Intake.objects.get(patient=patient)
    event = AuditEvent.objects.get(
        action=AuditAction.CREATED,
        content_type=ContentType.objects.get_for_model(RedFlagAlert),
        object_id=str(alert.pk),
    )
    assert (event.patient, event.actor_label, event.detail) == (
        patient,
        IntakeLink.ACTOR_LABEL,
        f"red flag {key}",
    )
    client.force_login(clinician)
    panel = red_flag_panel(client.get(reverse("clinic:dashboard")).content.decode())
    assert LABELS[key] in panel and patient.display_name in panel
    assert resolve_url(alert) in panel
    chart = client.get(patient.get_absolute_url()).content.decode()
    assert LABELS[key] in chart and resolve_url(alert) in chart


@pytest.mark.django_db
def test_no_positive_answer_raises_no_alert(client, intake_link, patient, clinician):
    submit(client, intake_link[1])
    assert not RedFlagAlert.objects.exists()
    client.force_login(clinician)
    panel = red_flag_panel(client.get(reverse("clinic:dashboard")).content.decode())
    assert "No open red flags." in panel


@pytest.mark.django_db
def test_groin_and_hop_pain_is_a_hard_stop_until_a_clinician_decides(
    client, intake_link, patient, clinician
):
    submit(client, intake_link[1], fn_groin_pain_activity="yes", fn_hop_pain="yes")
    alert = RedFlagAlert.objects.get()
    assert (alert.kind, alert.hard_stop, alert.severity) == ("femoral_neck", True, "urgent")
    assert patient.has_unresolved_hard_stop()
    client.force_login(clinician)
    chart = client.get(patient.get_absolute_url()).content.decode()
    assert "Red flag to decide today" in chart and "Suspected femoral neck" in chart

    reason = "Focal tenderness; MRI booked for tomorrow."
    response = client.post(resolve_url(alert), {"decision": "urgent_referral", "reason": reason})
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    alert.refresh_from_db()
    assert (alert.decision, alert.reason) == ("urgent_referral", reason)
    assert alert.resolved_by == clinician
    assert alert.resolved_at is not None
    assert not patient.has_unresolved_hard_stop()
    event = AuditEvent.objects.get(action=AuditAction.CHANGED, object_id=str(alert.pk))
    assert (event.actor, event.patient, event.detail) == (clinician, patient, "urgent_referral")
    chart = client.get(patient.get_absolute_url()).content.decode()
    assert "Red flag to decide today" not in chart and reason in chart


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("yes_to", "score", "severity"),
    [
        (["wells_whole_leg_swollen"], 1, "urgent"),
        (["wells_calf_swelling_3cm", "wells_bedridden_or_surgery"], 2, "urgent"),
        (
            ["wells_active_cancer", "wells_paralysis_immobilisation", "wells_calf_swelling_3cm"],
            3,
            "urgent",
        ),
    ],
)
def test_a_moderate_or_high_wells_score_is_an_urgent_hard_stop_until_cleared(
    client, intake_link, patient, yes_to, score, severity
):
    # DOMAIN.md section 3: moderate or high probability blocks the plan until a clinician
    # records the medical clearance (today's main said "review" and still made a plan).
    submit(client, intake_link[1], **dict.fromkeys(yes_to, "yes"))
    alert = RedFlagAlert.objects.get(kind="dvt")
    assert (alert.key, alert.severity, alert.hard_stop) == ("wells", severity, True)
    assert f"Wells score {score}" in alert.detail
    assert patient.has_unresolved_hard_stop()


@pytest.mark.django_db
def test_no_wells_criterion_raises_no_dvt_alert(client, intake_link):
    submit(client, intake_link[1], unexplained_weight_loss="yes")
    assert not RedFlagAlert.objects.filter(kind="dvt").exists()
    assert RedFlagAlert.objects.get().key == "unexplained_weight_loss"


@pytest.mark.django_db
def test_a_woman_restricting_food_raises_a_low_energy_alert(client, intake_link, patient):
    submit(client, intake_link[1], triad_dietary_restriction="2")
    alert = RedFlagAlert.objects.get()
    assert (alert.kind, alert.key, alert.patient) == ("low_energy", "triad", patient)


@pytest.mark.django_db
def test_a_man_is_not_asked_the_triad_questions(client, frontdesk):
    man = PatientFactory(legal_first_name="Lee", sex="male")
    path = new_link_path(client, frontdesk, man)
    response = client.get(step(path, "screen"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="night_rest_pain"' in page
    assert "triad_dietary_restriction" not in page
    submit(client, path, triad_dietary_restriction="2")  # a forged answer is ignored
    intake = Intake.objects.get(patient=man)
    assert "triad_dietary_restriction" not in intake.red_flag_answers
    assert not RedFlagAlert.objects.exists()


# -------------------------------------------------------------- resolving


@pytest.mark.django_db
def test_front_desk_cannot_resolve_a_red_flag(client, open_alert, frontdesk):
    client.force_login(frontdesk)
    assert client.get(resolve_url(open_alert)).status_code == 403
    response = client.post(resolve_url(open_alert), {"decision": "treat", "reason": "Fine."})
    assert response.status_code == 403
    open_alert.refresh_from_db()
    assert open_alert.is_open and open_alert.decision == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"decision": "treat", "reason": ""}, "This field is required"),
        ({"decision": "treat", "reason": "   "}, "This field is required"),
        ({"decision": "ignore", "reason": "Looks fine."}, "Select a valid choice"),
        ({"reason": "Looks fine."}, "This field is required"),
    ],
    ids=["no-reason", "blank-reason", "invalid-decision", "no-decision"],
)
def test_an_incomplete_decision_shows_an_error_and_leaves_the_alert_open(
    client, open_alert, clinician, data, error
):
    client.force_login(clinician)
    response = client.post(resolve_url(open_alert), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    open_alert.refresh_from_db()
    assert open_alert.is_open and open_alert.decision == "" and open_alert.resolved_by is None
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGED, object_id=str(open_alert.pk))


@pytest.mark.django_db
def test_a_second_decision_does_not_change_the_first(client, open_alert, clinician):
    client.force_login(clinician)
    client.post(resolve_url(open_alert), {"decision": "treat", "reason": "Mechanical pain."})
    open_alert.refresh_from_db()
    first_at = open_alert.resolved_at
    response = client.post(resolve_url(open_alert), {"decision": "refer", "reason": "Changed."})
    assert response.status_code == 200
    assert "Mechanical pain." in response.content.decode()
    open_alert.refresh_from_db()
    assert (open_alert.decision, open_alert.reason) == ("treat", "Mechanical pain.")
    assert open_alert.resolved_at == first_at
    changes = AuditEvent.objects.filter(action=AuditAction.CHANGED, object_id=str(open_alert.pk))
    assert list(changes.values_list("detail", flat=True)) == ["treat"]


# ------------------------------------------------ clinician-entered questionnaire


@pytest.mark.django_db
def test_a_questionnaire_entered_by_a_clinician_is_accepted_on_send_and_raises_alerts(
    client, clinician, patient
):
    client.force_login(clinician)
    response = client.post(reverse("intake:intake_staff_new", args=[patient.pk]))
    intake = Intake.objects.get(patient=patient)
    assert intake.source == IntakeSource.STAFF and intake.created_by == clinician
    assert response["Location"] == reverse("intake:intake_step", args=[intake.pk, "profile"])
    screen = {**STAFF_NO_FLAGS, "cancer_history": "yes", "wells_deep_vein_tenderness": "yes"}
    for name, data in (
        ("profile", PROFILE),
        ("complaint", COMPLAINT),
        ("history", HISTORY),
        ("screen", screen),
        ("consent", CONSENT),
    ):
        response = client.post(reverse("intake:intake_step", args=[intake.pk, name]), data)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
    assert response["Location"] == reverse("intake:intake_review", args=[intake.pk])
    intake.refresh_from_db()
    assert (intake.status, intake.accepted_by) == (IntakeStatus.ACCEPTED, clinician)
    assert intake.submitted_answers["complaint"]
    alerts = RedFlagAlert.objects.filter(intake=intake)
    assert sorted(alerts.values_list("key", flat=True)) == ["cancer_history", "wells"]
    created = AuditEvent.objects.filter(action=AuditAction.CREATED, detail__startswith="red flag")
    assert created.count() == 2 and {e.actor for e in created} == {clinician}


@pytest.mark.django_db
def test_a_questionnaire_entered_by_a_clinician_makes_the_prospect_an_active_patient(
    client, clinician, patient
):
    client.force_login(clinician)
    client.post(reverse("intake:intake_staff_new", args=[patient.pk]))
    intake = Intake.objects.get(patient=patient)
    for name, data in (
        ("profile", PROFILE),
        ("complaint", COMPLAINT),
        ("history", HISTORY),
        ("screen", STAFF_NO_FLAGS),
        ("consent", CONSENT),
    ):
        client.post(reverse("intake:intake_step", args=[intake.pk, name]), data)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.ACCEPTED
    patient.refresh_from_db()
    assert patient.status == PatientStatus.ACTIVE


@pytest.mark.django_db
def test_a_clinician_answers_the_examined_wells_criteria_too(client, clinician, patient):
    client.force_login(clinician)
    client.post(reverse("intake:intake_staff_new", args=[patient.pk]))
    intake = Intake.objects.get(patient=patient)
    url = reverse("intake:intake_step", args=[intake.pk, "screen"])
    assert 'name="wells_pitting_oedema"' in client.get(url).content.decode()
    response = client.post(url, NO_FLAGS)  # the examined criteria left out
    assert response.status_code == 200
    assert "screen" not in Intake.objects.get(pk=intake.pk).completed_steps


# -------------------------------------------------------------- review and accept


def _pain_now(pairs) -> str:
    return dict(pairs)["Pain now"]


@pytest.mark.django_db
def test_a_clinician_corrects_the_answers_and_accepts_them_into_the_record(
    client, intake_link, patient, clinician
):
    submit(client, intake_link[1])
    intake = Intake.objects.get(patient=patient)
    review_url = reverse("intake:intake_review", args=[intake.pk])
    client.force_login(clinician)
    response = client.get(review_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pegasus 41" in page and "Shin splints" in page and "Awaiting review" in page
    assert "corrected" not in page

    complaint_url = reverse("intake:intake_step", args=[intake.pk, "complaint"])
    assert client.post(complaint_url, {**COMPLAINT, "pain_now": "5"}).status_code == 302
    intake.complaint.refresh_from_db()
    assert intake.complaint.pain_now == 5
    page = client.get(review_url).content.decode()
    assert page.count(">corrected<") == 1
    original = page.split("As the patient sent it", 1)[1].split("</details>", 1)[0]
    assert re.search(r"Pain now</dt>\s*<dd[^>]*>3</dd>", original)
    intake.refresh_from_db()
    assert _pain_now(intake.submitted_answers["complaint"]) == "3"  # the original is kept

    response = client.post(reverse("intake:intake_accept", args=[intake.pk]))
    assert response.status_code == 302
    intake.refresh_from_db()
    patient.refresh_from_db()
    assert (intake.status, intake.accepted_by) == (IntakeStatus.ACCEPTED, clinician)
    assert patient.status == PatientStatus.ACTIVE
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGED, detail="accepted into the record", actor=clinician
    ).exists()

    response = client.post(complaint_url, {**COMPLAINT, "pain_now": "9"})
    assert response.status_code == 302 and response["Location"] == review_url
    intake.complaint.refresh_from_db()
    assert intake.complaint.pain_now == 5


@pytest.mark.django_db
def test_every_wells_criterion_answered_yes_is_stored_in_full(client, intake_link):
    # The detail lists each criterion and the hard-stop words: longer than the old 255.
    yes = [
        "wells_active_cancer",
        "wells_bedridden_or_surgery",
        "wells_paralysis_immobilisation",
        "wells_whole_leg_swollen",
        "wells_calf_swelling_3cm",
    ]
    submit(client, intake_link[1], **dict.fromkeys(yes, "yes"))
    alert = RedFlagAlert.objects.get(kind="dvt")
    assert alert.detail.endswith("record the clearance to go on.")
    assert len(alert.detail) > 255
