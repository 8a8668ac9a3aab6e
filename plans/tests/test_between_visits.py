"""The chart's between-visits card: adherence, the pain trend, the runs
and the stage history; for the care team's clinicians only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import UserFactory
from intake.charts import Point
from plans import between_visits, pain_chart
from plans.models import DecisionStatus, ProgressionDecision

from .helpers import START, day, exercise, run, runner

TODAY = 42  # six weeks after the plan was issued on day 0


def logs(*days_status) -> list[dict]:
    return [{"day": day(n), "exercises": {"a": s, "b": "not_done"}} for n, s in days_status]


def test_adherence_counts_days_done_or_partly_over_the_prescribed_days():
    # 3 days a week; in the last 2 weeks (days 29-42): 6 prescribed days.
    data = logs((30, "done"), (32, "partly"), (34, "not_done"), (36, "done"), (20, "done"))
    two = between_visits.adherence(data, weeks=2, started=day(0), today=day(42), per_week=3)
    assert (two.days, two.logged, two.expected, two.percent) == (14, 3, 6, 50)
    six = between_visits.adherence(data, weeks=6, started=day(0), today=day(42), per_week=3)
    assert (six.days, six.logged, six.expected, six.percent) == (42, 4, 18, 22)


def test_adherence_counts_from_the_plan_start_and_never_above_100_percent():
    data = logs(*((n, "done") for n in range(1, 8)))
    week = between_visits.adherence(data, weeks=2, started=day(1), today=day(7), per_week=3)
    assert (week.days, week.expected, week.percent) == (7, 3, 100)


def test_without_a_frequency_adherence_is_days_with_a_log_over_days():
    data = logs((40, "not_done"), (41, "done"))
    two = between_visits.adherence(data, weeks=2, started=day(0), today=day(42), per_week=None)
    assert (two.logged, two.expected, two.percent) == (2, 14, 14)
    assert between_visits.days_per_week({"items": []}) is None
    items = [{"dosage": {"days_per_week": 2}}, {"dosage": {"days_per_week": 5}}]
    assert between_visits.days_per_week({"items": items}) == 5


def test_the_pain_chart_is_well_formed_svg_with_both_series_described():
    during = [Point(day(1), 2), Point(day(3), 6)]
    morning = [Point(day(2), 3)]
    svg = pain_chart.pain_chart(during, morning)
    root = ET.fromstring(svg)  # escaped text: the SVG parses as XML
    ns = "{http://www.w3.org/2000/svg}"
    desc = root.find(f"{ns}desc").text
    assert "During: 2 on 2026-12-02, 6 on 2026-12-04" in desc
    assert "Next morning: 3 on 2026-12-03" in desc
    assert len(root.findall(f"{ns}path")) == 1  # one morning point: a dot, no line
    assert "No data yet" in pain_chart.pain_chart([], [])


def test_the_chart_escapes_text_through_intake_charts():
    svg = pain_chart.pain_chart([Point(day(1), 2)], [])
    assert "<script" not in svg
    evil = pain_chart.charts._text(0, 0, '<script>alert(1)</script>"&')
    assert "&lt;script&gt;" in evil and "<script>" not in evil


@pytest.mark.django_db
def test_the_card_shows_adherence_pain_runs_and_the_stage_history(client, clinician):
    plan, version = runner(clinician)
    per_week = between_visits.days_per_week(version.snapshot)
    for n in (30, 32, 34):
        exercise(plan, version, n, pain=n - 29)
    runs = [run(plan, version, n, pain=2) for n in (35, 37)]
    for status, r in ((DecisionStatus.CONFIRMED, runs[0]), (DecisionStatus.REPLACED, runs[1])):
        ProgressionDecision.objects.create(
            plan=plan, run=r, stage=1, action="repeat", next_stage=1, status=status
        )
    ProgressionDecision.objects.create(
        plan=plan, run=runs[1], stage=1, action="progress", next_stage=2
    )
    with time_machine.travel(START + datetime.timedelta(days=TODAY), tick=False):
        client.force_login(clinician)
        url = reverse("plans:between_visits", args=[plan.patient.pk])
        card = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        chart = client.get(plan.patient.get_absolute_url()).content.decode()
        mark = AuditEvent.objects.order_by("-id").first().pk
        page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in chart
    two = between_visits.adherence(
        [{"day": day(n), "exercises": {"x": "done"}} for n in (30, 32, 34)],
        weeks=2,
        started=day(0),
        today=day(TODAY),
        per_week=per_week,
    )
    assert f"<strong>{two.percent} %</strong>" in card
    assert f"{per_week} day" in card and "per week from the current issued plan" in card
    assert "<svg" in card and "Pain between visits" in card
    runs_part = card.split("Stage history")[0].split('<h2 class="h6 mt-3">Runs')[1]
    assert "Jan 5 · stage 1" in runs_part and "Jan 7 · stage 1" in runs_part  # days 35, 37
    assert card.count("Waiting for the clinician") == 1 and "Confirmed" in card
    assert "Replaced" not in card
    viewed = AuditEvent.objects.filter(pk__gt=mark, action=AuditAction.VIEWED)
    assert viewed.filter(patient=plan.patient).exists() and "Between visits" in page


@pytest.mark.django_db
def test_front_desk_and_a_clinician_outside_the_care_team_never_see_the_card(client, clinician):
    plan, version = runner(clinician)
    exercise(plan, version, 1)
    url = reverse("plans:between_visits", args=[plan.patient.pk])
    desk = UserFactory(username="bv-desk", role=Role.FRONT_DESK)
    outsider = UserFactory(username="bv-outsider", role=Role.CLINICIAN)
    client.force_login(desk)
    assert client.get(url).status_code == 403
    assert url not in client.get(plan.patient.get_absolute_url()).content.decode()
    client.force_login(outsider)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
