"""The patient's own copy of their record: a zip (readable PDF + FHIR Bundle) made by a real
worker, released by staff, and downloaded by the patient through a private link."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import actor_for
from clinic.tests.tools import pdf_text
from plans import fhir
from plans.models import RecordCopyLink, RecordDocument, RenderStatus
from plans.services import documents

from .helpers import DIAGNOSIS, SHORT_GOAL, evaluated_patient, wait_done

FILES = {"record-summary.pdf", "record-fhir.json", "README.txt"}


def release_by_service(copy, clinician):
    """(link, token) of a released copy, as the staff page releases it."""
    link, _url, _queued = documents.patient_copy_release(
        document=copy, base_url="http://testserver/", actor=actor_for(clinician)
    )
    return link, link.token()


def zip_of(document: RecordDocument) -> zipfile.ZipFile:
    data = document.file.read()
    assert hashlib.sha256(data).hexdigest() == document.checksum
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.mark.worker
@pytest.mark.timeout(180)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_copy_is_a_zip_of_a_readable_pdf_and_a_valid_fhir_bundle_from_a_real_worker(
    client, clinician, celery_worker
):
    evaluation = evaluated_patient(clinician, email="jordan@example.com")
    patient = evaluation.patient
    client.force_login(clinician)
    with celery_worker.running():
        response = client.post(reverse("plans:patient_copy_request", args=[patient.pk]))
        assert response.status_code == 302
        copy = wait_done(RecordDocument.objects.get(kind="patient_copy").pk)
    assert copy.status == RenderStatus.READY, copy.error
    archive = zip_of(copy)
    assert set(archive.namelist()) == FILES

    summary = pdf_text(archive.read("record-summary.pdf"))
    for expected in ("Your health record", patient.legal_name, *DIAGNOSIS, SHORT_GOAL):
        assert expected in summary, expected

    bundle = json.loads(archive.read("record-fhir.json"))
    Bundle.model_validate(bundle)  # the maintained FHIR library, as the export's tests
    fhir.validate(bundle)  # and every resource in it
    assert bundle["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Condition", "Observation"} <= kinds
    (person,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert person["name"][0]["family"] == patient.legal_last_name
    conditions = {
        coding["code"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Condition"
        for coding in e["resource"]["code"]["coding"]
    }
    assert DIAGNOSIS[0] in conditions
    created = AuditEvent.objects.get(action=AuditAction.CREATED, object_id=str(copy.pk))
    assert created.actor == clinician and created.patient_id == patient.pk


# ------------------------------------------------------------------ release and the link


def copy_of(patient, by, *, ready=True) -> RecordDocument:
    """A requested copy; when ready, a small stand-in zip as the worker would leave one."""
    copy = documents.patient_copy_request(patient=patient, actor=actor_for(by))
    if ready:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("record-summary.pdf", b"%PDF-1.7 stand-in")
            archive.writestr("record-fhir.json", '{"resourceType": "Bundle"}')
        content = buffer.getvalue()
        copy.file.save(f"patient-copy-{copy.pk}.zip", ContentFile(content), save=False)
        copy.checksum, copy.status = hashlib.sha256(content).hexdigest(), RenderStatus.READY
        copy.save()
    return copy


def release(client, copy) -> str:
    """Release through the staff screen; the patient's URL, shown once on the Records card."""
    response = client.post(reverse("plans:patient_copy_release", args=[copy.pk]))
    assert response.status_code == 302
    card = client.get(reverse("plans:record_documents", args=[copy.patient_id]))
    page = card.content.decode()
    start = page.index('id="new-record-link" class="form-control form-control-sm" value="')
    url = page[start:].split('value="', 1)[1].split('"', 1)[0]
    return url.split("testserver", 1)[1]


def check_birth_date(client, url, born):
    return client.post(url, {"date_of_birth": born.isoformat()})


@pytest.mark.django_db
def test_a_copy_is_not_released_before_it_is_ready_and_no_link_exists_until_then(
    client, clinician, media_root
):
    patient = evaluated_patient(clinician).patient
    copy = copy_of(patient, clinician, ready=False)
    client.force_login(clinician)
    response = client.post(reverse("plans:patient_copy_release", args=[copy.pk]))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.released_at is None and not RecordCopyLink.objects.exists()
    with pytest.raises(ValidationError):
        release_by_service(copy, clinician)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


@pytest.mark.django_db
def test_a_link_to_a_copy_not_released_opens_nothing(client, clinician, media_root):
    patient = evaluated_patient(clinician).patient
    copy = copy_of(patient, clinician)
    _link, token = RecordCopyLink.issue(  # as if made without the release service
        document=copy,
        created_by=clinician,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    for name in ("plans:patient_copy", "plans:patient_copy_zip"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 410
        assert b"PK" not in response.content[:2]
    response = check_birth_date(
        client, reverse("plans:patient_copy", args=[token]), patient.date_of_birth
    )
    assert response.status_code == 410
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, detail="copy not released").exists()


@pytest.mark.django_db
def test_after_release_the_patient_checks_their_birth_date_and_downloads_the_zip(
    client, clinician, media_root, mailoutbox, link_mails_sent
):
    evaluation = evaluated_patient(clinician, email="jordan@example.com")
    patient = evaluation.patient
    copy = copy_of(patient, clinician)
    staff = client
    staff.force_login(clinician)
    with link_mails_sent():
        url = release(staff, copy)
    copy.refresh_from_db()
    assert copy.released_by == clinician and copy.released_at is not None
    assert mailoutbox and url in mailoutbox[0].body
    assert patient.legal_last_name not in mailoutbox[0].subject
    exported = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert exported.patient_id == patient.pk and exported.detail == "patient copy released"

    staff.logout()
    page = staff.get(url).content.decode()
    assert "confirm your date of birth" in page and patient.legal_last_name not in page
    zip_url = url.rstrip("/") + "/zip/"
    assert staff.get(zip_url).status_code == 200  # the birth-date page, not the file
    assert not staff.get(zip_url).streaming
    check_birth_date(staff, url, patient.date_of_birth)
    assert "Download my record" in staff.get(url).content.decode()
    download = staff.get(zip_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    disposition = download["Content-Disposition"]
    assert f"health-record-{copy.pk}-" in disposition
    assert patient.legal_first_name not in disposition
    assert patient.legal_last_name not in disposition
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert {"record-summary.pdf", "record-fhir.json"} <= set(archive.namelist())
    downloaded = AuditEvent.objects.get(action=AuditAction.DOWNLOADED)
    assert downloaded.actor is None and downloaded.actor_label == "patient (record copy link)"
    assert downloaded.patient_id == patient.pk


@pytest.mark.django_db
def test_five_wrong_birth_dates_lock_the_copy_link(client, clinician, media_root):
    patient = evaluated_patient(clinician).patient
    copy = copy_of(patient, clinician)
    _link, token = release_by_service(copy, clinician)
    url = reverse("plans:patient_copy", args=[token])
    wrong = patient.date_of_birth - datetime.timedelta(days=1)
    for attempt in range(1, 5):
        assert f"{5 - attempt} tries left" in check_birth_date(client, url, wrong).content.decode()
    assert check_birth_date(client, url, wrong).status_code == 403
    assert check_birth_date(client, url, patient.date_of_birth).status_code == 403
    assert client.get(reverse("plans:patient_copy_zip", args=[token])).status_code == 403
    assert RecordCopyLink.objects.get().locked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5


@pytest.mark.django_db
def test_tampered_expired_revoked_and_replaced_copy_links_get_the_unavailable_page(
    client, clinician, media_root
):
    patient = evaluated_patient(clinician).patient
    copy = copy_of(patient, clinician)
    _link, token = release_by_service(copy, clinician)
    url = reverse("plans:patient_copy", args=[token])
    assert client.get(reverse("plans:patient_copy", args=[token[:-2] + "xx"])).status_code == 404
    check_birth_date(client, url, patient.date_of_birth)
    assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        expired = client.get(url)
        assert expired.status_code == 410 and "expired" in expired.content.decode()
    # A new release replaces the earlier link.
    _new, new_token = release_by_service(copy, clinician)
    assert client.get(url).status_code == 410
    new_link = RecordCopyLink.objects.get(revoked_at__isnull=True)
    # Revoked by staff: the patient's page and the zip both refuse.
    client.force_login(clinician)
    client.post(reverse("plans:record_link_revoke", args=[new_link.pk]))
    client.logout()
    for name in ("plans:patient_copy", "plans:patient_copy_zip"):
        assert client.get(reverse(name, args=[new_token])).status_code == 410
    assert AuditEvent.objects.filter(action=AuditAction.REVOKED).count() == 1


@pytest.mark.django_db
def test_a_copy_link_opens_only_its_own_patients_copy(client, clinician, media_root):
    mine = copy_of(evaluated_patient(clinician).patient, clinician)
    theirs = copy_of(evaluated_patient(clinician).patient, clinician)
    theirs.patient.date_of_birth = datetime.date(1977, 3, 3)
    theirs.patient.save()
    _link, token = release_by_service(mine, clinician)
    url = reverse("plans:patient_copy", args=[token])
    page = check_birth_date(client, url, theirs.patient.date_of_birth).content.decode()
    assert "does not match" in page
    plan_url = reverse("plans:patient_plan", args=[token])  # a copy token is no plan token
    assert client.get(plan_url).status_code == 404


# ------------------------------------------------------------------ who may make and release


COPY_ROUTES = (
    ("patient_copy_download", "get"),
    ("patient_copy_status", "get"),
    ("patient_copy_retry", "post"),
    ("patient_copy_release", "post"),
)


@pytest.mark.django_db
def test_front_desk_other_clinicians_and_strangers_cannot_make_or_release_a_copy(
    client, clinician, others, media_root
):
    patient = evaluated_patient(clinician).patient
    copy = copy_of(patient, clinician)
    link, _token = release_by_service(copy, clinician)
    routes = [
        (reverse("plans:patient_copy_request", args=[patient.pk]), "post"),
        (reverse("plans:record_documents", args=[patient.pk]), "get"),
        (reverse("plans:record_link_revoke", args=[link.pk]), "post"),
        *[(reverse(f"plans:{name}", args=[copy.pk]), method) for name, method in COPY_ROUTES],
    ]
    for url, method in routes:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for who, status in (("desk", 403), ("outsider", 404)):
        client.force_login(others[who])
        for url, method in routes:
            assert getattr(client, method)(url).status_code == status, (who, url)
    assert RecordDocument.objects.count() == 1 and RecordCopyLink.objects.get().revoked_at is None
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1  # the release


@pytest.mark.django_db
def test_a_clinic_admin_makes_releases_and_downloads_a_copy_but_sees_no_letter(
    client, clinician, others, media_root
):
    evaluation = evaluated_patient(clinician)
    patient = evaluation.patient
    letter = documents.letter_request(
        evaluation=evaluation, kind="physician_letter", actor=actor_for(clinician)
    )
    client.force_login(others["admin"])
    response = client.post(reverse("plans:patient_copy_request", args=[patient.pk]))
    records_url = reverse("plans:record_documents", args=[patient.pk])
    assert response.status_code == 302 and response["Location"] == records_url
    made = RecordDocument.objects.get(kind="patient_copy")
    assert made.created_by == others["admin"]
    copy = copy_of(patient, clinician)
    page = client.get(records_url).content.decode()
    assert reverse("plans:patient_copy_release", args=[copy.pk]) in page
    assert reverse("plans:letter_status", args=[letter.pk]) not in page
    assert "Physician letter" not in page  # the admin writes no letters
    url = release(client, copy)
    assert url.startswith(reverse("plans:patient_copy", args=["TOKEN"]).split("TOKEN")[0])
    download = client.get(reverse("plans:patient_copy_download", args=[copy.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert client.get(reverse("plans:letter_download", args=[letter.pk])).status_code == 403
    assert AuditEvent.objects.filter(
        action=AuditAction.DOWNLOADED, actor=others["admin"], patient=patient
    ).exists()
