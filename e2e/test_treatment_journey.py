"""Treatment visits in a real browser, from the plan of care to the progress note.

e2e/test_journeys.py walks a runner from the discovery call through "Convert to patient",
booking the evaluation on the calendar, the evaluation and its signing. This journey goes on
from a signed evaluation whose plan of care is "2 a week for 6 weeks":

- the front desk books the 12-visit series from the chart; one proposed time collides with
  another patient's visit and the nearest free time is taken instead;
- weeks pass (the visits are moved back in time, as the clock cannot be);
- the clinician writes the first follow-up note: manual therapy and gait training, and dry
  needling once the consent is recorded (it is refused before), and signs it;
- the second follow-up note starts by copy-forward and is signed with one change;
- follow-ups 3 to 8 happen (notes signed through the services, as routine);
- follow-up 9, the 10th visit with the evaluation, says "progress note due"; its note starts
  as a progress note, reviews the goals, is signed, and the chart no longer warns.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from clinic.tests.factories import PatientFactory, SignedEvaluationFactory, actor_for
from intake.models import BookedSlot, Goal, TreatmentNote, Visit, VisitType
from intake.services import notes
from intake.services.notes import Delivered, NoteData

from .helpers import login, screenshot

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOUR = 7  # the series' hour: the demo clinician works from 7, takes calls from 8
EVALUATED_DAYS_AGO = 35  # the series, moved back, begins after the evaluation


def next_monday(after: datetime.date) -> datetime.date:
    day = after + datetime.timedelta(days=2)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def local_start(day: datetime.date, hour: int = HOUR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def move_back(visits: list[Visit], days: int) -> None:
    """Weeks pass: the visits (and the time they hold) move ``days`` into the past."""
    delta = datetime.timedelta(days=days)
    ids = [v.pk for v in visits]
    BookedSlot.objects.filter(visit_id__in=ids).delete()
    Visit.objects.filter(pk__in=ids).update(start=F("start") - delta, end=F("end") - delta)
    for visit in Visit.objects.filter(pk__in=ids):
        for slot in visit.slot_starts():
            BookedSlot.objects.create(visit=visit, clinician=visit.clinician, start=slot)


def routine_note(visit: Visit, clinician) -> None:
    """A follow-up as usual: copied forward from the last note, signed."""
    actor = actor_for(clinician)
    note = notes.note_open(visit=visit, actor=actor)
    carried = [
        Delivered(intervention=i.intervention, minutes=i.minutes, details=i.details)
        for i in note.interventions.select_related("intervention")
    ]
    notes.note_save(note=note, actor=actor, data=NoteData(interventions=carried), revision=0)
    notes.note_sign(note=note, actor=actor)


def test_a_plan_of_care_is_booked_treated_and_reported_on(demo, live_server, new_context):
    base = live_server.url
    clinician, today = demo["clinician"], timezone.localdate()
    runner = PatientFactory(
        legal_first_name="Avery", legal_last_name="Sole", primary_clinician=clinician
    )
    evaluation = SignedEvaluationFactory.build(
        patient=runner,
        clinician=clinician,
        date=today - datetime.timedelta(days=EVALUATED_DAYS_AGO),
        visits_per_week=2,
        plan_weeks=6,
    )
    evaluation.save()
    evaluation.diagnoses.create(code="M22.2X2", primary=True)
    goals = [
        Goal.objects.create(evaluation=evaluation, term="short", text="Run 5 km pain-free"),
        Goal.objects.create(evaluation=evaluation, term="long", text="Race the half marathon"),
    ]
    evaluation.sign(by=clinician)
    first_day = next_monday(today)
    follow_up = VisitType.objects.get(key="follow_up")
    # Another patient already has the third proposed time (the second Monday).
    blocked = local_start(first_day + datetime.timedelta(days=7))
    other = Visit.objects.create(
        patient=PatientFactory(legal_first_name="Other"),
        clinician=clinician,
        visit_type=follow_up,
        start=blocked,
        end=blocked + datetime.timedelta(minutes=follow_up.minutes),
        booked_by=clinician,
    )
    for slot in other.slot_starts():
        BookedSlot.objects.create(visit=other, clinician=clinician, start=slot)

    # ------------------------------------------------ the front desk books the series
    desk = new_context().new_page()
    login(desk, base, "frontdesk", demo["password"])
    desk.goto(f"{base}{runner.get_absolute_url()}")
    desk.get_by_role("link", name="Book the 12 remaining").click()
    expect(desk.locator('[name="count"]')).to_have_value("12")
    expect(desk.locator('[name="weekdays"][value="0"]')).to_be_checked()  # Mon and Thu
    expect(desk.locator('[name="weekdays"][value="3"]')).to_be_checked()
    desk.locator('[name="date"]').fill(first_day.isoformat())
    desk.locator('[name="time"]').fill(f"{HOUR:02d}:00")
    desk.get_by_role("button", name="Show the times").click()
    rows = desk.locator("tbody tr")
    expect(rows).to_have_count(12)
    expect(desk.locator("tbody tr.table-warning")).to_have_count(1)
    expect(rows.nth(2)).to_have_class(re.compile("table-warning"))
    nearest = rows.nth(2).get_by_label(re.compile("nearest free"))
    expect(nearest).to_be_checked()  # offered before anything is saved
    screenshot(desk, "40-series-collision")
    desk.get_by_role("button", name="Book the chosen times").click()
    expect(desk.get_by_role("alert").filter(has_text="Booked 12 visits.")).to_be_visible()
    series = list(Visit.objects.filter(patient=runner).order_by("start"))
    assert len(series) == 12
    assert blocked not in [v.start for v in series]
    assert series[2].start.date() == blocked.date()  # moved within the day, not dropped
    screenshot(desk, "41-chart-plan-booked")
    desk.context.close()

    # ------------------------------------------------ weeks pass: follow-up 9 is today
    BookedSlot.objects.filter(visit=other).delete()  # the other runner moved away
    other.delete()
    ninth = timezone.localdate(series[8].start)
    move_back(series, (ninth - today).days)
    series = list(Visit.objects.filter(patient=runner).order_by("start"))
    assert timezone.localdate(series[8].start) == today
    assert timezone.localdate(series[0].start) > evaluation.date

    # ------------------------------------------------ the first follow-up note
    page = new_context().new_page()
    login(page, base, "clinician", demo["password"])
    page.goto(f"{base}/visits/{series[0].pk}/")
    page.get_by_role("button", name="Write the note").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Treatment note")
    needling_box = page.locator('[name="i-dry_needling_1_2-on"]')
    expect(needling_box).to_be_disabled()  # no consent on file yet
    page.get_by_role("link", name="record the consent").click()
    # The patient signed the consent form before this visit's needling: its date counts.
    page.get_by_label("Signed on").fill(timezone.localdate(series[0].start).isoformat())
    page.get_by_role("button", name="Record the consent").click()
    expect(
        page.get_by_role("alert").filter(has_text="Dry-needling consent recorded.")
    ).to_be_visible()
    expect(needling_box).to_be_enabled()  # back on the note
    page.locator('[name="pain_now"]').fill("3")
    page.locator('[name="pain_worst"]').fill("5")
    page.locator('[name="i-manual_therapy-on"]').check()
    page.locator('[name="i-manual_therapy-minutes"]').fill("15")
    page.locator('[name="i-manual_therapy-joint"]').fill("Talocrural")
    page.locator('[name="i-manual_therapy-grade"]').select_option("III")
    page.locator('[name="i-manual_therapy-technique"]').fill("AP glide")
    needling_box.check()
    page.locator('[name="i-dry_needling_1_2-muscles"]').fill("Soleus")
    page.locator('[name="i-dry_needling_1_2-side"]').select_option("left")
    page.locator('[name="i-dry_needling_1_2-needles"]').fill("2")
    page.locator('[name="i-gait_training-on"]').check()
    page.locator('[name="i-gait_training-minutes"]').fill("10")
    page.locator('[name="i-gait_training-cue"]').fill("Run quietly")
    page.locator('[name="i-gait_training-cadence_target"]').fill("172")
    # The 8-minute rule as the clinician types: 25 timed minutes are 2 units.
    billing = page.locator("aside").first
    expect(billing).to_contain_text("97140 x1")
    expect(billing).to_contain_text("97116 x1")
    screenshot(page, "42-note-first-follow-up")
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("alert").filter(has_text="Note signed.")).to_be_visible()
    first = TreatmentNote.objects.get(visit=series[0])
    assert first.is_signed
    assert sorted(first.interventions.values_list("intervention__key", flat=True)) == [
        "dry_needling_1_2",
        "gait_training",
        "manual_therapy",
    ]

    # ------------------------------------------------ the second: copy-forward
    page.goto(f"{base}/visits/{series[1].pk}/")
    page.get_by_role("button", name="Write the note").click()
    expect(page.get_by_text("Started from the note of")).to_be_visible()
    carried = page.locator("li.note-intervention").filter(
        has=page.locator(".badge", has_text="carried over")
    )
    expect(carried).to_have_count(3)
    expect(page.locator('[name="i-manual_therapy-joint"]')).to_have_value("Talocrural")
    page.locator('[name="i-gait_training-minutes"]').fill("12")
    screenshot(page, "43-note-copy-forward")
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("alert").filter(has_text="Note signed.")).to_be_visible()
    second = TreatmentNote.objects.get(visit=series[1])
    assert second.is_signed and second.carried_from == first
    assert second.interventions.get(intervention__key="gait_training").minutes == 12

    # ------------------------------------------------ follow-ups 3 to 8, as usual
    for visit in series[2:8]:
        routine_note(visit, clinician)

    # ------------------------------------------------ the 10th visit: progress note due
    page.goto(f"{base}/visits/{series[8].pk}/")
    expect(page.get_by_text("Progress note due at this visit")).to_be_visible()
    page.goto(f"{base}{runner.get_absolute_url()}")
    expect(page.locator('[data-warning="progress_note"]')).to_contain_text(
        "Progress note due at today's visit"
    )
    page.goto(f"{base}/visits/{series[8].pk}/")
    page.get_by_role("button", name="Write the progress note").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress note")
    expect(page.locator("#id_progress_note")).to_be_checked()
    for goal, status in zip(goals, ("met", "partly"), strict=True):
        page.locator(f'[name="g-{goal.pk}-status"]').select_option(status)
    page.locator(f'[name="g-{goals[0].pk}-comment"]').fill("5 km on Sunday, no pain")
    screenshot(page, "44-progress-note")
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("alert").filter(has_text="Note signed.")).to_be_visible()
    report = TreatmentNote.objects.get(visit=series[8])
    assert report.is_signed and report.progress_note
    assert dict(report.goal_progress.values_list("goal_id", "status")) == {
        goals[0].pk: "met",
        goals[1].pk: "partly",
    }

    page.goto(f"{base}{runner.get_absolute_url()}")
    card = page.locator('section[aria-labelledby="poc-h"]')
    expect(card).to_contain_text("No treatment days since the last report")
    expect(page.locator('[data-warning="progress_note"]')).to_have_count(0)
    expect(card).not_to_contain_text("progress note due")
    screenshot(page, "45-chart-after-progress-note")
