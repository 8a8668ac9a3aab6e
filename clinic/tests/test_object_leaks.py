"""No object leaks (issue #8, point 5): a record answers only those who may see it.

Generated from the URL configuration: every route that takes an object id or a private-link
token is requested for a real object of patient A — anonymously, as each role, and as a
clinician outside A's care team. A refusal must be a 403 or 404 that reaches the audit trail
and never shows A's name. TARGETS says how to build each route's object; a new route with an
id or a token that it does not know fails the first test, so no route slips through.

Then: an id sent in a form body or a query string never wins over the object of the URL, and
lists, search, the dashboard, the call calendar and the exports hold only rows the user may see.
"""

import csv
import datetime
import hashlib
import io
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm, HiddenInput, ModelChoiceField
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import intake.forms
import plans.forms.alerts
import plans.forms.coach
import plans.forms.documents
import plans.forms.plans
from clinic.access import Role, rule_of
from clinic.models import AuditAction, AuditEvent
from intake import services
from intake.models import (
    Addendum,
    CallManageLink,
    CallSource,
    Diagnosis,
    DiscoveryCall,
    EmergencyAccess,
    Evaluation,
    GaitMedia,
    Goal,
    GoalReview,
    Intake,
    IntakeLink,
    IntakeSource,
    IntakeStatus,
    OutcomeLink,
    OutcomeRequest,
    Patient,
    RedFlagAlert,
    RunnerProfile,
)
from intake.services.discovery_calls import manage_link_create
from intake.services.evaluations import gait_media_add
from intake.services.outcome_requests import outcome_request_create
from intake.tests.test_self_intake import PROFILE
from plans import services as plan_services
from plans.models import (
    CoachLink,
    Exercise,
    PatientPlanLink,
    Plan,
    PlanItem,
    PlanVersion,
    RecordCopyLink,
    RecordDocument,
    RenderStatus,
    RunFile,
    RunLog,
)
from plans.run_files import read_run_file
from plans.services import coach
from plans.services import documents as record_documents
from plans.services.links import plan_link_create
from plans.services.run_uploads import SUMMARY_FIELDS
from plans.tests.fit_samples import run_with_session

from .factories import PatientFactory, UserFactory
from .test_access_rules import _walk
from .test_xss import PNG, formset

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)  # a Tuesday, before the day's calls
METHODS = ("get", "post")
LINK_MODELS = {
    "intake": IntakeLink,
    "outcome": OutcomeLink,
    "plan": PatientPlanLink,
    "call": CallManageLink,
    "record": RecordCopyLink,
    "coach": CoachLink,
}


# ----------------------------------------------------------------- one patient's records


@dataclass
class World:
    """One object of every kind a route takes, all belonging to one patient."""

    patient: Patient
    intake: Intake  # the patient's own questionnaire, still a draft, with its link
    intake_link: IntakeLink
    alert: RedFlagAlert
    signed: Evaluation  # with a goal and a gait photo
    draft: Evaluation
    media: GaitMedia
    goal: Goal
    plan: Plan
    item: PlanItem
    version: PlanVersion  # issued, its PDF ready
    plan_link: PatientPlanLink
    call: DiscoveryCall
    letter: RecordDocument  # a physician letter about the signed evaluation, ready
    copy: RecordDocument  # the patient's copy of the record, ready and released
    copy_link: RecordCopyLink
    coach_link: CoachLink  # the coach's read-only link to the plan
    tokens: dict[str, str]  # kind of private link -> the token of its URL
    grant: EmergencyAccess | None = None

    @property
    def photo_key(self) -> str:
        return self.item.exercise.key


def request_as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def signed_evaluation(patient, clinician) -> tuple[Evaluation, Goal, GaitMedia]:
    evaluation = Evaluation.objects.create(
        patient=patient, clinician=clinician, kind="initial", involved_side="left"
    )
    Diagnosis.objects.create(evaluation=evaluation, code="M22.2X2", description="x", primary=True)
    goal = Goal.objects.create(evaluation=evaluation, term="short", text="Run 5 km pain-free")
    upload = SimpleUploadedFile("gait.png", PNG, "image/png")
    media = gait_media_add(
        evaluation=evaluation,
        upload=upload,
        content_type="image/png",
        caption="Side view",
        request=request_as(clinician),
    )
    evaluation.sign(by=clinician)
    return evaluation, goal, media


def issued_plan(evaluation, clinician) -> tuple[Plan, PlanVersion]:
    """A plan issued from the evaluation, its first exercise with a photo, its PDF ready."""
    request = request_as(clinician)
    plan = plan_services.plan_generate(evaluation=evaluation, phase="strengthen", request=request)
    exercise = plan.items.order_by("order").first().exercise
    if not exercise.photo:
        exercise.photo.save("own.png", ContentFile(PNG))
    version = plan_services.plan_issue(plan=plan, request=request)
    job, pdf = version.render, b"%PDF-1.4 a stand-in for the rendered plan"
    job.file.save(f"plan-{plan.pk}.pdf", ContentFile(pdf), save=False)
    job.checksum, job.status = hashlib.sha256(pdf).hexdigest(), RenderStatus.READY
    job.save()
    return plan, version


def ready_file(document: RecordDocument, content: bytes) -> None:
    """As a worker leaves a rendered letter or copy."""
    document.file.save(f"document-{document.pk}", ContentFile(content), save=False)
    document.checksum, document.status = hashlib.sha256(content).hexdigest(), RenderStatus.READY
    document.save()


def record_files(evaluation, clinician) -> tuple[RecordDocument, RecordDocument, tuple]:
    """A ready physician letter, and a ready patient copy released with its link."""
    request = request_as(clinician)
    letter = record_documents.letter_request(
        evaluation=evaluation, kind="physician_letter", request=request
    )
    ready_file(letter, b"%PDF-1.4 a stand-in for the letter")
    copy = record_documents.patient_copy_request(patient=evaluation.patient, request=request)
    ready_file(copy, b"PK a stand-in for the zip")
    return letter, copy, record_documents.patient_copy_release(document=copy, request=request)


def booked_call(patient, clinician, hour: int) -> tuple[DiscoveryCall, str]:
    start = NOW.replace(hour=hour)
    call = DiscoveryCall.objects.create(
        clinician=clinician,
        start=start,
        end=start + datetime.timedelta(minutes=20),
        name=patient.legal_name,
        email=patient.email,
        phone="+14155550100",
        consent_to_contact_at=timezone.now(),
        source=CallSource.PHONE,
        patient=patient,
    )
    return call, token_of(manage_link_create(call))


def build_world(patient, clinician, desk, *, call_hour: int) -> World:
    """Everything the app keeps about one patient, made by the app's own services."""
    link, intake_url, _ = services.intake_link_create(
        patient=patient, by=desk, request=request_as(desk), email=False
    )
    Intake.objects.create(  # sent back by the patient: on the dashboard for review
        patient=patient,
        source=IntakeSource.STAFF,
        status=IntakeStatus.AWAITING_REVIEW,
        submitted_at=timezone.now(),
    )
    alert = RedFlagAlert.objects.create(
        patient=patient,
        intake=link.intake,
        kind="night_pain",
        key="night_pain",
        label="Night pain",
        severity="urgent",
    )
    _, outcome_url, _ = outcome_request_create(
        patient=patient, measures=["NPRS"], request=request_as(clinician), email=False
    )
    signed, goal, media = signed_evaluation(patient, clinician)
    plan, version = issued_plan(signed, clinician)
    plan_link, plan_token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    call, call_token = booked_call(patient, clinician, call_hour)
    letter, copy, (copy_link, copy_token) = record_files(signed, clinician)
    coach_link, coach_url = coach.coach_link_create(
        plan=plan, request=request_as(clinician), show_diagnosis=False
    )
    return World(
        patient=patient,
        intake=link.intake,
        intake_link=link,
        alert=alert,
        signed=signed,
        draft=Evaluation.objects.create(patient=patient, clinician=clinician, kind="re_evaluation"),
        media=media,
        goal=goal,
        plan=plan,
        item=plan.items.order_by("order").first(),
        version=version,
        plan_link=plan_link,
        call=call,
        letter=letter,
        copy=copy,
        copy_link=copy_link,
        coach_link=coach_link,
        tokens={
            "intake": token_of(intake_url),
            "outcome": token_of(outcome_url),
            "plan": plan_token,
            "call": call_token,
            "record": copy_token,
            "coach": token_of(coach_url),
        },
    )


@dataclass
class Clinic:
    desk: object
    admin: object
    clinician: object  # patient A's primary clinician
    outsider: object  # a clinician outside A's care team; patient B's primary clinician
    a: World
    b: World
    roles: dict


@pytest.fixture
def clinic(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.TWO_FACTOR_REQUIRED = False
    with time_machine.travel(NOW, tick=True):
        desk = UserFactory(username="leak-desk", role=Role.FRONT_DESK)
        admin_user = UserFactory(username="leak-admin", role=Role.CLINIC_ADMIN, is_staff=True)
        clinician = UserFactory(username="leak-clinician", role=Role.CLINICIAN)
        outsider = UserFactory(username="leak-outsider", role=Role.CLINICIAN)
        colleague = UserFactory(username="leak-colleague", role=Role.CLINICIAN)
        patient_a = PatientFactory(
            legal_first_name="Avery",
            legal_last_name="Quillfeather",
            email="avery@example.com",
            primary_clinician=clinician,
        )
        patient_b = PatientFactory(
            legal_first_name="Blake",
            legal_last_name="Marrowdale",
            date_of_birth=datetime.date(1984, 3, 2),
            email="blake@example.com",
            primary_clinician=outsider,
        )
        a = build_world(patient_a, clinician, desk, call_hour=10)
        a.grant = EmergencyAccess.objects.create(  # a colleague's, waiting for review
            patient=patient_a,
            user=colleague,
            reason="Covering the clinic today.",
            expires_at=timezone.now() + datetime.timedelta(hours=4),
        )
        b = build_world(patient_b, outsider, desk, call_hour=11)
        roles = {Role.FRONT_DESK: desk, Role.CLINICIAN: clinician, Role.CLINIC_ADMIN: admin_user}
        yield Clinic(desk, admin_user, clinician, outsider, a, b, roles)


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
    for namespace, pattern in _walk(get_resolver().url_patterns):
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


def test_every_route_with_an_id_or_a_token_has_a_target():
    with_ids = {name for name, pattern in ROUTES.items() if takes_an_id_or_a_token(pattern)}
    missing = with_ids - set(TARGETS) - set(NOT_A_PATIENT_OBJECT)
    assert not missing, f"Routes with an id or a token and no entry in TARGETS: {missing}"
    unknown = set(ROUTES) - set(TARGETS) - set(NOT_A_PATIENT_OBJECT)
    assert not unknown, f"Routes with URL arguments, in neither TARGETS nor NOT_A_..: {unknown}"
    stale = (set(TARGETS) | set(NOT_A_PATIENT_OBJECT)) - set(ROUTES)
    assert not stale, f"No longer routes with URL arguments: {stale}"
    assert set(STAFF_ROUTES) | set(LINK_ROUTES) == set(OBJECT_ROUTES), "a rule not handled here"


# Models whose rows the Django admin may show to a clinic admin: none holds patient data.
ADMIN_MODELS = {
    "auth.Group",
    "auth.User",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "clinic.AuditEvent",  # ids and codes only: the audit trail never holds patient data
    "intake.BlackoutDate",
    "intake.CallAvailability",
    "otp_static.StaticDevice",
    "otp_totp.TOTPDevice",
    "plans.Exercise",
    "plans.PlanRuleRow",
}


def test_the_admin_site_registers_no_patient_record():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered <= ADMIN_MODELS, f"New in the admin: {registered - ADMIN_MODELS}"


# ---------------------------------------------------------------- requests and their checks


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


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


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ROUTES)
def test_a_record_is_refused_to_whoever_may_not_see_it(clinic, name):
    rule, a = rule_of(ROUTES[name].callback), clinic.a
    url = reverse(name, kwargs=target_of(name).kwargs(a))
    for method in METHODS:
        assert login_redirect(getattr(Client(), method)(url)), (name, "anonymous", method)
    outsider = client_for(clinic.outsider)
    if name == BREAK_THE_GLASS:
        assert_break_the_glass_shows_name_and_birth_date_only(outsider, url, a)
    else:
        status = 404 if rule.allows(clinic.outsider) else 403
        assert_refused(outsider, url, status, a.patient, (name, "outsider"))
    # Refused roles first: an allowed POST may change the object.
    for role, user in sorted(clinic.roles.items(), key=lambda item: rule.allows(item[1])):
        if rule.allows(user):
            assert_allowed(client_for(user), url, (name, role))
        else:
            assert_refused(client_for(user), url, 403, a.patient, (name, role))


def assert_break_the_glass_shows_name_and_birth_date_only(client, url, world) -> None:
    for method in METHODS:
        page = body(response := getattr(client, method)(url))
        assert response.status_code == 200, method
        assert world.patient.email not in page and world.alert.label not in page
        assert f'href="{world.patient.get_absolute_url()}"' not in page
    assert not EmergencyAccess.objects.filter(user__username="leak-outsider").exists()


def unlock(client, kind: str, world: World) -> None:
    """Pass the birth-date check of a plan or record-copy link in this browser (other links
    have none)."""
    pages = {"plan": "plans:patient_plan", "record": "plans:patient_copy"}
    if kind in pages:
        url = reverse(pages[kind], args=[world.tokens[kind]])
        birth_date = world.patient.date_of_birth.isoformat()
        assert client.post(url, {"date_of_birth": birth_date}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", LINK_ROUTES)
def test_a_private_link_opens_only_its_own_patients_record(clinic, name):
    target, a, b = target_of(name), clinic.a, clinic.b

    def url(world, token):
        return reverse(name, kwargs={**target.kwargs(world), "token": token})

    for user in (None, *clinic.roles.values()):  # the rule: whoever holds the link
        holder = client_for(user)
        unlock(holder, target.link, a)
        assert_allowed(holder, url(a, a.tokens[target.link]), (name, user))
    wrong = {
        "garbage": "not-a-token",
        "forged": LINK_MODELS[target.link].new_token()[0],  # signed, but never issued
        **{f"{kind} link": t for kind, t in a.tokens.items() if kind != target.link},
    }
    for label, bad in wrong.items():
        assert_refused(Client(), url(a, bad), 404, a.patient, (name, label))
    patient_b = Client()
    unlock(patient_b, target.link, b)
    for method in METHODS:
        response = getattr(patient_b, method)(url(b, b.tokens[target.link]))
        assert a.patient.legal_last_name not in body(response), (name, method)
        assert response.status_code in (200, 302), (name, method, response.status_code)


@pytest.mark.django_db
def test_a_browser_that_opened_one_plan_link_must_check_the_birth_date_of_another(clinic):
    browser = Client()
    unlock(browser, "plan", clinic.b)
    page = body(browser.get(reverse("plans:patient_plan", args=[clinic.a.tokens["plan"]])))
    assert 'name="date_of_birth"' in page and clinic.a.patient.legal_last_name not in page
    photo = reverse(
        "plans:patient_exercise_photo", args=[clinic.a.tokens["plan"], clinic.a.photo_key]
    )
    assert browser.get(photo).status_code == 404


@pytest.mark.django_db
def test_a_password_reset_link_opens_only_with_its_own_users_token(clinic):
    """Django's own check; a refused link shows its "invalid link" page (200), not a form."""
    user, other = clinic.clinician, clinic.outsider
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    for bad in ("not-a-token", default_token_generator.make_token(other), clinic.a.tokens["plan"]):
        page = body(Client().get(reverse("password_reset_confirm", args=[uid, bad])))
        assert 'name="new_password1"' not in page and user.email not in page
    good = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    good = Client().get(good)
    assert good.status_code == 302 and good["Location"].endswith("/set-password/")


# ------------------------------------------------ ids in a form body or a query string


def poison(world: World) -> dict:
    """Every id a form could be tempted to trust, each naming one of ``world``'s records."""
    return {
        **dict.fromkeys(("patient", "patient_id", "pk", "id"), world.patient.pk),
        "evaluation": world.signed.pk,
        "plan": world.plan.pk,
        "intake": world.intake.pk,
        "call": world.call.pk,
    }


def footprint(patient) -> dict:
    """Everything a write could attach to the patient, to compare before and after."""
    evaluations = Evaluation.objects.filter(patient=patient)
    return {
        "patient": Patient.objects.filter(pk=patient.pk).values().get(),
        "evaluations": list(evaluations.values()),
        "addenda": Addendum.objects.filter(evaluation__in=evaluations).count(),
        "goal_reviews": GoalReview.objects.filter(goal__evaluation__in=evaluations).count(),
        "intakes": list(Intake.objects.filter(patient=patient).values()),
        "profiles": RunnerProfile.objects.filter(intake__patient=patient).count(),
        "intake_links": list(IntakeLink.objects.filter(intake__patient=patient).values()),
        "alerts": list(RedFlagAlert.objects.filter(patient=patient).values()),
        "outcomes": list(OutcomeRequest.objects.filter(patient=patient).values()),
        "plans": list(Plan.objects.filter(patient=patient).values()),
        "items": list(PlanItem.objects.filter(plan__patient=patient).values()),
        "calls": list(DiscoveryCall.objects.filter(patient=patient).values()),
    }


def patient_form(patient, **changes) -> dict:
    fields = ("legal_first_name", "legal_last_name", "email", "sex", "status")
    data = {name: getattr(patient, name) for name in fields}
    return {**data, "date_of_birth": patient.date_of_birth.isoformat(), **changes}


def item_form(item, **changes) -> dict:
    data = {
        name: value
        for name, value in plans.forms.PlanItemForm(instance=item).initial.items()
        if value not in (None, False)
    }
    return {f"item-{item.pk}-{name}": value for name, value in {**data, **changes}.items()}


def evaluation_page(a: World, b: World) -> dict:
    """A valid editor page of A's draft that also reviews B's goal, by its id in a name."""
    return {
        "kind": "re_evaluation",
        "date": timezone.localdate().isoformat(),
        "involved_side": "left",
        "force_unit": "kg",
        **formset("dx", 8, {"code": "M22.2X2", "primary": "on"}),
        **formset("goals", 10, {"term": "short", "text": "Run 10 km"}),
        f"review-goal_{a.goal.pk}": "met",
        f"review-goal_{b.goal.pk}": "met",
    }


def new_exercise(plan) -> Exercise:
    """An active exercise not in the plan yet, with no contraindication to confirm."""
    library = Exercise.objects.filter(active=True, contraindicated_conditions=[])
    return library.exclude(pk__in=plan.items.values("exercise")).order_by("key").first()


@dataclass(frozen=True)
class Write:
    """A form post for A's object (as ``actor``), with what must then be true of A."""

    route: str
    actor: str  # "clinician", "desk" or "" for a patient link
    data: Callable[[World, World], dict]
    landed: Callable[[World], bool]


WRITES = [
    Write(
        "intake:patient_edit",
        "desk",
        lambda a, b: patient_form(
            a.patient, preferred_name="Ave", primary_clinician=a.patient.primary_clinician_id
        ),
        lambda a: Patient.objects.get(pk=a.patient.pk).preferred_name == "Ave",
    ),
    Write(
        "intake:evaluation_create",
        "clinician",
        lambda a, b: {"kind": "re_evaluation"},
        lambda a: a.patient.evaluations.count() == 3,
    ),
    Write(
        "intake:evaluation_edit",
        "clinician",
        evaluation_page,
        lambda a: GoalReview.objects.filter(evaluation=a.draft, goal=a.goal).exists(),
    ),
    Write(
        "intake:addendum_create",
        "clinician",
        lambda a, b: {"text": "Seen again."},
        lambda a: a.signed.addenda.exists(),
    ),
    Write(
        "intake:redflag_resolve",
        "clinician",
        lambda a, b: {"decision": "treat", "reason": "Mechanical pain."},
        lambda a: RedFlagAlert.objects.get(pk=a.alert.pk).resolved_at is not None,
    ),
    Write(
        "intake:outcome_request_create",
        "clinician",
        lambda a, b: {"outcome-measures": ["NPRS"]},
        lambda a: a.patient.outcome_requests.count() == 2,
    ),
    Write(
        "intake:patient_send_link",
        "desk",
        lambda a, b: {},
        lambda a: IntakeLink.objects.filter(intake__patient=a.patient).count() == 2,
    ),
    Write(
        "intake:intake_step",
        "clinician",
        lambda a, b: PROFILE,
        lambda a: RunnerProfile.objects.filter(intake=a.intake).exists(),
    ),
    Write(
        "intake:self_intake_step",
        "",
        lambda a, b: PROFILE,
        lambda a: RunnerProfile.objects.filter(intake=a.intake).exists(),
    ),
    Write(
        "intake:outcome_link",
        "",
        lambda a, b: {"NPRS-1": "4"},
        lambda a: a.patient.outcome_requests.get().submitted_at is not None,
    ),
    Write(
        "intake:call_detail",
        "desk",
        lambda a, b: {"outcome": "follow_up", "notes": "Call back in May."},
        lambda a: DiscoveryCall.objects.get(pk=a.call.pk).notes == "Call back in May.",
    ),
    Write(
        "plans:plan_item_add",
        "clinician",
        lambda a, b: {"exercise": new_exercise(a.plan).pk},
        lambda a: a.plan.items.count() == len(a.version.snapshot["items"]) + 1,
    ),
    Write(
        "plans:plan_item_update",
        "clinician",
        lambda a, b: {**item_form(a.item, notes="Slowly."), **item_form(b.item, notes="Hacked")},
        lambda a: PlanItem.objects.get(pk=a.item.pk).notes == "Slowly.",
    ),
    Write(
        "plans:plan_settings",
        "clinician",
        lambda a, b: {"notes": "Easy week.", "run_stage": "1"},
        lambda a: Plan.objects.get(pk=a.plan.pk).notes == "Easy week.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.route)
def test_an_id_in_the_form_body_never_moves_a_write_to_another_patient(clinic, write):
    a, b = clinic.a, clinic.b
    client = client_for({"clinician": clinic.clinician, "desk": clinic.desk}.get(write.actor))
    before, mark = footprint(b.patient), last_audit_id()
    url = reverse(write.route, kwargs=target_of(write.route).kwargs(a))
    response = client.post(f"{url}?{urlencode(poison(b))}", {**write.data(a, b), **poison(b)})
    assert response.status_code in (200, 302), response.status_code
    assert b.patient.legal_last_name not in body(response)
    assert write.landed(a), "the write did not reach the URL's object (the test proves nothing)"
    assert footprint(b.patient) == before, "patient B's records changed"
    assert not AuditEvent.objects.filter(pk__gt=mark, patient=b.patient).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "client_of"),
    [
        ("intake:call_change", lambda c: client_for(c.desk)),
        ("intake:call_manage", lambda c: Client()),
    ],
    ids=["call_change", "call_manage"],
)
def test_a_call_is_never_moved_to_another_clinicians_slot(clinic, route, client_of):
    """The slot key carries a clinician id: only the call's own clinician is accepted."""
    call = clinic.a.call
    start = int((call.start + datetime.timedelta(days=1)).timestamp())
    url = reverse(route, kwargs=target_of(route).kwargs(clinic.a))
    client_of(clinic).post(url, {"slot": f"{clinic.outsider.pk}-{start}"})
    moved = DiscoveryCall.objects.get(pk=call.pk)
    assert (moved.clinician_id, moved.start) == (call.clinician_id, call.start)


FORM_MODULES = [
    intake.forms.discovery_calls,
    intake.forms.evaluations,
    intake.forms.outcome_requests,
    intake.forms.patients,
    intake.forms.questionnaires,
    intake.forms.redflags,
    plans.forms.plans,
    plans.forms.alerts,
    plans.forms.coach,
    plans.forms.documents,
]
# Models a form may offer as a choice by id: none is a patient's record.
CHOICE_MODELS = {"auth.User", "plans.Exercise"}
# Hidden fields, and why their value is not trusted.
HIDDEN_FIELDS = {
    "slot": "a clinician id and a time, checked against the free slots",
    "kind": "an alert kind; with the key, checked against the URL patient's open alerts",
    "key": "an alert instance; checked against the URL patient's open alerts",
    "back": "where to go back to: the dashboard or the chart, nothing else",
}


def test_no_form_takes_a_patients_record_by_id():
    for module in FORM_MODULES:
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, BaseForm)):
                continue
            for name, form_field in form.base_fields.items():
                if isinstance(form_field, ModelChoiceField):
                    label = form_field.queryset.model._meta.label
                    assert label in CHOICE_MODELS, f"{form.__name__}.{name} takes a {label} id"
                if isinstance(form_field.widget, HiddenInput):
                    assert name in HIDDEN_FIELDS, f"{form.__name__}.{name} is hidden: why?"


# ------------------------------------------------- lists, search, dashboard, exports


def with_ids(world: World) -> dict:
    """A query string naming the world's patient in every way a view could read it."""
    return dict.fromkeys(("patient", "patient_id", "pk", "id"), world.patient.pk)


def chart_link(world: World) -> str:
    return f'href="{world.patient.get_absolute_url()}"'


@pytest.mark.django_db
def test_the_patient_list_and_search_show_an_outsider_no_chart_of_patient_a(clinic):
    a, b, outsider = clinic.a, clinic.b, client_for(clinic.outsider)
    listing = body(outsider.get(reverse("intake:patient_list"), with_ids(a)))
    assert chart_link(b) in listing  # the outsider's own patient: the list works
    assert chart_link(a) not in listing and a.patient.legal_last_name not in listing
    birth_date = a.patient.date_of_birth.isoformat()  # a name would be echoed back
    found = body(outsider.post(reverse("intake:patient_list"), {"q": birth_date}))
    results, _, others = found.partition("Other patients of the clinic")
    assert a.patient.legal_last_name not in results and chart_link(a) not in found
    # By design: name and date of birth, with the emergency-access button only.
    assert a.patient.legal_last_name in others
    assert reverse("intake:emergency_access", args=[a.patient.pk]) in others
    own = body(client_for(clinic.clinician).get(reverse("intake:patient_list")))
    assert chart_link(a) in own and chart_link(b) not in own


@pytest.mark.django_db
def test_the_dashboard_shows_each_clinician_only_their_care_teams_records(clinic):
    a, b = clinic.a, clinic.b
    for user, mine, theirs in ((clinic.clinician, a, b), (clinic.outsider, b, a)):
        page = body(client_for(user).get(reverse("clinic:dashboard"), with_ids(theirs)))
        assert mine.patient.legal_last_name in page  # the panels do list rows
        assert theirs.patient.legal_last_name not in page, user.username
        assert reverse("intake:intake_review", args=[theirs.intake.pk]) not in page
        assert reverse("intake:redflag_resolve", args=[theirs.alert.pk]) not in page


@pytest.mark.django_db
def test_the_call_calendar_shows_a_clinician_only_their_own_calls(clinic):
    a, b = clinic.a, clinic.b
    url, day = reverse("intake:call_calendar"), NOW.date().isoformat()
    for user, mine, theirs in ((clinic.clinician, a, b), (clinic.outsider, b, a)):
        page = body(client_for(user).get(url, {"day": day, **with_ids(theirs)}))
        assert mine.call.name in page and theirs.call.name not in page, user.username
    for view in ("day", "week"):
        page = body(client_for(clinic.desk).get(url, {"day": day, "view": view}))
        assert a.call.name in page and b.call.name in page  # the front desk runs every call


@pytest.mark.django_db
def test_exports_hold_only_the_asked_patients_rows(clinic):
    a, b = clinic.a, clinic.b
    fhir = client_for(clinic.outsider).get(
        reverse("plans:patient_fhir_export", args=[b.patient.pk])
    )
    assert fhir.status_code == 200 and b.patient.legal_last_name in body(fhir)
    assert a.patient.legal_last_name not in fhir.content.decode()
    admin_client = client_for(clinic.admin)
    trail = body(admin_client.get(reverse("clinic:audit_export_patient", args=[b.patient.pk])))
    rows = list(csv.reader(io.StringIO(trail)))[1:]
    assert rows and all(row[5] == str(b.patient.pk) for row in rows)
    assert a.patient.legal_last_name not in trail
    for report in ("calls", "active-patients", "outcomes"):
        url = reverse("intake:clinic_statistics_csv", args=[report])
        report_csv = body(admin_client.get(url))
        assert a.patient.legal_last_name not in report_csv and a.call.name not in report_csv


@pytest.mark.django_db
def test_the_audit_export_search_is_refused_to_every_role_but_the_clinic_admin(clinic):
    for user in (clinic.clinician, clinic.outsider, clinic.desk):
        client = client_for(user)
        search = client.post(
            reverse("clinic:audit_export"), {"q": clinic.a.patient.legal_last_name}
        )
        assert search.status_code == 403 and clinic.a.patient.legal_last_name not in body(search)
        assert client.get(reverse("clinic:audit_export")).status_code == 403


@pytest.mark.django_db
def test_the_emergency_review_list_is_the_clinic_admins_only(clinic):
    url = reverse("intake:emergency_review_list")
    for user in (clinic.clinician, clinic.outsider, clinic.desk):
        response = client_for(user).get(url)
        assert response.status_code == 403 and clinic.a.patient.legal_last_name not in body(
            response
        )
    review = reverse("intake:emergency_review", args=[clinic.a.grant.pk])
    assert review in body(client_for(clinic.admin).get(url))
