"""Tests for intake.diagnoses (pure Python; the ICD-10-CM data is simple-icd-10-cm's)."""

import time
import warnings
from dataclasses import FrozenInstanceError

import pytest

from intake.diagnoses import (
    CURATED,
    REGIONS,
    SIDES,
    Code,
    Condition,
    conditions_for_code,
    curated_for_region,
    describe,
    is_billable,
    search,
)

with warnings.catch_warnings():  # the library's own importlib.resources deprecation
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm as cm
ALL_CURATED = [code for condition in CURATED for code in condition.codes]


def codes(results: list[Code]) -> list[str]:
    return [c.code for c in results]


# ------------------------------------------------------------------ curated


@pytest.mark.parametrize("code", ALL_CURATED, ids=lambda c: c.code)
def test_every_curated_code_is_billable_per_the_library(code):
    assert cm.is_valid_item(code.code)
    assert cm.is_category_or_subcategory(code.code)
    assert cm.is_leaf(code.code)
    assert code.description == cm.get_description(code.code)
    assert is_billable(code.code)


def test_curated_sides_are_known_values_and_match_the_description():
    for code in ALL_CURATED:
        assert code.side in (*SIDES, None)
        if code.side in ("right", "left"):
            assert code.side in code.description.lower()
        if code.side == "unspecified":
            assert "unspecified" in code.description.lower()


def test_curated_conditions_cover_domain_section_2():
    keys = [c.key for c in CURATED]
    assert len(keys) == len(set(keys))
    assert set(keys) == {
        "patellofemoral_pain",
        "iliotibial_band_syndrome",
        "achilles_midportion",
        "achilles_insertional",
        "medial_tibial_stress_syndrome",
        "bone_stress_tibia_fibula",
        "bone_stress_foot_ankle",
        "bone_stress_pelvis_femur",
        "plantar_heel_pain",
        "gluteal_tendinopathy",
        "hip_labral_tear",
        "proximal_hamstring_tendinopathy",
    }
    assert all(condition.codes for condition in CURATED)


def test_codes_named_in_domain_md_are_curated_where_they_exist():
    curated = {c.code for c in ALL_CURATED}
    named = {"M22.2X1", "M22.2X2", "M22.2X9", "M76.31", "M76.32", "M76.30", "M72.2"}
    named |= {"M76.01", "M76.02", "M70.61", "M70.62", "S73.191A", "S73.192A"}
    assert named <= curated


def test_stress_fracture_codes_take_no_x_placeholder():
    # DOMAIN.md says "with 7th character (verify)": the 6th character is a site digit.
    for wrong in ("M84.35XA", "M84.36XA", "M84.37XA"):
        assert not cm.is_valid_item(wrong)
        assert not is_billable(wrong)
    assert is_billable("M84.361A")


def test_dataclasses_are_frozen():
    with pytest.raises(FrozenInstanceError):
        CURATED[0].codes[0].code = "X"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        CURATED[0].name = "X"  # type: ignore[misc]
    assert isinstance(CURATED[0], Condition)


# ------------------------------------------------------------------ search


PATELLOFEMORAL = ["M22.2X1", "M22.2X2", "M22.2X9"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("M22.2", PATELLOFEMORAL),
        ("m22.2", PATELLOFEMORAL),
        ("m222", PATELLOFEMORAL),
        (" M22.2X ", PATELLOFEMORAL),
        ("m22.2x1", ["M22.2X1"]),
        ("M222X1", ["M22.2X1"]),
        ("m2221", ["M22.2X1"]),  # placeholder X left out
        ("m22.21", ["M22.2X1"]),
    ],
)
def test_search_by_code_prefix_with_or_without_the_dot(query, expected):
    assert codes(search(query)) == expected


def test_search_by_full_code_finds_that_code_first():
    assert codes(search("M76.61")) == ["M76.61"]
    assert codes(search("s73191a")) == ["S73.191A"]


def test_search_code_prefix_returns_only_codes_under_the_prefix():
    results = search("M84.36", limit=50)
    assert results and all(c.code.startswith("M84.36") for c in results)
    assert all(is_billable(c.code) for c in results)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("patellofemoral", ["M22.2X1", "M22.2X2", "M22.2X9"]),
        ("PATELLOFEMORAL right", ["M22.2X1"]),
        ("achilles tendinitis", ["M76.61", "M76.62", "M76.60"]),
        ("tendinitis achilles", ["M76.61", "M76.62", "M76.60"]),
        ("iliotibial", ["M76.31", "M76.32", "M76.30"]),
    ],
)
def test_search_by_words(query, expected):
    assert codes(search(query)) == expected


def test_search_words_are_substrings():
    results = codes(search("achil", limit=50))
    assert results[:3] == ["M76.61", "M76.62", "M76.60"]
    assert "M67.01" in results  # Short Achilles tendon (acquired), right ankle


def test_search_by_inclusion_term():
    assert codes(search("plantar fasciitis")) == ["M72.2"]


def test_curated_codes_come_first_in_curated_order():
    results = search("tendinitis", limit=40)
    curated = {c.code for c in ALL_CURATED}
    flags = [c.code in curated for c in results]
    assert flags[:9] == [True] * 9  # Achilles (3), gluteal (3), trochanteric tendinitis (3)
    assert True in flags and False in flags
    assert flags.index(False) == sum(flags)  # no curated code after a non-curated one
    assert codes(results)[:3] == ["M76.61", "M76.62", "M76.60"]


def test_curated_results_carry_their_side_others_do_not():
    results = search("knee")
    assert results[0] == Code("M22.2X1", "Patellofemoral disorders, right knee", "right")
    assert all(c.side is None for c in results[3:])


def test_non_curated_results_are_in_code_order_and_billable():
    results = search("stress fracture femur", limit=30)
    rest = [c.code for c in results if c.side is None]
    assert rest == sorted(rest)
    assert all(is_billable(c) for c in rest)


@pytest.mark.parametrize("query", ["", "   ", "zzzqqq", "Q99.999", "shin splints xyz"])
def test_search_unknown_is_empty(query):
    assert search(query) == []


def test_search_limit():
    assert len(search("fracture", limit=5)) == 5
    assert search("fracture", limit=0) == []
    assert len(search("fracture")) == 20


def test_search_is_fast_enough_per_keystroke():
    search("warm up the index")
    for query in ("unspecified", "fracture", "m", "achilles tendinitis", "zzzz"):
        start = time.perf_counter()
        search(query)
        assert time.perf_counter() - start < 0.25, query  # typically < 25 ms


# ------------------------------------------------------------- describe/billable


def test_describe():
    assert describe("M22.2X1") == "Patellofemoral disorders, right knee"
    assert describe("m222x1") == "Patellofemoral disorders, right knee"
    assert describe("M72.2") == "Plantar fascial fibromatosis"
    assert describe("M76.6") is None  # only billable codes are shipped and described


@pytest.mark.parametrize("code", ["", "Q99.999", "M70-M79", "1", "not a code"])
def test_describe_unknown_is_none(code):
    assert describe(code) is None


@pytest.mark.parametrize("code", ["M22.2X1", "m22.2x1", "M222X1", " m222x1 ", "M72.2", "m722"])
def test_is_billable_normalises_case_and_dot(code):
    assert is_billable(code)


@pytest.mark.parametrize("code", ["M22.2", "M22", "M76.6", "M84.36", "M84.361", "", "ZZZ", "1"])
def test_is_billable_false_for_parents_and_unknown(code):
    assert not is_billable(code)


# ------------------------------------------------------------------ regions


def test_every_region_is_mapped_to_known_conditions():
    expected = {"hip", "groin", "thigh", "knee", "shin", "calf", "achilles", "ankle"}
    assert set(REGIONS) == expected | {"heel_foot", "low_back"}
    for region in REGIONS:
        assert all(isinstance(c, Condition) for c in curated_for_region(region))


def test_every_curated_condition_is_reachable_from_some_region():
    reachable = {c.key for region in REGIONS for c in curated_for_region(region)}
    assert reachable == {c.key for c in CURATED}


@pytest.mark.parametrize(
    ("region", "key"),
    [
        ("knee", "patellofemoral_pain"),
        ("knee", "iliotibial_band_syndrome"),
        ("achilles", "achilles_midportion"),
        ("achilles", "achilles_insertional"),
        ("heel_foot", "achilles_insertional"),
        ("shin", "medial_tibial_stress_syndrome"),
        ("shin", "bone_stress_tibia_fibula"),
        ("heel_foot", "plantar_heel_pain"),
        ("hip", "gluteal_tendinopathy"),
        ("groin", "hip_labral_tear"),
        ("groin", "bone_stress_pelvis_femur"),
        ("thigh", "proximal_hamstring_tendinopathy"),
    ],
)
def test_region_mapping(region, key):
    assert key in [c.key for c in curated_for_region(region)]


def test_knee_does_not_offer_foot_conditions():
    keys = [c.key for c in curated_for_region("knee")]
    assert "plantar_heel_pain" not in keys


def test_low_back_has_no_curated_condition():
    assert curated_for_region("low_back") == ()


def test_unknown_region_raises():
    with pytest.raises(ValueError, match="unknown body region"):
        curated_for_region("elbow")


def test_the_shipped_code_list_matches_the_library():
    """intake/data/icd10cm.tsv.gz is what `manage.py build_icd10_list` writes today."""
    from intake.diagnoses.codes import _shipped_rows, library_rows

    shipped = _shipped_rows()
    built = [(b, d, desc, " ".join(terms.split())) for b, d, desc, terms in library_rows(cm)]
    assert len(shipped) == len(built) > 70000
    assert [row[:3] for row in shipped] == [
        (b, d, " ".join(desc.split())) for b, d, desc, _ in built
    ]


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("M76.892", ["medial_tibial_stress_syndrome", "proximal_hamstring_tendinopathy"]),
        ("m76.62", ["achilles_midportion", "achilles_insertional"]),
        ("S86.891A", ["medial_tibial_stress_syndrome"]),
        ("M25.561", []),
    ],
)
def test_a_shared_code_names_every_condition_it_is_offered_for(code, keys):
    assert [c.key for c in conditions_for_code(code)] == keys
