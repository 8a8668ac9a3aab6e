"""The patient's exercise log through the plan link, and its bad input."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PlanVersionFactory
from plans.models import ExerciseLog, PatientPlanLink
from plans.views import logs as views_logs

from .helpers import START, entries, issued_plan, log_url, unlock


@pytest.fixture
def opened(clinician, client):
    with time_machine.travel(START, tick=False):
        plan, version, token = issued_plan(clinician)
        unlock(client, plan, token)
        yield plan, version, token


@pytest.mark.django_db
def test_the_patient_logs_today_and_a_second_submit_for_the_day_updates_it(client, opened):
    plan, version, token = opened
    page = client.get(log_url(token)).content.decode()
    assert version.snapshot["items"][0]["name"] in page and "Save my log" in page
    first = client.post(log_url(token), entries(version), follow=True).content.decode()
    assert "Saved your log" in first
    again = client.post(log_url(token), entries(version), follow=True).content.decode()
    assert "already saved with these answers; nothing changed" in again
    key = version.snapshot["items"][0]["key"]
    changed = entries(version, pain_during="4", **{f"ex_{key}": "partly"})
    updated = client.post(log_url(token), changed, follow=True).content.decode()
    assert "Updated your log" in updated
    log = ExerciseLog.objects.get()
    assert (log.pain_during, log.effort, log.exercises[key]) == (4, 6, "partly")
    assert (log.patient, log.plan, log.version) == (plan.patient, plan, version)
    events = AuditEvent.objects.filter(
        actor_label=PatientPlanLink.ACTOR_LABEL, detail="exercise log"
    )
    assert set(events.values_list("action", flat=True)) == {
        AuditAction.CREATED,
        AuditAction.CHANGED,
        AuditAction.VIEWED,
    }


@pytest.mark.django_db
def test_the_plan_page_links_to_the_log(client, opened):
    _, _, token = opened
    page = client.get(reverse("plans:patient_plan", args=[token])).content.decode()
    assert log_url(token) in page


@pytest.mark.django_db
@pytest.mark.parametrize("pain", ["11", "-1", "a lot"])
def test_pain_outside_0_to_10_is_refused_on_the_page_with_the_entries_kept(client, opened, pain):
    _, version, token = opened
    response = client.post(log_url(token), entries(version, pain_during=pain, effort="7"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pain is a number from 0 to 10." in page
    assert 'value="7"' in page and 'value="done" autocomplete="off" checked' in page
    assert not ExerciseLog.objects.exists()


@pytest.mark.django_db
def test_a_log_for_a_future_day_is_refused(client, opened):
    _, version, token = opened
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(log_url(token), entries(version, day=tomorrow)).content.decode()
    assert "That day has not come yet" in page
    assert not ExerciseLog.objects.exists()


@pytest.mark.django_db
def test_a_log_for_a_superseded_version_is_refused_and_the_new_version_shown(
    client, opened, clinician
):
    plan, version, token = opened
    newer = PlanVersionFactory(plan=plan)
    response = client.post(log_url(token), entries(version, effort="8"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "updated your plan since you opened this page" in page
    assert f'name="version" value="{newer.number}"' in page and 'value="8"' in page
    assert not ExerciseLog.objects.exists()
    client.post(log_url(token), entries(newer))
    assert ExerciseLog.objects.get().version == newer


@pytest.mark.django_db
def test_past_days_are_listed_with_missed_days_marked(client, clinician):
    with time_machine.travel(START, tick=False):
        plan, version, token = issued_plan(clinician)
        unlock(client, plan, token)
        client.post(log_url(token), entries(version))
    with time_machine.travel(START + datetime.timedelta(days=2), tick=False):
        unlock(client, plan, token)  # a new visit: the session lasts hours, not days
        client.post(log_url(token), entries(version))
        page = client.get(log_url(token)).content.decode()
    assert ExerciseLog.objects.count() == 2
    assert page.count("Missed") == 1  # the day in between
    assert "Wed, Dec 2" in page
    with time_machine.travel(START + datetime.timedelta(days=3), tick=False):
        unlock(client, plan, token)
        page = client.get(log_url(token)).content.decode()
    assert page.count("Missed") == 1 and page.count("Not logged yet") == 1  # today is not over


@pytest.mark.django_db
def test_a_past_day_lists_only_the_statuses_used_with_no_trailing_separator(client, opened):
    _, version, token = opened
    key = version.snapshot["items"][0]["key"]
    client.post(log_url(token), entries(version, **{f"ex_{key}": "partly"}))
    page = client.get(log_url(token)).content.decode()
    done = len(version.snapshot["items"]) - 1
    assert f"Done: {done} · Partly: 1<br>" in page
    assert "Not done" not in page.split('id="past-h"')[1]


@pytest.mark.django_db
def test_an_expired_or_revoked_link_takes_no_log(client, opened):
    _, version, token = opened
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        response = client.post(log_url(token), entries(version))
    assert response.status_code == 410 and "expired" in response.content.decode()
    PatientPlanLink.objects.update(revoked_at=timezone.now())
    response = client.post(log_url(token), entries(version))
    assert response.status_code == 410 and "no longer active" in response.content.decode()
    assert not ExerciseLog.objects.exists()


@pytest.mark.django_db
def test_a_log_needs_the_birth_date_check_and_a_tampered_token_gets_404(client, clinician):
    plan, version, token = issued_plan(clinician)
    page = client.post(log_url(token), entries(version)).content.decode()
    assert "confirm your date of birth" in page
    assert client.post(log_url(token[:-2] + "xx"), entries(version)).status_code == 404
    assert not ExerciseLog.objects.exists()
    # The birth date sent to the log page opens it; it is not taken for a log.
    born = {"date_of_birth": plan.patient.date_of_birth.isoformat()}
    response = client.post(log_url(token), born)
    assert response.status_code == 200 and "Save my log" in response.content.decode()
    assert not ExerciseLog.objects.exists()


@pytest.mark.django_db
def test_too_many_posts_are_slowed_down(client, opened, monkeypatch):
    _, version, token = opened
    monkeypatch.setattr(views_logs, "LOG_POSTS_PER_HOUR", 2)
    for _ in range(2):
        assert client.post(log_url(token), entries(version)).status_code == 302
    assert client.post(log_url(token), entries(version)).status_code == 429
