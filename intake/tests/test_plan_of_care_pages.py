"""Plan-of-care tracking on the pages (issue 21, step 4): the chart counts visits done, booked,
planned and authorized and warns; the series form starts from what the plan still needs; the
visit that is treatment day 10 says a progress note is due; the clinician's dashboard lists
plans that need something; a payer's authorization is recorded with its bad inputs refused."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, SignedEvaluationFactory, UserFactory
from intake.models import BookedSlot, Evaluation, Visit, VisitAuthorization, VisitType

from .helpers import LA, NOW, page_data, save, text_of, working_hours

EVALUATED = datetime.date(2026, 11, 16)  # a Monday, two weeks before NOW (Tue Dec 1)


@pytest.fixture
def maya(db):
    user = UserFactory(username="poc-maya", role=Role.CLINICIAN, first_name="Maya")
    working_hours(user)
    return user


@pytest.fixture
def desk(db):
    return UserFactory(username="poc-desk", role=Role.FRONT_DESK)


def planned_runner(clinician, *, visits_per_week=2, weeks=6, certified_until=None):
    runner = PatientFactory(primary_clinician=clinician)
    evaluation = SignedEvaluationFactory.build(patient=runner, clinician=clinician, date=EVALUATED)
    evaluation.visits_per_week, evaluation.plan_weeks = visits_per_week, weeks
    evaluation.certified_until = certified_until
    evaluation.save()
    evaluation.diagnoses.create(code="M22.2X2", primary=True)
    evaluation.sign(by=clinician)
    return runner


def visit_on(runner, clinician, day: datetime.date, *, status="booked", hour=9):
    """A follow-up at ``hour`` on ``day`` (its slots held while it holds time)."""
    follow_up = VisitType.objects.get(key="follow_up")
    start = datetime.datetime.combine(day, datetime.time(hour), LA)
    visit = Visit.objects.create(
        patient=runner,
        clinician=clinician,
        visit_type=follow_up,
        start=start,
        end=start + datetime.timedelta(minutes=follow_up.minutes),
        status=status,
        booked_by=clinician,
    )
    for slot in visit.slot_starts():
        BookedSlot.objects.create(visit=visit, clinician=clinician, start=slot)
    return visit


def twice_a_week(first: datetime.date, count: int) -> list[datetime.date]:
    """Mondays and Thursdays from ``first`` (a Monday or Thursday) on."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() in (0, 3):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@pytest.fixture
def under_way(maya, frozen):
    """Four visits attended (Nov 19, 23, 26, 30) and eight booked from Dec 3: treatment day
    10 is the fifth booked visit (evaluation + 4 attended + 5)."""
    runner = planned_runner(maya)
    days = twice_a_week(datetime.date(2026, 11, 19), 12)
    visits = [
        visit_on(
            runner, maya, day, status="arrived" if day < datetime.date(2026, 12, 1) else "booked"
        )
        for day in days
    ]
    return runner, visits


@pytest.mark.django_db
def test_the_chart_counts_the_plan_and_marks_the_visit_where_the_progress_note_falls_due(
    client, desk, maya, under_way
):
    runner, visits = under_way
    client.force_login(desk)
    page = text_of(client.get(runner.get_absolute_url()))
    assert "4 done" in page and "8 booked" in page and "12 planned" in page
    assert "Treatment day 5 since the last report" in page
    html = client.get(runner.get_absolute_url()).content.decode()
    tenth = visits[4 + 4]  # the fifth booked visit
    row = re.search(rf'visits/{tenth.pk}/".*?</li>', html, re.S).group(0)
    assert "progress note due" in row
    assert html.count("progress note due</span>") == 1
    assert "Book the" not in page  # twelve booked: the plan is covered


@pytest.mark.django_db
def test_uncovered_plan_warns_and_the_series_form_starts_from_what_is_left(
    client, desk, maya, frozen
):
    runner = planned_runner(maya)
    for day in twice_a_week(datetime.date(2026, 11, 19), 3):
        visit_on(runner, maya, day, status="arrived")
    client.force_login(desk)
    page = text_of(client.get(runner.get_absolute_url()))
    assert "The booked visits do not cover the plan: 3 done and 0 booked of 12 planned." in page
    assert "Book the 9 remaining" in page
    form = client.get(reverse("intake:visit_series", args=[runner.pk])).content.decode()
    assert re.search(r'name="count"[^>]*value="9"', form)
    checked = re.findall(r'name="weekdays" value="(\d)"[^>]*checked', form)
    assert checked == ["0", "3"]  # two a week: Monday and Thursday
    assert "9 to book" in text_of(client.get(reverse("intake:visit_series", args=[runner.pk])))


@pytest.mark.django_db
def test_the_visit_page_says_progress_note_due_only_on_that_visit(client, maya, under_way):
    runner, visits = under_way
    client.force_login(maya)
    due = text_of(client.get(reverse("intake:visit_detail", args=[visits[8].pk])))
    assert "Progress note due at this visit" in due
    other = text_of(client.get(reverse("intake:visit_detail", args=[visits[7].pk])))
    assert "Progress note due" not in other


@pytest.mark.django_db
def test_a_re_evaluation_starts_a_new_plan_and_a_discharge_closes_it(client, maya, under_way):
    runner, visits = under_way
    client.force_login(maya)
    reeval = SignedEvaluationFactory(
        patient=runner, clinician=maya, kind="re_evaluation", date=datetime.date(2026, 11, 30)
    )
    page = text_of(client.get(runner.get_absolute_url()))
    # The re-evaluation is a report: the next visit is day 1 of the new period.
    assert "No treatment days since the last report" in page
    assert reeval.pk
    SignedEvaluationFactory(
        patient=runner, clinician=maya, kind="discharge", date=datetime.date(2026, 11, 30)
    )
    page = text_of(client.get(runner.get_absolute_url()))
    assert "discharged Nov 30, 2026" in page
    assert "progress note due</span>" not in client.get(runner.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_authorization_is_recorded_and_counted_with_a_warning_beyond_it(
    client, desk, maya, under_way
):
    runner, _ = under_way
    client.force_login(desk)
    url = reverse("intake:authorization_new", args=[runner.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "visits": "10",
            "starts_on": "2026-11-16",
            "ends_on": "2027-01-31",
            "payer": "Acme Health",
            "reference": "AUTH-778",
        },
    )
    assert response.status_code == 302
    saved = VisitAuthorization.objects.get(patient=runner)
    assert (saved.visits, saved.recorded_by) == (10, desk)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, object_id=str(saved.pk), patient=runner, actor=desk
    ).exists()
    page = text_of(client.get(runner.get_absolute_url()))
    assert "10 authorized" in page
    assert "2 booked visits go beyond the 10 authorized" in page
    assert "Acme Health" in page and "AUTH-778" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"ends_on": "2026-11-01"}, "The authorization must end on or after its start."),
        ({"visits": "0"}, "greater than or equal to 1"),
        ({"visits": "201"}, "less than or equal to 200"),
        ({"visits": "twelve"}, "Enter a whole number."),
        ({"visits": "2.5"}, "Enter a whole number."),
        ({"starts_on": "2031-01-01", "ends_on": "2031-02-01"}, "more than two years away"),
        ({"ends_on": "2029-12-01"}, "two years at the most"),
        ({"starts_on": "not a date"}, "Enter a valid date."),
        ({"starts_on": "99999-01-01"}, "Enter a valid date."),
    ],
)
def test_bad_authorizations_are_refused_on_the_same_page_with_what_was_typed(
    client, desk, maya, frozen, changes, field_error
):
    runner = PatientFactory(primary_clinician=maya)
    client.force_login(desk)
    data = {
        "visits": "12",
        "starts_on": "2026-12-01",
        "ends_on": "2027-02-28",
        "payer": "Kept Payer",
        **changes,
    }
    response = client.post(reverse("intake:authorization_new", args=[runner.pk]), data)
    assert response.status_code == 200
    assert field_error in text_of(response)
    assert 'value="Kept Payer"' in response.content.decode()
    assert not VisitAuthorization.objects.exists()


@pytest.mark.django_db
def test_who_may_record_an_authorization(client, maya, frozen):
    runner = PatientFactory(primary_clinician=maya)
    url = reverse("intake:authorization_new", args=[runner.pk])
    admin = UserFactory(username="poc-admin", role=Role.CLINIC_ADMIN)
    client.force_login(admin)
    assert client.get(url).status_code in (403, 404)
    outsider = UserFactory(username="poc-other", role=Role.CLINICIAN)
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # not in the care team
    client.force_login(maya)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_dashboard_panel_lists_plans_needing_something_in_constant_queries(
    client, maya, frozen
):
    runner = planned_runner(maya)
    for day in range(17, 25):  # eight days attended after the evaluation: days 2 to 9
        visit_on(runner, maya, datetime.date(2026, 11, day), status="arrived")
    tenth = visit_on(runner, maya, datetime.date(2026, 12, 3))
    client.force_login(maya)
    url = reverse("intake:plans_panel")
    with CaptureQueriesContext(connection) as one:
        html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert runner.display_name in html
    assert "Progress note due at the visit on Thu Dec 3" in html
    assert f'visits/{tenth.pk}/"' in html  # linked to the visit
    on_track = planned_runner(maya)  # its plan is covered and nothing is near: not listed
    for day in twice_a_week(datetime.date(2026, 11, 19), 12):
        visit_on(on_track, maya, day, status="arrived" if day < NOW.date() else "booked", hour=14)
    assert (
        on_track.display_name
        not in client.get(url, headers={"HX-Request": "true"}).content.decode()
    )
    for n in range(3):
        other = planned_runner(maya)
        visit_on(other, maya, datetime.date(2026, 11, 19), status="arrived", hour=10 + n)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert html.count("do not cover the plan") == 4  # the first runner's too
    assert len(four) == len(one)
    page = client.get(url)  # without htmx: a page of its own
    assert page.status_code == 200 and "Plans of care that need something" in text_of(page)


@pytest.mark.django_db
def test_the_front_desk_has_no_plans_panel(client, desk):
    client.force_login(desk)
    assert client.get(reverse("intake:plans_panel")).status_code == 403


@pytest.mark.django_db
def test_certification_is_at_most_ninety_days_from_the_evaluation(client, clinician, patient):
    client.force_login(clinician)
    client.post(reverse("intake:evaluation_create", args=[patient.pk]), {"kind": "initial"})
    evaluation = Evaluation.objects.get(patient=patient)
    today = datetime.date.today()
    too_long = save(client, evaluation, certified_until=str(today + datetime.timedelta(days=91)))
    assert too_long.status_code == 200
    assert "certified for 90 days at the most" in text_of(too_long)
    before = save(client, evaluation, certified_until=str(today - datetime.timedelta(days=1)))
    assert "starts with the evaluation" in text_of(before)
    evaluation.refresh_from_db()
    assert evaluation.certified_until is None
    ok = save(client, evaluation, certified_until=str(today + datetime.timedelta(days=90)))
    assert ok.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.certified_until == today + datetime.timedelta(days=90)
    assert page_data()  # the helper's page stays valid without the field


@pytest.mark.django_db
def test_a_past_visit_left_booked_is_flagged_and_counted_once_its_note_is_signed(
    client, maya, under_way
):
    from clinic.tests.factories import actor_for
    from intake.models import InterventionType
    from intake.services import notes
    from intake.services.notes import Delivered, NoteData

    runner, visits = under_way
    forgotten = visits[3]  # Nov 30: over, never checked in
    Visit.objects.filter(pk=forgotten.pk).update(status="booked")
    client.force_login(maya)
    page = text_of(client.get(runner.get_absolute_url()))
    assert "3 done" in page
    assert "1 past visit is still booked: mark it arrived or no-show" in page
    client.post(reverse("intake:note_start", args=[forgotten.pk]))
    page = text_of(client.get(runner.get_absolute_url()))
    assert "3 done" in page and "still booked" in page  # a draft is no proof it took place
    note = forgotten.note
    exercise = InterventionType.objects.get(key="therapeutic_exercise")
    data = NoteData(interventions=[Delivered(intervention=exercise, minutes=30)])
    notes.note_save(note=note, actor=actor_for(maya), data=data, revision=note.revision)
    notes.note_sign(note=note, actor=actor_for(maya))
    page = text_of(client.get(runner.get_absolute_url()))
    assert "4 done" in page and "still booked" not in page


@pytest.mark.django_db
def test_the_chart_lists_the_last_visits_from_before_a_new_plan(client, maya, under_way):
    runner, visits = under_way
    SignedEvaluationFactory(
        patient=runner, clinician=maya, kind="re_evaluation", date=datetime.date(2026, 12, 1)
    )
    client.force_login(maya)
    html = client.get(runner.get_absolute_url()).content.decode()
    for past in visits[:4]:  # all before the re-evaluation's plan
        assert f"visits/{past.pk}/" in html


@pytest.mark.django_db
def test_the_service_refuses_a_certification_beyond_ninety_days_whoever_calls_it(clinician):
    from django.core.exceptions import ValidationError

    from clinic.tests.factories import EvaluationFactory, actor_for
    from intake.services.evaluations import EvaluationData, evaluation_save

    evaluation = EvaluationFactory(clinician=clinician, date=datetime.date(2026, 11, 2))
    data = EvaluationData(record={"certified_until": datetime.date(2027, 2, 1)})  # 91 days
    with pytest.raises(ValidationError, match="90 days at the most"):
        evaluation_save(evaluation=evaluation, data=data, actor=actor_for(clinician))
    evaluation.refresh_from_db()
    assert evaluation.certified_until is None


@pytest.mark.django_db
def test_a_visit_over_earlier_today_is_still_to_come_until_the_day_ends(client, maya, frozen):
    runner = planned_runner(maya)
    visit_on(runner, maya, datetime.date(2026, 12, 1), hour=6)  # over at 6:45, NOW is 7:00
    client.force_login(maya)
    page = text_of(client.get(runner.get_absolute_url()))
    assert "0 done" in page and "1 booked" in page
    assert "still booked" not in page
