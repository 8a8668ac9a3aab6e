"""The routes the object-leak tests request, the object each one takes, and the checks of a
refused and an allowed request (not a test module).

TARGETS says how to build each route's object; a new route with an id or a token that it
does not know fails test_every_route_with_an_id_or_a_token_has_a_target."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from clinic.access import rule_of
from clinic.models import AuditAction, AuditEvent
from intake.models import CallManageLink, IntakeLink, OutcomeLink
from plans.models import CoachLink, PatientPlanLink, RecordCopyLink, RunFile, RunLog
from plans.run_files import read_run_file
from plans.services.run_uploads import SUMMARY_FIELDS
from plans.tests.fit_samples import run_with_session

from .helpers import walk_urls
from .leak_world import World

METHODS = ("get", "post")
LINK_MODELS = {
    "intake": IntakeLink,
    "outcome": OutcomeLink,
    "plan": PatientPlanLink,
    "call": CallManageLink,
    "record": RecordCopyLink,
    "coach": CoachLink,
}


# ------------------------------------------------------------------ routes and their objects


@dataclass(frozen=True)
class Target:
    """How to fill a route's URL for one patient's world."""

    kwargs: Callable[[World], dict]
    link: str = ""  # the kind of private link whose token goes in kwargs["token"]


def pk(attribute: str, **extra) -> Target:
    return Target(lambda w: {"pk": getattr(w, attribute).pk, **extra})


def token(kind: str, **extra) -> Target:
    return Target(lambda w: {"token": w.tokens[kind], **extra}, link=kind)


def watch_file(world: World) -> RunFile:
    """A run of the world's plan with a watch file, made when a route first needs it."""
    found = RunFile.objects.filter(run__plan=world.plan).first()
    if found:
        return found
    run = RunLog.objects.create(
        patient=world.patient,
        plan=world.plan,
        version=world.version,
        stage=1,
        day=timezone.localdate(),
        as_prescribed=True,
        pain_during=1,
    )
    data = run_with_session(dynamics=True)
    summary = read_run_file(data)
    return RunFile.objects.create(
        run=run,
        file=ContentFile(data, name="run"),
        checksum=hashlib.sha256(data).hexdigest(),
        **{name: getattr(summary, name) for name in SUMMARY_FIELDS},
    )


TARGETS = {
    "clinic:audit_export_patient": pk("patient"),
    "clinic:audit_export_user": Target(lambda w: {"pk": w.patient.primary_clinician_id}),
    "intake:patient_detail": pk("patient"),
    "intake:patient_edit": pk("patient"),
    "intake:emergency_access": pk("patient"),
    "intake:emergency_review": pk("grant"),
    "intake:patient_send_link": pk("patient"),
    "intake:intake_staff_new": pk("patient"),
    "intake:outcome_request_create": pk("patient"),
    "intake:intake_link_revoke": pk("intake_link"),
    "intake:intake_review": pk("intake"),
    "intake:intake_accept": pk("intake"),
    "intake:intake_step": pk("intake", step="profile"),
    "intake:redflag_resolve": pk("alert"),
    "intake:evaluation_create": pk("patient"),
    "intake:evaluation_detail": pk("signed"),
    "intake:evaluation_edit": pk("draft"),
    "intake:evaluation_sign": pk("draft"),
    "intake:addendum_create": pk("signed"),
    "intake:gait_media_upload": pk("draft"),
    "intake:gait_media_file": pk("media"),
    "intake:visit_new": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:visit_series": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:authorization_new": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:note_start": pk("visit"),
    "intake:note_edit": pk("note"),
    "intake:note_units": pk("note"),
    "intake:note_autosave": pk("note"),
    "intake:note_addendum": pk("note"),
    "intake:note_discard": pk("note"),
    "intake:consent_new": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:consent_withdraw": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:patient_billing": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:payment_new": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:adjustment_new": Target(lambda w: {"patient_pk": w.patient.pk}),
    "intake:visit_detail": pk("visit"),
    "intake:visit_status": pk("visit", action="arrive"),
    "intake:call_detail": pk("call"),
    "intake:call_change": pk("call"),
    "intake:call_convert": pk("call"),
    "intake:call_manage": token("call"),
    "intake:self_intake": token("intake"),
    "intake:self_intake_step": token("intake", step="profile"),
    "intake:outcome_link": token("outcome"),
    "plans:plan_create": pk("signed"),
    "plans:plan_edit": pk("plan"),
    "plans:plan_item_add": pk("plan"),
    "plans:plan_settings": pk("plan"),
    "plans:plan_issue": pk("plan"),
    "plans:plan_preview": pk("plan"),
    "plans:plan_item_update": pk("item"),
    "plans:plan_item_remove": pk("item"),
    "plans:plan_item_move": pk("item", direction="down"),
    "plans:version_detail": pk("version"),
    "plans:version_pdf": pk("version"),
    "plans:render_status": pk("version"),
    "plans:render_retry": pk("version"),
    "plans:plan_link_send": pk("plan"),
    "plans:plan_link_revoke": pk("plan_link"),
    "plans:patient_fhir_export": pk("patient"),
    "plans:record_documents": pk("patient"),
    "plans:letter_request": pk("signed"),
    "plans:letter_download": pk("letter"),
    "plans:letter_status": pk("letter"),
    "plans:letter_retry": pk("letter"),
    "plans:patient_copy_request": pk("patient"),
    "plans:patient_copy_download": pk("copy"),
    "plans:patient_copy_status": pk("copy"),
    "plans:patient_copy_retry": pk("copy"),
    "plans:patient_copy_release": pk("copy"),
    "plans:record_link_revoke": pk("copy_link"),
    "plans:coach_link_create": pk("plan"),
    "plans:coach_link_revoke": pk("coach_link"),
    "plans:coach_page": token("coach"),
    "plans:patient_copy": token("record"),
    "plans:patient_copy_zip": token("record"),
    "plans:patient_plan": token("plan"),
    "plans:patient_plan_pdf": token("plan"),
    "plans:patient_visit_cancel": Target(
        lambda w: {"token": w.tokens["plan"], "pk": w.visit.pk}, link="plan"
    ),
    "plans:patient_exercise_log": token("plan"),
    "plans:patient_run_log": token("plan"),
    "plans:patient_log_reminders": token("plan"),
    "plans:run_decision": pk("plan"),
    "plans:between_visits": pk("patient"),
    "plans:alert_ack": pk("patient"),
    "plans:run_file_upload": pk("plan"),
    "plans:run_file_download": Target(lambda w: {"pk": watch_file(w).pk}),
    "plans:patient_exercise_photo": Target(
        lambda w: {"token": w.tokens["plan"], "key": w.photo_key}, link="plan"
    ),
}
# Routes with URL arguments that name no patient's record.
NOT_A_PATIENT_OBJECT = {
    "password_reset_confirm": "Django's staff password reset (test_a_password_reset_link_...)",
    "plans:exercise_photo": "the clinic's exercise library, the same for every patient",
    "intake:clinic_statistics_csv": "a report name; the reports hold no names (tested below)",
    "intake:outcome_measure_form": "an outcome measure's code: its blank items, the same for "
    "every patient (intake/tests/test_evaluations.py)",
    "plans:reminder_stop": "a signed stop token of a reminder mail: its page shows no patient "
    "data and can only turn the mails off (plans/tests/test_log_reminders.py)",
}
# The outsider may open this page for any patient, by design: name and date of birth only,
# to give the reason for an emergency access that the clinic admin then reviews.
BREAK_THE_GLASS = "intake:emergency_access"


def routes_with_arguments() -> dict[str, object]:
    """URL name -> URL pattern, for every app route with URL arguments."""
    found = {}
    for namespace, pattern in walk_urls(get_resolver().url_patterns):
        if namespace.startswith("admin:") or not getattr(pattern.pattern, "converters", None):
            continue  # the admin site registers no patient record (tested below)
        found[f"{namespace}{pattern.name}"] = pattern
    return found


def takes_an_id_or_a_token(pattern) -> bool:
    converters = pattern.pattern.converters
    return "token" in converters or any(isinstance(c, IntConverter) for c in converters.values())


ROUTES = routes_with_arguments()
OBJECT_ROUTES = sorted(n for n, p in ROUTES.items() if n not in NOT_A_PATIENT_OBJECT)
STAFF_ROUTES = [n for n in OBJECT_ROUTES if rule_of(ROUTES[n].callback).requires_login]
LINK_ROUTES = [n for n in OBJECT_ROUTES if rule_of(ROUTES[n].callback).kind == "patient_link"]


def target_of(name: str) -> Target:
    assert name in TARGETS, f"{name} takes an id or a token: add it to TARGETS"
    return TARGETS[name]


# ---------------------------------------------------------------- requests and their checks


def body(response) -> str:
    if response.streaming:
        # Not response.close(): its request_finished signal would close the test's connection.
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def assert_refused(client, url: str, status: int, patient, label) -> None:
    """Each method is refused with ``status`` and audited, or not taken at all (405)."""
    refused = 0
    for method in METHODS:
        mark = last_audit_id()
        response = getattr(client, method)(url)
        assert patient.legal_last_name not in body(response), (label, method)
        if response.status_code == 405:
            continue
        assert response.status_code == status, (label, method, response.status_code)
        denied = AuditEvent.objects.filter(pk__gt=mark, action=AuditAction.DENIED)
        assert denied.exists(), (label, method, "the refusal is not in the audit trail")
        refused += 1
    assert refused, (label, "neither GET nor POST was refused")


def assert_allowed(client, url: str, label) -> None:
    for method in METHODS:
        response = getattr(client, method)(url)
        body(response)
        assert response.status_code in (200, 302, 405), (label, method, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login")), (label, method)


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def unlock(client, kind: str, world: World) -> None:
    """Pass the birth-date check of a plan or record-copy link in this browser (other links
    have none)."""
    pages = {"plan": "plans:patient_plan", "record": "plans:patient_copy"}
    if kind in pages:
        url = reverse(pages[kind], args=[world.tokens[kind]])
        birth_date = world.patient.date_of_birth.isoformat()
        assert client.post(url, {"date_of_birth": birth_date}).status_code == 200
