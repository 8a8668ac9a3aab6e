"""The daily treatment note's services (issue 21, step 5): copy-forward from the last signed
note, the two-tab check, the bad inputs (minutes not whole or longer than the visit, dry
needling without consent, a cancelled visit, signing with no intervention), signing frozen
in the model and, on PostgreSQL, in the database; addenda."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import InternalError

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import EvaluationFactory, PatientFactory, UserFactory, actor_for
from intake.models import (
    DeliveredIntervention,
    Goal,
    InterventionType,
    SignedNoteError,
    TreatmentNote,
    Visit,
    VisitStatus,
    VisitType,
)
from intake.services import notes
from intake.services.notes import Delivered, NoteData

from .helpers import LA, NOW


@pytest.fixture
def maya(db):
    return UserFactory(username="note-maya", role=Role.CLINICIAN, first_name="Maya")


@pytest.fixture
def runner(maya):
    return PatientFactory(primary_clinician=maya)


def kind(key: str) -> InterventionType:
    return InterventionType.objects.get(key=key)


def visit_on(patient, clinician, day: datetime.date, *, hour=9, status=VisitStatus.ARRIVED):
    follow_up = VisitType.objects.get(key="follow_up")
    start = datetime.datetime.combine(day, datetime.time(hour), LA)
    return Visit.objects.create(
        patient=patient,
        clinician=clinician,
        visit_type=follow_up,
        start=start,
        end=start + datetime.timedelta(minutes=follow_up.minutes),
        status=status,
        booked_by=clinician,
    )


TODAY = NOW.date()


def signed_note(patient, clinician, day, *entries, **record):
    visit = visit_on(patient, clinician, day)
    actor = actor_for(clinician)
    note = notes.note_open(visit=visit, actor=actor)
    notes.note_save(
        note=note,
        actor=actor,
        data=NoteData(record=record, interventions=list(entries)),
        revision=note.revision,
    )
    return notes.note_sign(note=note, actor=actor)


MANUAL = {"technique": "AP glide", "joint": "Talocrural", "grade": "III"}


@pytest.mark.django_db
def test_a_new_note_starts_from_the_last_signed_one_marked_as_carried_over(maya, runner, frozen):
    signed_note(
        runner,
        maya,
        TODAY - datetime.timedelta(days=3),
        Delivered(intervention=kind("manual_therapy"), minutes=15, details=MANUAL),
        Delivered(intervention=kind("therapeutic_exercise"), minutes=20),
        plan_next="Progress to single-leg hops",
    )
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor_for(maya))
    carried = list(note.interventions.select_related("intervention"))
    assert [(c.intervention.key, c.minutes, c.details, c.carried_over) for c in carried] == [
        ("manual_therapy", 15, MANUAL, True),
        ("therapeutic_exercise", 20, {}, True),
    ]
    assert note.carried_from.plan_next == "Progress to single-leg hops"
    again = notes.note_open(visit=note.visit, actor=actor_for(maya))
    assert again.pk == note.pk  # one note per visit
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(note.pk)).exists()


@pytest.mark.django_db
def test_dry_needling_is_refused_without_consent_and_not_carried_once_withdrawn(
    maya, runner, frozen
):
    visit = visit_on(runner, maya, TODAY)
    actor = actor_for(maya)
    note = notes.note_open(visit=visit, actor=actor)
    needling = Delivered(
        intervention=kind("dry_needling_1_2"),
        details={"muscles": "Gastrocnemius", "side": "left", "needles": 4},
    )
    with pytest.raises(ValidationError, match="needs the patient's signed consent"):
        notes.note_save(note=note, actor=actor, data=NoteData(interventions=[needling]), revision=0)
    consent = notes.consent_record(
        patient=runner, actor=actor, kind="dry_needling", signed_on=TODAY
    )
    notes.note_save(note=note, actor=actor, data=NoteData(interventions=[needling]), revision=0)
    notes.note_sign(note=note, actor=actor)
    notes.consent_withdraw(consent=consent, actor=actor)
    later = visit_on(runner, maya, TODAY, hour=15)
    assert not notes.note_open(visit=later, actor=actor).interventions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (46, "longer than the 45-minute visit"),
        (-1, "whole minutes"),
        (12.5, "whole minutes"),
    ],
)
def test_minutes_must_be_whole_and_fit_the_visit(maya, runner, frozen, minutes, message):
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    data = NoteData(
        interventions=[Delivered(intervention=kind("therapeutic_exercise"), minutes=minutes)]
    )
    with pytest.raises(ValidationError, match=message):
        notes.note_save(note=note, actor=actor, data=data, revision=0)
    assert not DeliveredIntervention.objects.exists()


@pytest.mark.django_db
def test_all_minutes_together_must_fit_the_visit(maya, runner, frozen):
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    data = NoteData(
        interventions=[
            Delivered(intervention=kind("therapeutic_exercise"), minutes=30),
            Delivered(intervention=kind("gait_training"), minutes=20, details={"cue": "Quiet"}),
        ]
    )
    with pytest.raises(ValidationError, match="add up to 50 minutes"):
        notes.note_save(note=note, actor=actor, data=data, revision=0)


@pytest.mark.django_db
def test_two_tabs_the_older_save_is_refused(maya, runner, frozen):
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    notes.note_save(note=note, actor=actor, data=NoteData(record={"pain_now": 3}), revision=0)
    with pytest.raises(notes.NoteConflict, match="saved in another tab"):
        notes.note_save(note=note, actor=actor, data=NoteData(record={"pain_now": 5}), revision=0)
    note.refresh_from_db()
    assert (note.pain_now, note.revision) == (3, 1)


@pytest.mark.django_db
def test_an_autosave_overtaken_by_a_newer_save_of_the_same_page_is_refused(maya, runner, frozen):
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    page = {"tab": "a" * 32}

    def save(pain, seq, revision=0):
        data = NoteData(record={"pain_now": pain})
        return notes.note_save(
            note=note, actor=actor, data=data, revision=revision, seq=seq, **page
        )

    save(4, seq=1_000)  # the autosave answered: revision 1
    save(6, seq=3_000)  # "Save" pressed before the page learned of revision 1: its own, kept
    with pytest.raises(notes.StaleSave):
        save(5, seq=2_000)  # the autosave sent before "Save", arriving after it
    note.refresh_from_db()
    assert (note.pain_now, note.revision, note.editor_seq) == (6, 2, 3_000)
    save(7, seq=4_000, revision=2)  # a save that knows the revision never is stale
    note.refresh_from_db()
    assert note.pain_now == 7


@pytest.mark.django_db
@pytest.mark.parametrize("status", [VisitStatus.CANCELLED, VisitStatus.NO_SHOW])
def test_no_note_on_a_visit_that_did_not_happen(maya, runner, frozen, status):
    visit = visit_on(runner, maya, TODAY, status=status)
    with pytest.raises(ValidationError, match="no treatment to note"):
        notes.note_open(visit=visit, actor=actor_for(maya))
    assert not TreatmentNote.objects.exists()


@pytest.mark.django_db
def test_a_visit_cancelled_after_its_note_was_started_cannot_be_signed(maya, runner, frozen):
    actor = actor_for(maya)
    visit = visit_on(runner, maya, TODAY)
    note = notes.note_open(visit=visit, actor=actor)
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        notes.note_sign(note=note, actor=actor)


@pytest.mark.django_db
def test_no_note_before_the_visit_day(maya, runner, frozen):
    visit = visit_on(runner, maya, TODAY + datetime.timedelta(days=1), status="booked")
    with pytest.raises(ValidationError, match="still to come"):
        notes.note_open(visit=visit, actor=actor_for(maya))


@pytest.mark.django_db
def test_signing_needs_an_intervention_and_the_minutes_of_timed_ones(maya, runner, frozen):
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    with pytest.raises(ValidationError, match="at least one intervention"):
        notes.note_sign(note=note, actor=actor)
    data = NoteData(interventions=[Delivered(intervention=kind("therapeutic_exercise"))])
    notes.note_save(note=note, actor=actor, data=data, revision=0)
    with pytest.raises(ValidationError, match="Minutes are missing for: Therapeutic exercise"):
        notes.note_sign(note=note, actor=actor)
    assert not TreatmentNote.objects.signed().exists()


@pytest.mark.django_db
def test_only_the_author_changes_or_signs_and_a_signed_note_is_frozen(maya, runner, frozen):
    other = UserFactory(username="note-other", role=Role.CLINICIAN)
    note = signed_note(
        runner, maya, TODAY, Delivered(intervention=kind("therapeutic_exercise"), minutes=23)
    )
    assert [(line.code, line.units) for line in notes.billed(note)] == [("97110", 2)]
    assert Visit.objects.get(pk=note.visit_id).status == VisitStatus.ARRIVED
    with pytest.raises(SignedNoteError):
        notes.note_save(note=note, actor=actor_for(maya), data=NoteData(), revision=note.revision)
    with pytest.raises(SignedNoteError):
        TreatmentNote.objects.filter(pk=note.pk).update(subjective="changed")
    with pytest.raises(SignedNoteError):
        note.interventions.first().delete()
    with pytest.raises(SignedNoteError):
        DeliveredIntervention.objects.filter(note=note).update(minutes=60)
    draft = notes.note_open(visit=visit_on(runner, maya, TODAY, hour=15), actor=actor_for(maya))
    with pytest.raises(ValidationError, match="Only the clinician who started"):
        notes.note_save(note=draft, actor=actor_for(other), data=NoteData(), revision=0)
    addendum = notes.note_addendum_add(note=note, actor=actor_for(maya), text="Also iced.")
    assert addendum.note == note


@pytest.mark.django_db
def test_postgres_refuses_changes_to_a_signed_note_even_in_raw_sql(maya, runner, frozen):
    if connection.vendor != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")  # the suite runs on PostgreSQL
    note = signed_note(
        runner, maya, TODAY, Delivered(intervention=kind("therapeutic_exercise"), minutes=23)
    )
    for sql in (
        "UPDATE intake_treatmentnote SET subjective = 'x' WHERE id = %s",
        "DELETE FROM intake_deliveredintervention WHERE note_id = %s",
        "UPDATE intake_deliveredintervention SET minutes = 1 WHERE note_id = %s",
    ):
        with (
            pytest.raises(InternalError, match="is signed"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [note.pk])
    with (
        pytest.raises(InternalError, match="is signed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO intake_deliveredintervention "
            '(note_id, intervention_id, minutes, details, carried_over, "order") '
            "VALUES (%s, %s, 10, '{}', false, 9)",
            [note.pk, kind("gait_training").pk],
        )


@pytest.mark.django_db
def test_a_progress_note_reviews_every_goal_before_it_is_signed(maya, runner, frozen):
    evaluation = EvaluationFactory(patient=runner, clinician=maya, diagnosis="M22.2X2")
    goal = Goal.objects.create(evaluation=evaluation, term="long", text="Run a 10 km")
    evaluation.sign(by=maya)
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor, progress_note=True)
    assert note.progress_note
    exercise = Delivered(intervention=kind("therapeutic_exercise"), minutes=30)
    notes.note_save(
        note=note,
        actor=actor,
        data=NoteData(interventions=[exercise], goals={goal.pk: ("open", "")}),
        revision=0,
    )
    with pytest.raises(ValidationError, match="reviews every goal"):
        notes.note_sign(note=note, actor=actor)
    note.refresh_from_db()
    notes.note_save(
        note=note,
        actor=actor,
        data=NoteData(interventions=[exercise], goals={goal.pk: ("partly", "Runs 5 km")}),
        revision=note.revision,
    )
    notes.note_sign(note=note, actor=actor)
    assert note.goal_progress.get().status == "partly"


@pytest.mark.django_db
def test_a_visit_with_a_note_keeps_its_time_and_signing_checks_the_patient_in(maya, runner, frozen):
    from intake.services import visits as visit_services

    actor = actor_for(maya)
    later_today = visit_on(runner, maya, TODAY, hour=15, status=VisitStatus.BOOKED)
    draft = notes.note_open(visit=later_today, actor=actor)
    with pytest.raises(ValidationError, match="once the clinician discards the draft"):
        visit_services.visit_cancel(visit=later_today, actor=actor)
    with pytest.raises(ValidationError, match="can be moved once"):
        visit_services.visit_move(
            visit=later_today, start=later_today.start + datetime.timedelta(hours=1), actor=actor
        )
    other = UserFactory(username="discard-other", role=Role.CLINICIAN)
    with pytest.raises(ValidationError, match="Only the clinician who started this note"):
        notes.note_discard(note=draft, actor=actor_for(other))
    notes.note_discard(note=draft, actor=actor)  # the patient called to cancel
    assert not TreatmentNote.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DISCARDED, object_id=str(draft.pk), patient=runner
    ).exists()
    visit_services.visit_cancel(visit=later_today, actor=actor)

    started = visit_on(runner, maya, TODAY, hour=6, status=VisitStatus.BOOKED)
    note = notes.note_open(visit=started, actor=actor)
    data = NoteData(
        interventions=[Delivered(intervention=kind("therapeutic_exercise"), minutes=30)]
    )
    notes.note_save(note=note, actor=actor, data=data, revision=0)
    notes.note_sign(note=note, actor=actor)
    assert Visit.objects.get(pk=started.pk).status == VisitStatus.ARRIVED
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGED,
        object_id=str(started.pk),
        detail="arrived (its note was signed)",
        actor=maya,
    ).exists()
    Visit.objects.filter(pk=started.pk).update(status=VisitStatus.BOOKED)  # an older row
    with pytest.raises(ValidationError, match="signed, so it took place: it cannot be marked"):
        visit_services.visit_no_show(visit=started, actor=actor)
    with pytest.raises(SignedNoteError):
        notes.note_discard(note=note, actor=actor)


@pytest.mark.django_db
def test_dry_needling_is_judged_by_the_consent_of_the_visits_day(maya, runner, frozen):
    actor = actor_for(maya)
    yesterday = visit_on(runner, maya, TODAY - datetime.timedelta(days=1))
    needling = NoteData(
        interventions=[
            Delivered(
                intervention=kind("dry_needling_1_2"),
                details={"muscles": "Soleus", "side": "left", "needles": 2},
            )
        ]
    )
    note = notes.note_open(visit=yesterday, actor=actor)
    notes.consent_record(patient=runner, actor=actor, kind="dry_needling", signed_on=TODAY)
    with pytest.raises(ValidationError, match="signed on or before the day of this visit"):
        notes.note_save(note=note, actor=actor, data=needling, revision=0)  # signed later
    consent = notes.consent_record(
        patient=runner,
        actor=actor,
        kind="dry_needling",
        signed_on=TODAY - datetime.timedelta(days=3),
    )
    notes.note_save(note=note, actor=actor, data=needling, revision=0)
    notes.consents_withdraw(patient=runner, actor=actor)  # today, after yesterday's visit
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    notes.note_sign(note=note, actor=actor)  # yesterday's needling stays covered
    assert TreatmentNote.objects.get(pk=note.pk).is_signed
    today_visit = visit_on(runner, maya, TODAY, hour=15)
    later = notes.note_open(visit=today_visit, actor=actor)
    assert not later.interventions.exists()  # withdrawn: not copied forward
