"""The clinic admin's statistics CSVs: call conversions, active patients, outcome changes.

Every download is audited; file names carry the report and the date only, never a name.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from clinic.access import staff
from clinic.audit import audit
from clinic.models import AuditAction
from clinic.spreadsheets import csv_rows
from intake import clinic_statistics, statistics_facts

STATISTICS = {
    "calls": (
        "Discovery-call conversions per month and source",
        clinic_statistics.CONVERSION_HEADER,
        lambda: clinic_statistics.call_conversions(statistics_facts.call_facts()),
    ),
    "active-patients": (
        "Active patients (no names)",
        clinic_statistics.ACTIVE_HEADER,
        lambda: clinic_statistics.active_patients(statistics_facts.active_patient_facts()),
    ),
    "outcomes": (
        "Outcome change per condition",
        clinic_statistics.OUTCOME_HEADER,
        lambda: clinic_statistics.outcome_changes(statistics_facts.outcome_facts()),
    ),
}


@staff("intake.export_statistics")
def clinic_statistics_page(request):
    """The clinic admin's page of statistics downloads."""
    reports = [(key, title) for key, (title, _header, _rows) in STATISTICS.items()]
    return render(request, "intake/clinic_statistics.html", {"reports": reports})


@staff("intake.export_statistics")
def clinic_statistics_csv(request, report: str):
    """One statistics report as CSV; cells that a spreadsheet would run are neutralised."""
    if report not in STATISTICS:
        raise Http404
    _title, header, rows = STATISTICS[report]
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows([header, *rows()]))
    audit(request, AuditAction.EXPORTED, detail=f"statistics {report}")
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clinic-{report}-{stamp}.csv"'
    return response
