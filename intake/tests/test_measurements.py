"""The measurement grid catalogue: parsing, symmetry index, cadence target, special tests."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from intake.measurements import (
    ALL_SPECIAL_TESTS,
    GROUP_LABELS,
    GROUPS,
    LSI_THRESHOLD,
    MEASUREMENTS,
    SPECIAL_TEST_RESULTS,
    SPECIAL_TESTS,
    MeasureDef,
    cadence_target,
    get,
    limb_symmetry_index,
    lsi_flag,
    lsi_shown,
    parse_value,
    special_tests_for,
    y_balance_flag,
)

D = Decimal


def parse(key: str, text: str | None):
    return parse_value(get(key), text)


# --- catalogue -------------------------------------------------------------------------------


def test_every_key_is_unique():
    keys = [defn.key for defn in MEASUREMENTS]
    assert len(keys) == len(set(keys))


def test_groups_come_in_grid_order():
    groups = [defn.group for defn in MEASUREMENTS]
    assert groups == sorted(groups, key=GROUPS.index)
    assert list(dict.fromkeys(groups)) == ["rom", "strength", "functional"]
    assert GROUP_LABELS == {
        "rom": "Range of motion",
        "strength": "Strength",
        "functional": "Functional tests",
    }


def test_rom_rows_in_order_without_symmetry_index():
    rom = [defn for defn in MEASUREMENTS if defn.group == "rom"]
    assert [defn.key for defn in rom] == [
        "rom_hip_flexion",
        "rom_hip_extension",
        "rom_hip_internal_rotation",
        "rom_hip_external_rotation",
        "rom_hip_abduction",
        "rom_knee_flexion",
        "rom_knee_extension",
        "rom_ankle_dorsiflexion",
        "rom_knee_to_wall",
    ]
    assert {defn.unit for defn in rom[:-1]} == {"°"}
    assert rom[-1].unit == "cm"
    assert not any(defn.lsi for defn in rom)


@pytest.mark.parametrize(
    "muscle",
    ["hip_abductors", "hip_extensors", "hip_external_rotators", "quadriceps", "hamstrings", "calf"],
)
def test_each_muscle_has_mmt_and_dynamometer(muscle):
    mmt, hhd = get(f"mmt_{muscle}"), get(f"hhd_{muscle}")
    assert (mmt.kind, mmt.unit, mmt.lsi, hhd.lsi) == ("mmt", "grade", False, True)
    assert (hhd.kind, hhd.unit, hhd.lsi) == ("number", "kg or N", True)
    assert MEASUREMENTS.index(hhd) == MEASUREMENTS.index(mmt) + 1


def test_functional_rows():
    functional = [defn.key for defn in MEASUREMENTS if defn.group == "functional"]
    assert functional == [
        "squat_single_leg_quality",
        "hop_single_distance",
        "hop_triple_distance",
        "hop_6m_timed",
        "hop_single_count",
        "y_balance_anterior",
        "y_balance_composite",
        "bridge_single_leg_reps",
    ]
    assert [key for key in functional if get(key).timed] == ["hop_6m_timed"]
    assert not get("squat_single_leg_quality").lsi
    assert get("calf_raises_reps").unit == "reps"


def test_get_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        get("rom_elbow_flexion")


def test_number_rows_need_bounds():
    with pytest.raises(ValueError):
        MeasureDef("x", "rom", "X", "°", "number")
    with pytest.raises(ValueError):
        MeasureDef("x", "strength", "X", "grade", "mmt", D(0), D(5))


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_cell_is_no_value_and_no_error(text):
    for defn in MEASUREMENTS:
        assert parse_value(defn, text) == (None, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("120", D(120)), (" 0 ", D(0)), ("150", D(150)), ("97.5", D("97.5")), ("120°", D(120))],
)
def test_number_in_bounds(text, value):
    assert parse("rom_hip_flexion", text) == (value, None)


@pytest.mark.parametrize("text", ["151", "1500", "-5"])
def test_number_out_of_bounds_names_the_bounds(text):
    value, error = parse("rom_hip_flexion", text)
    assert value is None
    expected = "Hip flexion cannot be negative." if text.startswith("-") else None
    assert error == (expected or "Hip flexion must be between 0 and 150°.")


@pytest.mark.parametrize(
    "text", ["abc", "NaN", "nan", "inf", "Infinity", "-inf", "1e3", "12,5", "1 2"]
)
def test_not_a_number_is_rejected(text):
    assert parse("rom_hip_flexion", text) == (None, "Hip flexion must be a number.")


def test_too_many_decimal_places():
    assert parse("hop_6m_timed", "2.345") == (None, "6 m timed hop: use at most 2 decimal places.")
    assert parse("hop_6m_timed", "2.35") == (D("2.35"), None)


@pytest.mark.parametrize(
    ("text", "value"),
    [("-10", D(-10)), ("\u221210", D(-10)), ("-30", D(-30)), ("+15", D(15)), ("20", D(20))],
)
def test_knee_extension_allows_deficit_and_hyperextension(text, value):
    assert parse("rom_knee_extension", text) == (value, None)


@pytest.mark.parametrize("text", ["-31", "21"])
def test_knee_extension_bounds(text):
    assert parse("rom_knee_extension", text) == (
        None,
        "Knee extension must be between -30 and 20°.",
    )


def test_negative_reps_and_distances_are_errors():
    assert parse("calf_raises_reps", "-3") == (None, "Calf raises to fatigue cannot be negative.")
    assert parse("hop_single_distance", "-120") == (
        None,
        "Single hop for distance cannot be negative.",
    )
    assert parse("hop_6m_timed", "-2") == (None, "6 m timed hop cannot be negative.")


def test_reps_must_be_whole():
    assert parse("hop_single_count", "12.5") == (
        None,
        "Single-leg hop count must be a whole number of reps.",
    )
    assert parse("bridge_single_leg_reps", "25 reps") == (D(25), None)


def test_unit_in_message_for_other_units():
    assert parse("hop_single_distance", "401")[1] == (
        "Single hop for distance must be between 0 and 400 cm."
    )
    assert parse("hop_6m_timed", "0.4")[1] == "6 m timed hop must be between 0.5 and 60 s."
    assert parse("y_balance_composite", "151")[1] == (
        "Y-balance composite must be between 0 and 150 %."
    )
    assert parse("hhd_quadriceps", "2001")[1] == (
        "Quadriceps (HHD) must be between 0 and 2000 kg or N."
    )


def test_knee_to_wall_in_cm():
    assert parse("rom_knee_to_wall", "12 cm") == (D(12), None)
    assert parse("rom_knee_to_wall", "31")[1] == "Knee-to-wall must be between 0 and 30 cm."


# --- manual muscle test ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("0", "0"),
        ("1", "1"),
        ("3", "3"),
        ("5", "5"),
        ("4+", "4+"),
        ("4-", "4-"),
        ("4\u2212", "4-"),  # Unicode minus
        ("4\u2013", "4-"),  # en dash from autocorrect
        (" 3 + ", "3+"),
        ("2-", "2-"),
        ("1+", "1+"),
        ("5-", "5-"),
    ],
)
def test_mmt_accepted_and_normalised(text, grade):
    assert parse("mmt_hip_abductors", text) == (grade, None)


@pytest.mark.parametrize(
    "text", ["6", "5+", "5++", "0-", "0+", "abc", "4++", "+4", "-1", "4.5", "3/5", "10", "4 + -"]
)
def test_mmt_rejected(text):
    value, error = parse("mmt_hip_abductors", text)
    assert value is None
    assert error == (
        "Hip abductors (MMT) must be a grade from 0 to 5, with + or - if needed (e.g. 4+); "
        "there is no 0+, 0- or 5+."
    )


# --- quality ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "word"), [("good", "good"), ("Fair", "fair"), (" POOR ", "poor")])
def test_quality_accepted_lower_case(text, word):
    assert parse("squat_single_leg_quality", text) == (word, None)


@pytest.mark.parametrize("text", ["ok", "excellent", "3", "g"])
def test_quality_rejected(text):
    assert parse("squat_single_leg_quality", text) == (
        None,
        "Single-leg squat must be good, fair or poor.",
    )


# --- limb symmetry index ---------------------------------------------------------------------


def test_lsi_threshold_is_ninety():
    assert D(90) == LSI_THRESHOLD


@pytest.mark.parametrize(
    ("key", "involved", "uninvolved", "lsi"),
    [
        ("hop_single_distance", D(135), D(150), "90.0"),  # 135 / 150 = 0.9
        ("hop_single_distance", D("134.8"), D(150), "89.9"),  # 89.866… → 89.9
        ("hop_triple_distance", D(420), D(400), "105.0"),  # involved side better
        ("hhd_quadriceps", D("31.5"), D(42), "75.0"),
        ("calf_raises_reps", 18, 25, "72.0"),
        ("hop_single_distance", D(0), D(150), "0.0"),  # cannot hop on the involved side
    ],
)
def test_lsi_involved_over_uninvolved(key, involved, uninvolved, lsi):
    assert lsi_shown(limb_symmetry_index(get(key), involved, uninvolved)) == D(lsi)


@pytest.mark.parametrize(
    ("involved", "uninvolved", "lsi"),
    [
        (D("2.20"), D("2.00"), "90.9"),  # 2.00 / 2.20 = 0.90909…
        (D("2.50"), D("2.00"), "80.0"),  # slower involved side: below 100
        (D("1.80"), D("2.00"), "111.1"),
    ],
)
def test_lsi_inverted_for_timed_hop(involved, uninvolved, lsi):
    assert lsi_shown(limb_symmetry_index(get("hop_6m_timed"), involved, uninvolved)) == D(lsi)


@pytest.mark.parametrize("involved, uninvolved", [("4", "5"), ("4+", "5"), ("5", "5")])
def test_manual_muscle_test_grades_get_no_symmetry_index(involved, uninvolved):
    """Grades are ordinal: 4+/5 is not 86.7 % of the other leg (DOMAIN.md section 5)."""
    assert get("mmt_quadriceps").lsi is False
    assert limb_symmetry_index(get("mmt_quadriceps"), involved, uninvolved) is None


def test_the_symmetry_index_is_compared_unrounded_and_never_shown_as_the_threshold():
    """179.9 / 200 = 89.95 %: below 90 %, shown as 89.9, not as a "90.0" flagged low."""
    lsi = limb_symmetry_index(get("hop_single_distance"), D("179.9"), D(200))
    assert lsi == D("89.95") and lsi_flag(lsi) is True
    assert lsi_shown(lsi) == D("89.9")


@pytest.mark.parametrize(
    ("key", "involved", "uninvolved"),
    [
        ("hop_single_distance", None, D(150)),
        ("hop_single_distance", D(150), None),
        ("hop_single_distance", "", D(150)),
        ("hop_single_distance", D(120), D(0)),  # uninvolved zero
        ("hop_6m_timed", D(0), D(2)),  # timed: involved is the divisor
        ("mmt_quadriceps", "4", "0"),
        ("mmt_quadriceps", None, "5"),
        ("rom_hip_flexion", D(100), D(120)),  # no symmetry index for ROM
        ("squat_single_leg_quality", "fair", "good"),
    ],
)
def test_lsi_none_cases(key, involved, uninvolved):
    assert limb_symmetry_index(get(key), involved, uninvolved) is None


def test_lsi_flag_at_threshold():
    assert lsi_flag(D("89.9")) is True
    assert lsi_flag(D("90.0")) is False
    assert lsi_flag(D("105.0")) is False
    assert lsi_flag(None) is False


def test_lsi_flag_from_worked_hop():
    defn = get("hop_single_distance")
    assert lsi_flag(limb_symmetry_index(defn, D("134.8"), D(150)))
    assert not lsi_flag(limb_symmetry_index(defn, D(135), D(150)))


# --- cadence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measured", "target"),
    [
        (160, (168, 176)),  # 168.00, 176.00
        (172, (181, 189)),  # 180.60 → 181, 189.20 → 189
        (170, (179, 187)),  # 178.50 → 179 (half up), 187.00
        (D("171.5"), (180, 189)),  # 180.075 → 180, 188.65 → 189
        (100, (105, 110)),
        (250, (263, 275)),  # 262.50 → 263
    ],
)
def test_cadence_target(measured, target):
    assert cadence_target(measured) == target


@pytest.mark.parametrize("measured", [99, 85, 251, 0, -170, D("NaN"), D("Infinity"), True])
def test_cadence_outside_plausible_range(measured):
    with pytest.raises(ValueError):
        cadence_target(measured)


def test_cadence_error_explains_range():
    with pytest.raises(ValueError, match="between 100 and 250 steps per minute"):
        cadence_target(85)


# --- special tests ---------------------------------------------------------------------------


def _body_region_values() -> list[str]:
    """BodyRegion's values, read from the model's source without importing Django."""
    source = Path(__file__).parents[1] / "models" / "questionnaires.py"
    block = source.read_text().split("class BodyRegion", 1)[1].split("\nclass ", 1)[0]
    return re.findall(r'=\s*"([a-z_]+)"', block)


def test_special_test_regions_match_body_region():
    assert list(SPECIAL_TESTS) == _body_region_values()


def test_special_tests_named_in_the_brief():
    def keys(region):
        return [key for key, _ in SPECIAL_TESTS[region]]

    assert keys("hip") == ["fadir", "faber", "thomas", "ober", "single_leg_stance_30s"]
    assert keys("knee") == ["noble", "ober", "patellar_grind", "thomas"]
    assert keys("achilles") == ["thompson", "arc_sign", "royal_london"]
    assert keys("heel_foot") == [
        "windlass",
        "calcaneal_squeeze",
        "hop_test",
        "focal_bony_tenderness",
    ]
    assert keys("low_back") == ["slump", "straight_leg_raise"]
    assert keys("groin") == ["fadir", "hop_test", "focal_bony_tenderness"]
    assert keys("thigh") == ["thomas", "ober"]
    shin = {"hop_test", "tibial_tenderness_5cm", "focal_bony_tenderness", "thompson"}
    assert shin == set(keys("shin"))
    assert set(keys("calf")) == set(keys("shin"))
    assert "≥ 5 cm" in dict(SPECIAL_TESTS["shin"])["tibial_tenderness_5cm"]


def test_special_tests_for_deduplicates_in_order():
    tests = special_tests_for(["hip", "knee", "thigh"])
    assert [key for key, _ in tests] == [
        "fadir",
        "faber",
        "thomas",
        "ober",
        "single_leg_stance_30s",
        "noble",
        "patellar_grind",
    ]


def test_special_tests_for_same_region_twice_and_none():
    assert special_tests_for(["groin", "groin"]) == list(SPECIAL_TESTS["groin"])
    assert special_tests_for([]) == []


def test_special_tests_for_unknown_region():
    with pytest.raises(KeyError):
        special_tests_for(["elbow"])


def test_all_special_tests_each_once_with_one_label():
    keys = [key for key, _ in ALL_SPECIAL_TESTS]
    assert len(keys) == len(set(keys))
    every = {test for tests in SPECIAL_TESTS.values() for test in tests}
    assert set(ALL_SPECIAL_TESTS) == every


def test_special_test_results():
    assert SPECIAL_TEST_RESULTS == ("positive", "negative", "not_tested")


@pytest.mark.parametrize(
    ("key", "left", "right", "flagged"),
    [
        ("y_balance_anterior", "60", "64", True),  # 4 cm: Plisky 2006's cut-off
        ("y_balance_anterior", "60", "63.9", False),
        ("y_balance_anterior", "64", "60", True),  # either side shorter
        ("y_balance_anterior", "60", "", False),  # one side missing: nothing to compare
        ("y_balance_composite", "93.9", "99", True),  # < 94 % of limb length on one side
        ("y_balance_composite", "94", "94", False),
        ("y_balance_composite", "88", "", True),
        ("hop_single_distance", "10", "100", False),  # not a Y-balance row
    ],
)
def test_the_y_balance_is_judged_by_plisky_cut_offs_not_a_90_percent_index(
    key, left, right, flagged
):
    # Point 11: today's main flagged a composite below 90 % of the other leg.
    assert y_balance_flag(key, left, right) is flagged
    assert not get("y_balance_composite").lsi and not get("y_balance_anterior").lsi
