"""Printable plans: rendered by a real worker with WeasyPrint, safe to render, safe to download."""

import datetime
import hashlib
import http.server
import threading
import time

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from clinic.models import AuditAction, AuditEvent
from clinic.tests import tools
from clinic.tests.factories import PlanFactory, PlanVersionFactory
from plans import pdf
from plans.models import PatientPlanLink, Plan, RenderJob, RenderStatus
from plans.services import rendering
from plans.services.links import plan_link_create

from .helpers import CountingHandler


def issue(clinician, code="M22.2X2", notes=""):
    plan = PlanFactory(evaluation__clinician=clinician, evaluation__diagnosis=code, notes=notes)
    if notes:
        plan.items.update(notes=notes)
    return plan, PlanVersionFactory(plan=plan)


pdf_text = tools.pdf_text


def wait_ready(job_id, timeout=30.0) -> RenderJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = RenderJob.objects.get(pk=job_id)
        if job.status in (RenderStatus.READY, RenderStatus.FAILED):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status} after {timeout} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issuing_renders_the_pdf_in_a_real_worker_with_every_exercise(clinician, celery_worker):
    with celery_worker.running():
        plan, version = issue(clinician)
        job = wait_ready(version.render.pk)
    assert job.status == RenderStatus.READY, job.error
    data = job.file.read()
    assert hashlib.sha256(data).hexdigest() == job.checksum
    text = pdf_text(data)
    assert plan.patient.display_name in text
    for item in version.snapshot["items"]:
        assert item["name"] in text
        assert " ".join(item["dosage_sentence"].split()) in text
    assert "Weekly log" in text and "Page 1 of" in text


@pytest.mark.django_db
def test_rendering_again_an_unchanged_version_renders_nothing(clinician, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, version = issue(clinician)
    job = version.render
    assert rendering.render_job_run(job.pk) == "ready"
    job.refresh_from_db()
    first = (job.checksum, job.file.name, job.attempts)
    assert rendering.render_job_run(job.pk) == "already-ready"
    job.refresh_from_db()
    assert (job.checksum, job.file.name, job.attempts) == first


@pytest.mark.django_db
def test_clinician_text_with_html_or_css_is_printed_as_text_and_fetches_nothing(
    clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    hostile = (
        f'<img src="http://127.0.0.1:{port}/img"> <link href="file:///etc/passwd"> '
        f'<style>@import url("http://127.0.0.1:{port}/css");</style>'
    )
    try:
        _, version = issue(clinician, notes=hostile)
        assert rendering.render_job_run(version.render.pk) == "ready"
    finally:
        server.shutdown()
    job = RenderJob.objects.get(pk=version.render.pk)
    text = pdf_text(job.file.read())
    assert f'<img src="http://127.0.0.1:{port}/img">' in text
    assert "@import" in text and "root:" not in text
    assert CountingHandler.hits == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,<svg/>",  # not the base64 form the template writes
        "data:image/svg+xml;base64,not base64!",
        "ftp://127.0.0.1/x",
        "clinic-static:../../etc/passwd",
        "clinic-photo:../clinic.sqlite3",
        "clinic-photo:plans/1/other-patient.pdf",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files_and_photos(url):
    with pytest.raises(ValueError):
        pdf.ClinicFetcher().fetch(url)


def test_drawings_go_to_the_pdf_as_svg_images_with_their_alternative_text():
    from plans import illustrations
    from plans.templatetags.plan_tags import drawing_image

    svg = illustrations.render("calf_raise_single_bent")
    tag = str(drawing_image(svg))
    assert tag.startswith('<img src="data:image/svg+xml;base64,')
    assert 'alt="Single-leg calf raise, bent knee. Start: ' in tag
    url = tag.split('"')[1]
    body = pdf.ClinicFetcher().fetch(url).read().decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and "</svg>" in body
    assert drawing_image('<svg><image href="http://x/y.png"/></svg>') == ""
    assert 'alt="QR"' in str(drawing_image("<svg><rect/></svg>", "QR"))


def test_the_fetcher_serves_the_print_stylesheet():
    response = pdf.ClinicFetcher().fetch("clinic-static:css/plan-print.css")
    assert b"@page" in response.read()


# ------------------------------------------------------------------ the patient's link


@pytest.fixture
def ready_plan(version, plan_link):
    """(plan, token of its mailed link): the shared issued version (conftest.py), rendered."""
    rendering.render_job_run(version.render.pk)
    return version.plan, plan_link[1]


def check_birth_date(client, token, born):
    return client.post(
        reverse("plans:patient_plan", args=[token]), {"date_of_birth": born.isoformat()}
    )


@pytest.mark.django_db
def test_the_patient_passes_the_birth_date_check_and_downloads_the_pdf(client, ready_plan):
    plan, token = ready_plan
    page = client.get(reverse("plans:patient_plan", args=[token]))
    assert "confirm your date of birth" in page.content.decode()
    assert plan.patient.legal_last_name not in page.content.decode()
    check_birth_date(client, token, plan.patient.date_of_birth)
    page = client.get(reverse("plans:patient_plan", args=[token])).content.decode()
    assert "Download the printable PDF" in page
    download = client.get(reverse("plans:patient_plan_pdf", args=[token]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "home-exercises-v1.pdf" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.VIEWED, AuditAction.DOWNLOADED} <= actions


@pytest.mark.django_db
def test_five_wrong_birth_dates_lock_the_link(client, ready_plan):
    plan, token = ready_plan
    wrong = plan.patient.date_of_birth - datetime.timedelta(days=1)
    for attempt in range(1, 5):
        page = check_birth_date(client, token, wrong).content.decode()
        assert f"{5 - attempt} tries left" in page
    assert check_birth_date(client, token, wrong).status_code == 403
    # Even the right date no longer opens it.
    assert check_birth_date(client, token, plan.patient.date_of_birth).status_code == 403
    assert PatientPlanLink.objects.get(purpose="mail").locked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5


@pytest.mark.django_db
def test_tampered_expired_and_revoked_plan_links_get_clear_pages(client, ready_plan):
    plan, token = ready_plan
    assert client.get(reverse("plans:patient_plan", args=[token[:-2] + "xx"])).status_code == 404
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert client.get(reverse("plans:patient_plan", args=[token])).status_code == 410
    PatientPlanLink.objects.filter(purpose="mail").update(revoked_at=timezone.now())
    assert client.get(reverse("plans:patient_plan", args=[token])).status_code == 410


@pytest.mark.django_db
def test_a_link_shows_only_its_own_patients_plan(client, ready_plan, clinician):
    plan, token = ready_plan
    other_plan, _ = issue(clinician, code="M76.62")
    check_birth_date(client, token, plan.patient.date_of_birth)
    page = client.get(reverse("plans:patient_plan", args=[token])).content.decode()
    assert plan.patient.display_name in page
    assert other_plan.patient.display_name not in page
    # The other patient's birth date does not open this link.
    other = Plan.objects.exclude(pk=plan.pk).get().patient
    other.date_of_birth = datetime.date(1977, 3, 3)
    other.save()
    client.logout()
    response = check_birth_date(client, token, other.date_of_birth)
    assert "does not match" in response.content.decode()


@pytest.mark.django_db
def test_a_printed_link_to_a_replaced_version_shows_the_new_one(client, ready_plan, clinician):
    plan, _ = ready_plan
    _, print_token = plan_link_create(plan=plan, by=clinician, purpose="print", version_number=1)
    PlanVersionFactory(plan=plan)
    check_birth_date(client, print_token, plan.patient.date_of_birth)
    page = client.get(reverse("plans:patient_plan", args=[print_token])).content.decode()
    assert "updated your plan" in page and "version 2" in page


@pytest.mark.django_db
def test_an_altered_stored_pdf_is_never_served(client, ready_plan):
    plan, token = ready_plan
    job = RenderJob.objects.get(version__plan=plan)
    job.file.storage.delete(job.file.name)
    job.file.storage.save(job.file.name, ContentFile(b"%PDF-1.7 tampered"))
    check_birth_date(client, token, plan.patient.date_of_birth)
    response = client.get(reverse("plans:patient_plan_pdf", args=[token]))
    assert response.status_code == 404
    assert "not ready yet" in response.content.decode()


@pytest.mark.django_db
def test_staff_see_the_status_live_and_can_retry_a_failed_render(
    client, clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _, version = issue(clinician)
    client.force_login(clinician)
    status_url = reverse("plans:render_status", args=[version.pk])
    queued = client.get(status_url).content.decode()
    assert 'hx-trigger="every 1s"' in queued and "queued" in queued
    RenderJob.objects.filter(pk=version.render.pk).update(
        status=RenderStatus.FAILED, error="WeasyPrint: boom", attempts=3
    )
    failed = client.get(status_url).content.decode()
    assert "boom" in failed and "Retry" in failed and "every 1s" not in failed
    client.post(reverse("plans:render_retry", args=[version.pk]), HTTP_HX_REQUEST="true")
    job = RenderJob.objects.get(pk=version.render.pk)
    assert job.status == RenderStatus.QUEUED and job.attempts == 0
    rendering.render_job_run(job.pk)
    ready = client.get(status_url).content.decode()
    assert "PDF ready" in ready and reverse("plans:version_pdf", args=[version.pk]) in ready
    download = client.get(reverse("plans:version_pdf", args=[version.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.django_db
def test_a_clinic_photo_is_printed_and_shown_only_through_the_link(
    client, clinician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(evaluation__clinician=clinician)
    exercise = plan.items.order_by("order").first().exercise
    exercise.photo.save("own.png", ContentFile(PNG_1PX))
    version = PlanVersionFactory(plan=plan)
    assert rendering.render_job_run(version.render.pk) == "ready"
    assert version.snapshot["items"][0]["photo"].startswith(f"exercises/{exercise.key}/")
    _, token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    photo_url = reverse("plans:patient_exercise_photo", args=[token, exercise.key])
    assert client.get(photo_url).status_code == 404  # not before the birth-date check
    check_birth_date(client, token, plan.patient.date_of_birth)
    assert photo_url in client.get(reverse("plans:patient_plan", args=[token])).content.decode()
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    other = reverse("plans:patient_exercise_photo", args=[token, "nordic_hamstring"])
    assert client.get(other).status_code == 404  # only exercises in this patient's plan


@pytest.mark.django_db
def test_the_clinicians_note_and_the_dosage_note_print_with_the_dose(clinician, settings, tmp_path):
    """The note on an exercise was small grey text at the bottom of the card, and a dosage
    note beside reps or a hold was printed nowhere."""
    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(evaluation__clinician=clinician)
    item = plan.items.filter(reps__isnull=False).first()
    item.notes = "Keep your knee over your second toe."
    item.dosage_notes = "Add weight in a backpack once the exercise is pain-free."
    item.save()
    version = PlanVersionFactory(plan=plan)
    assert rendering.render_job_run(version.render.pk) == "ready"
    version.render.refresh_from_db()
    text = " ".join(pdf_text(version.render.file.read()).split())

    printed = next(i for i in version.snapshot["items"] if i["key"] == item.exercise.key)
    dose = " ".join(printed["dosage_sentence"].split())
    assert dose.endswith("Add weight in a backpack once the exercise is pain-free.")
    note = f"From {version.snapshot['clinician']}: Keep your knee over your second toe."
    assert f"{dose} {note}" in text  # right under the dose, before the instructions
    assert text.index(note) < text.index(" ".join(printed["instructions"].split()))

    # The web plan says the same, the note in a box under the dose rather than small print.
    page = " ".join(
        strip_tags(render_to_string("plans/_plan_content.html", {"s": version.snapshot})).split()
    )
    assert f"{dose} {note}" in page


@pytest.mark.django_db
def test_a_progression_is_printed_step_by_step_with_dates_from_the_issue_day(
    client, clinician, settings, tmp_path
):
    # Point 5: a plan with a progression shows all of it, dated, in the editor, on the
    # patient's page and in the PDF.
    from django.utils import timezone

    from plans.progressions import dated
    from plans.templatetags.plan_tags import snapshot_date

    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(evaluation__clinician=clinician)
    item = plan.items.first()
    item.progression = "beyer_hsr"
    item.save()
    client.force_login(clinician)
    editor = " ".join(strip_tags(client.get(plan.get_absolute_url()).content.decode()).split())
    today = timezone.localdate()
    last = dated("beyer_hsr", today)[-1]
    dates = f"{snapshot_date(last.starts.isoformat())} – {snapshot_date(last.ends.isoformat())}"
    assert f"Weeks 9–12 {dates} 4 sets of 6 with a weight you can lift 6 times" in editor

    version = PlanVersionFactory(plan=plan)
    printed = next(i for i in version.snapshot["items"] if i["key"] == item.exercise.key)
    assert [s["weeks"] for s in printed["progression"]["steps"]] == [
        "Week 1",
        "Weeks 2–3",
        "Weeks 4–5",
        "Weeks 6–8",
        "Weeks 9–12",
    ]
    assert printed["progression"]["steps"][0]["starts"] == version.snapshot["issued_on"]
    page = " ".join(
        strip_tags(render_to_string("plans/_plan_content.html", {"s": version.snapshot})).split()
    )
    assert f"Weeks 9–12 {dates} 4 sets of 6" in page and "Beyer 2015, AJSM 43:1704" in page
    assert rendering.render_job_run(version.render.pk) == "ready"
    version.render.refresh_from_db()
    text = " ".join(pdf_text(version.render.file.read()).split())
    assert f"Weeks 9–12 {dates} 4 sets of 6 with a weight you can lift 6 times" in text
