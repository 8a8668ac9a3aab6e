"""The chart's adherence table counts days in whole days: a plan issued
today, prescribed 3 days a week, showed "Prescribed days 0.4" (3 × 1 day ÷ 7, printed raw)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from clinic.tests.factories import PlanFactory, PlanVersionFactory
from plans import between_visits

from .helpers import START, day, exercise


def test_prescribed_days_are_whole_days_rounded_from_the_weekly_frequency():
    # 3 days a week over 3 days is 1.29 days: 1 day; over 5 days 2.14: 2 days.
    three = between_visits.adherence([], weeks=2, started=day(0), today=day(2), per_week=3)
    assert (three.days, three.expected, three.since, three.partial) == (3, 1, day(0), True)
    five = between_visits.adherence([], weeks=2, started=day(0), today=day(4), per_week=3)
    assert five.expected == 2
    # Half a day rounds up (7 days a week over 1 day is 1; 1 a week over 4 days is 0.57 → 1).
    assert (
        between_visits.adherence([], weeks=2, started=day(0), today=day(3), per_week=1).expected
        == 1
    )
    first = between_visits.adherence([], weeks=2, started=day(0), today=day(0), per_week=3)
    assert (first.expected, first.percent) == (0, None)  # nothing was due yet: no percentage
    full = between_visits.adherence([], weeks=2, started=day(0), today=day(20), per_week=3)
    assert (full.days, full.expected, full.since, full.partial) == (14, 6, day(7), False)


def three_days_a_week(clinician):
    """(plan, version) issued on day 0 with every exercise prescribed 3 days a week."""
    with time_machine.travel(START, tick=False):
        plan = PlanFactory(evaluation__clinician=clinician)
        plan.items.update(days_per_week=3)
        version = PlanVersionFactory(plan=plan)
    plan.patient.primary_clinician = clinician
    plan.patient.save()
    return plan, version


def _cells(card: str) -> list[list[str]]:
    table = card.split("Home-exercise adherence")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
        for r in rows
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "logged", "row"),
    [
        # The day the plan was issued: nothing due yet, so no percentage.
        (
            0,
            (),
            [
                "Since the plan began on Dec 1 (1 day)",
                "0 of 1 day",
                "none due yet (3 a week)",
                "— too early to tell",
            ],
        ),
        # Three days in, one day done: 1 prescribed day (3 a week × 3 days ≈ 1.3).
        (
            2,
            (1,),
            ["Since the plan began on Dec 1 (3 days)", "1 of 3 days", "1 day (3 a week)", "100 %"],
        ),
    ],
)
def test_a_new_plan_shows_whole_days_and_one_row_since_it_began(
    client, clinician, today, logged, row
):
    plan, version = three_days_a_week(clinician)
    assert between_visits.days_per_week(version.snapshot) == 3
    for n in logged:
        exercise(plan, version, n)
    with time_machine.travel(START + datetime.timedelta(days=today, hours=6), tick=False):
        client.force_login(clinician)
        url = reverse("plans:between_visits", args=[plan.patient.pk])
        card = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "0.4" not in card and "1.3" not in card
    # The 2- and 6-week windows both start at the plan's first day: one row, not two alike.
    assert _cells(card) == [row]
    assert "Prescribed" in card


@pytest.mark.django_db
def test_six_weeks_in_the_rows_name_their_weeks_and_count_whole_days(client, clinician):
    plan, version = three_days_a_week(clinician)
    for n in (30, 32, 34):
        exercise(plan, version, n)
    with time_machine.travel(START + datetime.timedelta(days=41, hours=6), tick=False):
        client.force_login(clinician)
        url = reverse("plans:between_visits", args=[plan.patient.pk])
        card = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert _cells(card) == [
        ["Last 2 weeks", "3 of 14 days", "6 days (3 a week)", "50 %"],
        ["Last 6 weeks", "3 of 42 days", "18 days (3 a week)", "17 %"],
    ]
