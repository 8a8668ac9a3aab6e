"""Return to running (plans/return_to_run.py), with worked examples from DOMAIN.md section 4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from plans.return_to_run import (
    CONTINUOUS,
    MIN_RUNS_PER_STAGE,
    MOEN_2012_STAGES,
    PAIN_GUIDE,
    PAIN_GUIDE_BONE_STRESS,
    START_CRITERIA,
    WALK_RUN_SOURCE,
    WALK_RUN_STAGES,
    Decision,
    RunReport,
    miles_to_km,
    pain_guide,
    progression_decision,
    race_note,
    ready_to_start,
    start_criteria_status,
    weeks_until,
)

FINE = RunReport(pain_during=2, pain_next_morning_worse=False)
ACCEPTABLE = RunReport(pain_during=5, pain_next_morning_worse=False)

# ------------------------------------------------------------------------------ tables


def test_walk_run_stages_are_exactly_the_domain_table():
    rows = [
        (s.stage, s.rpe, s.walk_minutes, s.run_minutes, s.distance_miles) for s in WALK_RUN_STAGES
    ]
    assert rows == [
        (1, 3, 2, 3, Decimal("1.0")),
        (2, 3, 2, 3, Decimal("1.5")),
        (3, 4, 2, 4, Decimal("1.5")),
        (4, 4, 2, 4, Decimal("2.0")),
        (5, 5, 1, 4, Decimal("2.0")),
        (6, 5, None, CONTINUOUS, Decimal("2.0")),
    ]
    assert "10.1186/s13063-023-07502-x" in WALK_RUN_SOURCE
    assert MIN_RUNS_PER_STAGE == 2


def test_distances_convert_to_kilometres():
    assert [s.distance_km for s in WALK_RUN_STAGES] == [
        Decimal("1.6"),
        Decimal("2.4"),
        Decimal("2.4"),
        Decimal("3.2"),
        Decimal("3.2"),
        Decimal("3.2"),
    ]
    assert miles_to_km(Decimal("1"), places=3) == Decimal("1.609")


def test_moen_2012_time_based_stages():
    rows = [(s.run_minutes, s.walk_minutes, s.repeats, s.total_minutes) for s in MOEN_2012_STAGES]
    assert rows == [
        (2, 2, 4, 16),
        (3, 2, 4, 20),
        (CONTINUOUS, None, None, 16),
        (CONTINUOUS, None, None, 18),
    ]


# ------------------------------------------------------------------------------ start criteria


def test_start_criteria_without_bone_stress_are_walking_and_hopping():
    status = start_criteria_status({"brisk_walk_30min": True}, bone_stress=False)
    assert [(s.key, s.met) for s in status] == [
        ("brisk_walk_30min", True),
        ("pain_free_hops", None),
    ]
    assert "30 minutes" in status[0].label and "10–20 hops" in status[1].label
    assert not ready_to_start(status)


def test_start_criteria_with_bone_stress_add_tenderness_and_imaging():
    facts = {
        "brisk_walk_30min": True,
        "pain_free_hops": True,
        "no_bony_tenderness": False,
        "imaging_healing": None,
    }
    status = start_criteria_status(facts, bone_stress=True)
    assert [(s.key, s.met) for s in status] == [
        ("brisk_walk_30min", True),
        ("pain_free_hops", True),
        ("no_bony_tenderness", False),
        ("imaging_healing", None),
    ]
    assert not ready_to_start(status)
    low_risk = start_criteria_status(
        {**facts, "no_bony_tenderness": True}, True, high_risk_site=False
    )
    assert [s.key for s in low_risk] == ["brisk_walk_30min", "pain_free_hops", "no_bony_tenderness"]
    assert ready_to_start(low_risk)


def test_start_criteria_ignore_values_that_are_not_yes_or_no():
    status = start_criteria_status({"brisk_walk_30min": "yes"}, bone_stress=False)
    assert status[0].met is None
    assert {c.key for c in START_CRITERIA if c.bone_stress_only} == {
        "no_bony_tenderness",
        "imaging_healing",
    }


# ------------------------------------------------------------------------------ progression


def test_two_fine_runs_progress_to_the_next_stage():
    decision = progression_decision(2, [FINE, FINE], bone_stress=False)
    assert (decision.action, decision.next_stage) == ("progress", 3)


def test_one_fine_run_repeats_the_stage():
    decision = progression_decision(2, [FINE], bone_stress=False)
    assert (decision.action, decision.next_stage) == ("repeat", 2)
    assert "1 of 2" in decision.reason


def test_pain_4_to_5_is_acceptable_and_counts():
    decision = progression_decision(3, [FINE, ACCEPTABLE], bone_stress=False)
    assert (decision.action, decision.next_stage) == ("progress", 4)
    assert "acceptable" in decision.reason
    assert progression_decision(3, [ACCEPTABLE], bone_stress=False).action == "repeat"


def test_pain_above_5_stops():
    runs = [FINE, RunReport(pain_during=6, pain_next_morning_worse=False)]
    decision = progression_decision(4, runs, bone_stress=False)
    assert (decision.action, decision.next_stage) == ("stop", 4)
    assert decision.contact_clinic


def test_worse_next_morning_steps_back_one_stage():
    runs = [FINE, RunReport(pain_during=1, pain_next_morning_worse=True)]
    decision = progression_decision(4, runs, bone_stress=False)
    assert (decision.action, decision.next_stage) == ("step_back", 3)
    assert not decision.contact_clinic


def test_bone_pain_with_bone_stress_steps_back_even_with_little_pain():
    runs = [FINE, RunReport(pain_during=1, pain_next_morning_worse=False, bone_pain=True)]
    decision = progression_decision(3, runs, bone_stress=True)
    assert (decision.action, decision.next_stage) == ("step_back", 2)
    assert decision.contact_clinic and "contact the clinic" in decision.reason.lower()


def test_bone_pain_without_a_known_bone_stress_injury_is_passed_on_to_the_clinician():
    runs = [FINE, RunReport(pain_during=1, pain_next_morning_worse=False, bone_pain=True)]
    decision = progression_decision(3, runs, bone_stress=False)
    assert (decision.action, decision.next_stage) == ("progress", 4)
    assert decision.contact_clinic and "bone" in decision.reason


def test_stage_one_cannot_step_back_so_it_repeats_and_asks_to_contact_the_clinic():
    worse = RunReport(pain_during=2, pain_next_morning_worse=True)
    decision = progression_decision(1, [worse], bone_stress=False)
    assert (decision.action, decision.next_stage) == ("repeat", 1)
    assert decision.contact_clinic and "contact the clinic" in decision.reason
    bone = RunReport(pain_during=0, pain_next_morning_worse=False, bone_pain=True)
    assert progression_decision(1, [bone], bone_stress=True).action == "repeat"


def test_an_unfinished_run_does_not_count():
    unfinished = RunReport(pain_during=2, pain_next_morning_worse=False, completed=False)
    decision = progression_decision(2, [FINE, unfinished], bone_stress=False)
    assert (decision.action, decision.next_stage) == ("repeat", 2)
    assert progression_decision(2, [FINE, unfinished, FINE], False).action == "progress"


def test_no_runs_yet_repeats_and_the_last_stage_finishes():
    assert progression_decision(1, [], bone_stress=False).action == "repeat"
    last = progression_decision(6, [FINE, FINE], bone_stress=False)
    assert last == Decision("progress", 6, last.reason, False, finished=True)
    moen = progression_decision(4, [FINE, FINE], False, last_stage=len(MOEN_2012_STAGES))
    assert moen.finished


@pytest.mark.parametrize("stage", [0, 7])
def test_stage_out_of_range_is_refused(stage):
    with pytest.raises(ValueError):
        progression_decision(stage, [FINE], bone_stress=False)


def test_run_report_refuses_pain_outside_0_to_10():
    with pytest.raises(ValueError):
        RunReport(pain_during=11, pain_next_morning_worse=False)


# ------------------------------------------------------------------------------ race and guide


def test_weeks_until_the_race():
    today = date(2025, 3, 3)
    assert weeks_until(date(2025, 5, 5), today) == 9
    assert weeks_until(date(2025, 3, 9), today) == 0
    assert weeks_until(date(2025, 3, 2), today) is None
    assert weeks_until(None, today) is None


def test_race_note_states_the_time_left_without_predicting_readiness():
    today = date(2025, 3, 3)
    assert race_note(date(2025, 5, 5), today, 3).startswith("Your goal race is in 9 weeks.")
    assert race_note(date(2025, 3, 10), today, 1).startswith("Your goal race is in 1 week.")
    assert race_note(date(2025, 3, 5), today, 1).startswith("Your goal race is in 2 days.")
    assert race_note(today, today, 1).startswith("Your goal race is today.")
    assert race_note(None, today, 1) == "No goal race is set."
    assert race_note(date(2025, 1, 1), today, 1) == "The goal race date has passed."
    for word in ("ready", "on track", "will be able"):
        assert word not in race_note(date(2025, 5, 5), today, 3)


def test_pain_guide_explains_each_band_and_the_bone_stress_rule():
    bands = [band for band, _ in PAIN_GUIDE]
    assert bands == ["0–3", "4–5", "above 5", "next morning"]
    assert "Stop" in dict(PAIN_GUIDE)["above 5"]
    assert "go back one stage" in dict(PAIN_GUIDE)["next morning"]
    assert pain_guide(bone_stress=False) == PAIN_GUIDE
    assert pain_guide(bone_stress=True) == PAIN_GUIDE_BONE_STRESS
    assert "no pain in the bone is acceptable" in dict(PAIN_GUIDE_BONE_STRESS)["bone pain"]
