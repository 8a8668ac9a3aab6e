"""The daily note on its pages (issue 21, step 5): started from the visit, copy-forward, the
billing line as the clinician types, autosave and two tabs, the bad inputs kept on the page,
signing, the record and its addenda, consent, access; and a signed progress note ends the
progress-report period."""

import datetime
import re

import pytest
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake.models import (
    InterventionType,
    TreatmentConsent,
    TreatmentNote,
    Visit,
    VisitStatus,
    VisitType,
)
from intake.services import notes
from intake.services.notes import Delivered, NoteData

from .helpers import LA, NOW, text_of


@pytest.fixture
def maya(db):
    return UserFactory(username="notes-maya", role=Role.CLINICIAN, first_name="Maya")


@pytest.fixture
def runner(maya):
    return PatientFactory(primary_clinician=maya)


def visit_on(patient, clinician, day, *, hour=9, status=VisitStatus.BOOKED):
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


def kind(key):
    return InterventionType.objects.get(key=key)


TODAY = NOW.date()


def started(client, visit):
    response = client.post(reverse("intake:note_start", args=[visit.pk]))
    assert response.status_code == 302, response
    return TreatmentNote.objects.get(visit=visit)


def page(note, **fields):
    """A POST of the note page: the revision, and the fields given (rows as i-<key>-...)."""
    return {"revision": str(note.revision), "tab": "tab-a", "action": "save", **fields}


@pytest.mark.django_db
def test_write_a_follow_up_by_copy_forward_then_sign_and_book_the_next(
    client, maya, runner, frozen
):
    last = visit_on(runner, maya, TODAY - datetime.timedelta(days=4), status="arrived")
    actor = actor_for(maya)
    first = notes.note_open(visit=last, actor=actor)
    manual = {"technique": "AP glide", "joint": "Talocrural", "grade": "III"}
    notes.note_save(
        note=first,
        actor=actor,
        data=NoteData(
            record={"plan_next": "Add hops"},
            interventions=[
                Delivered(intervention=kind("manual_therapy"), minutes=10, details=manual),
                Delivered(intervention=kind("therapeutic_exercise"), minutes=15),
            ],
        ),
        revision=0,
    )
    notes.note_sign(note=first, actor=actor)
    client.force_login(maya)
    visit = visit_on(runner, maya, TODAY)
    detail = text_of(client.get(reverse("intake:visit_detail", args=[visit.pk])))
    assert "Write the note" in detail
    note = started(client, visit)
    editor = client.get(reverse("intake:note_edit", args=[note.pk]))
    html = editor.content.decode()
    assert "Started from the note of Nov 27" in text_of(editor)
    assert "That note's plan: “Add hops”" in text_of(editor)
    assert html.count("carried over</span>") == 3  # the two rows and the legend
    assert "97110 x1, 97140 x1 (25 timed minutes)" in text_of(editor)
    # A typical follow-up: keep what was carried, add 8 minutes of gait training, sign.
    response = client.post(
        reverse("intake:note_edit", args=[note.pk]),
        page(
            note,
            action="sign",
            pain_now="2",
            pain_worst="4",
            **{
                "i-manual_therapy-on": "on",
                "i-manual_therapy-minutes": "10",
                "i-manual_therapy-technique": "AP glide",
                "i-manual_therapy-joint": "Talocrural",
                "i-manual_therapy-grade": "III",
                "i-therapeutic_exercise-on": "on",
                "i-therapeutic_exercise-minutes": "15",
                "i-gait_training-on": "on",
                "i-gait_training-minutes": "8",
                "i-gait_training-cue": "Run quietly",
                "i-gait_training-cadence_target": "172",
                "i-gait_training-metronome": "on",
            },
        ),
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.is_signed
    assert {i.intervention.key: i.carried_over for i in note.interventions.all()} == {
        "manual_therapy": True,
        "therapeutic_exercise": True,
        "gait_training": False,
    }
    record = text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    # 33 timed minutes are 2 units: one for 97110's full 15, one for 97140's 10 left over,
    # which beat 97116's 8 (units go first to the most minutes).
    assert "97110 x1, 97140 x1 (33 timed minutes)" in record
    assert "Gait training (97116), 8 min: Run quietly, target 172 steps/min, metronome" in record
    assert "Talocrural, grade III" in record
    assert "Book the next visit" in record
    added = client.post(reverse("intake:note_addendum", args=[note.pk]), {"text": "Iced 10 min."})
    assert added.status_code == 302
    assert "Iced 10 min." in text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    for bad, error in [("  ", "Write the addendum."), ("x" * 5001, "5000 characters at the most")]:
        refused = client.post(reverse("intake:note_addendum", args=[note.pk]), {"text": bad})
        assert refused.status_code == 200 and error in text_of(refused)
        assert f">{bad}</textarea>" in refused.content.decode()  # what was typed is kept
    assert note.addenda.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"i-therapeutic_exercise-minutes": "12.5"}, "Whole minutes, e.g. 15."),
        ({"i-therapeutic_exercise-minutes": "-3"}, "Whole minutes, e.g. 15."),
        ({"i-therapeutic_exercise-minutes": "46"}, "Longer than the 45-minute visit."),
        ({"pain_now": "11"}, "less than or equal to 10"),
        ({"i-bfr-on": "on", "i-bfr-percent_lop": "95"}, "% of LOP: from 40 to 80."),
        ({"i-manual_therapy-on": "on", "i-manual_therapy-grade": "VII"}, "Select a valid choice"),
    ],
)
def test_bad_inputs_come_back_on_the_page_with_what_was_typed(
    client, maya, runner, frozen, fields, message
):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    data = page(
        note,
        subjective="Kept words",
        **{"i-therapeutic_exercise-on": "on", "i-therapeutic_exercise-minutes": "20"},
    )
    data.update(fields)
    response = client.post(reverse("intake:note_edit", args=[note.pk]), data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "Kept words" in response.content.decode()
    note.refresh_from_db()
    assert note.revision == 0 and note.subjective == ""


@pytest.mark.django_db
def test_all_minutes_longer_than_the_visit_and_dry_needling_without_consent(
    client, maya, runner, frozen
):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    url = reverse("intake:note_edit", args=[note.pk])
    too_long = client.post(
        url,
        page(
            note,
            **{
                "i-therapeutic_exercise-on": "on",
                "i-therapeutic_exercise-minutes": "30",
                "i-neuromuscular_reeducation-on": "on",
                "i-neuromuscular_reeducation-minutes": "30",
            },
        ),
    )
    assert "add up to 60 minutes, longer than the 45-minute visit" in text_of(too_long)
    needling = {
        "i-dry_needling_1_2-on": "on",
        "i-dry_needling_1_2-muscles": "Soleus",
        "i-dry_needling_1_2-side": "left",
        "i-dry_needling_1_2-needles": "3",
    }
    editor = client.get(url).content.decode()
    assert re.search(r'name="i-dry_needling_1_2-on"[^>]*disabled', editor)
    refused = client.post(url, page(note, **needling))
    assert "signed consent on file, signed on or before the day of this visit" in text_of(refused)
    assert 'value="Soleus"' in refused.content.decode()
    consent = client.post(
        reverse("intake:consent_new", args=[runner.pk]) + f"?next={note.pk}",
        {"signed_on": TODAY.isoformat()},
    )
    assert consent.status_code == 302 and consent.url == url
    assert client.post(url, page(note, **needling)).status_code == 302
    assert note.interventions.get().details == {"muscles": "Soleus", "side": "left", "needles": 3}
    # The consent withdrawn later: the saved row stays on the page, unchecking it is a choice.
    notes.consent_withdraw(
        consent=TreatmentConsent.objects.get(patient=runner), actor=actor_for(maya)
    )
    editor = client.get(url).content.decode()
    box = re.search(r'<input[^>]*name="i-dry_needling_1_2-on"[^>]*>', editor).group(0)
    assert "checked" in box and "disabled" not in box
    note.refresh_from_db()
    kept = client.post(url, page(note, **needling))
    assert "signed consent on file" in text_of(kept)
    assert note.interventions.get().intervention.key == "dry_needling_1_2"


@pytest.mark.django_db
def test_signing_with_no_intervention_saves_and_says_why_not_signed(client, maya, runner, frozen):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    url = reverse("intake:note_edit", args=[note.pk])
    response = client.post(url, page(note, action="sign", subjective="Felt good"), follow=True)
    assert "Saved, not signed: Add at least one intervention before signing." in text_of(response)
    note.refresh_from_db()
    assert note.subjective == "Felt good" and not note.is_signed


@pytest.mark.django_db
def test_the_billing_line_follows_what_is_typed_without_saving(client, maya, runner, frozen):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    url = reverse("intake:note_units", args=[note.pk])
    response = client.post(
        url,
        {
            "i-therapeutic_exercise-on": "on",
            "i-therapeutic_exercise-minutes": "33",
            "i-manual_therapy-on": "on",
            "i-manual_therapy-minutes": "7",
            "i-dry_needling_3-on": "on",
            "i-ultrasound-minutes": "30",  # not ticked: not counted
        },
    )
    assert "97110 x2, 97140 x1 (40 timed minutes); 20561 x1" in text_of(response)
    assert "x" not in text_of(client.post(url, {"i-gait_training-minutes": "abc"}))
    note.refresh_from_db()
    assert note.revision == 0


@pytest.mark.django_db
def test_autosave_and_two_tabs(client, maya, runner, frozen):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    autosave = reverse("intake:note_autosave", args=[note.pk])
    first = client.post(autosave, {**page(note, subjective="Typed in tab A"), "seq": "1000"})
    assert "Draft saved" in text_of(first)
    assert 'name="revision" value="1"' in first.content.decode()
    # Tab A's own autosave in between is no conflict for tab A's save.
    same_tab = client.post(
        reverse("intake:note_edit", args=[note.pk]),
        {**page(note, subjective="A again"), "seq": "2000"},
    )
    assert same_tab.status_code == 302
    # An autosave tab A sent before that save, arriving after it, is refused.
    overtaken = client.post(autosave, {**page(note, subjective="Typed in tab A"), "seq": "1500"})
    assert "Not saved: a newer save from this page came first." in text_of(overtaken)
    # Tab B opened at revision 0 and saves now: refused, its typing kept.
    tab_b = client.post(
        reverse("intake:note_edit", args=[note.pk]),
        {**page(note, subjective="Typed in tab B"), "tab": "tab-b", "revision": "0"},
    )
    assert tab_b.status_code == 200
    assert "saved in another tab" in text_of(tab_b)
    assert "Typed in tab B" in tab_b.content.decode()
    note.refresh_from_db()
    assert note.subjective == "A again"
    stale = client.post(autosave, {**page(note), "tab": "tab-b", "revision": "0"})
    assert "Not saved: This note was saved in another tab" in text_of(stale)


@pytest.mark.django_db
def test_no_note_for_a_cancelled_visit_or_a_later_day(client, maya, runner, frozen):
    client.force_login(maya)
    cancelled = visit_on(runner, maya, TODAY, status=VisitStatus.CANCELLED)
    response = client.post(reverse("intake:note_start", args=[cancelled.pk]), follow=True)
    assert "This visit was cancelled: there is no treatment to note." in text_of(response)
    tomorrow = visit_on(runner, maya, TODAY + datetime.timedelta(days=1), hour=11)
    response = client.post(reverse("intake:note_start", args=[tomorrow.pk]), follow=True)
    assert "still to come" in text_of(response)
    assert not TreatmentNote.objects.exists()


@pytest.mark.django_db
def test_who_sees_and_writes_notes(client, maya, runner, frozen):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    url = reverse("intake:note_edit", args=[note.pk])
    desk = UserFactory(username="notes-desk", role=Role.FRONT_DESK)
    client.force_login(desk)
    assert client.get(url).status_code == 403
    assert client.post(reverse("intake:note_units", args=[note.pk])).status_code == 403
    outsider = UserFactory(username="notes-outsider", role=Role.CLINICIAN)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(reverse("intake:note_autosave", args=[note.pk])).status_code == 404


@pytest.mark.django_db
def test_a_signed_progress_note_ends_the_period(client, maya, runner, frozen):
    from .test_plan_of_care_pages import planned_runner

    patient = planned_runner(maya)
    for day in range(17, 25):  # evaluation Nov 16 + eight days attended: treatment day 9
        visit_on(patient, maya, datetime.date(2026, 11, day), status="arrived")
    tenth = visit_on(patient, maya, TODAY)
    client.force_login(maya)
    assert "progress note due" in client.get(patient.get_absolute_url()).content.decode()
    note = started(client, tenth)
    assert note.progress_note  # started as one: it is due at this visit
    goal_fields = {}
    response = client.post(
        reverse("intake:note_edit", args=[note.pk]),
        page(
            note,
            action="sign",
            progress_note="on",
            **goal_fields,
            **{"i-therapeutic_exercise-on": "on", "i-therapeutic_exercise-minutes": "30"},
        ),
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.is_signed
    chart = text_of(client.get(patient.get_absolute_url()))
    assert "No treatment days since the last report" in chart
    assert "Progress note due" not in chart and "Progress note overdue" not in chart


@pytest.mark.django_db
@pytest.mark.parametrize("crafted", ["²", "9" * 5000, "٣"])
def test_crafted_digits_are_a_form_error_never_a_500(client, maya, runner, frozen, crafted):
    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    fields = {
        "i-therapeutic_exercise-on": "on",
        "i-therapeutic_exercise-minutes": crafted,
        "i-dry_needling_1_2-on": "on",
        "i-dry_needling_1_2-needles": crafted,
    }
    response = client.post(
        reverse("intake:note_edit", args=[note.pk]), {**page(note, **fields), "revision": crafted}
    )
    assert response.status_code == 200 and "Whole minutes, e.g. 15." in text_of(response)
    units = client.post(reverse("intake:note_units", args=[note.pk]), fields)
    assert units.status_code == 200
    autosave = client.post(reverse("intake:note_autosave", args=[note.pk]), page(note, **fields))
    assert autosave.status_code == 200
    consent = client.post(
        reverse("intake:consent_new", args=[runner.pk]) + "?next=%C2%B2",
        {"signed_on": TODAY.isoformat()},
    )
    assert consent.status_code == 302


@pytest.mark.django_db
def test_a_progress_note_compares_symmetry_and_cadence_with_the_evaluation(
    client, maya, runner, frozen
):
    from clinic.tests.factories import SignedEvaluationFactory
    from intake.models import GaitAnalysis, Measurement

    evaluation = SignedEvaluationFactory.build(
        patient=runner, clinician=maya, date=TODAY - datetime.timedelta(days=21)
    )
    evaluation.involved_side = "left"
    evaluation.save()
    Measurement.objects.create(
        evaluation=evaluation, key="hop_single_distance", left="90", right="120"
    )
    GaitAnalysis.objects.create(evaluation=evaluation, cadence=160)
    evaluation.diagnoses.create(code="M22.2X2", primary=True)
    evaluation.sign(by=maya)
    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor, progress_note=True)
    record = {
        "progress_note": True,
        "cadence": 170,
        "retests": {"hop_single_distance": ["111", "120"]},
    }
    notes.note_save(note=note, actor=actor, data=NoteData(record=record), revision=0)
    client.force_login(maya)
    page_text = text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    assert "Progress since the evaluation" in page_text
    assert "Single hop for distance 75.0 % 92.5 %" in page_text  # 90/120 then 111/120
    assert "Cadence: 160 at the evaluation → 170 steps/min now" in page_text
    notes.note_save(
        note=note,
        actor=actor,
        data=NoteData(
            record=record,
            interventions=[Delivered(intervention=kind("therapeutic_exercise"), minutes=30)],
        ),
        revision=1,
    )
    notes.note_sign(note=note, actor=actor)
    signed = text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    assert "Single hop for distance 75.0 % 92.5 %" in signed
    # A later re-evaluation does not change what the signed note said.
    later = SignedEvaluationFactory.build(
        patient=runner, clinician=maya, kind="re_evaluation", date=TODAY + datetime.timedelta(1)
    )
    later.involved_side = "left"
    later.save()
    Measurement.objects.create(evaluation=later, key="hop_single_distance", left="60", right="120")
    later.diagnoses.create(code="M22.2X2", primary=True)
    later.sign(by=maya)
    assert text_of(client.get(reverse("intake:note_edit", args=[note.pk]))) == signed


@pytest.mark.django_db
def test_notes_are_in_the_chart_timeline_beside_evaluations_for_clinical_roles_only(
    client, maya, runner, frozen
):
    actor = actor_for(maya)
    old = visit_on(runner, maya, TODAY - datetime.timedelta(days=60), status="arrived")
    note = notes.note_open(visit=old, actor=actor)
    data = NoteData(interventions=[Delivered(intervention=kind("manual_therapy"), minutes=15)])
    notes.note_save(note=note, actor=actor, data=data, revision=0)
    notes.note_sign(note=note, actor=actor)
    for day in range(1, 8):  # newer visits push the old one off the "last visits" list
        visit_on(runner, maya, TODAY - datetime.timedelta(days=day), status="arrived")
    client.force_login(maya)
    html = client.get(runner.get_absolute_url()).content.decode()
    assert f'href="/notes/{note.pk}/">Treatment note</a>' in html
    assert f"Follow-up visit, {maya.get_full_name()}" in text_of(
        client.get(runner.get_absolute_url())
    )  # the note's author
    desk = UserFactory(username="note-desk", role=Role.FRONT_DESK)
    client.force_login(desk)
    assert f"/notes/{note.pk}/" not in client.get(runner.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_consent_is_recorded_shown_on_the_chart_and_withdrawn(client, maya, runner, frozen):
    client.force_login(maya)
    chart = text_of(client.get(runner.get_absolute_url()))
    assert "Dry-needling consent: none on file" in chart
    page_url = reverse("intake:consent_new", args=[runner.pk])
    withdraw = reverse("intake:consent_withdraw", args=[runner.pk])
    nothing = client.post(withdraw, follow=True)
    assert "No consent of this kind is on file." in text_of(nothing)
    client.post(page_url, {"signed_on": TODAY.isoformat()})
    assert "on file, signed Dec 1, 2026" in text_of(client.get(runner.get_absolute_url()))
    assert client.get(withdraw).status_code == 405  # never on a GET
    done = client.post(withdraw, follow=True)
    assert "Consent withdrawn" in text_of(done)
    assert not notes.has_consent(runner)
    assert "none on file" in text_of(client.get(runner.get_absolute_url()))
    consent = TreatmentConsent.objects.get(patient=runner)
    assert AuditEvent.objects.filter(
        action=AuditAction.REVOKED, object_id=str(consent.pk), actor=maya
    ).exists()


@pytest.mark.django_db
def test_a_draft_is_discarded_from_its_page_by_its_clinician_only(client, maya, runner, frozen):
    client.force_login(maya)
    visit = visit_on(runner, maya, TODAY)
    note = started(client, visit)
    url = reverse("intake:note_discard", args=[note.pk])
    assert client.get(url).status_code == 405
    assert "Discard the draft" in text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    done = client.post(url, follow=True)
    assert "Draft note discarded." in text_of(done)
    assert done.redirect_chain[-1][0] == reverse("intake:visit_detail", args=[visit.pk])
    assert not TreatmentNote.objects.filter(pk=note.pk).exists()


@pytest.mark.django_db
def test_update_the_home_program_opens_the_patients_latest_plan(client, maya, runner, frozen):
    from clinic.tests.factories import PlanFactory, SignedEvaluationFactory

    client.force_login(maya)
    note = started(client, visit_on(runner, maya, TODAY))
    url = reverse("intake:note_edit", args=[note.pk])
    assert "Update the home program" not in text_of(client.get(url))
    plan = PlanFactory(evaluation=SignedEvaluationFactory(patient=runner, clinician=maya))
    html = client.get(url).content.decode()
    assert f'href="{reverse("plans:plan_edit", args=[plan.pk])}"' in html
    assert "Update the home program" in html
