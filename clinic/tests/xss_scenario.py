"""The XSS tests' clinic day: each role fills its fields with the canary through the app's own
forms and services and keeps every page that shows them (not a test module)."""

import datetime
import zoneinfo
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.access import Role
from clinic.links.mail import link_mail_send
from clinic.models import AuditEvent
from intake import diagnoses
from intake.models import (
    BlackoutDate,
    CallAvailability,
    CallHours,
    ChargeLine,
    ClinicianBilling,
    DiscoveryCall,
    EmergencyAccess,
    Evaluation,
    Intake,
    IntakeLink,
    InterventionType,
    PracticeBilling,
    RedFlagAlert,
    VisitType,
    WorkingHours,
)
from intake.services import discovery_calls as calls
from intake.tests.helpers import COMPLAINT, HISTORY, NO_FLAGS, PNG, PROFILE
from plans.models import Exercise, PatientPlanLink, Plan, PlanRuleRow, RunLog
from plans.services import alerts, logs

from .factories import UserFactory
from .helpers import client_for, formset
from .xss_fields import CALL_TEXT, COMPLAINT_TEXT, EVALUATION_TEXT, PROFILE_TEXT, payload
from .xss_notes import treatment_note

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}
# The practice's billing details typed with no validator (the scenario's markers go there).
PRACTICE_TEXT = ("name", "address_line1", "address_line2", "city")

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)  # a Tuesday, before the first call
BIRTH_DATE = "1990-05-17"


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
            lambda: treatment_note(self),
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
        link = IntakeLink.objects.get(intake__patient=self.patient)
        link_mail_send(link._meta.label, link.pk, "http://testserver/")  # the worker's work
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
        link = PatientPlanLink.objects.get(plan=plan, purpose="mail")
        link_mail_send(link._meta.label, link.pk, "http://testserver/")  # the worker's work
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
        WorkingHours.objects.create(
            availability=availability,
            weekday=1,
            start=datetime.time(7),
            end=datetime.time(19),
            location=p("intake.WorkingHours.location"),
        )
        self.schedule = availability
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
        authorization = {
            "visits": 12,
            "starts_on": "2026-12-01",
            "ends_on": "2027-02-28",
            "payer": self.p("intake.VisitAuthorization.payer"),
            "reference": self.p("intake.VisitAuthorization.reference"),
        }
        response = desk.post(reverse("intake:authorization_new", args=[patient.pk]), authorization)
        assert response.status_code == 302, response.content.decode()[:2000]
        self.get("desk_chart", desk, patient.get_absolute_url())
        self.get("desk_edit", desk, reverse("intake:patient_edit", args=[patient.pk]))
        payment = {"amount": "10.00", "method": "cash", "keep_credit": "on"}
        payment["reference"] = self.p("intake.Payment.reference")
        response = desk.post(reverse("intake:payment_new", args=[patient.pk]), payment)
        assert response.status_code == 302, response.content.decode()[:2000]
        line = ChargeLine.objects.filter(charge__patient=patient).first()  # the note's
        adjust = {"line": line.pk, "amount": "5.00", "reason": self.p("intake.ChargeLine.reason")}
        response = desk.post(reverse("intake:adjustment_new", args=[patient.pk]), adjust)
        assert response.status_code == 302, response.content.decode()[:2000]
        self.get("desk_billing", desk, reverse("intake:patient_billing", args=[patient.pk]))

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
        visit_type = VisitType.objects.create(
            key="xss-visit", name=self.p("intake.VisitType.name"), kind="treatment", minutes=30
        )
        intervention = InterventionType.objects.create(
            key="xss-intervention", name=self.p("intake.InterventionType.name"), cpt_code="97110"
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
        practice = PracticeBilling.objects.create(
            **{f: self.p(f"intake.PracticeBilling.{f}") for f in PRACTICE_TEXT},
            state="CA",
            postal_code="94103",
            phone="+14155550100",
            tax_id="12-3456789",
        )
        provider = ClinicianBilling.objects.create(
            clinician=self.clinician,
            credentials=self.p("intake.ClinicianBilling.credentials"),
            npi="1234567893",
        )
        for name, url_name, pk in (
            ("admin_audit_list", "clinic_auditevent_changelist", None),
            ("admin_audit_login", "clinic_auditevent_change", self.failed_login.pk),
            ("admin_audit_denied", "clinic_auditevent_change", self.denied.pk),
            ("admin_exercise_list", "plans_exercise_changelist", None),
            ("admin_exercise_change", "plans_exercise_change", self.exercise.pk),
            ("admin_other_exercise_change", "plans_exercise_change", other_exercise.pk),
            ("admin_rule_list", "plans_planrulerow_changelist", None),
            ("admin_rule_change", "plans_planrulerow_change", rule.pk),
            ("admin_schedule_change", "intake_callavailability_change", self.schedule.pk),
            ("admin_blackout_list", "intake_blackoutdate_changelist", None),
            ("admin_blackout_change", "intake_blackoutdate_change", blackout.pk),
            ("admin_visit_type_list", "intake_visittype_changelist", None),
            ("admin_visit_type_change", "intake_visittype_change", visit_type.pk),
            ("admin_intervention_list", "intake_interventiontype_changelist", None),
            ("admin_intervention_change", "intake_interventiontype_change", intervention.pk),
            ("admin_staff_change", "auth_user_change", self.clinician.pk),
            ("admin_practice_list", "intake_practicebilling_changelist", None),
            ("admin_practice_change", "intake_practicebilling_change", practice.pk),
            ("admin_provider_list", "intake_clinicianbilling_changelist", None),
            ("admin_provider_change", "intake_clinicianbilling_change", provider.pk),
        ):
            self.get(name, self.admin, reverse(f"admin:{url_name}", args=[pk] if pk else []))
