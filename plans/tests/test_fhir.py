"""FHIR export of one patient's record: every resource validates, holds the record, and only
clinicians of the patient's care team and clinic admins may download it (audited)."""

import datetime
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import (
    DiscoveryCallFactory,
    EvaluationFactory,
    IntakeFactory,
    OutcomeRequestFactory,
    PatientFactory,
    PlanFactory,
    PlanVersionFactory,
    UserFactory,
)
from intake.models import (
    Complaint,
    Diagnosis,
    Evaluation,
    GaitAnalysis,
    Measurement,
    PriorInjury,
    RunnerProfile,
    SpecialTest,
)
from plans import fhir, records
from plans.models import RenderJob

from .helpers import LEFS_ANSWERS, outcome

CHECKSUM = "ab" * 32


@pytest.fixture
def caller(db):
    return UserFactory(username="fhir-caller", first_name="Sam", role=Role.CLINICIAN)


def make_intake(patient, clinician):
    now = timezone.now()
    intake = IntakeFactory(
        patient=patient,
        accepted=True,
        submitted_at=now,
        accepted_at=now,
        accepted_by=clinician,
        red_flag_answers={"night_rest_pain": False},
        privacy_notice_version="2026-01",
        privacy_accepted_at=now,
    )
    RunnerProfile.objects.create(
        intake=intake, years_running=5, weekly_distance_km=Decimal("40.5"), surfaces=["road"]
    )
    Complaint.objects.create(
        intake=intake, region="knee", side="left", pain_now=4, pain_best=2, pain_worst=7
    )
    PriorInjury.objects.create(intake=intake, region="shin", year=2022, weeks_lost=6)
    return intake


def make_evaluation(patient, clinician, intake):
    evaluation = Evaluation.objects.create(
        patient=patient,
        clinician=clinician,
        kind="initial",
        involved_side="left",
        intake=intake,
        date=timezone.localdate() - datetime.timedelta(days=20),
    )
    for key, left, right in (
        ("rom_hip_flexion", "110", "120"),
        ("mmt_hip_abductors", "4-", "5"),  # a grade: no symmetry index
        ("hhd_quadriceps", "30", "32"),  # LSI 93.8 %
        ("hop_single_distance", "120", "150"),  # LSI 80.0 %
    ):
        Measurement.objects.create(evaluation=evaluation, key=key, left=left, right=right)
    SpecialTest.objects.create(evaluation=evaluation, key="ober", side="left", result="positive")
    SpecialTest.objects.create(evaluation=evaluation, key="noble", side="left", result="not_tested")
    outcome(evaluation, "LEFS", LEFS_ANSWERS)
    outcome(evaluation, "NPRS", {"1": 4})
    GaitAnalysis.objects.create(
        evaluation=evaluation,
        setting="treadmill",
        speed_kmh=Decimal("10.5"),
        cadence=164,
        foot_strike="rearfoot",
        overstriding="marked",
        notes="Lands far ahead of the hip.",
    )
    Diagnosis.objects.create(
        evaluation=evaluation,
        code="M22.2X2",
        description="Patellofemoral disorders, left knee",
        primary=True,
    )
    Diagnosis.objects.create(
        evaluation=evaluation, code="M76.32", description="Iliotibial band syndrome, left leg"
    )
    evaluation.sign(by=clinician)
    return evaluation


def make_call(patient, clinician, *, days_ago, **extra):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return DiscoveryCallFactory(
        clinician=clinician,
        start=start,
        name="Jordan Ellis",
        email="jordan@example.com",
        phone="+14155550123",
        consent_to_contact_at=start,
        patient=patient,
        **extra,
    )


@pytest.fixture
def record(clinician, caller):
    """A patient with an intake, a signed evaluation, two issued versions, calls and more."""
    patient = PatientFactory(
        legal_first_name="Jordan",
        legal_last_name="Ellis",
        preferred_name="Jo",
        sex="female",
        email="jordan@example.com",
        phone="+14155550123",
        emergency_contact_name="Alex Ellis",
        emergency_contact_relationship="Partner",
        primary_clinician=clinician,
        status="active",
    )
    intake = make_intake(patient, clinician)
    evaluation = make_evaluation(patient, clinician, intake)
    EvaluationFactory(
        patient=patient,
        clinician=clinician,
        kind="re_evaluation",
        diagnosis="M76.31",
        diagnosis__description="draft",
    )
    plan = PlanFactory(evaluation=evaluation, phase="return_to_run")
    first, second = PlanVersionFactory(plan=plan), PlanVersionFactory(plan=plan)
    for version in (first, second):  # as a worker leaves a rendered PDF
        RenderJob.objects.filter(version=version).update(
            status="ready",
            checksum=CHECKSUM,
            file=f"plans/{plan.pk}/v{version.number}.pdf",
            finished_at=timezone.now(),
        )
    make_call(patient, caller, days_ago=40, outcome="evaluation_booked", story="Knee on hills")
    make_call(patient, caller, days_ago=45, status="cancelled")
    OutcomeRequestFactory(
        patient=patient,
        created_by=clinician,
        answers={"NPRS": {"1": 3}},
        submitted_at=timezone.now(),
    )
    other = PatientFactory(legal_first_name="Other", legal_last_name="Runner-Zed")
    make_call(other, caller, days_ago=41, outcome="not_a_fit")
    make_notes(patient, clinician)
    return patient, plan, first, second


def make_notes(patient, clinician):
    """A signed follow-up note (manual therapy and dry needling) and a draft one."""
    from clinic.tests.factories import actor_for, follow_up_visit
    from intake.models import InterventionType
    from intake.services import notes
    from intake.services.notes import Delivered, NoteData

    actor = actor_for(clinician)
    notes.consent_record(
        patient=patient,
        actor=actor,
        kind="dry_needling",
        signed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    made = [
        notes.note_open(visit=follow_up_visit(patient, clinician, days_ago=days), actor=actor)
        for days in (10, 3)
    ]
    data = NoteData(
        interventions=[
            Delivered(
                intervention=InterventionType.objects.get(key="manual_therapy"),
                minutes=15,
                details={"technique": "AP glide", "joint": "Talocrural", "grade": "III"},
            ),
            Delivered(
                intervention=InterventionType.objects.get(key="dry_needling_1_2"),
                details={"muscles": "Soleus", "side": "left", "needles": 3},
            ),
        ]
    )
    notes.note_save(note=made[0], actor=actor, data=data, revision=0)
    notes.note_sign(note=made[0], actor=actor)


def build(patient) -> dict:
    bundle = fhir.record_bundle(
        records.patient_record(patient), base_url="https://clinic.test/", now=timezone.now()
    )
    return json.loads(fhir.bundle_json(bundle))


def of_type(bundle, resource_type) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def codes(resource) -> set[str]:
    return {c["code"] for c in resource["code"]["coding"]}


def by_code(bundle, code) -> dict:
    (found,) = [r for r in of_type(bundle, "Observation") if code in codes(r)]
    return found


@pytest.mark.django_db
def test_every_exported_resource_validates_and_each_type_is_there(record):
    patient, *_ = record
    bundle = build(patient)
    assert bundle["type"] == "collection"
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
    counts = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert counts == {
        "Patient": 1,
        "Practitioner": 2,  # the clinician and the one who took the calls
        "Condition": 2,  # the draft evaluation's diagnosis is not yet part of the record
        # intake pain; 4 grid rows + 3 symmetry indexes; 1 special test (not "not tested");
        # LEFS and NPRS; cadence and the gait findings
        "Observation": 12,
        "QuestionnaireResponse": 4,  # intake, LEFS, NPRS, and NPRS answered at home
        "CarePlan": 2,
        "Appointment": 2,
        "Encounter": 1,  # the signed note's visit; the draft is not yet part of the record
        "Procedure": 2,
        "DocumentReference": 2,
    }


@pytest.mark.django_db
def test_every_reference_points_to_an_entry_of_the_bundle(record):
    patient, *_ = record
    bundle = build(patient)
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    references = {part.split('"')[0] for part in text.split('"reference": "')[1:]}
    assert references and references <= full_urls
    assert build(patient)["entry"][0]["fullUrl"] == bundle["entry"][0]["fullUrl"]  # stable ids


@pytest.mark.django_db
def test_the_patient_and_diagnoses_are_exported_with_their_codes(record, clinician):
    patient, *_ = record
    bundle = build(patient)
    (person,) = of_type(bundle, "Patient")
    assert person["name"][0] == {"use": "official", "family": "Ellis", "given": ["Jordan"]}
    assert person["name"][1]["given"] == ["Jo"]
    assert person["gender"] == "female" and person["birthDate"] == "1990-05-17"
    assert {"system": "phone", "value": "+14155550123"} in person["telecom"]
    assert person["contact"][0]["name"]["text"] == "Alex Ellis"
    assert "Runner-Zed" not in json.dumps(bundle)  # nothing of another patient
    practitioners = {p["name"][0]["text"] for p in of_type(bundle, "Practitioner")}
    assert practitioners == {"Maya Okafor", "Sam"}
    conditions = {c["code"]["coding"][0]["code"]: c for c in of_type(bundle, "Condition")}
    assert set(conditions) == {"M22.2X2", "M76.32"}
    primary = conditions["M22.2X2"]
    assert primary["code"]["coding"][0]["system"] == "http://hl7.org/fhir/sid/icd-10-cm"
    assert "primary" in {c["code"] for cat in primary["category"] for c in cat["coding"]}
    assert "primary" not in json.dumps(conditions["M76.32"]["category"])


@pytest.mark.django_db
def test_observations_carry_pain_scores_items_and_symmetry(record):
    patient, *_ = record
    bundle = build(patient)
    pains = [r for r in of_type(bundle, "Observation") if "72514-3" in codes(r)]
    assert sorted(
        p.get("valueInteger", p.get("valueQuantity", {}).get("value")) for p in pains
    ) == [4, 4]  # the questionnaire's pain now, and the NPRS at the evaluation
    lefs = by_code(bundle, "LEFS")
    assert lefs["valueQuantity"]["value"] == 60 and lefs["status"] == "final"
    assert len(lefs["component"]) == 20
    assert {c["valueInteger"] for c in lefs["component"]} == {3}
    hop = by_code(bundle, "hop_single_distance.lsi")
    assert hop["valueQuantity"]["value"] == 80
    assert hop["interpretation"][0]["coding"][0]["code"] == "L"
    with pytest.raises(ValueError):  # ordinal grades get no symmetry index
        by_code(bundle, "mmt_hip_abductors.lsi")
    assert by_code(bundle, "hhd_quadriceps.lsi")["valueQuantity"]["value"] == 93.8  # 93.75
    assert "interpretation" not in by_code(bundle, "hhd_quadriceps.lsi")
    force = by_code(bundle, "hhd_quadriceps")["component"]
    assert [(c["valueQuantity"]["value"], c["valueQuantity"]["code"]) for c in force] == [
        (30, "kg"),
        (32, "kg"),
    ]
    cadence = by_code(bundle, "cadence")
    assert cadence["valueQuantity"] == {
        "value": 164,
        "unit": "steps/min",
        "system": "http://unitsofmeasure.org",
        "code": "/min",
    }
    gait = by_code(bundle, "running-gait-analysis")
    shown = {
        c["valueCodeableConcept"]["text"] for c in gait["component"] if "valueCodeableConcept" in c
    }
    assert {"Treadmill", "Rearfoot", "Marked"} <= shown
    ober = by_code(bundle, "ober")
    assert ober["valueCodeableConcept"]["text"] == "Positive"


@pytest.mark.django_db
def test_questionnaire_responses_hold_the_intake_and_each_measure(record):
    patient, *_ = record
    bundle = build(patient)
    responses = of_type(bundle, "QuestionnaireResponse")
    (intake,) = [r for r in responses if r["questionnaire"].endswith("/intake")]
    answers = {
        item["linkId"]: item["answer"][0]
        for group in intake["item"]
        for item in group["item"]
        if "answer" in item
    }
    assert answers["complaint.pain_now"] == {"valueInteger": 4}
    assert answers["profile.weekly_distance_km"] == {"valueDecimal": 40.5}
    assert answers["complaint.region"]["valueCoding"]["code"] == "knee"
    assert answers["screen.night_rest_pain"] == {"valueBoolean": False}
    history = [g for g in intake["item"] if g["linkId"] == "history"][0]
    assert history["item"][0]["item"][0]["linkId"] == "history.injury.region"
    nprs = [r for r in responses if r["questionnaire"].endswith("/nprs")]
    assert sorted(r["item"][0]["answer"][0]["valueInteger"] for r in nprs) == [3, 4]
    (lefs,) = [r for r in responses if r["questionnaire"].endswith("/lefs")]
    assert len(lefs["item"]) == 20 and lefs["status"] == "completed"


@pytest.mark.django_db
def test_care_plans_have_their_exercises_and_walk_run_stages(record):
    patient, plan, first, second = record
    bundle = build(patient)
    plans = {p["title"]: p for p in of_type(bundle, "CarePlan")}
    old, current = plans["Home-exercise plan, version 1"], plans["Home-exercise plan, version 2"]
    assert (old["status"], current["status"]) == ("revoked", "active")
    entries = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    assert current["replaces"] == [{"reference": entries[old["id"]]}]
    exercise_keys = [item["key"] for item in second.snapshot["items"]]
    activity_codes = [a["detail"]["code"]["coding"][0]["code"] for a in current["activity"]]
    assert activity_codes[: len(exercise_keys)] == exercise_keys
    stages = [c for c in activity_codes if c.startswith("walk-run-stage-")]
    assert stages == [f"walk-run-stage-{n}" for n in range(1, 7)]
    statuses = [a["detail"]["status"] for a in current["activity"][-6:]]
    assert statuses == ["in-progress"] + ["not-started"] * 5  # issued at stage 1
    assert len(current["addresses"]) == 2


@pytest.mark.django_db
def test_calls_become_appointments_and_pdfs_document_references(record):
    patient, plan, first, second = record
    bundle = build(patient)
    assert sorted(a["status"] for a in of_type(bundle, "Appointment")) == [
        "cancelled",
        "fulfilled",
    ]
    documents = {d["description"]: d for d in of_type(bundle, "DocumentReference")}
    current = documents["Home-exercise plan, version 2 (PDF)"]
    assert current["status"] == "current"
    assert documents["Home-exercise plan, version 1 (PDF)"]["status"] == "superseded"
    attachment = current["content"][0]["attachment"]
    assert attachment["url"] == "https://clinic.test" + reverse(
        "plans:version_pdf", args=[second.pk]
    )
    assert attachment["extension"][0]["valueString"] == CHECKSUM
    assert "data" not in attachment


@pytest.mark.django_db
def test_an_invalid_resource_is_refused_before_it_leaves():
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Observation"}}],
    }
    with pytest.raises(ValueError):  # pydantic's ValidationError: no status, no code
        fhir.bundle_json(bundle)


# ------------------------------------------------------------------ who may export


def export(client, user, patient):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("plans:patient_fhir_export", args=[patient.pk]))


def exports(patient) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.EXPORTED, patient=patient, detail="fhir"
    ).count()


@pytest.mark.django_db
def test_the_care_team_clinician_downloads_the_bundle_and_it_is_audited(client, record, clinician):
    patient, *_ = record
    response = export(client, clinician, patient)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="patient-{patient.pk}-fhir.json"'
    assert "Ellis" not in disposition
    assert json.loads(response.content)["resourceType"] == "Bundle"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED, patient=patient)
    assert (event.actor, event.detail) == (clinician, "fhir")


@pytest.mark.django_db
def test_a_clinic_admin_may_export(client, record):
    patient, *_ = record
    admin = UserFactory(username="fhir-admin", role=Role.CLINIC_ADMIN, is_staff=True)
    assert export(client, admin, patient).status_code == 200
    assert exports(patient) == 1


@pytest.mark.django_db
def test_others_may_not_export_and_nothing_is_audited_as_exported(client, record, caller):
    patient, *_ = record
    anonymous = export(client, None, patient)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    desk = UserFactory(username="fhir-desk", role=Role.FRONT_DESK)
    assert export(client, desk, patient).status_code == 403
    assert export(client, UserFactory(username="fhir-nobody"), patient).status_code == 403
    # A clinician outside the patient's care team: the record does not exist for them.
    assert export(client, caller, patient).status_code == 404
    assert exports(patient) == 0


@pytest.mark.django_db
def test_the_chart_offers_the_export_only_to_who_may_export(client, record, clinician):
    patient, *_ = record
    url = reverse("plans:patient_fhir_export", args=[patient.pk])
    client.force_login(clinician)
    assert url in client.get(patient.get_absolute_url()).content.decode()
    client.force_login(UserFactory(username="fhir-desk2", role=Role.FRONT_DESK))
    assert url not in client.get(patient.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_record_loads_in_a_fixed_number_of_queries(record, django_assert_max_num_queries):
    patient, *_ = record
    # patient; intakes and their earlier injuries; signed evaluations and their measurements,
    # special tests, outcomes and diagnoses; outcome requests; plan versions; calls; signed
    # notes and their interventions.
    with django_assert_max_num_queries(13):
        build(patient)


@pytest.mark.django_db
def test_a_bundle_that_fails_validation_is_not_sent_and_not_audited(
    client, record, clinician, monkeypatch, caplog
):
    patient, *_ = record

    def broken(*args, **kwargs):
        observation = {"resourceType": "Observation", "subject": {"display": "Jordan Ellis"}}
        return {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": observation}],
        }

    monkeypatch.setattr(fhir, "record_bundle", broken)
    response = export(client, clinician, patient)
    assert response.status_code == 302 and response["Location"] == reverse("clinic:dashboard")
    assert exports(patient) == 0
    assert "failed validation" in caplog.text and "Jordan" not in caplog.text


@pytest.mark.django_db
def test_a_signed_note_is_an_encounter_and_its_interventions_procedures_with_cpt_codes(record):
    patient, *_ = record
    bundle = build(patient)
    (encounter,) = of_type(bundle, "Encounter")
    assert encounter["status"] == "finished" and encounter["class"]["code"] == "AMB"
    assert encounter["type"][0]["text"] == "Follow-up visit"
    conditions = {f"urn:uuid:{c['id']}" for c in of_type(bundle, "Condition")}
    assert {r["reference"] for r in encounter["reasonReference"]} <= conditions
    assert encounter["reasonReference"]
    procedures = {p["code"]["text"]: p for p in of_type(bundle, "Procedure")}
    manual = procedures["Manual therapy (joint mobilisation)"]
    assert {"system": "http://www.ama-assn.org/go/cpt", "code": "97140"} in manual["code"]["coding"]
    assert manual["note"][0]["text"] == "15 min; Talocrural, grade III, AP glide"
    assert manual["encounter"]["reference"] == f"urn:uuid:{encounter['id']}"
    assert all(p["status"] == "completed" for p in procedures.values())
