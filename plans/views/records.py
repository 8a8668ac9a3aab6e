"""A record that leaves the clinic: a patient's FHIR export.

Every download is audited; file names carry ids and dates only, never a patient's name.
"""

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from pydantic import ValidationError

from clinic.access import staff
from clinic.audit import audit
from clinic.models import AuditAction
from plans import fhir, records

FHIR_CONTENT_TYPE = "application/fhir+json"
logger = logging.getLogger(__name__)


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff("intake.export_record")
def patient_fhir_export(request, pk: int):
    """The patient's whole record as a FHIR R4 Bundle (collection), validated, as a download."""
    patient = get_object_or_404(records.exportable_patients(request.user), pk=pk)
    bundle = fhir.record_bundle(
        records.patient_record(patient),
        base_url=request.build_absolute_uri("/"),
        now=timezone.now(),
    )
    try:
        content = fhir.bundle_json(bundle)
    except ValidationError as error:  # a bug of ours: invalid FHIR never leaves the clinic
        # Only where it failed: the error's input values would be patient data.
        places = [".".join(map(str, e["loc"])) for e in error.errors()[:5]]
        logger.error("FHIR export of patient %s failed validation at %s", patient.pk, places)
        messages.error(request, "The record could not be exported; the error has been logged.")
        return redirect("clinic:dashboard")
    audit(request, AuditAction.EXPORTED, obj=patient, detail="fhir")
    return _download(content, FHIR_CONTENT_TYPE, f"patient-{patient.pk}-fhir.json")
