"""Reminder mails when the patient stops logging: opt-in on the plan
link, exactly one mail per due reminder, a stop link that needs no login."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.models import AuditAction, AuditEvent
from plans.models import LogReminder, LogReminderOptIn
from plans.services import reminders
from plans.tasks import log_reminders_task

from .helpers import START, entries, issued_plan, log_url, unlock


def at(days: int):
    return time_machine.travel(START + datetime.timedelta(days=days), tick=False)


@pytest.fixture
def subscribed(client, clinician):
    """A patient who turned reminders on through the plan link on START's day."""
    with at(0):
        plan, version, token = issued_plan(clinician)
        unlock(client, plan, token)
        url = reverse("plans:patient_log_reminders", args=[token])
        page = client.post(url, {"reminders": "on"}, follow=True).content.decode()
        assert "no e-mail address for you" in page
        plan.patient.email = "runner@example.com"
        plan.patient.save()
        response = client.post(
            reverse("plans:patient_log_reminders", args=[token]), {"reminders": "on"}, follow=True
        )
        assert "Reminders are on." in response.content.decode()
    return plan, version, token


@pytest.mark.django_db
def test_no_log_for_three_days_sends_one_reminder_however_often_the_task_runs(
    subscribed, mailoutbox, settings
):
    plan, _, _ = subscribed
    assert LogReminderOptIn.objects.get(plan=plan).active
    with at(2):
        assert log_reminders_task() == 0  # not due yet
    with at(3):
        log_reminders_task()
        log_reminders_task()
    with at(4):
        log_reminders_task()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == f"A reminder from {settings.CLINIC_NAME}"
    for private in (plan.patient.legal_first_name, plan.patient.legal_last_name):
        assert private not in mail.subject and private not in mail.body
    assert mail.to == [plan.patient.email]
    assert reminders.stop_url(plan) in mail.body
    reminder = LogReminder.objects.get()
    assert reminder.due_on == (START + datetime.timedelta(days=3)).date()
    assert reminder.sent_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.SENT, detail="log reminder").count() == 1


@pytest.mark.django_db
def test_a_reminder_already_recorded_by_another_run_is_not_sent_again(subscribed, mailoutbox):
    plan, _, _ = subscribed
    LogReminder.objects.create(plan=plan, due_on=(START + datetime.timedelta(days=3)).date())
    with at(3):
        assert log_reminders_task() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_new_log_moves_the_next_reminder_and_the_setting_is_read(
    client, subscribed, mailoutbox, settings
):
    plan, version, token = subscribed
    settings.REMINDER_AFTER_DAYS = 2
    with at(1):
        unlock(client, plan, token)
        client.post(log_url(token), entries(version))
    with at(2):
        log_reminders_task()
    assert mailoutbox == []
    with at(3):
        log_reminders_task()
    assert len(mailoutbox) == 1
    assert LogReminder.objects.get().due_on == (START + datetime.timedelta(days=3)).date()


@pytest.mark.django_db
def test_no_reminder_without_the_opt_in(client, clinician, mailoutbox):
    with at(0):
        issued_plan(clinician)
    with at(10):
        log_reminders_task()
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_stop_link_turns_reminders_off_without_login(client, subscribed, mailoutbox):
    plan, _, _ = subscribed
    url = reverse("plans:reminder_stop", args=[reminders.stop_token(plan)])
    page = client.get(url).content.decode()
    assert "Stop the reminders" in page and plan.patient.legal_last_name not in page
    assert LogReminderOptIn.objects.get(plan=plan).active  # a GET (a mail scanner) stops nothing
    page = client.post(url).content.decode()
    assert "Reminders stopped" in page
    assert not LogReminderOptIn.objects.get(plan=plan).active
    with at(5):
        log_reminders_task()
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_tampered_stop_link_gets_a_clear_page(client, subscribed):
    plan, _, _ = subscribed
    token = reminders.stop_token(plan)
    for bad in (token[:-3] + "abc", "not-a-token"):
        response = client.post(reverse("plans:reminder_stop", args=[bad]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert LogReminderOptIn.objects.get(plan=plan).active


@pytest.mark.django_db
def test_the_patient_turns_reminders_off_from_the_log_page(client, subscribed):
    plan, _, token = subscribed
    with at(0):
        page = client.get(log_url(token)).content.decode()
        assert "Turn reminders off" in page
        client.post(reverse("plans:patient_log_reminders", args=[token]), {"reminders": "off"})
    assert not LogReminderOptIn.objects.get(plan=plan).active
