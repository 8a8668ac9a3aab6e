"""Runs from the patient's watch: uploads through the plan link and by the
clinician, the figures on the run log and the plan page, and every file that is refused."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import (
    EvaluationFactory,
    PatientFactory,
    PatientPlanLinkFactory,
    PlanFactory,
    PlanVersionFactory,
    UserFactory,
)
from intake.models import GaitAnalysis
from plans.models import PatientPlanLink, RunFile, RunLog
from plans.services import run_uploads

from . import fit_samples
from .helpers import unlock

ISSUED = datetime.datetime(2026, 2, 20, 17, 0, tzinfo=datetime.UTC)
TODAY = datetime.datetime(2026, 3, 3, 17, 0, tzinfo=datetime.UTC)
# The samples start at 07:30 UTC on March 2: the evening of March 1 in the clinic's zone.
RUN_DAY = timezone.localdate(fit_samples.START, datetime.UTC).isoformat()  # logged as March 2
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def evaluated_plan(clinician, *, cadence=160):
    """(plan, version, token): an issued plan with a walk-run program; gait cadence 160."""
    patient = PatientFactory(primary_clinician=clinician)
    evaluation = EvaluationFactory(patient=patient, clinician=clinician, diagnosis="M22.2X2")
    GaitAnalysis.objects.create(evaluation=evaluation, cadence=cadence)
    evaluation.sign(by=clinician)
    plan = PlanFactory(evaluation=evaluation, return_to_run=True, run_stage=1)
    version = PlanVersionFactory(plan=plan)
    return plan, version, PatientPlanLinkFactory(plan=plan).signed_token


@pytest.fixture
def opened(clinician, client):
    with time_machine.travel(ISSUED, tick=False):
        plan, version, token = evaluated_plan(clinician)
    with time_machine.travel(TODAY, tick=False):
        unlock(client, plan, token)
        yield plan, version, token


def runs_url(token):
    return reverse("plans:patient_run_log", args=[token])


def upload(data: bytes, name="run.fit"):
    return SimpleUploadedFile(name, data, "application/octet-stream")


def run_entries(version, **changes):
    return {
        "version": version.number,
        "day": RUN_DAY,
        "as_prescribed": "yes",
        "pain_during": "2",
        "bone_pain": "no",
        "pain_next_morning": "",
        "next_morning_worse": "",
        **changes,
    }


def post_run(client, token, version, data: bytes | None, name="run.fit", **changes):
    entries = run_entries(version, **changes)
    if data is not None:
        entries["watch_file"] = upload(data, name)
    return client.post(runs_url(token), entries, follow=True)


def stored_files(settings) -> list:
    root = Path(settings.MEDIA_ROOT)  # a temporary folder (conftest.py at the top)
    return [path for path in root.rglob("*") if path.is_file() and "run-files" in path.parts]


# ---------------------------------------------------------------- the patient, through the link


@pytest.mark.django_db
def test_the_patient_attaches_a_fit_with_running_dynamics_to_a_new_run(client, opened, settings):
    plan, version, token = opened
    page = post_run(client, token, version, fit_samples.run_with_session(dynamics=True))
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "Saved your log" in text and "Read the watch file: 30:00, 3.1 miles, 171 steps/min" in text
    )
    watch = RunFile.objects.get()
    assert watch.run == RunLog.objects.get(plan=plan) and watch.uploaded_by is None
    assert (watch.source, watch.duration_s, watch.distance_m, watch.pace_s_per_km) == (
        "fit",
        1800.0,
        5000.0,
        360.0,
    )
    assert watch.cadence_spm == 171.0
    assert (watch.step_length_m, watch.ground_contact_ms) == (1.05, 245.5)
    assert watch.ground_contact_balance_left_pct == 49.8
    assert watch.vertical_oscillation_mm == 82.4
    assert "9:39 /mi" in text and "left 49.8 %" in text and "vertical oscillation 82 mm" in text
    assert watch.file.read() == fit_samples.run_with_session(dynamics=True)
    event = AuditEvent.objects.get(detail="run file (fit)")
    assert event.action == AuditAction.CREATED
    assert event.actor_label == PatientPlanLink.ACTOR_LABEL and event.patient == plan.patient
    assert len(stored_files(settings)) == 1


@pytest.mark.django_db
def test_the_patient_attaches_a_fit_without_dynamics_to_the_runs_existing_entry(client, opened):
    plan, version, token = opened
    post_run(client, token, version, None)
    page = post_run(client, token, version, fit_samples.run_with_session(dynamics=False))
    text = page.content.decode()
    assert "Read the watch file" in text and "nothing changed" not in text
    run = RunLog.objects.get()
    watch = run.watch_file
    assert watch.cadence_spm == 171.0
    assert watch.ground_contact_balance_left_pct is None and watch.step_length_m is None
    assert "ground contact" not in text


@pytest.mark.django_db
def test_the_patient_attaches_a_gpx(client, opened):
    plan, version, token = opened
    page = post_run(client, token, version, fit_samples.gpx(cadence=True), name="morning.gpx")
    assert "Read the watch file: 3:20, 0.7 miles, 170 steps/min" in page.content.decode()
    watch = RunFile.objects.get()
    assert watch.source == "gpx" and watch.file.name.endswith(".gpx")
    assert "morning" not in watch.file.name  # the server chose the stored name


MiB = 1024 * 1024
REFUSED = {
    "corrupt FIT": (fit_samples.run_with_session(dynamics=True)[:40], "damaged or incomplete"),
    "PNG renamed .fit": (PNG, "not a FIT, GPX or TCX file"),
    "empty file": (b"", "This file is empty."),
    "oversized file": (b"\x00" * (MiB + 1), "larger than 1 MB"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", REFUSED)
def test_a_bad_file_gives_its_message_keeps_the_entries_and_saves_nothing(
    client, opened, settings, kind
):
    _, version, token = opened
    data, message = REFUSED[kind]
    response = post_run(client, token, version, data, pain_during="4")
    text = response.content.decode()
    assert response.status_code == 200
    assert message in text and "nothing was saved yet" in text
    assert 'value="4"' in text  # the other answers are kept on the page
    assert not RunLog.objects.exists() and not RunFile.objects.exists()
    assert not stored_files(settings)


@pytest.mark.django_db
def test_the_oversized_file_is_refused_before_it_is_read(client, opened, monkeypatch):
    _, version, token = opened
    monkeypatch.setattr(run_uploads, "read_run_file", pytest.fail)
    text = post_run(client, token, version, b"\x00" * (MiB + 1)).content.decode()
    assert "larger than 1 MB" in text


@pytest.mark.django_db
def test_a_file_of_another_days_run_is_refused(client, opened):
    _, version, token = opened
    data = fit_samples.run_with_session(dynamics=True)
    text = post_run(client, token, version, data, day="2026-02-25").content.decode()
    assert "This file is of a run on March 1, not on February 25" in text
    assert not RunLog.objects.exists()


@pytest.mark.django_db
def test_a_revoked_link_refuses_the_upload(client, opened):
    plan, version, token = opened
    plan.links.update(revoked_at=timezone.now())
    response = post_run(client, token, version, fit_samples.run_with_session(dynamics=True))
    assert response.status_code in (403, 404, 410)
    assert not RunLog.objects.exists() and not RunFile.objects.exists()


@pytest.mark.django_db
def test_the_stored_file_is_not_reachable_by_url(client, opened, settings):
    _, version, token = opened
    post_run(client, token, version, fit_samples.run_with_session(dynamics=True))
    name = RunFile.objects.get().file.name
    for url in (f"{settings.MEDIA_URL}{name}", f"/{name}", f"/media/{name}"):
        assert client.get(url).status_code == 404
    client.logout()
    watch = RunFile.objects.get()
    download = client.get(reverse("plans:run_file_download", args=[watch.pk]))
    assert download.status_code == 302  # staff only: to the login page


# ---------------------------------------------------------------- the clinician, on the plan page


def clinician_upload(client, plan, run_id, data: bytes, name="run.fit"):
    url = reverse("plans:run_file_upload", args=[plan.pk])
    return client.post(url, {"run": run_id, "watch_file": upload(data, name)}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("dynamics", [True, False])
def test_the_clinician_uploads_a_fit_for_a_logged_run_and_sees_the_gait(
    client, opened, clinician, dynamics
):
    plan, version, token = opened
    post_run(client, token, version, None)
    run = RunLog.objects.get()
    client.force_login(clinician)
    page = clinician_upload(client, plan, run.pk, fit_samples.run_with_session(dynamics=dynamics))
    text = page.content.decode()
    assert "Read the watch file: 30:00, 3.1 miles, 171 steps/min" in text
    assert "Cadence target: 168–176 steps/min" in text  # 160 x 1.05 to x 1.10
    assert "within the target" in text
    assert ("49.8 %" in text) is dynamics and ("not recorded" in text) is not dynamics
    watch = RunFile.objects.get(run=run)
    assert watch.uploaded_by == clinician
    event = AuditEvent.objects.get(detail="run file (fit)")
    assert event.actor == clinician and event.action == AuditAction.CREATED
    # The chart's between-visits card shows the same gait row.
    card = client.get(reverse("plans:between_visits", args=[plan.patient.pk])).content.decode()
    assert "Gait from the watch" in card and "within the target" in card
    assert ("49.8 %" in card) is dynamics
    download = client.get(reverse("plans:run_file_download", args=[watch.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="run-{RUN_DAY}.fit"'
    assert b"".join(download.streaming_content) == watch.file.open("rb").read()


@pytest.mark.django_db
def test_a_second_file_replaces_the_first_and_its_stored_copy(
    client, opened, clinician, settings, django_capture_on_commit_callbacks
):
    plan, version, token = opened
    post_run(client, token, version, fit_samples.run_with_session(dynamics=True))
    client.force_login(clinician)
    with django_capture_on_commit_callbacks(execute=True):
        clinician_upload(
            client, plan, RunLog.objects.get().pk, fit_samples.gpx(cadence=False), "x.gpx"
        )
    watch = RunFile.objects.get()
    assert watch.source == "gpx" and watch.cadence_spm is None
    assert len(stored_files(settings)) == 1
    assert AuditEvent.objects.filter(detail="run file (gpx)", action=AuditAction.CHANGED).exists()


@pytest.mark.django_db
def test_the_clinician_cannot_attach_a_file_to_another_patients_run(client, clinician, opened):
    plan, version, token = opened
    with time_machine.travel(ISSUED, tick=False):
        other_plan, other_version, other_token = evaluated_plan(clinician)
    unlock(client, other_plan, other_token)
    post_run(client, other_token, other_version, None)
    others = RunLog.objects.get(plan=other_plan)
    client.force_login(clinician)
    page = clinician_upload(client, plan, others.pk, fit_samples.run_with_session(dynamics=True))
    text = page.content.decode()
    assert "Choose one of this plan&#x27;s logged runs." in text and "Nothing was saved" in text
    assert not RunFile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", REFUSED)
def test_the_clinician_gets_the_message_of_a_bad_file(client, clinician, opened, settings, kind):
    plan, version, token = opened
    post_run(client, token, version, None)
    client.force_login(clinician)
    data, message = REFUSED[kind]
    page = clinician_upload(client, plan, RunLog.objects.get().pk, data)
    assert page.status_code == 200 and message in page.content.decode()
    assert not RunFile.objects.exists() and not stored_files(settings)


@pytest.mark.django_db
def test_a_clinician_outside_the_care_team_cannot_upload(client, opened):
    plan, version, token = opened
    post_run(client, token, version, None)
    outsider = UserFactory(username="run-outsider", role=Role.CLINICIAN)
    client.force_login(outsider)
    url = reverse("plans:run_file_upload", args=[plan.pk])
    response = client.post(url, {"run": RunLog.objects.get().pk, "watch_file": upload(b"x")})
    assert response.status_code == 404
    assert not RunFile.objects.exists()


def test_cadence_against_the_target():
    assert run_uploads.cadence_vs_target(160.0, (168, 176)) == "below"
    assert run_uploads.cadence_vs_target(171.0, (168, 176)) == "within"
    assert run_uploads.cadence_vs_target(180.0, (168, 176)) == "above"
    assert run_uploads.cadence_vs_target(None, (168, 176)) == ""
    assert run_uploads.cadence_vs_target(171.0, None) == ""


def test_the_target_is_compared_with_the_running_parts_and_the_pace_is_shown():
    # Point 18: a walk-run session's whole mean (150, walk breaks in) read "below the target"
    # although the runner ran at 172 steps/min.
    import datetime
    from types import SimpleNamespace

    def run(**watch):
        fields = {"running_cadence_spm": None, "running_speed_mps": None, "cadence_read_as": ""}
        fields.update(watch)
        watch_file = SimpleNamespace(
            cadence_spm=150.0,
            ground_contact_ms=None,
            ground_contact_balance_left_pct=None,
            **fields,
        )
        return SimpleNamespace(day=datetime.date(2026, 12, 1), watch_file=watch_file)

    (row,) = run_uploads.gait_rows(
        [run(running_cadence_spm=172.0, running_speed_mps=2.5, cadence_read_as="steps")],
        (168, 176),
    )
    assert (row.cadence_spm, row.cadence_vs_target, row.running_only) == (172.0, "within", True)
    assert row.pace_s_per_km == 400.0  # 2.5 m/s is 6:40 per km
    (old,) = run_uploads.gait_rows([run()], (168, 176))  # read before the parts were kept
    assert (old.cadence_spm, old.cadence_vs_target, old.running_only) == (150.0, "below", False)
