"""Two patients' worlds for the object-leak tests: one record of every kind a route takes,
all belonging to one patient, made by the app's own services (not a test module)."""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clinic.access import Role
from intake import services
from intake.models import (
    CallSource,
    DiscoveryCall,
    EmergencyAccess,
    Evaluation,
    GaitMedia,
    Goal,
    Intake,
    IntakeLink,
    IntakeSource,
    IntakeStatus,
    Patient,
    RedFlagAlert,
    TreatmentNote,
    Visit,
    VisitType,
)
from intake.services import notes as note_services
from intake.services.discovery_calls import manage_link_create
from intake.services.evaluations import gait_media_add
from intake.services.outcome_requests import outcome_request_create
from intake.tests.helpers import PNG
from plans import services as plan_services
from plans.models import (
    CoachLink,
    PatientPlanLink,
    Plan,
    PlanItem,
    PlanVersion,
    RecordCopyLink,
    RecordDocument,
    RenderStatus,
)
from plans.services import coach
from plans.services import documents as record_documents
from plans.services.links import plan_link_create

from .factories import (
    BASE_URL,
    EvaluationFactory,
    PatientFactory,
    UserFactory,
    actor_for,
)

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)  # a Tuesday, before the day's calls


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
    visit: Visit  # a follow-up booked for tomorrow
    note: TreatmentNote  # the draft note of yesterday's visit, by the clinician
    letter: RecordDocument  # a physician letter about the signed evaluation, ready
    copy: RecordDocument  # the patient's copy of the record, ready and released
    copy_link: RecordCopyLink
    coach_link: CoachLink  # the coach's read-only link to the plan
    tokens: dict[str, str]  # kind of private link -> the token of its URL
    grant: EmergencyAccess | None = None

    @property
    def photo_key(self) -> str:
        return self.item.exercise.key


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def signed_evaluation(patient, clinician) -> tuple[Evaluation, Goal, GaitMedia]:
    """Signed, with a goal and a gait photo (added before signing, as the editor does)."""
    evaluation = EvaluationFactory(patient=patient, clinician=clinician, diagnosis="M22.2X2")
    goal = Goal.objects.create(evaluation=evaluation, term="short", text="Run 5 km pain-free")
    upload = SimpleUploadedFile("gait.png", PNG, "image/png")
    media = gait_media_add(
        evaluation=evaluation,
        upload=upload,
        content_type="image/png",
        caption="Side view",
        actor=actor_for(clinician),
    )
    evaluation.sign(by=clinician)
    return evaluation, goal, media


def issued_plan(evaluation, clinician) -> tuple[Plan, PlanVersion]:
    """A plan issued from the evaluation, its first exercise with a photo, its PDF ready."""
    actor = actor_for(clinician)
    plan = plan_services.plan_generate(evaluation=evaluation, phase="strengthen", actor=actor)
    exercise = plan.items.order_by("order").first().exercise
    if not exercise.photo:
        exercise.photo.save("own.png", ContentFile(PNG))
    version = plan_services.plan_issue(plan=plan, actor=actor)
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
    actor = actor_for(clinician)
    letter = record_documents.letter_request(
        evaluation=evaluation, kind="physician_letter", actor=actor
    )
    ready_file(letter, b"%PDF-1.4 a stand-in for the letter")
    copy = record_documents.patient_copy_request(patient=evaluation.patient, actor=actor)
    ready_file(copy, b"PK a stand-in for the zip")
    link, _url, _queued = record_documents.patient_copy_release(
        document=copy, base_url="http://testserver/", actor=actor
    )
    return letter, copy, (link, link.token())


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


def booked_visit(patient, clinician, desk, hour: int) -> Visit:
    start = NOW.replace(hour=hour) + datetime.timedelta(days=1)
    visit_type = VisitType.objects.get(key="follow_up")
    return Visit.objects.create(
        patient=patient,
        clinician=clinician,
        visit_type=visit_type,
        start=start,
        end=start + datetime.timedelta(minutes=visit_type.minutes),
        booked_by=desk,
    )


def draft_note(patient, clinician, desk, hour: int) -> TreatmentNote:
    """Yesterday's visit, attended, with its note started by the clinician."""
    visit = booked_visit(patient, clinician, desk, hour)
    Visit.objects.filter(pk=visit.pk).update(
        start=visit.start - datetime.timedelta(days=2),
        end=visit.end - datetime.timedelta(days=2),
        status="arrived",
    )
    visit.refresh_from_db()
    return note_services.note_open(visit=visit, actor=actor_for(clinician))


def build_world(patient, clinician, desk, *, call_hour: int) -> World:
    """Everything the app keeps about one patient, made by the app's own services."""
    link, intake_url, _ = services.intake_link_create(
        patient=patient, actor=actor_for(desk), base_url=BASE_URL, email=False
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
        patient=patient,
        measures=["NPRS"],
        actor=actor_for(clinician),
        base_url=BASE_URL,
        email=False,
    )
    signed, goal, media = signed_evaluation(patient, clinician)
    plan, version = issued_plan(signed, clinician)
    plan_link, plan_token = plan_link_create(plan=plan, by=clinician, purpose="mail")
    call, call_token = booked_call(patient, clinician, call_hour)
    letter, copy, (copy_link, copy_token) = record_files(signed, clinician)
    coach_link, coach_url = coach.coach_link_create(
        plan=plan,
        show_diagnosis=False,
        base_url="http://testserver",
        actor=actor_for(clinician),
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
        visit=booked_visit(patient, clinician, desk, call_hour),
        note=draft_note(patient, clinician, desk, call_hour),
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


def build_clinic() -> Clinic:
    """Patient A (of the clinician) and patient B (of the outsider), each with a world; front
    desk, a clinic admin, and a colleague's emergency access to A waiting for review."""
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
    return Clinic(desk, admin_user, clinician, outsider, a, b, roles)
