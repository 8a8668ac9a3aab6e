"""The coach's link: consented, read-only, revocable, expiring, audited,
and showing only the runner's week."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PlanFactory, PlanVersionFactory, UserFactory, forged_token
from intake.measurements import cadence_target
from plans import return_to_run
from plans.forms.coach import CONSENT_REQUIRED
from plans.models import CoachLink
from plans.views import coach as views_coach

from .helpers import (
    ASSESSMENT,
    DIAGNOSIS,
    EXAMINATION,
    GAIT_NOTE,
    LONG_GOAL,
    PLAN_NOTES,
    SHORT_GOAL,
    SUBJECTIVE,
    evaluated_patient,
)

PLAN_NOTE = "Ease off before the clinic visit on Friday."
ITEM_NOTE = "Your left knee clicked on the last rep."
CLINICAL = (SUBJECTIVE, EXAMINATION, ASSESSMENT, PLAN_NOTES, GAIT_NOTE, PLAN_NOTE, ITEM_NOTE)


@pytest.fixture
def staff_client(clinician):
    client = Client()
    client.force_login(clinician)
    return client


def running_plan(clinician, stage=3, **patient_fields):
    """An issued return-to-run plan with a clinician's notes on the plan and an exercise."""
    plan = PlanFactory(
        evaluation=evaluated_patient(clinician, **patient_fields),
        phase="return_to_run",
        return_to_run=True,
        run_stage=stage,
        notes=PLAN_NOTE,
    )
    plan.items.update(notes=ITEM_NOTE)
    return plan, PlanVersionFactory(plan=plan)


def make_link(client, plan, **data) -> str:
    """A coach link made through the plan editor's form; the URL the clinician copies."""
    response = client.post(
        reverse("plans:coach_link_create", args=[plan.pk]), {"consent": "on", **data}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.session[f"new-coach-link-{plan.pk}"]


def open_page(url: str):
    return Client().get(url.split("testserver", 1)[1])


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_the_coach_sees_the_stage_its_rules_the_exercises_and_the_cadence_only(
    staff_client, clinician
):
    plan, version = running_plan(clinician, stage=3, preferred_name="")
    patient = plan.patient
    page = open_page(make_link(staff_client, plan, coach_name="Sam Rivera"))
    assert page.status_code == 200
    html = text(page)
    low, high = cadence_target(164)
    for expected in (
        patient.legal_first_name,
        "Sam Rivera",
        "stage 3 of 6",
        return_to_run.REST_RULE,
        f"{low}–{high} beats per minute",
        *(item["name"] for item in version.snapshot["items"]),
        *(item["dosage_sentence"] for item in version.snapshot["items"]),
    ):
        assert expected in html, expected
    birth_date = patient.date_of_birth
    for secret in (
        patient.legal_last_name,
        *DIAGNOSIS,
        *CLINICAL,
        SHORT_GOAL,
        LONG_GOAL,
        birth_date.isoformat(),
        birth_date.strftime("%b %-d, %Y"),
        birth_date.strftime("%B %-d, %Y"),
        "Okafor",  # no clinician's name either
    ):
        assert secret not in html, secret
    assert "no-store" in page["Cache-Control"]
    viewed = AuditEvent.objects.get(action=AuditAction.VIEWED, actor_label="coach link")
    assert viewed.patient_id == patient.pk and viewed.actor_id is None


@pytest.mark.django_db
def test_the_diagnosis_shows_only_when_the_patient_allows_it(staff_client, clinician):
    plan, _ = running_plan(clinician)
    without = text(open_page(make_link(staff_client, plan)))
    allowed = text(open_page(make_link(staff_client, plan, show_diagnosis="on")))
    assert DIAGNOSIS[1] not in without
    assert DIAGNOSIS[1] in allowed
    for secret in (plan.patient.legal_last_name, *CLINICAL):  # still never the notes
        assert secret not in allowed, secret
    created = AuditEvent.objects.filter(action=AuditAction.CREATED, detail__startswith="coach")
    assert sorted(created.values_list("detail", flat=True)) == [
        "coach link",
        "coach link, diagnosis allowed",
    ]


@pytest.mark.django_db
def test_no_coach_link_without_the_patients_consent_and_the_entries_are_kept(
    staff_client, clinician
):
    plan, _ = running_plan(clinician)
    response = staff_client.post(
        reverse("plans:coach_link_create", args=[plan.pk]),
        {"coach_name": "Sam Rivera", "show_diagnosis": "on"},
    )
    assert response.status_code == 200
    html = text(response)
    assert CONSENT_REQUIRED.replace("'", "&#x27;") in html
    assert 'value="Sam Rivera"' in html
    assert 'name="show_diagnosis" class="form-check-input" id="id_show_diagnosis" checked' in html
    assert not CoachLink.objects.exists()


@pytest.mark.django_db
def test_the_link_records_who_took_the_consent_and_expires_with_plan_links(
    staff_client, clinician, settings
):
    settings.PLAN_LINK_DAYS = 10
    plan, _ = running_plan(clinician)
    make_link(staff_client, plan)
    link = CoachLink.objects.get()
    assert link.consent_recorded_by == clinician and link.created_by == clinician
    assert abs(link.consent_recorded_at - timezone.now()) < datetime.timedelta(minutes=1)
    expected = timezone.now() + datetime.timedelta(days=10)
    assert abs(link.expires_at - expected) < datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_revoked_link_shows_the_unavailable_page_and_is_audited(staff_client, clinician):
    plan, _ = running_plan(clinician)
    url = make_link(staff_client, plan)
    assert url in text(staff_client.get(plan.get_absolute_url()))  # shown once, to copy
    editor = text(staff_client.get(plan.get_absolute_url()))
    assert url not in editor
    link = CoachLink.objects.get()
    revoke = reverse("plans:coach_link_revoke", args=[link.pk])
    assert revoke in editor
    assert staff_client.post(revoke).status_code == 302
    assert revoke not in text(staff_client.get(plan.get_absolute_url()))
    page = open_page(url)
    assert page.status_code == 410 and "no longer active" in text(page)
    assert plan.patient.legal_first_name not in text(page)
    denied = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (denied.detail, denied.actor_label) == ("link revoked", "coach link")
    assert denied.patient_id == plan.patient_id
    assert AuditEvent.objects.filter(action=AuditAction.REVOKED, patient=plan.patient).exists()


@pytest.mark.django_db
def test_an_expired_link_shows_the_unavailable_page_and_is_audited(
    staff_client, clinician, settings
):
    plan, _ = running_plan(clinician)
    url = make_link(staff_client, plan)
    later = timezone.now() + datetime.timedelta(days=settings.PLAN_LINK_DAYS, minutes=1)
    with time_machine.travel(later):
        page = open_page(url)
    assert page.status_code == 410 and "expired" in text(page)
    denied = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (denied.detail, denied.patient_id) == ("link expired", plan.patient_id)


@pytest.mark.django_db
def test_a_tampered_or_foreign_token_opens_nothing(staff_client, clinician):
    plan, _ = running_plan(clinician)
    url = make_link(staff_client, plan)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged = forged_token(CoachLink)  # signed, but never issued
    for bad in (tampered, forged, "not-a-token"):
        page = Client().get(reverse("plans:coach_page", args=[bad]))
        assert page.status_code == 404 and "does not work" in text(page)
        assert plan.patient.legal_first_name not in text(page)
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() == 3


@pytest.mark.django_db
def test_a_coach_link_shows_only_its_own_patient(staff_client, clinician):
    plan_a, _ = running_plan(clinician, preferred_name="Avery", email="a@example.com")
    plan_b, _ = running_plan(clinician, stage=5, preferred_name="Blake", email="b@example.com")
    page_a = text(open_page(make_link(staff_client, plan_a)))
    page_b = text(open_page(make_link(staff_client, plan_b)))
    assert "Avery" in page_a and "Blake" not in page_a and "stage 3 of 6" in page_a
    assert "Blake" in page_b and "Avery" not in page_b and "stage 5 of 6" in page_b


@pytest.mark.django_db
def test_front_desk_and_clinic_admins_are_refused_and_outsiders_find_nothing(
    staff_client, clinician
):
    plan, _ = running_plan(clinician)
    make_link(staff_client, plan)
    link = CoachLink.objects.get()
    create = reverse("plans:coach_link_create", args=[plan.pk])
    revoke = reverse("plans:coach_link_revoke", args=[link.pk])
    users = {
        403: [
            UserFactory(username="coach-desk", role=Role.FRONT_DESK),
            UserFactory(username="coach-admin", role=Role.CLINIC_ADMIN),
        ],
        404: [UserFactory(username="coach-outsider", role=Role.CLINICIAN)],
    }
    for status, members in users.items():
        for user in members:
            client = Client()
            client.force_login(user)
            for url in (create, revoke):
                response = client.post(url, {"consent": "on"})
                assert response.status_code == status, (user.username, url)
                assert plan.patient.legal_last_name not in text(response)
    assert CoachLink.objects.get().revoked_at is None
    assert CoachLink.objects.count() == 1
    assert Client().get(create).status_code == 302  # anonymous: to the login page


@pytest.mark.django_db
def test_no_coach_link_before_the_plan_is_issued(staff_client, clinician):
    plan = PlanFactory(evaluation=evaluated_patient(clinician))
    response = staff_client.post(
        reverse("plans:coach_link_create", args=[plan.pk]), {"consent": "on"}
    )
    assert response.status_code == 200 and "Issue the plan first" in text(response)
    assert not CoachLink.objects.exists()


@pytest.mark.django_db
def test_the_coach_page_is_rate_limited(staff_client, clinician, monkeypatch):
    monkeypatch.setattr(views_coach, "COACH_PAGE_LIMIT", 2)
    plan, _ = running_plan(clinician)
    url = make_link(staff_client, plan)
    assert [open_page(url).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_a_patient_without_a_return_to_run_program_gets_a_plain_note(staff_client, clinician):
    plan = PlanVersionFactory(plan__evaluation=evaluated_patient(clinician)).plan
    page = text(open_page(make_link(staff_client, plan)))
    assert "no walk-run program" in page
    low, high = cadence_target(164)  # the evaluation's target, as in the coach letter
    assert f"{low}–{high} beats per minute" in page
