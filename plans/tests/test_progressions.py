"""Loading programs that change over the weeks (plans/progressions.py), dated from the issue
day, and shown in the editor, on the patient's page and in the PDF (issue 20, point 5)."""

import datetime

import pytest

from plans import progressions
from plans.progressions import PROGRESSIONS, dated

MONDAY = datetime.date(2026, 12, 7)


def test_heavy_slow_resistance_goes_from_3x15rm_to_4x6rm_over_12_weeks_as_beyer_wrote():
    # Today's main kept 3 sets throughout (Beyer 2015: 4 sets from week 4).
    steps = [(s.first_week, s.last_week, s.sets, s.reps) for s in PROGRESSIONS["beyer_hsr"].steps]
    assert steps == [(1, 1, 3, 15), (2, 3, 3, 12), (4, 5, 4, 10), (6, 8, 4, 8), (9, 12, 4, 6)]
    assert PROGRESSIONS["beyer_hsr"].weeks == 12


def test_the_rathleff_heel_raise_steps_up_after_2_and_4_weeks_for_3_months():
    steps = [(s.first_week, s.sets, s.reps) for s in PROGRESSIONS["rathleff_heel_raise"].steps]
    assert steps == [(1, 3, 12), (3, 4, 10), (5, 5, 8)]
    assert PROGRESSIONS["rathleff_heel_raise"].weeks == progressions.RATHLEFF_WEEKS == 13
    extra = PROGRESSIONS["rathleff_heel_raise"].extra
    assert "3 days a week" in extra and "every other day" not in extra.lower()


def test_alfredson_runs_12_weeks_with_its_source():
    program = PROGRESSIONS["alfredson"]
    assert program.weeks == 12 and program.source == "Alfredson 1998, AJSM 26:360"


def test_each_step_is_dated_from_the_start_day_without_gaps_or_overlaps():
    steps = dated("beyer_hsr", MONDAY)
    assert [(s.weeks, s.starts, s.ends) for s in steps[:2]] == [
        ("Week 1", MONDAY, datetime.date(2026, 12, 13)),
        ("Weeks 2–3", datetime.date(2026, 12, 14), datetime.date(2026, 12, 27)),
    ]
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.starts == before.ends + datetime.timedelta(days=1)
    assert steps[-1].ends == MONDAY + datetime.timedelta(weeks=12, days=-1)
    assert steps[2].dose == "4 sets of 10 with a weight you can lift 10 times"


def test_an_unknown_progression_is_refused():
    with pytest.raises(KeyError):
        dated("nope", MONDAY)
