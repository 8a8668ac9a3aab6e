"""Plans from signed evaluations: generation, editing, contraindications, issuing, versions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import (
    EvaluationFactory,
    SignedEvaluationFactory,
    UserFactory,
    actor_for,
)
from intake import diagnoses
from intake.models import RedFlagAlert
from plans import services
from plans.models import Exercise, Plan, PlanItem, PlanVersion

# The confirmation step of "Sign…" and "Issue…" (a stray POST is refused).
CONFIRM = {"confirm": "yes"}


CONDITIONS = [(c.key, c.codes[0].code) for c in diagnoses.CURATED]


@pytest.mark.django_db
@pytest.mark.parametrize(("condition", "code"), CONDITIONS, ids=[c for c, _ in CONDITIONS])
def test_every_seeded_condition_gets_a_plan_with_reasons_and_nothing_contraindicated(
    clinician, condition, code
):
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis=code)
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
def test_a_suspected_bone_stress_injury_never_gets_hops(clinician):
    # right tibia stress fracture
    evaluation = SignedEvaluationFactory(clinician=clinician, diagnosis="M84.361A")
    for phase in ("protect", "strengthen", "return_to_run", "perform"):
        plan = services.plan_generate(
            evaluation=evaluation, phase=phase, actor=actor_for(clinician)
        )
        assert not plan.items.filter(exercise__impact=True).exists(), phase


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
