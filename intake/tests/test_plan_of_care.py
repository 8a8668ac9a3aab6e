"""The plan-of-care rules, pure: progress note every 10 treatment days (MBPM ch. 15 §220.3.D),
authorization, certification and plan end, and whether the booked visits cover the plan."""

import dataclasses
import datetime

import pytest

from intake.plan_of_care import (
    PROGRESS_REPORT_EVERY,
    Authorization,
    Plan,
    VisitFact,
    plan_status,
    progress_note_due,
)

START = datetime.date(2026, 11, 2)  # a Monday: the evaluation, treatment day 1
PLAN = Plan(starts_on=START, visits_per_week=2, weeks=6)


def series(count: int, *, done: int, first_id: int = 1) -> list[VisitFact]:
    """Twice a week (Mon, Thu) after the evaluation: the first ``done`` attended, their notes
    signed."""
    visits, day = [], START
    for n in range(count):
        day += datetime.timedelta(days=3 if day.weekday() == 0 else 4)
        attended = n < done
        visits.append(
            VisitFact(id=first_id + n, day=day, done=attended, booked=not attended, signed=attended)
        )
    return visits


def kinds(status) -> list[str]:
    return [w.key for w in status.warnings]


def test_the_evaluation_is_treatment_day_one_so_the_ninth_follow_up_is_day_ten():
    visits = series(12, done=3)
    count, visit, _ = progress_note_due(PLAN, visits, [], START)
    assert count == 4  # the evaluation and three visits attended
    assert visit.id == 9  # the ninth follow-up is the tenth treatment day
    assert visit.day == visits[8].day


def test_two_visits_on_one_day_are_one_treatment_day():
    visits = series(12, done=3)
    same_day = VisitFact(id=99, day=visits[0].day, done=True, booked=False)
    count, visit, _ = progress_note_due(PLAN, [*visits, same_day], [], START)
    assert count == 4
    assert visit.id == 9


def test_a_progress_report_starts_a_new_period_with_the_next_treatment_day():
    visits = series(24, done=12)
    report = visits[8].day  # written at treatment day 10
    count, visit, _ = progress_note_due(PLAN, visits, [report], START)
    assert count == 3  # visits 10, 11 and 12 attended after it
    assert visit.id == 19  # ten treatment days after the report: the 19th follow-up


def test_a_report_on_the_evaluation_day_does_not_end_the_first_period():
    visits = series(12, done=0)
    assert progress_note_due(PLAN, visits, [START], START)[1].id == 9


def test_no_booked_visit_reaches_day_ten_means_nothing_is_due_yet():
    assert progress_note_due(PLAN, series(5, done=2), [], START) == (3, None, None)


def test_day_ten_attended_without_a_report_moves_the_report_to_the_next_visit():
    visits = series(12, done=10)
    due_day = visits[8].day  # the ninth follow-up was treatment day 10, its note signed
    writing = dataclasses.replace(visits[9], signed=False)  # today's note, not signed yet
    status = plan_status(plan=PLAN, visits=[*visits[:9], writing, *visits[10:]], today=writing.day)
    assert status.treatment_day == 11
    assert status.progress_note_day == due_day
    assert status.progress_note_visit == 10  # today's visit: its note can still be the report
    [warning] = [w for w in status.warnings if w.key == "progress_note"]
    assert warning.text.startswith("Progress note overdue")
    assert warning.text.endswith("Write it at today's visit.")
    assert warning.visit_id == 10
    later = plan_status(plan=PLAN, visits=visits, today=visits[9].day + datetime.timedelta(1))
    assert later.progress_note_visit == 11  # today's was signed as a daily note: the next one
    assert later.warnings[0].text.endswith("Write it at the visit on Thu Dec 10.")


def test_overdue_with_nothing_booked_names_no_visit_and_says_to_book_one():
    visits = series(10, done=10)
    status = plan_status(plan=PLAN, visits=visits, today=visits[9].day + datetime.timedelta(3))
    assert status.progress_note_visit is None  # every note signed: none can be the report
    assert status.warnings[0].text.endswith("No visit is booked to write it at.")


def test_a_tenth_day_visit_whose_note_is_still_a_draft_is_where_the_report_goes():
    visits = series(12, done=9)
    draft = dataclasses.replace(visits[8], signed=False)
    status = plan_status(plan=PLAN, visits=[*visits[:8], draft, *visits[9:]], today=draft.day)
    assert status.progress_note_visit == 9


def test_a_re_evaluation_is_a_report_so_its_plan_starts_counting_at_the_next_visit():
    plan = Plan(starts_on=START, visits_per_week=2, weeks=6, opens_with_report=True)
    visits = series(12, done=3)
    count, visit, _ = progress_note_due(plan, visits, [], START)
    assert count == 3  # the re-evaluation day is not day 1 of the new period
    assert visit.id == 10


def test_a_visit_over_but_never_checked_in_is_flagged_not_counted():
    visits = series(4, done=2)
    visits[2] = VisitFact(id=3, day=visits[2].day, done=False, booked=False, unmarked=True)
    status = plan_status(plan=PLAN, visits=visits, today=visits[3].day)
    assert (status.done, status.booked, status.unmarked) == (2, 1, 1)
    [warning] = [w for w in status.warnings if w.key == "unmarked"]
    assert warning.text.startswith("1 past visit is still booked")


def test_the_authorization_counts_visits_from_its_own_start_before_the_plan():
    before = VisitFact(id=50, day=START - datetime.timedelta(days=10), done=True, booked=False)
    auth = Authorization(
        visits=3, starts_on=START - datetime.timedelta(days=20), ends_on=START.replace(month=12)
    )
    status = plan_status(plan=PLAN, visits=[before, *series(2, done=1)], today=START)
    assert status.done == 1  # the plan counts its own
    with_auth = plan_status(
        plan=PLAN, visits=[before, *series(2, done=1)], today=START, authorization=auth
    )
    assert "Only 1 authorized visit left." in [w.text for w in with_auth.warnings]


def test_progress_note_due_today_and_soon_and_not_yet_warned_when_far():
    visits = series(12, done=8)
    due_day = visits[8].day
    today = plan_status(plan=PLAN, visits=visits, today=due_day)
    assert "today's visit" in today.warnings[0].text
    soon = plan_status(plan=PLAN, visits=visits, today=due_day - datetime.timedelta(days=3))
    assert "progress_note" in kinds(soon)
    early = series(12, done=1)
    far = plan_status(plan=PLAN, visits=early, today=early[0].day)
    assert far.progress_note_visit == 9  # named on the chart
    assert "progress_note" not in kinds(far)  # but no warning four weeks ahead


def test_counts_and_coverage():
    visits = series(7, done=3)
    status = plan_status(plan=PLAN, visits=visits, today=visits[2].day)
    assert (status.done, status.booked, status.plan.planned, status.to_book) == (3, 4, 12, 5)
    [coverage] = [w for w in status.warnings if w.key == "coverage"]
    assert "Book 5 more" in coverage.text
    full = plan_status(plan=PLAN, visits=series(12, done=3), today=visits[2].day)
    assert "coverage" not in kinds(full)


def test_visits_before_the_plan_do_not_count():
    before = VisitFact(id=50, day=START - datetime.timedelta(days=10), done=True, booked=False)
    status = plan_status(plan=PLAN, visits=[before, *series(12, done=0)], today=START)
    assert status.done == 0


def test_an_open_ended_plan_never_asks_for_more_bookings():
    plan = Plan(starts_on=START, visits_per_week=None, weeks=None)
    status = plan_status(plan=plan, visits=series(2, done=0), today=START)
    assert (
        status.to_book == 0 and "coverage" not in kinds(status) and "plan_end" not in kinds(status)
    )


@pytest.mark.parametrize(
    ("visits", "done", "authorized", "expected"),
    [
        (12, 3, 12, None),  # inside, plenty left
        (12, 10, 12, "Only 2 authorized visits left."),
        (12, 11, 12, "Only 1 authorized visit left."),
        (12, 3, 10, "2 booked visits go beyond the 10 authorized"),
        (12, 3, 11, "1 booked visit goes beyond the 11 authorized"),
    ],
)
def test_authorized_visits(visits, done, authorized, expected):
    facts = series(visits, done=done)
    auth = Authorization(visits=authorized, starts_on=START, ends_on=START + datetime.timedelta(90))
    status = plan_status(plan=PLAN, visits=facts, today=START, authorization=auth)
    texts = [w.text for w in status.warnings if w.key == "authorization"]
    if expected is None:
        assert texts == []
    else:
        assert any(t.startswith(expected) for t in texts), texts
    assert status.authorized == authorized


def test_booked_visits_after_the_authorization_ends_and_its_end_nearing_or_passed():
    facts = series(12, done=3)
    ends = facts[8].day
    auth = Authorization(visits=20, starts_on=START, ends_on=ends)
    status = plan_status(plan=PLAN, visits=facts, today=START, authorization=auth)
    assert any("3 booked visits fall after" in w.text for w in status.warnings)
    near = Authorization(visits=20, starts_on=START, ends_on=START + datetime.timedelta(days=5))
    status = plan_status(plan=PLAN, visits=series(3, done=3), today=START, authorization=near)
    assert any(w.text.startswith("The authorization ends on") for w in status.warnings)
    status = plan_status(
        plan=PLAN,
        visits=series(3, done=3),
        today=START + datetime.timedelta(days=6),
        authorization=near,
    )
    assert any(w.text.startswith("The authorization ended on") for w in status.warnings)


def test_visits_outside_the_authorization_window_are_not_counted_against_it():
    facts = series(12, done=6)
    auth = Authorization(visits=6, starts_on=facts[6].day, ends_on=facts[-1].day)
    status = plan_status(plan=PLAN, visits=facts, today=facts[5].day, authorization=auth)
    assert not any("beyond" in w.text for w in status.warnings)


def test_certification_and_plan_end():
    plan = Plan(
        starts_on=START,
        visits_per_week=2,
        weeks=6,
        certified_until=START + datetime.timedelta(days=30),
    )
    assert plan.ends_on == START + datetime.timedelta(weeks=6)
    near = plan_status(plan=plan, visits=[], today=START + datetime.timedelta(days=25))
    assert "Re-certification due by" in near.warnings[0].text
    passed = plan_status(plan=plan, visits=[], today=START + datetime.timedelta(days=31))
    assert any(w.text.startswith("Certification ended") for w in passed.warnings)
    ending = plan_status(plan=plan, visits=[], today=plan.ends_on - datetime.timedelta(days=2))
    assert any(w.key == "plan_end" and "re-evaluation is due" in w.text for w in ending.warnings)
    ended = plan_status(plan=plan, visits=[], today=plan.ends_on + datetime.timedelta(days=1))
    assert any(w.key == "plan_end" and "ended" in w.text for w in ended.warnings)
    assert "coverage" not in kinds(ended)  # an ended plan asks for a re-evaluation, not visits


def test_a_discharged_plan_warns_of_nothing():
    status = plan_status(plan=PLAN, visits=series(12, done=10), today=START, discharged_on=START)
    assert status.warnings == []


def test_the_rule_is_every_ten_treatment_days():
    assert PROGRESS_REPORT_EVERY == 10


def test_a_signed_progress_note_at_a_visit_ends_the_period():
    visits = series(12, done=9)
    reported = [
        VisitFact(id=v.id, day=v.day, done=v.done, booked=v.booked, report=v.id == 9)
        for v in visits
    ]
    status = plan_status(plan=PLAN, visits=reported, today=visits[8].day)
    assert status.treatment_day == 0
    assert status.progress_note_visit is None  # the next one is ten treatment days on
    assert "progress_note" not in kinds(status)
