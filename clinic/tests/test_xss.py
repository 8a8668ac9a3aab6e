"""Escaping everywhere (issue #8): text users type is shown as text, never run as markup.

XSS canaries go into every free-text field through the app's own forms and services, then
every page that shows the field is fetched as the role that sees it. A page passes when no
canary appears raw and each field's escaped form does appear (so a page that stops showing
the data fails too). The PDF, the plain-text mails and the .ics invite must carry the
canary literally, as text. A model text field that is neither covered here nor declared
not typed by a user fails the last test, so a new field cannot slip through.
"""

import datetime
import re
import zoneinfo
from urllib.parse import quote

import icalendar
import markupsafe
import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.access import Role
from clinic.models import AuditEvent
from clinic.tests import tools
from intake import diagnoses
from intake.models import (
    BlackoutDate,
    CallAvailability,
    CallHours,
    Diagnosis,
    DiscoveryCall,
    EmergencyAccess,
    Evaluation,
    Goal,
    Intake,
    RedFlagAlert,
)
from intake.services import discovery_calls as calls
from intake.tests.test_self_intake import COMPLAINT, HISTORY, NO_FLAGS, PROFILE
from plans import services
from plans.models import Exercise, Plan, PlanRuleRow, RenderJob, RunLog
from plans.services import alerts, logs, rendering

from .factories import PatientFactory, UserFactory

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}

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
    "intake.Patient.phone": "PhoneNumberField: only a parsed, valid number is stored",
    "intake.Patient.emergency_contact_phone": "PhoneNumberField: a parsed, valid number",
    "intake.Intake.privacy_notice_version": "constant version written by intake_submit",
    "intake.Intake.treatment_consent_version": "constant version written by intake_submit",
    "intake.IntakeLink.token_hash": "SHA-256 hex digest",
    "intake.CallManageLink.token_hash": "SHA-256 hex digest",
    "intake.CallManageLink.nonce": "random URL-safe value, made by the server",
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
}

PROFILE_TEXT = ("shoe_model", "recent_changes_detail", "goal_race_name", "other_sports")
COMPLAINT_TEXT = ("mechanism", "aggravating", "easing", "patient_goals")
EVALUATION_TEXT = ("subjective", "objective_notes", "assessment", "plan_notes")
CALL_TEXT = ("name", "email", "how_long", "goal_race", "story")

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)  # a Tuesday, before the first call
BIRTH_DATE = "1990-05-17"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


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


def request_for(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


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


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def library(canary: str) -> tuple[Exercise, Exercise]:
    """An exercise and its rule, and a contraindicated exercise, as a clinic admin adds them."""
    p = lambda field: payload(field, canary)  # noqa: E731
    exercise = Exercise.objects.create(
        key="xss-custom",
        name=p("plans.Exercise.name"),
        instructions=p("plans.Exercise.instructions"),
        kind=p("plans.Exercise.kind"),
        region="knee",
        phase="strengthen",
        reps=None,
        side="both",  # "each" would lower-case the note's first letter in the sentence
        load="band",
        load_value=p("plans.Exercise.load_value"),
        dosage_notes=p("plans.Exercise.dosage_notes"),
    )
    PlanRuleRow.objects.create(
        key="xss-rule",
        exercise_key=exercise.key,
        phases=["strengthen"],
        priority=1,
        reason=p("plans.PlanRuleRow.reason"),
        source=p("plans.PlanRuleRow.source"),
    )
    patellofemoral = next(c.key for c in diagnoses.CURATED if c.codes[0].code == "M22.2X1")
    contraindicated = Exercise.objects.create(
        key="xss-contraindicated",
        name="Deep squat drill",
        instructions="Squat deep.",
        kind="strength",
        region="knee",
        phase="strengthen",
        reps=10,
        contraindicated_conditions=[patellofemoral],
    )
    return exercise, contraindicated


@pytest.fixture
def team(db, settings, tmp_path):
    # Uploads and PDFs go to a temporary folder: STORAGES pins the folder, not MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.TWO_FACTOR_REQUIRED = False
    return {
        "desk": UserFactory(username="x-desk", role=Role.FRONT_DESK),
        "admin": UserFactory(username="x-admin", role=Role.CLINIC_ADMIN, is_staff=True),
        "other": UserFactory(username="x-other", role=Role.CLINICIAN),
    }


def path_of(url: str) -> str:
    return url.split("testserver", 1)[1]


class Scenario:
    """Each role fills its fields with the canary through the app; `pages` keeps what it saw.

    The steps run in the order of the clinic's day: front desk, patient, clinician, patient
    links, prospect and front desk, emergency access, audit trail, clinic admin.
    """

    def __init__(self, canary: str, team: dict):
        self.canary = canary
        self.pages: dict[str, str] = {}
        self.clinician = UserFactory(
            username="x-clinician",
            first_name="Maya",
            last_name=self.p("auth.User.last_name"),
            role=Role.CLINICIAN,
        )
        self.desk, self.admin = client_for(team["desk"]), client_for(team["admin"])
        self.doctor, self.outsider = client_for(self.clinician), client_for(team["other"])
        self.exercise, self.contraindicated = library(canary)

    def p(self, field: str) -> str:
        return payload(field, self.canary)

    def get(self, name: str, client: Client, url: str, **params) -> None:
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        self.pages[name] = response.content.decode()

    def run(self) -> "Scenario":
        for step in (
            self.patient_record,
            self.questionnaire,
            self.evaluation,
            self.plan,
            self.patient_links,
            self.run_progression,
            self.discovery_call,
            self.front_desk_pages,
            self.emergency_access,
            self.audit_trail_inputs,
            self.admin_pages,
        ):
            step()
        return self

    def patient_record(self) -> None:
        p = self.p
        response = self.desk.post(
            reverse("intake:patient_create"),
            {
                "legal_first_name": p("intake.Patient.legal_first_name"),
                "legal_last_name": p("intake.Patient.legal_last_name"),
                "preferred_name": p("intake.Patient.preferred_name"),
                "date_of_birth": BIRTH_DATE,
                "sex": "female",
                "email": p("intake.Patient.email"),
                "phone": "+14155550134",
                "emergency_contact_name": p("intake.Patient.emergency_contact_name"),
                "emergency_contact_relationship": p(
                    "intake.Patient.emergency_contact_relationship"
                ),
                "emergency_contact_phone": "+14155550135",
                "referral_source": "coach",
                "referral_detail": p("intake.Patient.referral_detail"),
                "primary_clinician": self.clinician.pk,
                "status": "prospect",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        self.patient = self.clinician.primary_patients.get()
        send_link = reverse("intake:patient_send_link", args=[self.patient.pk])
        self.desk.post(send_link, {"send_mail": "on"})
        self.questionnaire_path = path_of(self.desk.session[f"new-link-{self.patient.pk}"])

    def questionnaire(self) -> None:
        """The patient fills it in; one step is first sent incomplete (kept as typed)."""
        p, path, runner = self.p, self.questionnaire_path, Client()
        self.get("q_start", runner, path)
        profile = {**PROFILE, **{f: p(f"intake.RunnerProfile.{f}") for f in PROFILE_TEXT}}
        complaint = {**COMPLAINT, **{f: p(f"intake.Complaint.{f}") for f in COMPLAINT_TEXT}}
        history = {**HISTORY, "injuries-0-diagnosis": p("intake.PriorInjury.diagnosis")}
        screen = {**NO_FLAGS, "night_rest_pain": "yes", "cancer_history": "yes"}
        assert runner.post(f"{path}profile/", profile).status_code == 302
        incomplete = {k: v for k, v in complaint.items() if k != "pain_now"}
        assert runner.post(f"{path}complaint/", incomplete).status_code == 200
        self.get("q_complaint_draft", runner, f"{path}complaint/")
        for step, data in (("complaint", complaint), ("history", history), ("screen", screen)):
            assert runner.post(f"{path}{step}/", data).status_code == 302, step
        self.get("q_profile", runner, f"{path}profile/")
        self.get("q_history", runner, f"{path}history/")
        runner.post(f"{path}consent/", {"privacy": "on", "treatment": "on"})

    def evaluation(self) -> None:
        """Review, one red flag decided, an evaluation saved, signed, with an addendum."""
        p, doctor, patient = self.p, self.doctor, self.patient
        intake = Intake.objects.get(patient=patient, submitted_at__isnull=False)
        self.get("intake_review", doctor, reverse("intake:intake_review", args=[intake.pk]))
        doctor.post(reverse("intake:intake_accept", args=[intake.pk]))
        alert = RedFlagAlert.objects.filter(patient=patient).first()
        doctor.post(
            reverse("intake:redflag_resolve", args=[alert.pk]),
            {"decision": "treat", "reason": p("intake.RedFlagAlert.reason")},
        )
        assert RedFlagAlert.objects.get(pk=alert.pk).resolved_at is not None
        doctor.post(reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "initial"})
        self.signed = evaluation = Evaluation.objects.get(patient=patient)
        response = doctor.post(
            reverse("intake:evaluation_edit", args=[evaluation.pk]), self.evaluation_page()
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        response = doctor.post(
            reverse("intake:gait_media_upload", args=[evaluation.pk]),
            {
                **self.evaluation_page(),  # the editor sends its whole form with the file
                "media-file": SimpleUploadedFile("x.png", PNG, "image/png"),
                "media-caption": p("intake.GaitMedia.caption"),
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        self.get("evaluation_edit", doctor, reverse("intake:evaluation_edit", args=[evaluation.pk]))
        doctor.post(reverse("intake:evaluation_sign", args=[evaluation.pk]), CONFIRM)
        doctor.post(
            reverse("intake:addendum_create", args=[evaluation.pk]),
            {"text": p("intake.Addendum.text")},
        )
        detail = reverse("intake:evaluation_detail", args=[evaluation.pk])
        self.get("evaluation_detail", doctor, detail)
        doctor.post(
            reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "re_evaluation"}
        )
        later = Evaluation.objects.get(patient=patient, kind="re_evaluation")  # reviews the goal
        self.get("reevaluation_edit", doctor, reverse("intake:evaluation_edit", args=[later.pk]))

    def evaluation_page(self) -> dict:
        p = self.p
        return {
            "kind": "initial",
            "date": timezone.localdate().isoformat(),
            "involved_side": "left",
            **{f: p(f"intake.Evaluation.{f}") for f in EVALUATION_TEXT},
            "force_unit": "kg",
            "gait-setting": "treadmill",
            "gait-footwear": p("intake.GaitAnalysis.footwear"),
            "gait-notes": p("intake.GaitAnalysis.notes"),
            **formset("dx", 8, {"code": "M22.2X2", "primary": "on"}),
            **formset("goals", 10, {"term": "short", "text": p("intake.Goal.text")}),
        }

    def plan(self) -> None:
        """The rule's exercise edited in the editor, a contraindicated one added with a
        reason, a note for the patient; then issued."""
        p, doctor = self.p, self.doctor
        doctor.post(reverse("plans:plan_create", args=[self.signed.pk]), {"phase": "strengthen"})
        plan = Plan.objects.get(evaluation=self.signed)
        self.item = item = plan.items.get(exercise=self.exercise)
        fields = {
            **{"sets": "1", "load": "band", "sessions_per_day": "1", "days_per_week": "3"},
            "side": "both",
            **{f: p(f"plans.PlanItem.{f}") for f in ("load_value", "dosage_notes", "notes")},
        }
        doctor.post(
            reverse("plans:plan_item_update", args=[item.pk]),
            {f"item-{item.pk}-{name}": value for name, value in fields.items()},
        )
        item.refresh_from_db()
        assert item.notes == p("plans.PlanItem.notes")
        add, reason = (
            reverse("plans:plan_item_add", args=[plan.pk]),
            "plans.PlanItem.override_reason",
        )
        doctor.post(add, {"exercise": self.contraindicated.pk})
        doctor.post(add, {"exercise": self.contraindicated.pk, "override_reason": p(reason)})
        assert plan.items.filter(exercise=self.contraindicated).exists()
        doctor.post(
            reverse("plans:plan_settings", args=[plan.pk]),
            {"notes": p("plans.Plan.notes"), "run_stage": "1"},
        )
        self.get("plan_preview", doctor, reverse("plans:plan_preview", args=[plan.pk]))
        doctor.post(reverse("plans:plan_issue", args=[plan.pk]), CONFIRM)
        version = plan.versions.get()
        self.get("version_detail", doctor, reverse("plans:version_detail", args=[version.pk]))
        doctor.post(reverse("plans:plan_link_send", args=[plan.pk]))
        self.plan_path = path_of(doctor.session[f"new-plan-link-{plan.pk}"])
        coach_link = {"consent": "on", "coach_name": p("plans.CoachLink.coach_name")}
        doctor.post(reverse("plans:coach_link_create", args=[plan.pk]), coach_link)
        self.coach_path = path_of(doctor.session[f"new-coach-link-{plan.pk}"])
        self.get("plan_edit", doctor, reverse("plans:plan_edit", args=[plan.pk]))

    def patient_links(self) -> None:
        """Outcome measures asked for; the patient opens them and the plan (birth date)."""
        patient, home = self.patient, Client()
        self.doctor.post(
            reverse("intake:outcome_request_create", args=[patient.pk]),
            {"outcome-measures": ["NPRS"]},
        )
        outcome_path = path_of(self.doctor.session[f"new-outcome-link-{patient.pk}"])
        self.get("clin_chart", self.doctor, patient.get_absolute_url())
        self.get("clin_dashboard", self.doctor, reverse("clinic:dashboard"))
        response = home.post(self.plan_path, {"date_of_birth": BIRTH_DATE})
        assert response.status_code == 200
        self.pages["patient_plan"] = response.content.decode()
        self.get("outcome_link", home, outcome_path)
        self.get("coach_page", Client(), self.coach_path)  # the coach's read-only link

    def run_progression(self) -> None:
        """A run logged at stage 1; the clinician overrides the rule's proposal with a note."""
        p, doctor = self.p, self.doctor
        plan = Plan.objects.get(evaluation=self.signed)
        settings_url = reverse("plans:plan_settings", args=[plan.pk])
        doctor.post(
            settings_url, {"notes": p("plans.Plan.notes"), "return_to_run": "on", "run_stage": "1"}
        )
        plan.refresh_from_db()
        RunLog.objects.create(
            patient=plan.patient,
            plan=plan,
            version=plan.versions.get(),
            stage=1,
            day=timezone.localdate() - datetime.timedelta(days=1),
            as_prescribed=True,
            pain_during=7,  # stop: decided without the next morning
        )
        decision = logs.run_decision_refresh(plan=plan)
        doctor.post(
            reverse("plans:run_decision", args=[plan.pk]),
            {
                "decision": decision.pk,
                "choice": "override",
                "stage": "1",
                "note": p("plans.ProgressionDecision.note"),
            },
        )
        self.get("plan_edit_runs", doctor, reverse("plans:plan_edit", args=[plan.pk]))
        # The run above the pain rule alerts; the clinician acknowledges it with a note.
        (alert,) = [a for a in alerts.patient_alerts(plan.patient) if a.kind == "pain_above_rule"]
        doctor.post(
            reverse("plans:alert_ack", args=[plan.patient.pk]),
            {"kind": alert.kind, "key": alert.key, "note": p("plans.AlertAck.note")},
        )
        between = reverse("plans:between_visits", args=[plan.patient.pk])
        self.get("between_visits", doctor, between)

    def discovery_call(self) -> None:
        """A prospect books online today; the front desk records notes; the mail goes out."""
        p, desk = self.p, self.desk
        availability = CallAvailability.objects.create(clinician=self.clinician)
        for weekday in range(5):
            CallHours.objects.create(
                availability=availability,
                weekday=weekday,
                start=datetime.time(8),
                end=datetime.time(12),
            )
        start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LA)
        response = Client().post(
            reverse("intake:book"),
            {
                "slot": f"{self.clinician.pk}-{int(start.timestamp())}",
                **{f: p(f"intake.DiscoveryCall.{f}") for f in CALL_TEXT},
                **{"phone": "(415) 555-0199", "call_type": "phone", "area": "knee"},
                **{"heard_from": "web", "consent": "on"},
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        self.call = call = DiscoveryCall.objects.get()
        desk.post(
            reverse("intake:call_detail", args=[call.pk]),
            {"outcome": "follow_up", "notes": p("intake.DiscoveryCall.notes")},
        )
        calls.call_mail_send(call.pk, "confirmed")  # the task's work, without a worker
        calendar = reverse("intake:call_calendar")
        self.get("desk_calendar", desk, calendar, day="2026-12-01")
        self.get("clin_calendar", self.doctor, calendar, day="2026-12-01")
        self.get("desk_call", desk, reverse("intake:call_detail", args=[call.pk]))
        self.get("desk_convert", desk, reverse("intake:call_convert", args=[call.pk]))
        self.get("desk_dashboard", desk, reverse("clinic:dashboard"))

    def front_desk_pages(self) -> None:
        desk, patient = self.desk, self.patient
        self.get("desk_list", desk, reverse("intake:patient_list"))
        search = {"q": self.p("intake.Patient.legal_last_name")}
        self.pages["desk_search"] = desk.post(
            reverse("intake:patient_list"), search
        ).content.decode()
        self.get("desk_chart", desk, patient.get_absolute_url())
        self.get("desk_edit", desk, reverse("intake:patient_edit", args=[patient.pk]))

    def emergency_access(self) -> None:
        """A clinician outside the care team opens the record; the clinic admin reviews it."""
        self.outsider.post(
            reverse("intake:emergency_access", args=[self.patient.pk]),
            {"reason": self.p("intake.EmergencyAccess.reason")},
        )
        grant = EmergencyAccess.objects.get()
        self.admin.post(
            reverse("intake:emergency_review", args=[grant.pk]),
            {"note": self.p("intake.EmergencyAccess.review_note")},
        )
        self.get("admin_emergency_list", self.admin, reverse("intake:emergency_review_list"))

    def audit_trail_inputs(self) -> None:
        """What reaches the audit trail from outside: a user name, a header, a URL segment."""
        p = self.p
        response = Client().post(
            reverse("login"),
            {"username": p("clinic.AuditEvent.actor_label"), "password": "wrong"},
            HTTP_USER_AGENT=p("clinic.AuditEvent.user_agent"),
        )
        self.pages["login_failed"] = response.content.decode()
        self.failed_login = AuditEvent.objects.get(actor_label=p("clinic.AuditEvent.actor_label"))
        direction = quote(p("clinic.AuditEvent.detail"), safe="")
        self.doctor.post(f"/plan-items/{self.item.pk}/move/{direction}/")  # 404, audited
        self.denied = AuditEvent.objects.get(detail__contains=p("clinic.AuditEvent.detail"))

    def admin_pages(self) -> None:
        blackout = BlackoutDate.objects.create(
            date=datetime.date(2027, 6, 1), note=self.p("intake.BlackoutDate.note")
        )
        other_exercise = Exercise.objects.create(
            key="xss-admin-only",
            name="Admin only",
            instructions="Not in any plan.",
            kind="strength",
            region="knee",
            phase="strengthen",
            tempo=self.p("plans.Exercise.tempo"),
            active=False,
        )
        rule = PlanRuleRow.objects.get(key="xss-rule")
        for name, url_name, pk in (
            ("admin_audit_list", "clinic_auditevent_changelist", None),
            ("admin_audit_login", "clinic_auditevent_change", self.failed_login.pk),
            ("admin_audit_denied", "clinic_auditevent_change", self.denied.pk),
            ("admin_exercise_list", "plans_exercise_changelist", None),
            ("admin_exercise_change", "plans_exercise_change", self.exercise.pk),
            ("admin_other_exercise_change", "plans_exercise_change", other_exercise.pk),
            ("admin_rule_list", "plans_planrulerow_changelist", None),
            ("admin_rule_change", "plans_planrulerow_change", rule.pk),
            ("admin_blackout_list", "intake_blackoutdate_changelist", None),
            ("admin_blackout_change", "intake_blackoutdate_change", blackout.pk),
            ("admin_staff_change", "auth_user_change", self.clinician.pk),
        ):
            self.get(name, self.admin, reverse(f"admin:{url_name}", args=[pk] if pk else []))


def formset(prefix: str, maximum: int, row: dict) -> dict:
    management = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0"}
    return {
        **{f"{prefix}-{k}": v for k, v in management.items()},
        f"{prefix}-MAX_NUM_FORMS": str(maximum),
        **{f"{prefix}-0-{k}": v for k, v in row.items()},
    }


def mail_problems(scenario: Scenario, mails: list) -> list[str]:
    """Mails are text/plain: the canary must be there verbatim, not HTML-escaped."""
    problems = []
    patient, call = scenario.patient, scenario.call
    name = scenario.p("intake.Patient.preferred_name")
    to_patient = [m for m in mails if m.to == [patient.email]]
    (to_prospect,) = [m for m in mails if m.to == [call.email]]
    if len(to_patient) != 2:
        problems.append(f"{len(to_patient)} mails to the patient, not 2 (questionnaire, plan)")
    for mail, text in [*((m, name) for m in to_patient), (to_prospect, call.name)]:
        if f"Hello {text}," not in mail.body or "&lt;" in mail.body or "&quot;" in mail.body:
            problems.append(f"mail {mail.subject!r} does not greet {text!r} verbatim")
        if mail.content_subtype != "plain" or getattr(mail, "alternatives", None):
            problems.append(f"mail {mail.subject!r} is not plain text only")
    (attachment,) = to_prospect.attachments
    (event,) = icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")
    attendee = event["ATTENDEE"]
    if isinstance(attendee, list) or attendee.params["CN"] != call.name:
        problems.append("invite: the name is not one attendee's CN, verbatim")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("canary", CANARIES)
def test_every_page_escapes_what_users_typed_and_mails_keep_it_verbatim(canary, team, mailoutbox):
    with time_machine.travel(NOW, tick=True):
        scenario = Scenario(CANARIES[canary], team).run()
    pages = scenario.pages
    expected = {name: {f for f, names in SHOWN_ON.items() if name in names} for name in pages}
    assert not set().union(*SHOWN_ON.values()) - set(pages), "a page in SHOWN_ON was not fetched"
    problems = mail_problems(scenario, list(mailoutbox))
    for name, html in pages.items():
        problems += page_problems(name, html, CANARIES[canary], expected[name])
    assert not problems, "\n".join(problems)


def pdf_text(data: bytes) -> str:
    return tools.pdf_text(data, layout=False).replace(" ", "")


@pytest.mark.django_db
@pytest.mark.parametrize("canary", CANARIES)
def test_the_printed_plan_shows_what_users_typed_as_text(canary, team):
    """WeasyPrint renders for real; the text layer must hold the canary literally."""
    p = lambda field: payload(field, CANARIES[canary])  # noqa: E731
    clinician = UserFactory(
        username="x-pdf", last_name=p("auth.User.last_name"), role=Role.CLINICIAN
    )
    patient = PatientFactory(
        legal_first_name=p("intake.Patient.legal_first_name"),
        legal_last_name=p("intake.Patient.legal_last_name"),
    )
    exercise, _ = library(CANARIES[canary])
    evaluation = Evaluation.objects.create(patient=patient, clinician=clinician, kind="initial")
    Diagnosis.objects.create(evaluation=evaluation, code="M22.2X2", description="x", primary=True)
    Goal.objects.create(evaluation=evaluation, term="short", text=p("intake.Goal.text"))
    evaluation.sign(by=clinician)
    request = request_for(clinician)
    plan = services.plan_generate(evaluation=evaluation, phase="strengthen", request=request)
    plan.notes = p("plans.Plan.notes")
    plan.save()
    plan.items.update(notes=p("plans.PlanItem.notes"))
    version = services.plan_issue(plan=plan, request=request)
    assert rendering.render_job_run(version.render.pk) == "ready"
    text = pdf_text(RenderJob.objects.get(pk=version.render.pk).file.read())
    for field in (
        "intake.Patient.legal_last_name",
        "intake.Patient.legal_first_name",
        "intake.Goal.text",
        "auth.User.last_name",
        "plans.Plan.notes",
        "plans.PlanItem.notes",
        "plans.Exercise.name",
        "plans.Exercise.instructions",
        "plans.Exercise.dosage_notes",  # in the dosage sentence of the item
        "plans.Exercise.load_value",
    ):
        assert "".join(p(field).split()) in text, field
    assert "&lt;" not in text and "&quot;" not in text and "&amp;" not in text
    assert exercise.name in version.snapshot["items"][0]["name"]


def model_text_fields() -> set[str]:
    found = set()
    for label in ("intake", "plans", "clinic"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_model_text_field_is_covered_or_declared_not_typed_by_users():
    fields = model_text_fields()
    covered = {f for f in SHOWN_ON if not f.startswith("auth.")}
    missing = fields - covered - set(NOT_USER_TEXT)
    assert not missing, (
        "Text fields with no XSS coverage: add them to SHOWN_ON (with the pages that show "
        f"them) or, if no user can type them, to NOT_USER_TEXT: {sorted(missing)}"
    )
    stale = (covered | set(NOT_USER_TEXT)) - fields
    assert not stale, f"Listed but no longer a free-text model field: {sorted(stale)}"
    assert not covered & set(NOT_USER_TEXT)
