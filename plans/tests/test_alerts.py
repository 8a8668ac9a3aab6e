"""Alerts between visits: each kind appears, disappears once acknowledged
and comes back for a new instance; only for the care team; bounded queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import UserFactory
from plans.models import (
    AlertAck,
    AlertKind,
    DecisionAction,
    DecisionStatus,
    LogReminderOptIn,
    PatientPlanLink,
    ProgressionDecision,
)
from plans.services import alerts

from .helpers import START, day, exercise, run, runner

BONE_STRESS_TIBIA = "M84.361A"


def open_alerts(user, n: int, kind: str | None = None) -> list[alerts.Alert]:
    found = alerts.alerts_for(user, today=day(n))
    return [a for a in found if kind is None or a.kind == kind]


def acknowledge(client, user, alert, n: int, note="Called the runner."):
    """Posted on day ``n`` (the view checks that the alert is open then)."""
    url = reverse("plans:alert_ack", args=[alert.patient.pk])
    now = datetime.datetime.combine(day(n), datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        client.logout()  # a fresh session in the travel: the idle time-out
        client.force_login(user)
        return client.post(url, {"kind": alert.kind, "key": alert.key, "note": note}, follow=True)


@pytest.mark.django_db
def test_a_run_above_the_pain_rule_alerts_until_acknowledged_and_again_for_a_new_run(
    client, clinician
):
    plan, version = runner(clinician)
    run(plan, version, 1, pain=3)
    assert not open_alerts(clinician, 2, AlertKind.PAIN_ABOVE_RULE)
    first = run(plan, version, 3, pain=7)
    (alert,) = open_alerts(clinician, 4, AlertKind.PAIN_ABOVE_RULE)
    assert alert.key == f"run-{first.pk}" and "pain 7/10" in alert.text
    page = acknowledge(client, clinician, alert, 4).content.decode()
    assert "Alert acknowledged" in page
    assert not open_alerts(clinician, 4, AlertKind.PAIN_ABOVE_RULE)
    second = run(plan, version, 5, pain=6)
    (again,) = open_alerts(clinician, 6, AlertKind.PAIN_ABOVE_RULE)
    assert again.key == f"run-{second.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "answers", "alerted"),
    [
        ("M22.2X2", {"worse": True}, True),
        ("M22.2X2", {"pain": 5}, False),  # 4-5 acceptable (return_to_run.PAIN_ACCEPTABLE_MAX)
        (BONE_STRESS_TIBIA, {"bone": True}, True),
        ("M22.2X2", {"bone": True}, False),  # bone pain breaks the stricter rule only
    ],
    ids=["morning-worse", "pain-5", "bone-pain-bsi", "bone-pain-no-bsi"],
)
def test_the_pain_rule_of_the_plan_decides_the_alert(clinician, code, answers, alerted):
    plan, version = runner(clinician, code)
    run(plan, version, 1, **answers)
    assert bool(open_alerts(clinician, 2, AlertKind.PAIN_ABOVE_RULE)) is alerted


@pytest.mark.django_db
def test_pain_rising_over_three_entries_alerts_and_a_new_rise_alerts_again(client, clinician):
    plan, version = runner(clinician)
    for n, pain in ((1, 3), (2, 1), (4, 2)):
        exercise(plan, version, n, pain=pain)
    assert not open_alerts(clinician, 5, AlertKind.PAIN_RISING)  # 3, 1, 2: not rising
    run(plan, version, 5, pain=4)  # the run counts as an entry too
    (alert,) = open_alerts(clinician, 5, AlertKind.PAIN_RISING)
    assert alert.key == day(5).isoformat() and "1 → 2 → 4" in alert.text
    acknowledge(client, clinician, alert, 5)
    assert not open_alerts(clinician, 5, AlertKind.PAIN_RISING)
    exercise(plan, version, 6, pain=5)
    (again,) = open_alerts(clinician, 6, AlertKind.PAIN_RISING)
    assert again.key == day(6).isoformat()


@pytest.mark.django_db
def test_rising_needs_each_of_the_last_three_days_higher():
    entries = lambda *pains: [  # noqa: E731
        {"day": day(n), "pain_during": p} for n, p in enumerate(pains)
    ]
    assert alerts.rising(alerts.daily_worst(entries(0, 1, 2)))
    assert alerts.rising(alerts.daily_worst(entries(5, 0, 1, 2)))
    assert not alerts.rising(alerts.daily_worst(entries(1, 2)))
    assert not alerts.rising(alerts.daily_worst(entries(1, 2, 2)))
    assert not alerts.rising(alerts.daily_worst(entries(3, 2, 4)))


@pytest.mark.django_db
def test_no_log_for_seven_days_alerts_and_a_later_silence_alerts_again(client, clinician):
    plan, version = runner(clinician)
    exercise(plan, version, 1)
    assert not open_alerts(clinician, 7, AlertKind.NO_LOG)
    (alert,) = open_alerts(clinician, 8, AlertKind.NO_LOG)
    assert alert.key == day(1).isoformat()
    acknowledge(client, clinician, alert, 8)
    assert not open_alerts(clinician, 12, AlertKind.NO_LOG)
    run(plan, version, 13)
    assert not open_alerts(clinician, 19, AlertKind.NO_LOG)
    (again,) = open_alerts(clinician, 20, AlertKind.NO_LOG)
    assert again.key == day(13).isoformat()


@pytest.mark.django_db
def test_no_log_alerts_only_for_patients_who_log_or_opted_in_with_a_usable_link(clinician):
    plan, version = runner(clinician)
    assert not open_alerts(clinician, 20, AlertKind.NO_LOG)  # never logged, never opted in
    with time_machine.travel(START, tick=False):
        LogReminderOptIn.objects.create(plan=plan)
    assert not open_alerts(clinician, 6, AlertKind.NO_LOG)
    assert open_alerts(clinician, 7, AlertKind.NO_LOG)
    PatientPlanLink.objects.filter(plan=plan).update(revoked_at=timezone.now())
    assert not open_alerts(clinician, 7, AlertKind.NO_LOG)  # the patient cannot log


@pytest.mark.django_db
def test_a_stage_ready_to_progress_alerts_until_acknowledged_or_decided(client, clinician):
    plan, version = runner(clinician)

    def propose(n: int, action=DecisionAction.PROGRESS) -> ProgressionDecision:
        ProgressionDecision.objects.filter(plan=plan, status=DecisionStatus.PENDING).update(
            status=DecisionStatus.REPLACED
        )
        return ProgressionDecision.objects.create(
            plan=plan,
            run=run(plan, version, n),
            stage=1,
            action=action,
            next_stage=2 if action == DecisionAction.PROGRESS else 1,
            reason="Two runs done.",
        )

    propose(1, DecisionAction.REPEAT)
    assert not open_alerts(clinician, 2, AlertKind.READY_TO_PROGRESS)
    decision = propose(3)
    (alert,) = open_alerts(clinician, 4, AlertKind.READY_TO_PROGRESS)
    assert alert.key == f"decision-{decision.pk}"
    acknowledge(client, clinician, alert, 4, note="Will decide at Friday's visit.")
    assert not open_alerts(clinician, 4, AlertKind.READY_TO_PROGRESS)
    newer = propose(5)
    (again,) = open_alerts(clinician, 6, AlertKind.READY_TO_PROGRESS)
    assert again.key == f"decision-{newer.pk}"
    ProgressionDecision.objects.filter(pk=newer.pk).update(status=DecisionStatus.CONFIRMED)
    assert not open_alerts(clinician, 6, AlertKind.READY_TO_PROGRESS)


@pytest.mark.django_db
def test_acknowledging_is_audited_without_the_note_and_a_closed_alert_is_refused(client, clinician):
    plan, version = runner(clinician)
    run(plan, version, 1, pain=8)
    (alert,) = open_alerts(clinician, 1, AlertKind.PAIN_ABOVE_RULE)
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        acknowledge(client, clinician, alert, 1, note="Rest a week, seen Friday.")
        ack = AlertAck.objects.get()
        assert (ack.acknowledged_by, ack.note) == (clinician, "Rest a week, seen Friday.")
        event = AuditEvent.objects.filter(action=AuditAction.CREATED, patient=plan.patient)
        event = event.order_by("-id").first()
        assert event.object_id == str(ack.pk) and "Rest" not in event.detail
        page = acknowledge(client, clinician, alert, 1).content.decode()  # the same again
        assert "no longer open" in page and AlertAck.objects.count() == 1
        forged = alerts.Alert(plan.patient, AlertKind.NO_LOG, "2000-01-01", day(1), "")
        acknowledge(client, clinician, forged, 1)
        assert AlertAck.objects.count() == 1
        # The chart's card lists what was acknowledged, with the note.
        card = client.get(reverse("plans:between_visits", args=[plan.patient.pk]))
        assert "Rest a week, seen Friday." in card.content.decode()


@pytest.mark.django_db
def test_only_the_care_team_sees_and_acknowledges_a_patients_alerts(client, clinician):
    plan, version = runner(clinician)
    run(plan, version, 1, pain=9)
    outsider = UserFactory(username="alert-outsider", role=Role.CLINICIAN)
    desk = UserFactory(username="alert-desk", role=Role.FRONT_DESK)
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        (alert,) = open_alerts(clinician, 1, AlertKind.PAIN_ABOVE_RULE)
        assert not open_alerts(outsider, 1) and not open_alerts(desk, 1)
        client.force_login(outsider)
        panel = client.get(reverse("plans:alerts_panel"), HTTP_HX_REQUEST="true")
        assert plan.patient.legal_last_name not in panel.content.decode()
        assert acknowledge(client, outsider, alert, 1).status_code == 404
        client.force_login(desk)
        assert client.get(reverse("plans:alerts_panel")).status_code == 403
        assert acknowledge(client, desk, alert, 1).status_code == 403
        dashboard = client.get(reverse("clinic:dashboard")).content.decode()
        assert reverse("plans:alerts_panel") not in dashboard
        client.force_login(clinician)
        dashboard = client.get(reverse("clinic:dashboard")).content.decode()
        assert f'hx-get="{reverse("plans:alerts_panel")}"' in dashboard
        panel = client.get(reverse("plans:alerts_panel"), HTTP_HX_REQUEST="true").content.decode()
        assert f'href="{plan.patient.get_absolute_url()}"' in panel
        assert reverse("plans:alert_ack", args=[plan.patient.pk]) in panel
    assert not AlertAck.objects.exists()


def _queries(client, url) -> int:
    """Statements of the second of two identical requests (the first warms caches)."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_alerts_and_the_dashboard_cost_the_same_queries_for_more_patients(client, clinician):
    def patient_with_every_alert():
        plan, version = runner(clinician)
        for n, pain in ((1, 1), (2, 2), (3, 7)):
            run(plan, version, n, pain=pain)
        ProgressionDecision.objects.create(
            plan=plan, run=plan.run_logs.first(), stage=1, action="progress", next_stage=2
        )

    patient_with_every_alert()
    with time_machine.travel(START + datetime.timedelta(days=12), tick=False):
        client.force_login(clinician)
        assert len(open_alerts(clinician, 12)) == 4
        few = [_queries(client, reverse(u)) for u in ("plans:alerts_panel", "clinic:dashboard")]
        for _ in range(3):
            patient_with_every_alert()
        assert len(open_alerts(clinician, 12)) == 16
        many = [_queries(client, reverse(u)) for u in ("plans:alerts_panel", "clinic:dashboard")]
    assert many == few


@pytest.mark.django_db
def test_an_alert_is_not_acknowledged_without_a_note(client, clinician):
    plan, version = runner(clinician)
    run(plan, version, 3, pain=7)
    (alert,) = open_alerts(clinician, 4, AlertKind.PAIN_ABOVE_RULE)
    page = acknowledge(client, clinician, alert, 4, note="   ").content.decode()
    assert "Write what you did or decided" in page
    assert open_alerts(clinician, 4, AlertKind.PAIN_ABOVE_RULE)  # still open
