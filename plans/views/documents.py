"""Staff screens for letters and the patient's copy of the record: request, follow, download,
retry, release. The patient's own download is in plans/views/patient.py.

Letters are for clinicians on the patient's care team; patient copies for whoever may export
the record (a clinician's care team, or a clinic admin). Each route declares which.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from clinic import show_once
from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from clinic.responses import private_file_response
from intake.models import Evaluation
from plans import records
from plans.forms.documents import LetterRequestForm
from plans.models import DocumentKind, RecordCopyLink, RecordDocument, RenderStatus
from plans.services import documents
from plans.storage import verified_file

LETTER_VIEW = ("intake.view_clinical", "plans.view_recorddocument")
LETTER_CHANGE = ("intake.view_clinical", "plans.change_recorddocument")
COPY_VIEW = ("intake.export_record", "plans.view_recorddocument")
COPY_CHANGE = ("intake.export_record", "plans.change_recorddocument")
CONTENT_TYPES = {
    DocumentKind.PHYSICIAN_LETTER: "application/pdf",
    DocumentKind.COACH_LETTER: "application/pdf",
    DocumentKind.PATIENT_COPY: "application/zip",
}


def _back(request, patient):
    """The chart for those who open it; the records page for a clinic admin (no chart)."""
    if request.user.has_perm("intake.view_patient"):
        return redirect(f"{patient.get_absolute_url()}#records-h")
    return redirect("plans:record_documents", pk=patient.pk)


def _card_context(request, patient) -> dict:
    user = request.user
    letters = RecordDocument.objects.visible_to(user).letters().filter(patient=patient)
    copies = RecordDocument.objects.visible_to(user).copies().filter(patient=patient)
    may_write_letters = user.has_perms(["intake.view_clinical", "plans.add_recorddocument"])
    return {
        "patient": patient,
        "documents": (letters | copies).select_related("evaluation").prefetch_related("links"),
        "evaluations": (
            Evaluation.objects.visible_to(user)
            .signed()
            .filter(patient=patient)
            .order_by("-date", "-id")
            if may_write_letters
            else []
        ),
        "may_write_letters": may_write_letters,
        "may_copy": user.has_perms(["intake.export_record", "plans.add_recorddocument"]),
        "new_link_url": show_once.take(request, f"new-record-link-{patient.pk}"),
    }


@staff("plans.view_recorddocument")
@require_GET
def record_documents(request, pk: int):
    """The Records card of the chart (htmx), or a page of its own for a clinic admin."""
    patient = get_object_or_404(documents.document_patients(request.user), pk=pk)
    context = _card_context(request, patient)
    if request.htmx:  # part of the chart, which audited the view
        return render(request, "plans/_records.html", context)
    audit(request, AuditAction.VIEWED, obj=patient, detail="record documents")
    return render(request, "plans/record_documents.html", context)


@staff("intake.view_clinical", "plans.add_recorddocument")
def letter_request(request, pk: int):
    """Ask for a letter about a signed evaluation; the coach letter records consent."""
    evaluation = get_object_or_404(
        Evaluation.objects.visible_to(request.user).signed().select_related("patient"), pk=pk
    )
    form = LetterRequestForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            documents.letter_request(
                evaluation=evaluation, actor=Actor.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The letter is being prepared; it appears under Records.")
            return _back(request, evaluation.patient)
    return render(
        request,
        "plans/letter_request.html",
        {"form": form, "evaluation": evaluation, "patient": evaluation.patient},
    )


@staff("intake.export_record", "plans.add_recorddocument")
@require_POST
def patient_copy_request(request, pk: int):
    """The patient asked for a copy of their record."""
    patient = get_object_or_404(records.exportable_patients(request.user), pk=pk)
    documents.patient_copy_request(patient=patient, actor=Actor.from_request(request))
    messages.success(request, "The copy is being prepared. Release it to the patient when ready.")
    return _back(request, patient)


def _status(request, queryset, pk: int):
    document = get_object_or_404(queryset.prefetch_related("links"), pk=pk)
    return render(request, "plans/_record_document.html", {"doc": document})


@staff(*LETTER_VIEW)
@require_GET
def letter_status(request, pk: int):
    """One letter's row; htmx polls it until the letter is ready or failed."""
    return _status(request, RecordDocument.objects.visible_to(request.user).letters(), pk)


@staff(*COPY_VIEW)
@require_GET
def patient_copy_status(request, pk: int):
    return _status(request, RecordDocument.objects.visible_to(request.user).copies(), pk)


def _download(request, queryset, pk: int):
    document = get_object_or_404(queryset.select_related("patient"), pk=pk)
    handle = verified_file(document)
    if handle is None:
        messages.error(
            request,
            "The file is not available: it is not ready, or the stored file no longer "
            "matches its checksum. Retry it.",
        )
        return _back(request, document.patient)
    audit(
        request,
        # A letter is made to leave the clinic: its download is audited as an export.
        AuditAction.EXPORTED if document.is_letter else AuditAction.DOWNLOADED,
        obj=document,
        patient=document.patient,
        detail=document.kind,
    )
    return private_file_response(
        handle, documents.download_name(document), CONTENT_TYPES[document.kind]
    )


@staff(*LETTER_VIEW)
@require_GET
def letter_download(request, pk: int):
    """A letter's file, audited as an export."""
    return _download(request, RecordDocument.objects.visible_to(request.user).letters(), pk)


@staff(*COPY_VIEW)
@require_GET
def patient_copy_download(request, pk: int):
    return _download(request, RecordDocument.objects.visible_to(request.user).copies(), pk)


def _retry(request, queryset, pk: int):
    document = get_object_or_404(queryset.select_related("patient"), pk=pk)
    if document.status == RenderStatus.FAILED:
        documents.record_document_retry(document=document, actor=Actor.from_request(request))
    return _back(request, document.patient)


@staff(*LETTER_CHANGE)
@require_POST
def letter_retry(request, pk: int):
    return _retry(request, RecordDocument.objects.visible_to(request.user).letters(), pk)


@staff(*COPY_CHANGE)
@require_POST
def patient_copy_retry(request, pk: int):
    return _retry(request, RecordDocument.objects.visible_to(request.user).copies(), pk)


@staff(*COPY_CHANGE)
@require_POST
def patient_copy_release(request, pk: int):
    """Release the copy: a private link for the patient, e-mailed and shown once to copy."""
    document = get_object_or_404(
        RecordDocument.objects.visible_to(request.user).copies().select_related("patient"), pk=pk
    )
    patient = document.patient
    actor = Actor.from_request(request)
    try:
        _link, url, queued = documents.patient_copy_release(
            document=document, base_url=request.build_absolute_uri("/"), actor=actor
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, patient)
    if queued:
        messages.success(request, "Released: the patient's private link is being e-mailed.")
    else:
        messages.warning(
            request, "Released. The patient has no e-mail address: copy the link for them."
        )
    show_once.keep(request, f"new-record-link-{patient.pk}", url)
    return _back(request, patient)


@staff(*COPY_CHANGE)
@require_POST
def record_link_revoke(request, pk: int):
    link = get_object_or_404(
        RecordCopyLink.objects.visible_to(request.user).select_related("document__patient"),
        pk=pk,
    )
    documents.record_link_revoke(link=link, actor=Actor.from_request(request))
    messages.success(request, "The link was revoked; it no longer opens the copy.")
    return _back(request, link.document.patient)
