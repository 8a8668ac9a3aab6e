"""The red-flag screen (intake.redflags), pure: which answers raise which flag and how urgent,
the femoral-neck signs, the Wells score and the Female Athlete Triad points. No database; the
pages that raise and resolve flags are tested in test_redflag_pages.py."""

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from intake.forms import RedFlagScreenForm
from intake.redflags import (
    EMERGENCY,
    EMERGENCY_GENERAL_FLAGS,
    FEMORAL_NECK_SIGNS,
    GENERAL_FLAGS,
    WELLS_CRITERIA,
    Flag,
    femoral_neck_suspected,
    patient_action,
    screen,
    wells_probability,
    wells_score,
)
from intake.triad import (
    bmd_points,
    bmi_points,
    menarche_points,
    menses_points,
    stress_fracture_points,
    triad_points,
    triad_risk,
)

from .helpers import NO_FLAGS

ALL_FACTORS_ZERO = {
    "dietary_restriction": 0,
    "bmi": 0,
    "menarche": 0,
    "menses": 0,
    "bmd": 0,
    "stress_fractures": 0,
}


def by_kind(flags: list[Flag], kind: str) -> list[Flag]:
    return [f for f in flags if f.kind == kind]


# ---------------------------------------------------------------- general


def test_general_flags_cover_the_domain_red_flags_with_each_cauda_equina_sign_asked():
    assert [q.key for q in GENERAL_FLAGS] == [
        "night_rest_pain",
        "unexplained_weight_loss",
        "cancer_history",
        "fever_chills_sweats",
        "bowel_bladder_change",
        "saddle_numbness",
        "bilateral_leg_weakness",
        "unexplained_weakness_numbness",
    ]
    assert all(q.question.endswith("?") and q.label for q in GENERAL_FLAGS)


@pytest.mark.parametrize(
    "question",
    [q for q in GENERAL_FLAGS if q.key not in EMERGENCY_GENERAL_FLAGS],
    ids=lambda q: q.key,
)
def test_each_general_flag_answered_yes_raises_a_review_flag(question):
    assert screen({question.key: True}) == [
        Flag("general", question.key, question.label, "review", False, question.label)
    ]


@pytest.mark.parametrize(
    "key", ["bowel_bladder_change", "saddle_numbness", "bilateral_leg_weakness"]
)
def test_each_possible_cauda_equina_sign_is_an_emergency_hard_stop(key):
    # DOMAIN.md section 3: "New bowel or bladder change, saddle numbness or bilateral leg
    # weakness (possible cauda equina) is an emergency" (same-day medical care).
    (flag,) = screen({key: True})
    assert (flag.severity, flag.hard_stop) == (EMERGENCY, True)
    assert patient_action([flag]) == "emergency"


def test_general_flag_answered_no_raises_nothing():
    assert screen({q.key: False for q in GENERAL_FLAGS}) == []


# ----------------------------------------------------------- femoral neck


def test_groin_pain_alone_is_not_suspected_femoral_neck():
    assert femoral_neck_suspected({"fn_groin_pain_activity": True}) is False


@pytest.mark.parametrize("other", ["fn_hop_pain", "fn_hip_ir_pain", "fn_night_pain"])
def test_groin_pain_with_any_other_sign_is_suspected_femoral_neck(other):
    assert femoral_neck_suspected({"fn_groin_pain_activity": True, other: True}) is True


@pytest.mark.parametrize(
    "pair",
    [
        ("fn_hop_pain", "fn_night_pain"),
        ("fn_hip_ir_pain", "fn_night_pain"),
        ("fn_hop_pain", "fn_hip_ir_pain"),
    ],
)
def test_any_two_femoral_neck_signs_stop_even_without_groin_pain(pair):
    """DOMAIN.md section 3: any two of the four signs; groin pain is not required."""
    (flag,) = screen(dict.fromkeys(pair, True))
    assert (flag.key, flag.severity, flag.hard_stop) == ("femoral_neck", "urgent", True)


@pytest.mark.parametrize("sign", ["fn_hop_pain", "fn_hip_ir_pain", "fn_night_pain"])
def test_one_femoral_neck_sign_alone_is_for_the_clinician_to_examine(sign):
    assert femoral_neck_suspected({sign: True}) is False


def test_suspected_femoral_neck_screens_as_urgent_hard_stop():
    flags = screen({"fn_groin_pain_activity": True, "fn_hop_pain": True})
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.kind, flag.severity, flag.hard_stop) == ("femoral_neck", "urgent", True)
    assert "MRI" in flag.detail and "no weight-bearing exercise" in flag.detail


def test_femoral_neck_signs_below_threshold_are_shown_for_review_without_hard_stop():
    flags = screen({"fn_hop_pain": True})
    assert [(f.kind, f.key, f.severity, f.hard_stop) for f in flags] == [
        ("femoral_neck", "femoral_neck_signs", "review", False)
    ]
    assert "Pain on hopping" in flags[0].detail


def test_femoral_neck_signs_are_the_four_domain_signs():
    assert [s.key for s in FEMORAL_NECK_SIGNS] == [
        "fn_groin_pain_activity",
        "fn_hop_pain",
        "fn_hip_ir_pain",
        "fn_night_pain",
    ]


def test_the_hard_stops_are_the_emergency_femoral_neck_and_a_possible_clot():
    everything = {k.key: True for k in (*GENERAL_FLAGS, *FEMORAL_NECK_SIGNS, *WELLS_CRITERIA)}
    everything["wells_alternative_diagnosis"] = False
    flags = screen(everything)
    # DOMAIN.md section 3: the cauda equina signs are emergencies, listed first.
    assert [f.key for f in flags if f.hard_stop] == [
        "bowel_bladder_change",
        "saddle_numbness",
        "bilateral_leg_weakness",
        "femoral_neck",
        "wells",
    ]


# ------------------------------------------------------------------- Wells


def test_wells_criteria_score_plus_one_each_and_minus_two_for_other_diagnosis():
    points = {c.key: c.points for c in WELLS_CRITERIA}
    assert points.pop("wells_alternative_diagnosis") == -2
    assert len(points) == 8 and set(points.values()) == {1}


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ({}, 0),
        ({"wells_active_cancer": True}, 1),
        ({"wells_active_cancer": True, "wells_pitting_oedema": True}, 2),
        (
            {
                "wells_active_cancer": True,
                "wells_pitting_oedema": True,
                "wells_whole_leg_swollen": True,
            },
            3,
        ),
        ({"wells_alternative_diagnosis": True}, -2),
        ({"wells_active_cancer": True, "wells_alternative_diagnosis": True}, -1),
        ({"wells_active_cancer": False, "wells_pitting_oedema": "yes"}, 0),
    ],
)
def test_wells_score_sums_points_of_criteria_answered_true(answers, score):
    assert wells_score(answers) == score


@pytest.mark.parametrize(
    ("score", "band"),
    [(-2, "low"), (0, "low"), (1, "moderate"), (2, "moderate"), (3, "high"), (8, "high")],
)
def test_wells_probability_bands(score, band):
    assert wells_probability(score) == band


def test_wells_score_below_one_raises_no_flag():
    assert screen({"wells_active_cancer": True, "wells_alternative_diagnosis": True}) == []


def test_a_moderate_wells_score_is_urgent_and_stops_the_plan_until_cleared():
    """DOMAIN.md section 3 (Hillegass 2016): medical testing before mobilisation."""
    (flag,) = screen({"wells_active_cancer": True})
    assert (flag.kind, flag.severity, flag.hard_stop) == ("dvt", "urgent", True)
    assert flag.detail.startswith("Wells score 1 (moderate probability)")


def test_wells_high_raises_urgent_flag_with_score_in_detail():
    answers = {
        "wells_active_cancer": True,
        "wells_whole_leg_swollen": True,
        "wells_pitting_oedema": True,
    }
    (flag,) = screen(answers)
    assert (flag.kind, flag.severity, flag.hard_stop) == ("dvt", "urgent", True)
    assert flag.detail.startswith("Wells score 3 (high probability)")


# ---------------------------------------------------- triad: factor points


@pytest.mark.parametrize(("bmi", "points"), [(18.5, 0), (18.4, 1), (17.6, 1), (17.5, 2), (17.4, 2)])
def test_bmi_points_boundaries(bmi, points):
    assert bmi_points(bmi, None) == points


@pytest.mark.parametrize(("loss", "points"), [(4.9, 0), (5, 1), (9.9, 1), (10, 2)])
def test_weight_loss_points_boundaries_with_normal_bmi(loss, points):
    assert bmi_points(20.0, loss) == points


def test_bmi_points_take_the_worse_of_bmi_and_weight_loss():
    assert bmi_points(17.0, 6.0) == 2
    assert bmi_points(18.0, 12.0) == 2
    assert bmi_points(18.0, 1.0) == 1


def test_weight_loss_alone_scores_when_it_shows_risk():
    assert bmi_points(None, 5.0) == 1
    assert bmi_points(None, 10.0) == 2


def test_small_weight_loss_without_bmi_is_not_assessed():
    assert bmi_points(None, 4.9) is None


def test_bmi_and_weight_loss_unknown_is_not_assessed():
    assert bmi_points(None, None) is None


@pytest.mark.parametrize(("age", "points"), [(14, 0), (15, 1), (16, 2), (17, 2), (None, None)])
def test_menarche_points_boundaries(age, points):
    assert menarche_points(age) == points


@pytest.mark.parametrize(
    ("per_year", "points"), [(12, 0), (10, 0), (9, 1), (6, 1), (5, 2), (0, 2), (None, None)]
)
def test_menses_points_boundaries(per_year, points):
    assert menses_points(per_year) == points


@pytest.mark.parametrize(
    ("z", "points"), [(0.5, 0), (-1.0, 0), (-1.5, 1), (-1.9, 1), (-2.0, 2), (-2.5, 2), (None, None)]
)
def test_bmd_points_boundaries(z, points):
    assert bmd_points(z) == points


@pytest.mark.parametrize(
    ("count", "high_risk", "points"),
    [(0, False, 0), (1, False, 1), (1, True, 2), (2, False, 2), (3, False, 2)],
)
def test_stress_fracture_points(count, high_risk, points):
    assert stress_fracture_points(count, high_risk) == points


def test_high_risk_site_scores_two_even_with_count_left_at_zero():
    assert stress_fracture_points(0, True) == 2


def test_negative_fracture_count_is_rejected():
    with pytest.raises(ValueError):
        stress_fracture_points(-1, False)


# ------------------------------------------------- triad: cumulative risk


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (0, "full clearance"),
        (1, "full clearance"),
        (2, "provisional clearance"),
        (5, "provisional clearance"),
        (6, "restricted"),
        (12, "restricted"),
    ],
)
def test_triad_category_boundaries(total, category):
    points = dict(ALL_FACTORS_ZERO)
    for factor in list(points)[: total // 2]:
        points[factor] = 2
    if total % 2:
        points["stress_fractures"] = 1
    result = triad_risk(points)
    assert (result.total, result.assessed, result.category) == (total, 6, category)
    assert result.complete is True and result.note == ""


def test_incomplete_triad_is_marked_provisional_in_the_note():
    result = triad_risk({"dietary_restriction": 1, "bmi": 0, "bmd": None})
    assert (result.total, result.assessed, result.complete) == (1, 2, False)
    assert result.category == "full clearance"
    assert result.note.startswith("Provisional because incomplete: 4 of 6")
    assert result.not_assessed == ("menarche", "menses", "bmd", "stress_fractures")


def test_incomplete_triad_with_nothing_assessed():
    result = triad_risk({})
    assert (result.total, result.assessed, result.complete) == (0, 0, False)


def test_triad_risk_rejects_invalid_points_and_unknown_factors():
    with pytest.raises(ValueError):
        triad_risk({"bmi": 3})
    with pytest.raises(ValueError):
        triad_risk({"bmi": True})
    with pytest.raises(ValueError):
        triad_risk({"weight": 1})


def test_triad_result_is_frozen():
    with pytest.raises(FrozenInstanceError):
        triad_risk({}).total = 5  # type: ignore[misc]


def test_triad_points_map_raw_answers_to_factor_points():
    answers = {
        "triad_dietary_restriction": 1,
        "triad_bmi": Decimal("18.0"),
        "triad_weight_loss_pct_month": 10,
        "triad_menarche_age": 15,
        "triad_menses_per_year": 9,
        "triad_bmd_z": -2.0,
        "triad_stress_fractures": 1,
    }
    assert triad_points(answers) == {
        "dietary_restriction": 1,
        "bmi": 2,
        "menarche": 1,
        "menses": 1,
        "bmd": 2,
        "stress_fractures": 1,
    }


@pytest.mark.parametrize("age, points", [(14.5, 0), (15.5, 1), (15.9, 1), (16.0, 2)])
def test_a_menarche_age_in_half_years_is_scored_in_de_souzas_band(age, points):
    """De Souza 2014: < 15 / 15 to < 16 / >= 16; 15.5 is in the middle band, not refused."""
    assert triad_points({"triad_menarche_age": age})["menarche"] == points


def test_the_questionnaire_takes_a_half_year_age_at_menarche():
    form = RedFlagScreenForm({**NO_FLAGS, "triad_menarche_age": "15.5"}, include_triad=True)
    assert form.is_valid(), form.errors
    assert triad_points(form.answers())["menarche"] == 1


def test_triad_high_risk_site_without_count_scores_two():
    points = triad_points({"triad_stress_fracture_high_risk_site": True})
    assert points["stress_fractures"] == 2


# ------------------------------------------------------ screen: low energy


def test_triad_total_of_two_raises_low_energy_flag():
    (flag,) = screen({"triad_bmd_z": -2.5})
    assert (flag.kind, flag.key, flag.severity, flag.hard_stop) == (
        "low_energy",
        "triad",
        "review",
        False,
    )
    assert "provisional clearance" in flag.detail and "incomplete" in flag.detail


def test_triad_total_of_one_without_dietary_restriction_raises_nothing():
    assert screen({"triad_menses_per_year": 8, "triad_dietary_restriction": 0}) == []


def test_any_dietary_restriction_raises_low_energy_flag():
    (flag,) = screen({"triad_dietary_restriction": 1})
    assert flag.kind == "low_energy"


def test_complete_low_risk_triad_raises_nothing():
    answers = {
        "triad_dietary_restriction": 0,
        "triad_bmi": 21.0,
        "triad_weight_loss_pct_month": 0,
        "triad_menarche_age": 13,
        "triad_menses_per_year": 12,
        "triad_bmd_z": 0.0,
        "triad_stress_fractures": 1,
    }
    assert screen(answers) == []


# -------------------------------------------------------- screen: general


def test_screen_of_empty_answers_is_empty():
    assert screen({}) == []


def test_screen_ignores_unknown_keys():
    assert screen({"favourite_colour": True, "triad_weight": 12}) == []


@pytest.mark.parametrize(
    "value", ["yes", None, [True], {"a": 1}, float("nan"), float("inf"), object()]
)
def test_wrong_types_never_raise_and_count_as_not_answered(value):
    keys = [q.key for q in (*GENERAL_FLAGS, *FEMORAL_NECK_SIGNS, *WELLS_CRITERIA)]
    keys += [
        "triad_bmi",
        "triad_weight_loss_pct_month",
        "triad_menarche_age",
        "triad_menses_per_year",
        "triad_bmd_z",
        "triad_stress_fractures",
        "triad_stress_fracture_high_risk_site",
    ]
    assert screen(dict.fromkeys(keys, value)) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("triad_dietary_restriction", 3),
        ("triad_dietary_restriction", -1),
        ("triad_dietary_restriction", 1.5),
        ("triad_dietary_restriction", True),
        ("triad_bmi", -17.0),
        ("triad_bmi", "17"),
        ("triad_menarche_age", 15.5),
        ("triad_stress_fractures", -2),
    ],
)
def test_invalid_triad_values_count_as_not_assessed(key, value):
    assert screen({key: value}) == []


def test_screen_of_non_mapping_is_empty():
    assert screen(None) == []  # type: ignore[arg-type]


def test_screen_lists_urgent_flags_first():
    flags = screen(
        {
            "night_rest_pain": True,
            "fn_groin_pain_activity": True,
            "fn_night_pain": True,
        }
    )
    assert [f.severity for f in flags] == ["urgent", "review"]
    assert flags[0].kind == "femoral_neck"


def test_flag_is_frozen():
    (flag,) = screen({"cancer_history": True})
    with pytest.raises(FrozenInstanceError):
        flag.severity = "urgent"  # type: ignore[misc]
