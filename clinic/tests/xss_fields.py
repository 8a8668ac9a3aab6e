"""The XSS tests' table: every model text field users type, the pages that must show it
escaped, the fields no user types, and the canary text each field receives (not a test
module)."""

import re

import markupsafe
from django.apps import apps
from django.utils.html import escape

CANARIES = {
    "script": "<script>alert(1)</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "style": "</style><script>x</script>",
    "url": "javascript:alert(1)//",  # no model has a URL field: it must never become a link
}
NEVER_RAW = ("<script>alert(1)", "<img src=x onerror", "<script>x</script>")
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)

# Every field users type, and the pages (names from `Scenario`) that must show it, escaped.
CHART = {"desk_chart", "clin_chart", "desk_edit"}
NAME_PAGES = {
    *CHART,
    "desk_list",
    "desk_search",
    "intake_review",
    "evaluation_edit",
    "evaluation_detail",
    "plan_edit",
    "plan_preview",
    "version_detail",
    "patient_plan",
    "clin_dashboard",
    "admin_audit_list",
}
PLAN_PAGES = {"plan_edit", "plan_preview", "version_detail", "patient_plan"}
EVALUATION_PAGES = {"evaluation_edit", "evaluation_detail"}
SHOWN_ON = {
    "intake.Patient.legal_first_name": {*CHART, "desk_list", "desk_search"},
    "intake.Patient.legal_last_name": NAME_PAGES,
    "intake.Patient.preferred_name": NAME_PAGES | {"q_start", "outcome_link", "coach_page"},
    "intake.Patient.email": {"desk_chart", "desk_edit"},
    "intake.Patient.emergency_contact_name": CHART,
    "intake.Patient.emergency_contact_relationship": CHART,
    "intake.Patient.referral_detail": CHART,
    "intake.RunnerProfile.shoe_model": {"q_profile", "intake_review"},
    "intake.RunnerProfile.recent_changes_detail": {"q_profile", "intake_review"},
    "intake.RunnerProfile.goal_race_name": {"q_profile", "intake_review"},
    "intake.RunnerProfile.other_sports": {"q_profile", "intake_review"},
    "intake.Complaint.mechanism": {"q_complaint_draft", "intake_review"},
    "intake.Complaint.aggravating": {"q_complaint_draft", "intake_review"},
    "intake.Complaint.easing": {"q_complaint_draft", "intake_review"},
    "intake.Complaint.patient_goals": {"q_complaint_draft", "intake_review"},
    "intake.PriorInjury.diagnosis": {"q_history", "intake_review"},
    "intake.RedFlagAlert.reason": {"clin_chart"},
    "intake.Evaluation.subjective": EVALUATION_PAGES,
    "intake.Evaluation.objective_notes": EVALUATION_PAGES,
    "intake.Evaluation.assessment": EVALUATION_PAGES,
    "intake.Evaluation.plan_notes": EVALUATION_PAGES,
    "intake.GaitAnalysis.footwear": EVALUATION_PAGES,
    "intake.GaitAnalysis.notes": EVALUATION_PAGES,
    "intake.GaitMedia.caption": EVALUATION_PAGES,
    "intake.Goal.text": EVALUATION_PAGES | (PLAN_PAGES - {"plan_edit"}) | {"reevaluation_edit"},
    "intake.Addendum.text": {"evaluation_detail"},
    "intake.EmergencyAccess.reason": {"admin_emergency_list"},
    "intake.EmergencyAccess.review_note": {"admin_emergency_list"},
    "intake.DiscoveryCall.name": {"desk_calendar", "desk_call", "desk_dashboard", "clin_calendar"},
    "intake.DiscoveryCall.email": {"desk_call", "desk_convert"},
    "intake.DiscoveryCall.how_long": {"desk_call"},
    "intake.DiscoveryCall.goal_race": {"desk_call"},
    "intake.DiscoveryCall.story": {"desk_call"},
    "intake.DiscoveryCall.notes": {"desk_call"},
    "intake.BlackoutDate.note": {"admin_blackout_list", "admin_blackout_change"},
    "intake.WorkingHours.location": {"admin_schedule_change"},
    "intake.VisitType.name": {"admin_visit_type_list", "admin_visit_type_change"},
    "intake.TreatmentNote.subjective": {"note_edit", "note_record"},
    "intake.TreatmentNote.objective": {"note_edit", "note_record"},
    "intake.TreatmentNote.assessment": {"note_edit", "note_record"},
    "intake.TreatmentNote.plan_next": {"note_edit", "note_record"},
    "intake.GoalProgress.comment": {"note_edit", "note_record"},
    "intake.NoteAddendum.text": {"note_record"},
    "intake.VisitAuthorization.payer": {"desk_chart"},
    "intake.VisitAuthorization.reference": {"desk_chart"},
    "intake.Payment.reference": {"desk_billing"},
    "intake.ChargeLine.reason": {"desk_billing"},
    "intake.InterventionType.name": {"admin_intervention_list", "admin_intervention_change"},
    "plans.Plan.notes": PLAN_PAGES,
    "plans.PlanItem.notes": PLAN_PAGES,
    "plans.PlanItem.dosage_notes": PLAN_PAGES | {"coach_page"},
    "plans.PlanItem.load_value": PLAN_PAGES | {"coach_page"},
    "plans.PlanItem.override_reason": {"plan_edit"},
    "plans.Exercise.name": PLAN_PAGES
    | {"admin_exercise_change", "admin_exercise_list", "coach_page"},
    "plans.Exercise.instructions": (PLAN_PAGES - {"plan_edit"}) | {"admin_exercise_change"},
    "plans.Exercise.kind": {"admin_exercise_change", "admin_exercise_list"},
    "plans.Exercise.dosage_notes": {"admin_exercise_change"},
    "plans.Exercise.load_value": {"admin_exercise_change"},
    "plans.Exercise.tempo": {"admin_other_exercise_change"},
    "plans.PlanRuleRow.reason": PLAN_PAGES | {"admin_rule_change"},
    "plans.PlanRuleRow.source": {"admin_rule_change", "admin_rule_list"},
    "plans.CoachLink.coach_name": {"plan_edit", "coach_page"},
    "plans.ProgressionDecision.note": {"plan_edit_runs"},
    "plans.AlertAck.note": {"between_visits"},
    "clinic.AuditEvent.actor_label": {"login_failed", "admin_audit_list", "admin_audit_login"},
    "clinic.AuditEvent.user_agent": {"admin_audit_login"},
    "clinic.AuditEvent.detail": {"admin_audit_denied"},
    # Billing details the clinic admin types (a superbill will show them too).
    "intake.PracticeBilling.name": {"admin_practice_list", "admin_practice_change"},
    "intake.PracticeBilling.address_line1": {"admin_practice_change"},
    "intake.PracticeBilling.address_line2": {"admin_practice_change"},
    "intake.PracticeBilling.city": {"admin_practice_list", "admin_practice_change"},
    "intake.ClinicianBilling.credentials": {"admin_provider_list", "admin_provider_change"},
    # Staff names are typed by the clinic admin and shown to colleagues and patients.
    "auth.User.last_name": {
        "evaluation_detail",
        "patient_plan",
        "desk_calendar",
        "admin_staff_change",
    },
}
MARKERS = {field: f"Q{index:02d}" for index, field in enumerate(SHOWN_ON)}

# Text fields no user types (or only through a validator that cannot let markup through).
# Fields with choices are left out automatically: forms accept only the listed values.
NOT_USER_TEXT = {
    "intake.PracticeBilling.state": "validator: two capital letters",
    "intake.PracticeBilling.postal_code": "validator: a ZIP code's digits",
    "intake.PracticeBilling.phone": "PhoneNumberField: only a parsed, valid number is stored",
    "intake.PracticeBilling.tax_id": "validator: an EIN's digits and a dash",
    "intake.PracticeBilling.group_npi": "validator: an NPI's 10 digits",
    "intake.ClinicianBilling.npi": "validator: an NPI's 10 digits",
    "intake.Fee.cpt_code": "validator: five digits",
    "intake.ChargeLine.cpt_code": "copied by the charge service from the catalogue's code",
    "intake.ChargeLine.modifiers": "set by the charge service (GP)",
    "intake.ChargeLine.description": "built from the catalogue's names, covered there",
    "intake.TreatmentNote.editor_tab": "the page's random id, compared on save, never shown",
    "intake.Patient.phone": "PhoneNumberField: only a parsed, valid number is stored",
    "intake.Patient.emergency_contact_phone": "PhoneNumberField: a parsed, valid number",
    "intake.Intake.privacy_notice_version": "constant version written by intake_submit",
    "intake.Intake.treatment_consent_version": "constant version written by intake_submit",
    "intake.IntakeLink.token_hash": "SHA-256 hex digest",
    "intake.CallManageLink.token_hash": "SHA-256 hex digest",
    "intake.CallManageLink.nonce": "random URL-safe value, made by the server",
    "intake.IntakeLink.nonce": "random URL-safe value, made by the server",
    "intake.OutcomeLink.nonce": "random URL-safe value, made by the server",
    "plans.CoachLink.nonce": "random URL-safe value, made by the server",
    "plans.PatientPlanLink.nonce": "random URL-safe value, made by the server",
    "plans.RecordCopyLink.nonce": "random URL-safe value, made by the server",
    "intake.OutcomeLink.token_hash": "SHA-256 hex digest",
    "plans.PatientPlanLink.token_hash": "SHA-256 hex digest",
    "plans.RecordCopyLink.token_hash": "SHA-256 hex digest",
    "plans.CoachLink.token_hash": "SHA-256 hex digest",
    "intake.Measurement.key": "a key of intake.measurements, written by the server",
    "intake.Measurement.left": "parsed by measurements.parse_value: a number or a grade",
    "intake.Measurement.right": "parsed by measurements.parse_value: a number or a grade",
    "intake.SpecialTest.key": "a key of measurements.ALL_SPECIAL_TESTS",
    "intake.GaitMedia.content_type": "sniffed from the file's first bytes (intake.uploads)",
    "intake.OutcomeResponse.measure": "a measure code of intake.scoring",
    "intake.Diagnosis.code": "checked against the ICD-10-CM list",
    "intake.Diagnosis.description": "copied from the ICD-10-CM list, never typed",
    "intake.DiscoveryCall.phone": "normalised to E.164 by the booking form",
    "intake.RedFlagAlert.kind": "from intake.redflags",
    "intake.RedFlagAlert.key": "from intake.redflags",
    "intake.RedFlagAlert.label": "from intake.redflags",
    "intake.RedFlagAlert.severity": "from intake.redflags",
    "intake.RedFlagAlert.detail": "from intake.redflags",
    "plans.Exercise.key": "SlugField: letters, digits, - and _",
    "plans.PlanRuleRow.key": "SlugField: letters, digits, - and _",
    "plans.PlanRuleRow.exercise_key": "SlugField, checked against the library",
    "plans.PlanRuleRow.lsi_area": "checked by PlanRuleForm against rules.LSI_AREAS",
    "plans.PlanItem.tempo": "checked as digits-digits-digits (PlanItemForm.clean_tempo)",
    "plans.Plan.blocked_reason": "no code path writes or shows it",
    "plans.RenderJob.error": "exception text from plans.rendering, shown autoescaped",
    "plans.RenderJob.content_hash": "SHA-256 hex digest",
    "plans.RenderJob.checksum": "SHA-256 hex digest",
    "plans.RecordDocument.error": "exception text from plans.rendering, shown autoescaped",
    "plans.RecordDocument.checksum": "SHA-256 hex digest",
    "clinic.AuditEvent.object_id": "a primary key",
    "clinic.AuditEvent.chain_hash": "SHA-256 hex digest",
    "clinic.WorkerHeartbeat.worker": "the Celery worker's host name",
    "clinic.ClinicSession.session_key": "Django's random session key, never shown",
    "clinic.ClinicSession.session_data": "Django's signed session data, never shown",
    "plans.ProgressionDecision.reason": "plain words from plans.return_to_run, never typed",
    "plans.AlertAck.key": "an open alert's key from plans.alerts (the view checks it)",
    "plans.RunFile.checksum": "SHA-256 hex digest",
    "plans.RunFile.source": "fit, gpx or tcx: told by plans.run_files from the file's content",
    "intake.VisitType.key": "a slug (letters, digits, hyphens), validated by SlugField",
    "intake.InterventionType.key": "a slug (letters, digits, hyphens), validated by SlugField",
    "intake.InterventionType.cpt_code": "five digits or blank, validated",
    "plans.RunFile.cadence_read_as": "per_leg or steps: told by plans.run_files from the values",
}

PROFILE_TEXT = ("shoe_model", "recent_changes_detail", "goal_race_name", "other_sports")
COMPLAINT_TEXT = ("mechanism", "aggravating", "easing", "patient_goals")
EVALUATION_TEXT = ("subjective", "objective_notes", "assessment", "plan_notes")
CALL_TEXT = ("name", "email", "how_long", "goal_race", "story")


def max_length(field: str) -> int | None:
    app_label, model, name = field.split(".")
    return apps.get_model(app_label, model)._meta.get_field(name).max_length


def payload(field: str, canary: str) -> str:
    """The canary behind the field's marker, cut to the field's length.

    An e-mail address can carry markup only as a quoted local part (RFC 5321, which
    Django's validator accepts); a URL path segment cannot hold a slash.
    """
    text = MARKERS[field] + canary
    if field.endswith(".email"):
        return '"' + text.replace('"', "").replace(" ", "/") + '"@example.com'
    if field == "clinic.AuditEvent.detail":
        text = text.replace("/", "")
    return text[: max_length(field) or len(text)]


def page_problems(name: str, html: str, canary: str, expected: set[str]) -> list[str]:
    problems = [f"{name}: {raw!r} is not escaped" for raw in NEVER_RAW if raw in html]
    if JS_URL.search(html):
        problems.append(f"{name}: a javascript: URL in a link or form")
    for field in SHOWN_ON:
        text = payload(field, canary)
        if escape(text) != text and text in html:
            problems.append(f"{name}: {field} is not escaped")
    for field in sorted(expected):
        text = payload(field, canary)
        # Pages escape with Django, form widgets with Jinja2 (clinic/form_renderer.py):
        # ' becomes &#x27; or &#39;, " becomes &quot; or &#34;. Either is escaped.
        if escape(text) not in html and str(markupsafe.escape(text)) not in html:
            problems.append(f"{name}: {field} is not shown")
    return problems
