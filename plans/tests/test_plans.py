"""Plans from signed evaluations: generation, editing, contraindications, issuing, versions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import (
    EvaluationFactory,
    IntakeFactory,
    SignedEvaluationFactory,
    UserFactory,
    actor_for,
)
from intake import diagnoses
from intake.models import RedFlagAlert
from plans import progressions, services
from plans.models import Exercise, Plan, PlanItem, PlanVersion
from plans.services import plans as plan_services

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}


CONDITIONS = [(c.key, c.codes[0].code) for c in diagnoses.CURATED]


@pytest.mark.django_db
@pytest.mark.parametrize(("condition", "code"), CONDITIONS, ids=[c for c, _ in CONDITIONS])
def test_every_seeded_condition_gets_a_plan_with_reasons_and_nothing_contraindicated(
    clinician, condition, code
):
    evaluation = SignedEvaluationFactory(
        clinician=clinician, diagnosis=code, diagnosis__condition=condition
    )
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
    )
    items = list(plan.items.select_related("exercise"))
    assert items, condition
    for item in items:
        assert item.reasons and all(r.strip() for r in item.reasons)
        assert condition not in item.exercise.contraindicated_conditions
        assert not item.exercise.impact or condition not in {
            "bone_stress_tibia_fibula",
            "bone_stress_foot_ankle",
            "bone_stress_pelvis_femur",
        }


@pytest.mark.django_db
def test_the_same_evaluation_always_gives_the_same_plan(clinician):
    # left Achilles tendinitis
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M76.62")
    actor = actor_for(clinician)
    first = services.plan_generate(evaluation=evaluation, phase="strengthen", actor=actor)
    second = services.plan_generate(evaluation=evaluation, phase="strengthen", actor=actor)

    def shape(plan):
        return [
            (i.exercise.key, i.order, i.reasons, i.sets, i.reps, i.sessions_per_day)
            for i in plan.items.select_related("exercise")
        ]

    assert shape(first) == shape(second)
    keys = [key for key, *_ in shape(first)]
    assert "eccentric_heel_drop_straight" in keys  # Alfredson (DOMAIN.md section 2)
    drop = first.items.get(exercise__key="eccentric_heel_drop_straight")
    assert (drop.sets, drop.reps, drop.sessions_per_day, drop.days_per_week) == (3, 15, 2, 7)


@pytest.mark.django_db
def test_a_bone_stress_injury_gets_impact_only_from_return_to_run_then_runs_and_hops(clinician):
    # Point 1: today's main kept every impact exercise out in every phase, so the cadence run
    # (Warden 2014) never came and a perform plan held a single calf raise.
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M84.361A")  # tibia

    def plan_keys(phase):
        plan = services.plan_generate(
            evaluation=evaluation, phase=phase, actor=actor_for(clinician)
        )
        return set(plan.items.values_list("exercise__key", flat=True)), plan

    for phase in ("protect", "strengthen"):
        keys, plan = plan_keys(phase)
        assert not plan.items.filter(exercise__impact=True).exists(), phase
    keys, _ = plan_keys("return_to_run")
    assert {"metronome_run", "pogo_hops"} <= keys
    keys, _ = plan_keys("perform")
    assert {"metronome_run", "pogo_hops", "single_leg_hops"} <= keys and len(keys) >= 4


@pytest.mark.django_db
def test_a_suspected_bone_stress_injury_never_gets_hops_in_any_phase(clinician):
    from intake.models import SpecialTest

    evaluation = EvaluationFactory(clinician=clinician, diagnosis="M22.2X2")
    SpecialTest.objects.create(
        evaluation=evaluation, key="focal_bony_tenderness", side="left", result="positive"
    )
    evaluation.sign(by=clinician)
    for phase in ("protect", "strengthen", "return_to_run", "perform"):
        plan = services.plan_generate(
            evaluation=evaluation, phase=phase, actor=actor_for(clinician)
        )
        assert not plan.items.filter(exercise__impact=True).exists(), phase


@pytest.mark.django_db
def test_proximal_hamstring_loading_into_hip_flexion_comes_in_the_later_stages(clinician):
    # Point 2: the library forbade single-leg deadlifts and Nordics for the condition, so
    # Goom 2016's late-stage rules never fired.
    evaluation = SignedEvaluationFactory(
        clinician=clinician,
        diagnosis="M76.892",
        diagnosis__condition="proximal_hamstring_tendinopathy",
    )

    def plan_for(phase):
        return services.plan_generate(
            evaluation=evaluation, phase=phase, actor=actor_for(clinician)
        )

    strengthen = plan_for("strengthen")
    keys = set(strengthen.items.values_list("exercise__key", flat=True))
    assert not keys & {"single_leg_deadlift", "nordic_hamstring"}
    assert "single_leg_deadlift" in set(
        plan_for("return_to_run").items.values_list("exercise__key", flat=True)
    )
    perform = set(plan_for("perform").items.values_list("exercise__key", flat=True))
    assert {"single_leg_deadlift", "nordic_hamstring"} <= perform
    deadlift = Exercise.objects.get(key="single_leg_deadlift")
    reason = plan_services.contraindication(strengthen, deadlift)
    assert "in the strengthen phase" in reason


@pytest.mark.django_db
def test_a_shin_splints_patient_coded_m76_89_gets_a_shin_plan_not_a_hamstring_one(clinician):
    # Point 3: the code -> condition lookup kept the last condition, the hamstring.
    evaluation = SignedEvaluationFactory(
        clinician=clinician,
        diagnosis="M76.892",
        diagnosis__condition="medial_tibial_stress_syndrome",
    )
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
    )
    keys = set(plan.items.values_list("exercise__key", flat=True))
    assert "calf_raise_single_straight" in keys
    assert not keys & {"isometric_hamstring_bridge", "hamstring_bridge", "slider_hamstring_curl"}


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ["protect", "strengthen", "return_to_run", "perform"])
def test_insertional_achilles_never_gets_below_step_work(clinician, phase):
    # Point 4: Alfredson drops below step level compress the insertion (Jonsson 2008).
    evaluation = SignedEvaluationFactory(
        clinician=clinician, diagnosis="M76.62", diagnosis__condition="achilles_insertional"
    )
    plan = services.plan_generate(evaluation=evaluation, phase=phase, actor=actor_for(clinician))
    keys = set(plan.items.values_list("exercise__key", flat=True))
    below_step = {
        "eccentric_heel_drop_straight",
        "eccentric_heel_drop_bent",
        "standing_heavy_calf_raise",
    }
    assert keys and not keys & below_step
    if phase in ("strengthen", "return_to_run"):
        assert "eccentric_heel_drop_floor" in keys
    drop = Exercise.objects.get(key="eccentric_heel_drop_straight")
    assert "insertional achilles" in plan_services.contraindication(plan, drop).lower()


@pytest.mark.django_db
def test_the_cadence_run_rides_on_the_walk_run_stage_not_a_fixed_twenty_minutes(clinician):
    # Point 6: a fixed 20-minute continuous run overrode stage 1's 3 min run / 2 min walk.
    from intake.models import GaitAnalysis

    evaluation = EvaluationFactory(
        clinician=clinician, diagnosis="M22.2X2", interventions=["gait_retraining"]
    )
    GaitAnalysis.objects.create(evaluation=evaluation, cadence=160)
    evaluation.sign(by=clinician)
    plan = services.plan_generate(
        evaluation=evaluation, phase="return_to_run", actor=actor_for(clinician)
    )
    run = plan.items.get(exercise__key="metronome_run")
    words = f"{run.exercise.dosage_notes} {run.dosage_notes}"
    assert "20 minutes" not in words
    assert "walk-run stage" in run.dosage_notes


@pytest.mark.django_db
def test_no_plan_while_a_femoral_neck_red_flag_is_unresolved(clinician):
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M76.32")
    RedFlagAlert.objects.create(
        patient=evaluation.patient,
        key="femoral_neck",
        kind="femoral_neck",
        label="Suspected femoral neck bone stress injury",
        severity="urgent",
        hard_stop=True,
    )
    with pytest.raises(ValidationError):
        services.plan_generate(
            evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
        )
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_an_unsigned_evaluation_gives_no_plan(client, clinician):
    evaluation = EvaluationFactory(clinician=clinician)
    client.force_login(clinician)
    response = client.post(reverse("plans:plan_create", args=[evaluation.pk]), follow=True)
    assert "Sign the evaluation" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_editing_with_htmx_returns_only_the_item_list(client, plan):
    item = plan.items.order_by("order").first()
    url = reverse("plans:plan_item_update", args=[item.pk])
    data = {
        f"item-{item.pk}-{k}": v
        for k, v in {
            "sets": "4",
            "reps": "10",
            "load": "bodyweight",
            "sessions_per_day": "1",
            "days_per_week": "3",
            "side": "each",
        }.items()
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="plan-items">')
    assert "<html" not in body
    item.refresh_from_db()
    assert (item.sets, item.reps) == (4, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sets": "0"}, "greater than or equal to 1"),
        ({"reps": "500"}, "less than or equal to 100"),
        ({"reps": "", "hold_seconds": "0"}, "greater than or equal to 1"),
        ({"load": "kg", "load_value": "-5"}, "positive number"),
        ({"reps": "", "hold_seconds": ""}, "Give repetitions, a hold time"),
        ({"tempo": "slow"}, "seconds up-hold-down"),
    ],
)
def test_bad_dosage_is_refused_with_a_message_and_nothing_saved(client, plan, changes, message):
    item = plan.items.order_by("order").first()
    before = (item.sets, item.reps, item.hold_seconds, item.load, item.load_value, item.tempo)
    values = {
        "sets": "3",
        "reps": "12",
        "load": "bodyweight",
        "sessions_per_day": "1",
        "days_per_week": "3",
        "side": "each",
        **changes,
    }
    data = {f"item-{item.pk}-{k}": v for k, v in values.items()}
    response = client.post(
        reverse("plans:plan_item_update", args=[item.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert before == (
        item.sets,
        item.reps,
        item.hold_seconds,
        item.load,
        item.load_value,
        item.tempo,
    )


@pytest.mark.django_db
def test_reorder_and_remove(client, plan):
    first, second = plan.items.order_by("order")[:2]
    client.post(reverse("plans:plan_item_move", args=[second.pk, "up"]), HTTP_HX_REQUEST="true")
    assert list(plan.items.order_by("order")[:2]) == [second, first]
    client.post(reverse("plans:plan_item_remove", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert list(plan.items.values_list("order", flat=True)) == list(
        range(1, plan.items.count() + 1)
    )
    assert (
        client.post(reverse("plans:plan_item_move", args=[first.pk, "sideways"])).status_code == 404
    )


@pytest.mark.django_db
def test_a_contraindicated_exercise_needs_a_reason_and_is_recorded(client, clinician):
    # tibial stress fracture
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M84.361A")
    client.force_login(clinician)
    client.post(reverse("plans:plan_create", args=[evaluation.pk]), {"phase": "strengthen"})
    plan = Plan.objects.get()
    hops = Exercise.objects.get(key="pogo_hops")
    url = reverse("plans:plan_item_add", args=[plan.pk])
    response = client.post(url, {"exercise": hops.pk}, HTTP_HX_REQUEST="true")
    assert "is contraindicated" in response.content.decode()
    assert not plan.items.filter(exercise=hops).exists()
    client.post(
        url,
        {"exercise": hops.pk, "override_reason": "Cleared by MRI on review"},
        HTTP_HX_REQUEST="true",
    )
    added = plan.items.get(exercise=hops)
    assert added.override_reason == "Cleared by MRI on review" and added.override_by == clinician
    assert AuditEvent.objects.filter(detail__contains="despite contraindication").exists()


@pytest.mark.django_db
def test_issuing_freezes_a_numbered_version_that_library_edits_never_change(client, plan):
    response = client.post(reverse("plans:plan_issue", args=[plan.pk]), CONFIRM)
    version = PlanVersion.objects.get()
    assert response["Location"] == reverse("plans:version_detail", args=[version.pk])
    first = plan.items.order_by("order").first()
    snapshot_name = version.snapshot["items"][0]["name"]
    assert snapshot_name == first.exercise.name
    assert version.snapshot["items"][0]["dosage_sentence"]
    Exercise.objects.filter(pk=first.exercise_id).update(name="Renamed later", instructions="new")
    version.refresh_from_db()
    assert version.snapshot["items"][0]["name"] == snapshot_name
    assert AuditEvent.objects.filter(action=AuditAction.ISSUED).count() == 1
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        PlanVersion.objects.filter(pk=version.pk).update(number=9)
    with pytest.raises(ValidationError):
        version.delete()
    # A second issue supersedes the first; both stay readable.
    client.post(reverse("plans:plan_issue", args=[plan.pk]), CONFIRM)
    assert list(PlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    old = client.get(reverse("plans:version_detail", args=[version.pk])).content.decode()
    assert "replaced by version 2" in old


@pytest.mark.django_db
def test_an_empty_plan_cannot_be_issued(client, plan):
    PlanItem.objects.filter(plan=plan).delete()
    response = client.post(reverse("plans:plan_issue", args=[plan.pk]), CONFIRM, follow=True)
    assert "Add at least one exercise" in response.content.decode()
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_return_to_run_is_part_of_the_issued_plan(client, clinician):
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M76.32")
    client.force_login(clinician)
    client.post(reverse("plans:plan_create", args=[evaluation.pk]), {"phase": "return_to_run"})
    plan = Plan.objects.get()
    assert plan.return_to_run
    client.post(
        reverse("plans:plan_settings", args=[plan.pk]),
        {"notes": "See you in two weeks", "return_to_run": "on", "run_stage": "3"},
    )
    client.post(reverse("plans:plan_issue", args=[plan.pk]), CONFIRM)
    snapshot = PlanVersion.objects.get().snapshot
    assert snapshot["return_to_run"]["current_stage"] == 3
    assert len(snapshot["return_to_run"]["stages"]) == 6
    assert snapshot["return_to_run"]["pain_guide"]
    page = client.get(reverse("plans:version_detail", args=[PlanVersion.objects.get().pk]))
    assert "Your return to running" in page.content.decode()


@pytest.mark.django_db
def test_a_rule_naming_an_unknown_exercise_is_refused_in_the_admin(client, db):
    admin = UserFactory(username="p-admin", role=Role.CLINIC_ADMIN, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:plans_planrulerow_add"),
        {
            "key": "bad-rule",
            "exercise_key": "moonwalk",
            "when_conditions": "[]",
            "when_flags": "[]",
            "phases": "[]",
            "priority": "10",
            "reason": "Because",
            "dosage_overrides": "{}",
            "source": "project default",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "moonwalk" in response.content.decode()


@pytest.mark.django_db
def test_preview_shows_what_the_patient_will_get_without_issuing(client, plan):
    page = client.get(reverse("plans:plan_preview", args=[plan.pk])).content.decode()
    first = plan.items.order_by("order").first()
    assert "Preview" in page and first.exercise.name in page
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_editor_queries_do_not_grow_with_plan_size(client, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("plans:plan_edit", args=[plan.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for exercise in Exercise.objects.exclude(pk__in=plan.items.values("exercise"))[:10]:
        PlanItem.objects.create(plan=plan, exercise=exercise, order=99, **exercise.dosage())
    assert count() == small <= 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"load": "nRM", "load_value": "15 RM"},
        {"load": "RPE", "load_value": "6-7"},
        {"load": "kg", "load_value": "1e1"},
        {"tempo": "0-0-0"},
        {"tempo": "²-2-3"},
    ],
)
def test_dosage_the_patient_sentence_cannot_express_is_refused_not_a_500(client, plan, changes):
    item = plan.items.order_by("order").first()
    values = {
        "sets": "3",
        "reps": "12",
        "load": "bodyweight",
        "sessions_per_day": "1",
        "days_per_week": "3",
        "side": "each",
        **changes,
    }
    data = {f"item-{item.pk}-{k}": v for k, v in values.items()}
    response = client.post(
        reverse("plans:plan_item_update", args=[item.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.load_value, item.tempo) != (changes.get("load_value"), changes.get("tempo"))


@pytest.mark.django_db
def test_a_bad_walk_run_stage_keeps_the_note_that_was_typed(client, plan):
    response = client.post(
        reverse("plans:plan_settings", args=[plan.pk]),
        {"notes": "A long careful note for the patient", "run_stage": "7"},
    )
    assert response.status_code == 200
    assert "A long careful note for the patient" in response.content.decode()
    plan.refresh_from_db()
    assert plan.notes == ""


@pytest.mark.django_db
def test_a_measured_cadence_alone_does_not_prescribe_cadence_work(clinician):
    from intake.models import GaitAnalysis

    evaluation = EvaluationFactory(clinician=clinician, diagnosis="M22.2X2")
    GaitAnalysis.objects.create(evaluation=evaluation, cadence=190)
    evaluation.sign(by=clinician)
    plan = services.plan_generate(
        evaluation=evaluation, phase="return_to_run", actor=actor_for(clinician)
    )
    assert not plan.items.filter(exercise__key="metronome_run").exists()


def _hop_evaluation(clinician, *, tests=("hop_test",), night_pain=False):
    """A left patellofemoral evaluation with these special tests positive, signed."""
    from intake.models import SpecialTest

    intake = IntakeFactory(accepted=True, red_flag_answers={"night_rest_pain": night_pain})
    evaluation = EvaluationFactory(
        clinician=clinician, patient=intake.patient, intake=intake, diagnosis="M22.2X2"
    )
    for key in tests:
        SpecialTest.objects.create(evaluation=evaluation, key=key, side="left", result="positive")
    evaluation.sign(by=clinician)
    return evaluation


@pytest.mark.django_db
def test_pain_on_hopping_alone_is_a_finding_not_a_suspected_bone_stress_injury(clinician):
    # Point 15: today's main read any hop pain as suspected bone stress and said so.
    findings = plan_services.findings_for(_hop_evaluation(clinician), "strengthen")
    assert "positive_hop_test" in findings.flags
    assert "suspected_bone_stress" not in findings.flags


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tests", "night_pain"),
    [(("hop_test",), True), (("focal_bony_tenderness",), False)],
    ids=["hop-pain-with-night-pain", "focal-bony-tenderness"],
)
def test_hop_pain_with_night_pain_or_focal_tenderness_suspects_bone_stress(
    clinician, tests, night_pain
):
    evaluation = _hop_evaluation(clinician, tests=tests, night_pain=night_pain)
    assert "suspected_bone_stress" in plan_services.findings_for(evaluation, "strengthen").flags


@pytest.mark.django_db
def test_a_y_balance_past_plisky_cut_off_adds_balance_work(clinician):
    from intake.models import Measurement

    evaluation = EvaluationFactory(clinician=clinician, diagnosis="M22.2X2")
    Measurement.objects.create(
        evaluation=evaluation, key="y_balance_anterior", left="58", right="63"
    )
    evaluation.sign(by=clinician)
    findings = plan_services.findings_for(evaluation, "strengthen")
    assert "y_balance_reach_low" in findings.flags
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
    )
    reach = plan.items.get(exercise__key="single_leg_balance_reach")
    assert "4 cm" in " ".join(reach.reasons)
    from django.test import Client

    client = Client()
    client.force_login(clinician)
    page = client.get(reverse("intake:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "past the injury cut-off" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "condition", "exercise", "progression"),
    [
        ("M76.62", "achilles_midportion", "eccentric_heel_drop_straight", "alfredson"),
        ("M72.2", "plantar_heel_pain", "towel_heel_raise", "rathleff_heel_raise"),
    ],
)
def test_a_generated_plan_follows_the_published_progression(
    clinician, code, condition, exercise, progression
):
    evaluation = SignedEvaluationFactory(
        clinician=clinician, diagnosis=code, diagnosis__condition=condition
    )
    plan = services.plan_generate(
        evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
    )
    item = plan.items.get(exercise__key=exercise)
    assert item.progression == progression
    # Week 1's dose and the length come from the program itself.
    program = progressions.PROGRESSIONS[progression]
    first = program.steps[0]
    assert (item.sets, item.reps, item.weeks) == (first.sets, first.reps, program.weeks)
    if first.rm:
        assert (item.load, item.load_value) == ("nRM", f"{first.reps}RM")
    words = f"{item.dosage_notes}".lower()
    assert not ("every other day" in words and item.days_per_week == 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "key", "label"),
    [
        ("dvt", "wells", "Possible deep vein thrombosis"),
        ("general", "saddle_numbness", "Saddle numbness"),
    ],
)
def test_a_hard_stop_other_than_the_femoral_neck_blocks_the_plan_in_its_own_words(
    clinician, kind, key, label
):
    evaluation = SignedEvaluationFactory(clinician=clinician)
    RedFlagAlert.objects.create(
        patient=evaluation.patient,
        key=key,
        kind=kind,
        label=label,
        severity="urgent",
        hard_stop=True,
    )
    with pytest.raises(ValidationError) as error:
        services.plan_generate(
            evaluation=evaluation, phase="strengthen", actor=actor_for(clinician)
        )
    message = " ".join(error.value.messages)
    assert label in message and "MRI" not in message and "femoral" not in message
    assert not Plan.objects.exists()
