"""Records that leave the clinic as files, rendered in the background like the plan PDFs.

- Letters about a signed evaluation: to the referring physician, and — only with the
  patient's consent, recorded with who and when — a shorter one to their coach.
- The patient's own copy of their record (right of access): a zip with a readable PDF
  summary and the FHIR Bundle, which the patient downloads through a private link once staff
  release it.

Rendering follows plans/services/rendering.py (same lock, retries, sweep and checksum rules);
the PDFs go through plans/pdf.py (ClinicFetcher, PDF/UA). Every request, release and download
is audited.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError as FhirValidationError

from clinic.actors import Actor
from clinic.audit import audit
from clinic.links.mail import link_mail_queue
from clinic.models import AuditAction
from intake.models import Evaluation, Patient
from plans import fhir, letters, pdf, records
from plans.models import LETTER_KINDS, DocumentKind, RecordCopyLink, RecordDocument
from plans.storage import verified_file

from . import rendering

ADVISORY_NAMESPACE = 7302  # pg_try_advisory_lock(namespace, document id): record documents
COPY_LINK_DAYS = 30  # how long the patient's link to their copy works
COPY_README = """\
Your health record from {clinic}, copied on {date}.

record-summary.pdf  the record in plain words, to read or print
record-fhir.json    the same record as a FHIR R4 Bundle, the format health services exchange

Keep these files private: they hold your health information.
"""


class FhirInvalid(Exception):
    """The FHIR Bundle did not validate (a bug of ours); the message names places, no data."""


# ------------------------------------------------------------------ who sees what


def document_patients(user):
    """Patients whose documents this user may list: a clinician's care team; for a clinic
    admin, who opens no chart, the patients whose record they may export (all, audited)."""
    if user.has_perm("intake.view_clinical"):
        return Patient.objects.visible_to(user)
    return records.exportable_patients(user)


# ------------------------------------------------------------------ requests


def _queue(document: RecordDocument) -> None:
    transaction.on_commit(lambda: record_document_enqueue(document.pk))


@transaction.atomic
def letter_request(
    *,
    evaluation: Evaluation,
    kind: str,
    actor: Actor,
    coach_consent: bool = False,
) -> RecordDocument:
    """A letter about a signed evaluation, rendered after commit."""
    if not evaluation.is_signed:
        raise ValidationError("Sign the evaluation first: letters are only about signed ones.")
    if kind not in LETTER_KINDS:
        raise ValidationError("Choose the physician or the coach letter.")
    consent = kind == DocumentKind.COACH_LETTER
    if consent and not coach_consent:
        raise ValidationError("The coach letter needs the patient's agreement to share it.")
    document = RecordDocument.objects.create(
        kind=kind,
        patient=evaluation.patient,
        evaluation=evaluation,
        created_by=actor.user,
        consent_recorded_by=actor.user if consent else None,
        consent_recorded_at=timezone.now() if consent else None,
        enqueued_at=timezone.now(),
    )
    detail = f"{kind}, patient consent recorded" if consent else kind
    audit(actor, AuditAction.CREATED, obj=document, patient=evaluation.patient, detail=detail)
    _queue(document)
    return document


@transaction.atomic
def patient_copy_request(*, patient: Patient, actor: Actor) -> RecordDocument:
    """The patient asked for a copy of their record: render it, for staff to release."""
    document = RecordDocument.objects.create(
        kind=DocumentKind.PATIENT_COPY,
        patient=patient,
        created_by=actor.user,
        enqueued_at=timezone.now(),
    )
    audit(actor, AuditAction.CREATED, obj=document, patient=patient, detail="patient_copy")
    _queue(document)
    return document


@transaction.atomic
def patient_copy_release(
    *, document: RecordDocument, base_url: str, actor: Actor
) -> tuple[RecordCopyLink, str, bool]:
    """Let the patient download their copy: (link, its URL shown once to staff, whether a
    mail was queued). A new release replaces the patient's earlier links to this copy."""
    document = RecordDocument.objects.select_for_update().get(pk=document.pk)
    if document.kind != DocumentKind.PATIENT_COPY:
        raise ValidationError("Only the patient's copy is released to the patient.")
    if verified_file(document) is None:
        raise ValidationError("The copy is not ready yet: release it once it is.")
    now = timezone.now()
    if document.released_at is None:
        document.released_at, document.released_by = now, actor.user
        document.save(update_fields=["released_at", "released_by"])
    RecordCopyLink.objects.active().filter(document=document).revoke()
    link, _token = RecordCopyLink.issue(
        document=document,
        created_by=actor.user,
        expires_at=now + datetime.timedelta(days=COPY_LINK_DAYS),
    )
    audit(
        actor,
        AuditAction.EXPORTED,
        obj=document,
        patient=document.patient,
        detail="patient copy released",
    )
    queued = link_mail_queue(link=link, base_url=base_url, actor=actor)
    return link, link.url(base_url), queued


def record_link_revoke(*, link: RecordCopyLink, actor: Actor) -> None:
    link.revoke(actor=actor)


# ------------------------------------------------------------------ rendering


def record_document_enqueue(document_id: int) -> None:
    from plans.tasks import record_document_render_task

    record_document_render_task.delay(document_id)


def patient_copy_zip(patient: Patient) -> bytes:
    """The readable summary (PDF) and the FHIR Bundle of one read of the record, zipped."""
    record = records.patient_record(patient)
    now = timezone.now()
    try:
        bundle = fhir.bundle_json(fhir.record_bundle(record, base_url=settings.SITE_URL, now=now))
    except FhirValidationError as error:
        # Only where it failed: the error's input values would be patient data, and this
        # message reaches the job row and the worker's log.
        places = [".".join(map(str, e["loc"])) for e in error.errors()[:5]]
        raise FhirInvalid(f"the FHIR Bundle failed validation at {places}") from None
    summary = pdf.render_pdf(letters.record_summary_html(record))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record-summary.pdf", summary)
        archive.writestr("record-fhir.json", bundle)
        readme = COPY_README.format(clinic=settings.CLINIC_NAME, date=timezone.localdate())
        archive.writestr("README.txt", readme)
    return buffer.getvalue()


def _produce(document: RecordDocument) -> tuple[bytes, str]:
    # Stored under records/<patient id>/: ids and kinds only, never a name.
    if document.kind == DocumentKind.PATIENT_COPY:
        return patient_copy_zip(document.patient), f"patient-copy-{document.pk}.zip"
    return pdf.render_pdf(letters.letter_html(document)), f"{document.kind}-{document.pk}.pdf"


RECORD_DOCUMENT = rendering.Pipeline(
    model=RecordDocument,
    lock_namespace=ADVISORY_NAMESPACE,
    related=("patient", "evaluation", "created_by"),
    produce=_produce,
    enqueue=record_document_enqueue,
)


def record_document_run(document_id: int) -> str:
    return rendering.job_run(RECORD_DOCUMENT, document_id)


def record_document_retry(*, document: RecordDocument, actor: Actor) -> None:
    """Staff retry a failed document: attempts start again from zero."""
    rendering.job_retry(RECORD_DOCUMENT, document)
    audit(actor, AuditAction.CHANGED, obj=document, patient=document.patient, detail="retry")


def record_documents_sweep() -> int:
    return rendering.jobs_sweep(RECORD_DOCUMENT)


def download_name(document: RecordDocument) -> str:
    """Chosen by the server: the kind, the id and the date, never the patient's name."""
    made = timezone.localtime(document.finished_at or document.created_at).date().isoformat()
    names = {
        DocumentKind.PHYSICIAN_LETTER: f"evaluation-letter-{document.pk}-{made}.pdf",
        DocumentKind.COACH_LETTER: f"coach-letter-{document.pk}-{made}.pdf",
        DocumentKind.PATIENT_COPY: f"health-record-{document.pk}-{made}.zip",
    }
    return names[document.kind]
