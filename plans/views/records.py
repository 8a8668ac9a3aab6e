"""Records that leave the clinic: a patient's FHIR export, and the clinic admin's statistics CSVs.

Every download is audited; file names carry ids and dates only, never a patient's name.
"""

import csv
import io
import logging

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from pydantic import ValidationError

from clinic.access import staff
from clinic.audit import audit
from clinic.models import AuditAction
from plans import fhir, records, statistics

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


# ------------------------------------------------------------------ clinic statistics

STATISTICS = {
    "calls": (
        "Discovery-call conversions per month and source",
        statistics.CONVERSION_HEADER,
        lambda: statistics.call_conversions(records.call_facts()),
    ),
    "active-patients": (
        "Active patients (no names)",
        statistics.ACTIVE_HEADER,
        lambda: statistics.active_patients(records.active_patient_facts()),
    ),
    "outcomes": (
        "Outcome change per condition",
        statistics.OUTCOME_HEADER,
        lambda: statistics.outcome_changes(records.outcome_facts()),
    ),
}


@staff("intake.export_statistics")
def clinic_statistics(request):
    """The clinic admin's page of statistics downloads."""
    reports = [(key, title) for key, (title, _header, _rows) in STATISTICS.items()]
    return render(request, "plans/clinic_statistics.html", {"reports": reports})


@staff("intake.export_statistics")
def clinic_statistics_csv(request, report: str):
    """One statistics report as CSV; cells that a spreadsheet would run are neutralised."""
    if report not in STATISTICS:
        raise Http404
    _title, header, rows = STATISTICS[report]
    out = io.StringIO()
    csv.writer(out).writerows(statistics.safe_rows([header, *rows()]))
    audit(request, AuditAction.EXPORTED, detail=f"statistics {report}")
    stamp = timezone.localdate().isoformat()
    return _download(out.getvalue(), "text/csv", f"clinic-{report}-{stamp}.csv")
