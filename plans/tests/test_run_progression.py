"""Runs logged through the plan link, the rule's proposal, the clinician's confirmation:
nothing moves the stage but the clinician acting on the rule."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import actor_for
from plans.models import DecisionStatus, Plan, ProgressionDecision, RunLog

from .helpers import START, issued_plan, unlock

BONE_STRESS_TIBIA = "M84.361A"


class Patient:
    """The patient's phone: runs on given days after START, next mornings the day after."""

    def __init__(self, client, plan, version, token):
        self.client, self.plan, self.version, self.token = client, plan, version, token
        self.url = reverse("plans:patient_run_log", args=[token])

    def on(self, day: int):
        travel = time_machine.travel(START + datetime.timedelta(days=day), tick=False)
        travel.start()
        unlock(self.client, self.plan, self.token)
        return travel

    def post(self, day: int, **answers):
        data = {
            "version": self.version.number,
            "day": (START + datetime.timedelta(days=day)).date().isoformat(),
            "as_prescribed": "yes",
            "pain_during": "2",
            "bone_pain": "no",
            "pain_next_morning": "",
            "next_morning_worse": "",
            **answers,
        }
        return self.client.post(self.url, data, follow=True).content.decode()

    def run(self, day: int, *, morning_worse: bool | None = False, **answers) -> str:
        """A run on ``day``; with its next-morning answer given on day + 1 unless None."""
        travel = self.on(day)
        page = self.post(day, **answers)
        travel.stop()
        if morning_worse is None:
            return page
        travel = self.on(day + 1)
        morning = {"pain_next_morning": "3" if morning_worse else "1"}
        morning["next_morning_worse"] = "yes" if morning_worse else "no"
        page = self.post(day, **answers, **morning)
        travel.stop()
        return page


def runner(client, clinician, code="M22.2X2", stage=1) -> Patient:
    with time_machine.travel(START, tick=False):
        plan, version, token = issued_plan(clinician, code, runs=True, stage=stage)
    return Patient(client, plan, version, token)


def pending(plan) -> ProgressionDecision:
    return ProgressionDecision.objects.get(plan=plan, status=DecisionStatus.PENDING)


def stage_of(plan) -> int:
    return Plan.objects.get(pk=plan.pk).run_stage


def decide(client, clinician, plan, decision, **data):
    client.force_login(clinician)
    url = reverse("plans:run_decision", args=[plan.pk])
    response = client.post(url, {"decision": decision.pk, **data}, follow=True)
    client.logout()
    return response.content.decode()


@pytest.mark.django_db
def test_one_good_run_says_repeat_and_waits_for_the_next_morning(client, clinician):
    patient = runner(client, clinician)
    page = patient.run(0, morning_worse=None)
    assert "Saved your log" in page and "the next morning decides" in page
    assert not ProgressionDecision.objects.exists()  # the next morning decides
    page = patient.run(0)
    decision = pending(patient.plan)
    assert (decision.action, decision.next_stage) == ("repeat", 1)
    assert "What next: repeat" in page and "1 of 2 so far" in page
    assert RunLog.objects.count() == 1  # the morning answer is on the same log


@pytest.mark.django_db
def test_two_good_runs_propose_the_next_stage_which_only_the_clinician_makes_real(
    client, clinician
):
    patient = runner(client, clinician)
    patient.run(0)
    page = patient.run(2)
    decision = pending(patient.plan)
    assert (decision.action, decision.next_stage) == ("progress", 2)
    assert "What next: move to the next stage" in page and "checks this" in page
    assert stage_of(patient.plan) == 1  # not before the clinician confirms
    plan_page = client.get(reverse("plans:plan_edit", args=[patient.plan.pk]))
    assert plan_page.status_code == 302  # staff only
    client.force_login(clinician)
    staff_page = client.get(reverse("plans:plan_edit", args=[patient.plan.pk])).content.decode()
    assert "The rule proposes: move to the next stage" in staff_page
    client.logout()
    page = decide(client, clinician, patient.plan, decision, choice="confirm")
    assert "Confirmed: the patient runs stage 2" in page
    assert stage_of(patient.plan) == 2
    event = AuditEvent.objects.get(detail="run stage 1 -> 2 (confirmed)")
    assert event.action == AuditAction.CHANGED and event.actor == clinician
    # The runs at stage 1 do not count at stage 2.
    patient.plan.refresh_from_db()
    patient.run(4)
    decision = pending(patient.plan)
    assert (decision.stage, decision.action, decision.next_stage) == (2, "repeat", 2)


@pytest.mark.django_db
def test_a_worse_next_morning_steps_back_and_the_clinician_may_override_with_a_note(
    client, clinician
):
    patient = runner(client, clinician, stage=3)
    page = patient.run(0, morning_worse=True)
    decision = pending(patient.plan)
    assert (decision.action, decision.next_stage) == ("step_back", 2)
    assert "What next: step back" in page and "Go back one stage, to stage 2." in page
    page = decide(client, clinician, patient.plan, decision, choice="override", stage="3")
    assert "Say in a note why you override the rule." in page
    assert stage_of(patient.plan) == 3 and pending(patient.plan) == decision
    note = "Stiffness from new shoes, not the knee."
    page = decide(
        client, clinician, patient.plan, decision, choice="override", stage="3", note=note
    )
    decision.refresh_from_db()
    assert (decision.status, decision.final_stage, decision.note) == ("overridden", 3, note)
    assert stage_of(patient.plan) == 3 and note in page
    assert AuditEvent.objects.filter(detail="run stage 3 -> 3 (overridden)").exists()


@pytest.mark.django_db
def test_a_confirmed_step_back_changes_the_stage(client, clinician):
    patient = runner(client, clinician, stage=2)
    patient.run(0, morning_worse=True)
    decide(client, clinician, patient.plan, pending(patient.plan), choice="confirm")
    assert stage_of(patient.plan) == 1


@pytest.mark.django_db
def test_bone_pain_with_a_bone_stress_injury_steps_back_at_once(client, clinician):
    patient = runner(client, clinician, code=BONE_STRESS_TIBIA, stage=2)
    page = patient.run(0, morning_worse=None, bone_pain="yes", pain_during="1")
    decision = pending(patient.plan)  # without waiting for the next morning
    assert (decision.action, decision.next_stage, decision.contact_clinic) == ("step_back", 1, True)
    assert "no bone pain is acceptable" in page and "Contact the clinic" in page
    assert stage_of(patient.plan) == 2
    decide(client, clinician, patient.plan, decision, choice="confirm")
    assert stage_of(patient.plan) == 1


@pytest.mark.django_db
def test_bone_pain_without_a_bone_stress_injury_counts_but_asks_to_tell_the_clinician(
    client, clinician
):
    patient = runner(client, clinician, stage=2)
    patient.run(0, morning_worse=None, bone_pain="yes")
    assert not ProgressionDecision.objects.exists()
    page = patient.run(0, bone_pain="yes")
    decision = pending(patient.plan)
    assert (decision.action, decision.next_stage, decision.contact_clinic) == ("repeat", 2, True)
    assert "Tell your clinician about the pain you felt in the bone." in page


@pytest.mark.django_db
def test_pain_above_5_says_stop_at_once(client, clinician):
    patient = runner(client, clinician, stage=2)
    page = patient.run(0, morning_worse=None, pain_during="7")
    decision = pending(patient.plan)
    assert (decision.action, decision.next_stage) == ("stop", 2)
    assert "Above 5 means stop" in page


@pytest.mark.django_db
def test_a_newer_run_replaces_the_proposal_the_clinician_was_looking_at(client, clinician):
    patient = runner(client, clinician)
    patient.run(0)
    old = pending(patient.plan)
    patient.run(2)
    page = decide(client, clinician, patient.plan, old, choice="confirm")
    assert "A newer run changed the proposal" in page
    assert stage_of(patient.plan) == 1
    assert ProgressionDecision.objects.get(pk=old.pk).status == DecisionStatus.REPLACED


@pytest.mark.django_db
def test_bad_run_entries_are_refused_on_the_page_with_the_entries_kept(client, clinician):
    patient = runner(client, clinician)
    travel = patient.on(0)
    page = patient.post(0, pain_during="12", bone_pain="yes")
    assert "Pain is a number from 0 to 10." in page
    assert 'value="yes" autocomplete="off" checked' in page
    page = patient.post(1)
    assert "That day has not come yet" in page
    page = patient.post(0, pain_next_morning="1", next_morning_worse="no")
    assert "from the morning after the run" in page
    page = patient.post(0, pain_next_morning="1")
    assert "Please answer both next-morning questions." in page
    travel.stop()
    assert not RunLog.objects.exists() and not ProgressionDecision.objects.exists()


@pytest.mark.django_db
def test_a_plan_without_a_running_programme_takes_no_run(client, clinician):
    with time_machine.travel(START, tick=False):
        plan, version, token = issued_plan(clinician)
        unlock(client, plan, token)
        patient = Patient(client, plan, version, token)
        page = patient.post(0)
    assert "no running program" in page
    assert not RunLog.objects.exists()


@pytest.mark.django_db
def test_once_runs_are_logged_the_plan_settings_no_longer_move_the_stage(client, clinician):
    patient = runner(client, clinician, stage=2)
    client.force_login(clinician)
    settings_url = reverse("plans:plan_settings", args=[patient.plan.pk])
    settings = {"notes": "", "return_to_run": "on", "run_stage": "1"}
    client.post(settings_url, settings)  # before any run: the starting stage is chosen here
    assert stage_of(patient.plan) == 1
    client.logout()
    patient.run(0)
    client.force_login(clinician)
    editor = client.get(reverse("plans:plan_edit", args=[patient.plan.pk])).content.decode()
    assert "the stage now moves only by a decision" in editor
    client.post(settings_url, {**settings, "notes": "Easy does it", "run_stage": "5"})
    plan = Plan.objects.get(pk=patient.plan.pk)
    assert (plan.run_stage, plan.notes) == (1, "Easy does it")  # the note saved, not the stage


@pytest.mark.django_db
def test_a_confirmed_stage_shows_online_and_to_the_coach_while_the_issued_version_keeps_its_own(
    client, clinician
):
    from django.test import Client

    from plans.services.coach import coach_link_create

    patient = runner(client, clinician)
    patient.run(0)
    patient.run(2)
    decide(client, clinician, patient.plan, pending(patient.plan), choice="confirm")
    assert stage_of(patient.plan) == 2

    travel = patient.on(3)
    plan_page = client.get(reverse("plans:patient_plan", args=[patient.token])).content.decode()
    travel.stop()
    assert "2 (now)" in plan_page and "1 (now)" not in plan_page

    _link, url = coach_link_create(
        plan=patient.plan,
        show_diagnosis=False,
        base_url="http://testserver",
        actor=actor_for(clinician),
    )
    coach_page = Client().get(url.split("testserver", 1)[1]).content.decode()
    assert "stage 2 of 6" in coach_page

    client.force_login(clinician)  # the record of what was issued does not change
    version = client.get(reverse("plans:version_detail", args=[patient.version.pk]))
    assert "1 (now)" in version.content.decode()
    assert patient.version.snapshot["return_to_run"]["current_stage"] == 1
