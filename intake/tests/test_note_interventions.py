"""What a note records per intervention kind (intake/note_interventions.py), pure."""

import pytest

from intake import note_interventions as ni


def test_manual_therapy_needs_joint_grade_and_technique():
    clean, errors = ni.clean_details("manual", {"joint": "Talocrural", "grade": "V"})
    assert errors == {
        "grade": "Grade: choose one of the list.",
        "technique": "Technique: required.",
    }
    clean, errors = ni.clean_details(
        "manual", {"joint": " Talocrural ", "grade": "III", "technique": "AP glide", "x": "1"}
    )
    assert errors == {} and clean == {
        "joint": "Talocrural",
        "grade": "III",
        "technique": "AP glide",
    }
    assert ni.describe("manual", clean) == "Talocrural, grade III, AP glide"


@pytest.mark.parametrize(
    ("percent", "error"),
    [("39", "% of LOP: from 40 to 80."), ("81", "% of LOP: from 40 to 80."), ("40", None)]
    + [("80", None), ("sixty", "% of LOP: a whole number."), ("60.5", "% of LOP: a whole number.")],
)
def test_blood_flow_restriction_uses_40_to_80_percent_of_the_limb_occlusion_pressure(
    percent, error
):
    raw = {
        "limb": "left_leg",
        "lop_mmhg": "180",
        "percent_lop": percent,
        "sets_reps": "30-15-15-15",
    }
    clean, errors = ni.clean_details("bfr", raw)
    assert errors.get("percent_lop") == error
    if error is None:
        assert ni.describe("bfr", clean) == f"Left leg, LOP 180 mmHg, {percent} % LOP, 30-15-15-15"


@pytest.mark.parametrize("sets", ["30-15-15-15", "3x10", "30, 15, 15, 15"])
def test_sets_and_reps_as_numbers(sets):
    raw = {"limb": "right_leg", "lop_mmhg": "200", "percent_lop": "50", "sets_reps": sets}
    assert ni.clean_details("bfr", raw)[1] == {}


def test_sets_and_reps_refuse_words():
    raw = {"limb": "right_leg", "lop_mmhg": "200", "percent_lop": "50", "sets_reps": "lots"}
    assert ni.clean_details("bfr", raw)[1] == {
        "sets_reps": "Sets x reps as numbers, e.g. 30-15-15-15."
    }


def test_dry_needling_records_muscles_side_needles_response():
    clean, errors = ni.clean_details(
        "needling", {"muscles": "Soleus", "side": "both", "needles": "0", "response": "LTR"}
    )
    assert errors == {"needles": "Needles: from 1 to 100."}
    clean, errors = ni.clean_details(
        "needling", {"muscles": "Soleus", "side": "both", "needles": "1", "response": "LTR"}
    )
    assert ni.describe("needling", clean) == "Soleus, Both, 1 needle, LTR"


def test_gait_training_metronome_is_a_tick_and_the_target_optional():
    clean, errors = ni.clean_details("gait", {"cue": "Quiet feet", "metronome": "on"})
    assert errors == {} and clean == {"cue": "Quiet feet", "metronome": True}
    assert ni.clean_details("gait", {"cue": "x", "cadence_target": "99"})[1] == {
        "cadence_target": "Cadence target (steps/min): from 100 to 250."
    }


def test_an_unknown_kind_records_a_free_detail():
    assert ni.clean_details("laser-ish", {"detail": "  830 nm  "}) == ({"detail": "830 nm"}, {})
    assert ni.clean_details("", {"detail": "x" * 201})[1] == {
        "detail": "Detail: 200 characters at most."
    }


@pytest.mark.parametrize("text", ["²", "٣", "9" * 5000, "1e3", " 12 "])
def test_whole_numbers_are_ascii_digits_only(text):
    assert ni.whole_number(text) == (12 if text == " 12 " else None)
