"""Audit trail exports for clinic admins: a patient's "who saw my record", or one user's acts.

CSV is streamed row by row, so a long history never sits in memory. Cells that a spreadsheet
would run as a formula get a leading apostrophe (CSV injection), and file names carry ids only,
never a patient's name.
"""

import csv
from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from clinic.access import ROLE_NAMES, staff
from clinic.audit import audit
from clinic.models import AuditAction, AuditEvent
from clinic.spreadsheets import csv_cell
from intake.forms import PatientSearchForm
from intake.models import Patient

SEARCH_LIMIT = 50
COLUMNS = [
    "Time",
    "Who",
    "Current role",
    "Action",
    "What",
    "Patient ID",
    "Detail",
    "From (IP address)",
    "Browser",
]


class _Echo:
    """A file-like object whose write() hands the CSV line back to the generator."""

    def write(self, value: str) -> str:
        return value


def _roles(user) -> str:
    if user is None:
        return ""
    names = sorted(g.name for g in user.groups.all() if g.name in ROLE_NAMES)
    if user.is_superuser:
        names.append("superuser")
    return ", ".join(names)


def _event_rows(events) -> Iterator[list]:
    yield COLUMNS
    events = events.select_related("actor", "content_type").prefetch_related("actor__groups")
    for event in events.order_by("at", "id").iterator(chunk_size=500):
        what = f"{event.content_type.name} #{event.object_id}" if event.content_type else ""
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.actor.get_username() if event.actor else event.actor_label,
            _roles(event.actor),
            event.get_action_display(),
            what,
            event.patient_id,
            event.detail,
            event.ip_address,
            event.user_agent,
        ]


def _csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow([csv_cell(value) for value in row]) for row in rows)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@staff("clinic.export_audit")
def audit_export(request):
    """Choose a patient (searched by POST, so no patient detail enters a URL) or a user."""
    form = PatientSearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["q"].strip().lstrip("#")
        # Not visible_to(): clinic admins hold no patient permission, yet must find the
        # patient who asks who saw the record. The search itself is audited.
        matches = Patient.objects.search(query)
        if query.isascii() and query.isdigit() and len(query) < 10:
            matches = matches | Patient.objects.filter(pk=int(query))
        results = list(matches.order_by("legal_last_name", "id")[:SEARCH_LIMIT])
        audit(request, AuditAction.VIEWED, detail=f"audit export search, {len(results)} results")
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    return render(
        request,
        "clinic/audit_export.html",
        {"form": form, "results": results, "users": users, "search_limit": SEARCH_LIMIT},
    )


@staff("clinic.export_audit")
def audit_export_patient(request, pk: int):
    """Every audit event about one patient's record, as CSV."""
    patient = get_object_or_404(Patient, pk=pk)
    audit(request, AuditAction.EXPORTED, obj=patient, detail="audit trail CSV")
    rows = _event_rows(AuditEvent.objects.for_patient(patient))
    return _csv_response(rows, f"audit-patient-{patient.pk}-{_stamp()}.csv")


@staff("clinic.export_audit")
def audit_export_user(request, pk: int):
    """Everything one user did, as CSV."""
    user = get_object_or_404(get_user_model(), pk=pk)
    audit(request, AuditAction.EXPORTED, obj=user, detail="audit trail CSV")
    rows = _event_rows(AuditEvent.objects.for_actor(user))
    return _csv_response(rows, f"audit-user-{user.pk}-{_stamp()}.csv")
