"""Letters about a signed evaluation: rendered by a real worker, read back, consented, guarded."""

import dataclasses
import datetime
import hashlib
import http.server
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PlanFactory, PlanVersionFactory, actor_for
from clinic.tests.tools import pdf_text
from intake.models import Evaluation
from plans import pdf
from plans.models import RecordDocument, RenderStatus
from plans.services import documents

from .helpers import (
    ASSESSMENT,
    DIAGNOSIS,
    EXAMINATION,
    GAIT_NOTE,
    LONG_GOAL,
    PLAN_NOTES,
    SHORT_GOAL,
    SUBJECTIVE,
    CountingHandler,
    evaluated_patient,
    wait_done,
)


def issue_running_plan(evaluation, stage=3):
    plan = PlanFactory(
        evaluation=evaluation, phase="return_to_run", return_to_run=True, run_stage=stage
    )
    return plan, PlanVersionFactory(plan=plan)


def ask_for_letter(client, evaluation, kind, **extra):
    url = reverse("plans:letter_request", args=[evaluation.pk])
    return client.post(url, {"kind": kind, **extra})


def stored_text(document: RecordDocument) -> str:
    data = document.file.read()
    assert hashlib.sha256(data).hexdigest() == document.checksum
    return pdf_text(data)


# ------------------------------------------------------------------ rendered and read back


@pytest.mark.worker
@pytest.mark.timeout(180)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_letters_render_in_a_real_worker_and_each_says_only_what_it_should(
    client, clinician, celery_worker
):
    evaluation = evaluated_patient(
        clinician, referral_source="physician", referral_detail="Dr. Rivera"
    )
    plan, version = issue_running_plan(evaluation, stage=3)
    app.control.purge()  # the plan's own PDF is not what this test waits for
    client.force_login(clinician)
    with celery_worker.running():
        ask_for_letter(client, evaluation, "physician_letter")
        ask_for_letter(client, evaluation, "coach_letter", coach_consent="on")
        physician, coach = (
            wait_done(d.pk) for d in RecordDocument.objects.order_by("created_at", "id")
        )
    assert physician.kind == "physician_letter" and coach.kind == "coach_letter"
    assert physician.status == RenderStatus.READY, physician.error
    assert coach.status == RenderStatus.READY, coach.error

    letter = stored_text(physician)
    patient = evaluation.patient
    for expected in (
        "Evaluation summary",
        "Dr. Rivera",
        patient.legal_name,
        SUBJECTIVE,
        EXAMINATION,
        GAIT_NOTE,
        "Ober test",
        "Hip abductors",
        *DIAGNOSIS,
        ASSESSMENT,
        SHORT_GOAL,
        LONG_GOAL,
        "2 visits a week for 6 weeks",
        "Gait retraining",
        PLAN_NOTES,
        "Lower Extremity Functional Scale",  # the progress chart's title
        "Maya Okafor",
    ):
        assert expected in letter, expected
    first_exercise = version.snapshot["items"][0]["name"]
    assert first_exercise in letter

    note = stored_text(coach)
    for expected in (
        "Running plan for the coach",
        "stage 3 of 6",
        "Take at least one rest day between runs.",
        first_exercise,
        "172–180 beats per minute",  # 164 steps/min × 1.05 … 1.10
    ):
        assert expected in note, expected
    for clinical in (*DIAGNOSIS, SUBJECTIVE, EXAMINATION, ASSESSMENT, PLAN_NOTES, GAIT_NOTE):
        assert clinical not in note, clinical
    for goal in (SHORT_GOAL, LONG_GOAL):
        assert goal not in note


@pytest.mark.django_db
def test_a_letter_prints_clinician_text_as_text_and_fetches_nothing(clinician, media_root):
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    hostile = (
        f'<img src="http://127.0.0.1:{port}/img"> <link href="file:///etc/passwd"> '
        f'<style>@import url("http://127.0.0.1:{port}/css");</style>'
    )
    CountingHandler.hits = 0
    try:
        evaluation = evaluated_patient(clinician)
        evaluation.addenda.create(author=clinician, text=hostile)  # signed: an addendum
        document = documents.letter_request(
            evaluation=evaluation, kind="physician_letter", actor=actor_for(clinician)
        )
        assert documents.record_document_run(document.pk) == "ready"
    finally:
        server.shutdown()
    text = stored_text(RecordDocument.objects.get(pk=document.pk))
    assert f'<img src="http://127.0.0.1:{port}/img">' in text
    assert "@import" in text and "root:" not in text
    assert CountingHandler.hits == 0


# ------------------------------------------------------------------ consent and signed only


@pytest.mark.django_db
def test_the_coach_letter_is_refused_without_recorded_consent(client, clinician):
    evaluation = evaluated_patient(clinician)
    client.force_login(clinician)
    page = ask_for_letter(client, evaluation, "coach_letter")
    assert page.status_code == 200
    assert "needs the patient&#x27;s agreement" in page.content.decode()
    assert not RecordDocument.objects.exists()
    with pytest.raises(ValidationError):
        documents.letter_request(
            evaluation=evaluation, kind="coach_letter", actor=actor_for(clinician)
        )
    # Even a write that skips the service cannot store a coach letter without consent.
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordDocument.objects.create(
            kind="coach_letter",
            patient=evaluation.patient,
            evaluation=evaluation,
            created_by=clinician,
            enqueued_at=timezone.now(),
        )


@pytest.mark.django_db
def test_consent_is_stored_with_who_and_when_and_audited(client, clinician):
    evaluation = evaluated_patient(clinician)
    client.force_login(clinician)
    before = timezone.now()
    response = ask_for_letter(client, evaluation, "coach_letter", coach_consent="on")
    assert response.status_code == 302
    letter = RecordDocument.objects.get()
    assert letter.consent_recorded_by == clinician
    assert letter.consent_recorded_at >= before
    created = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(letter.pk))
    assert created.actor == clinician and "consent" in created.detail
    assert created.patient_id == evaluation.patient_id
    # The physician letter records no consent.
    ask_for_letter(client, evaluation, "physician_letter")
    assert RecordDocument.objects.get(kind="physician_letter").consent_recorded_at is None


@pytest.mark.django_db
def test_letters_are_only_about_signed_evaluations(client, clinician):
    signed = evaluated_patient(clinician)
    draft = Evaluation.objects.create(
        patient=signed.patient, clinician=clinician, kind="re_evaluation"
    )
    client.force_login(clinician)
    assert ask_for_letter(client, draft, "physician_letter").status_code == 404
    with pytest.raises(ValidationError):
        documents.letter_request(
            evaluation=draft, kind="physician_letter", actor=actor_for(clinician)
        )
    assert not RecordDocument.objects.exists()


# ------------------------------------------------------------------ who may see them


def ready_letter(evaluation, clinician, kind="physician_letter") -> RecordDocument:
    """A letter as a worker leaves it (the file stands in for the rendered PDF)."""
    extra = {"coach_consent": True} if kind == "coach_letter" else {}
    document = documents.letter_request(
        evaluation=evaluation, kind=kind, actor=actor_for(clinician), **extra
    )
    content = b"%PDF-1.7 a stand-in for the letter"
    document.file.save(f"{kind}-{document.pk}.pdf", ContentFile(content), save=False)
    document.checksum, document.status = hashlib.sha256(content).hexdigest(), RenderStatus.READY
    document.save()
    return document


LETTER_ROUTES = ("letter_download", "letter_status", "letter_retry")


@pytest.mark.django_db
def test_front_desk_other_clinicians_admins_and_strangers_get_no_letter(
    client, clinician, others, media_root
):
    evaluation = evaluated_patient(clinician)
    letter = ready_letter(evaluation, clinician)
    urls = [reverse(f"plans:{name}", args=[letter.pk]) for name in LETTER_ROUTES]
    request_url = reverse("plans:letter_request", args=[evaluation.pk])
    for url in [*urls, request_url]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    expected = {"desk": 403, "admin": 403, "outsider": 404}
    for who, status in expected.items():
        client.force_login(others[who])
        for url in [*urls, request_url]:
            method = client.post if url.endswith("/retry/") else client.get
            assert method(url).status_code == status, (who, url)
        client.post(request_url, {"kind": "physician_letter"})
    assert RecordDocument.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


@pytest.mark.django_db
def test_the_care_team_downloads_a_letter_under_a_name_without_the_patients(
    client, clinician, media_root
):
    evaluation = evaluated_patient(clinician)
    letter = ready_letter(evaluation, clinician)
    client.force_login(clinician)
    response = client.get(reverse("plans:letter_download", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and f"evaluation-letter-{letter.pk}-" in disposition
    patient = evaluation.patient
    assert patient.legal_first_name not in disposition
    assert patient.legal_last_name not in disposition
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    exported = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert exported.actor == clinician and exported.patient_id == patient.pk
    assert exported.detail == "physician_letter"


@pytest.mark.django_db
def test_an_altered_stored_letter_is_never_served(client, clinician, media_root):
    letter = ready_letter(evaluated_patient(clinician), clinician)
    letter.file.storage.delete(letter.file.name)
    letter.file.storage.save(letter.file.name, ContentFile(b"%PDF-1.7 tampered"))
    client.force_login(clinician)
    response = client.get(reverse("plans:letter_download", args=[letter.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


# ------------------------------------------------------------------ the chart's Records card


@pytest.mark.django_db
def test_the_chart_shows_the_records_card_and_it_polls_only_while_rendering(
    client, clinician, others, media_root
):
    evaluation = evaluated_patient(clinician)
    patient = evaluation.patient
    card_url = reverse("plans:record_documents", args=[patient.pk])
    client.force_login(clinician)
    chart = client.get(patient.get_absolute_url()).content.decode()
    assert f'hx-get="{card_url}"' in chart
    queued = documents.letter_request(
        evaluation=evaluation, kind="physician_letter", actor=actor_for(clinician)
    )
    card = client.get(card_url, HTTP_HX_REQUEST="true").content.decode()
    status_url = reverse("plans:letter_status", args=[queued.pk])
    assert f'hx-get="{status_url}"' in card and "X-Clinic-Background" in card
    assert reverse("plans:letter_request", args=[evaluation.pk]) in card
    assert reverse("plans:patient_copy_request", args=[patient.pk]) in card
    assert documents.record_document_run(queued.pk) == "ready"
    row = client.get(status_url).content.decode()
    assert "hx-get" not in row and reverse("plans:letter_download", args=[queued.pk]) in row
    client.force_login(others["desk"])
    assert card_url not in client.get(patient.get_absolute_url()).content.decode()
    assert client.get(card_url).status_code == 403


# ------------------------------------------------------------------ the same reliability rules


@pytest.mark.django_db
def test_a_failing_letter_ends_failed_after_the_capped_attempts_and_staff_can_retry(
    client, clinician, media_root, settings, monkeypatch
):
    from plans.services.rendering import RenderRetry

    settings.RENDER_MAX_ATTEMPTS = 3
    letter = documents.letter_request(
        evaluation=evaluated_patient(clinician),
        kind="physician_letter",
        actor=actor_for(clinician),
    )

    def broken(html):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    for _ in range(2):
        with pytest.raises(RenderRetry):
            documents.record_document_run(letter.pk)
    assert documents.record_document_run(letter.pk) == "failed"
    assert documents.record_document_run(letter.pk) == "failed"  # a late duplicate: nothing
    letter.refresh_from_db()
    assert letter.status == RenderStatus.FAILED and letter.attempts == 3
    assert "WeasyPrint exploded" in letter.error and not letter.file.name
    monkeypatch.undo()
    client.force_login(clinician)
    client.post(reverse("plans:letter_retry", args=[letter.pk]))
    letter.refresh_from_db()
    assert letter.status == RenderStatus.QUEUED and letter.attempts == 0
    assert documents.record_document_run(letter.pk) == "ready"
    letter.refresh_from_db()
    first = (letter.checksum, letter.file.name)
    assert documents.record_document_run(letter.pk) == "already-ready"
    letter.refresh_from_db()
    assert (letter.checksum, letter.file.name) == first


@pytest.mark.django_db
def test_the_sweep_enqueues_documents_stuck_beyond_the_timeout(clinician, settings, monkeypatch):
    settings.RENDER_SWEEP_AFTER_SECONDS = 120
    enqueued = []
    pipeline = dataclasses.replace(documents.RECORD_DOCUMENT, enqueue=enqueued.append)
    monkeypatch.setattr(documents, "RECORD_DOCUMENT", pipeline)
    evaluation = evaluated_patient(clinician)
    stuck = documents.letter_request(
        evaluation=evaluation, kind="physician_letter", actor=actor_for(clinician)
    )
    fresh = documents.letter_request(
        evaluation=evaluation, kind="physician_letter", actor=actor_for(clinician)
    )
    RecordDocument.objects.filter(pk=stuck.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert documents.record_documents_sweep() == 1
    assert enqueued == [stuck.pk] and fresh.pk not in enqueued


@pytest.mark.django_db
def test_the_physician_letter_sums_up_the_treatment_since_the_evaluation(clinician):
    import re

    from clinic.tests.factories import SignedEvaluationFactory, follow_up_visit
    from intake.models import InterventionType
    from intake.services import notes
    from intake.services.notes import Delivered, NoteData
    from plans import letters

    evaluation = evaluated_patient(clinician)
    patient, actor = evaluation.patient, actor_for(clinician)
    manual = InterventionType.objects.get(key="manual_therapy")
    exercise = InterventionType.objects.get(key="therapeutic_exercise")
    short_goal = evaluation.goals.get(text=SHORT_GOAL)
    for days_ago, progress in ((10, False), (7, True)):
        visit = follow_up_visit(patient, clinician, days_ago=days_ago)
        note = notes.note_open(visit=visit, actor=actor, progress_note=progress)
        delivered = [Delivered(intervention=manual, minutes=15)]
        if progress:
            delivered.append(Delivered(intervention=exercise, minutes=20))
        goals = {g.pk: ("partly", "") for g in evaluation.goals.all()}
        goals[short_goal.pk] = ("met", "5 km pain-free on Sunday")
        data = NoteData(record={"progress_note": progress}, interventions=delivered, goals=goals)
        notes.note_save(note=note, actor=actor, data=data, revision=0)
        notes.note_sign(note=note, actor=actor)
    # The next plan begins 5 days ago: its visits belong to its own letter.
    SignedEvaluationFactory(
        patient=patient,
        clinician=clinician,
        kind="re_evaluation",
        date=timezone.localdate() - datetime.timedelta(days=5),
    )
    follow_up_visit(patient, clinician, days_ago=2)
    document = RecordDocument(
        kind="physician_letter", patient=patient, evaluation=evaluation, created_by=clinician
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", letters.physician_letter_html(document)).split())
    assert "Treatment since the evaluation 2 visits attended" in text
    assert "Manual therapy (joint mobilisation) 97140 2" in text
    assert "Therapeutic exercise 97110 1" in text
    assert f"{SHORT_GOAL}: Met (5 km pain-free on Sunday)" in text
