"""The plan-generation engine (plans/rules.py): what it keeps out for safety, the same plan for
the same findings, and the errors it reports in plain words.

Pure tests: no database. The library is a stub (rule_stubs.py), so the engine is tested
without plans/library_data.py.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from intake import measurements
from intake.measurements import bone_stress_suspected
from plans import catalogue
from plans.rules import (
    ALWAYS_IMPACT,
    FEMORAL_NECK_BLOCK,
    FLAGS,
    LSI_AREAS,
    LibraryFacts,
    Rule,
    UnknownExerciseError,
    generate,
    is_impact,
    validate_rules,
)
from plans.rules_data import DEFAULT_RULES

from .rule_stubs import LIBRARY, STUB_IMPACT, every_exercise_rules, findings, keys

# ------------------------------------------------------------------------------ safety


def test_femoral_neck_red_flag_blocks_the_whole_plan():
    plan = generate(
        findings(
            conditions={"bone_stress_pelvis_femur", "patellofemoral_pain"},
            flags={"femoral_neck_red_flag", "weak_hip_abductors"},
        ),
        DEFAULT_RULES,
        LIBRARY,
    )
    assert plan.blocked == FEMORAL_NECK_BLOCK
    assert "hard stop" in plan.blocked and "MRI" in plan.blocked
    assert plan.items == () and plan.over_cap == ()


@pytest.mark.parametrize(
    "kw",
    [
        {"flags": {"suspected_bone_stress"}},
        {"flags": {"hop_pain"}},
        {"flags": {"pain_above_5"}},
        {"flags": {"positive_hop_test"}},
        {"pain_now": 6},
    ],
    ids=["suspected_bone_stress", "hop_pain", "pain_above_5", "positive_hop_test", "pain_now_6"],
)
def test_every_impact_exercise_is_excluded(kw):
    plan = generate(findings(phase="perform", **kw), every_exercise_rules(), LIBRARY, max_items=99)
    proposed = set(keys(plan))
    excluded = {exercise for exercise, _ in plan.excluded}
    assert not proposed & STUB_IMPACT
    assert excluded >= STUB_IMPACT
    assert proposed | excluded == set(catalogue.KEYS)


def test_impact_is_excluded_even_when_the_library_forgets_to_say_so():
    plan = generate(
        findings(phase="perform", flags={"suspected_bone_stress"}),
        every_exercise_rules(),
        {k: LibraryFacts(key=k) for k in catalogue.KEYS},  # no kind, no contraindications
        max_items=99,
    )
    excluded = dict(plan.excluded)
    assert set(excluded) >= ALWAYS_IMPACT
    assert "suspected bone stress" in excluded["metronome_run"]


def test_library_impact_outside_the_catalogue_is_respected():
    library = {**LIBRARY, "box_jump": LibraryFacts(key="box_jump", impact=True)}
    rules = (Rule(key="box", exercise="box_jump", reason="Test."),)
    plan = generate(findings(phase="perform", flags={"hop_pain"}), rules, library)
    assert plan.items == ()
    assert plan.excluded[0].exercise == "box_jump"


def test_impact_as_a_word_is_read_sensibly():
    assert not is_impact(LibraryFacts(key="x", impact="none"))
    assert is_impact(LibraryFacts(key="x", impact="high"))
    assert is_impact(LibraryFacts(key="x", kind="plyometric"))


@pytest.mark.parametrize("phase", ["protect", "strengthen"])
def test_diagnosed_bone_stress_keeps_impact_out_until_return_to_run(phase):
    plan = generate(
        findings(conditions={"bone_stress_tibia_fibula"}, phase=phase),
        every_exercise_rules(),
        LIBRARY,
        max_items=99,
    )
    assert not set(keys(plan)) & STUB_IMPACT
    assert "until cleared" in dict(plan.excluded)["pogo_hops"]


@pytest.mark.parametrize(
    ("focal", "night", "suspected"),
    [
        (False, False, False),  # hop pain, if any, is not an input: alone it is a finding
        (False, True, True),  # night pain (DOMAIN.md s.2: "focal tenderness or night pain")
        (True, False, True),  # focal bony tenderness
        (True, True, True),
    ],
)
def test_bone_stress_is_suspected_from_focal_tenderness_or_night_pain(focal, night, suspected):
    assert bone_stress_suspected(focal_bony_tenderness=focal, night_pain=night) is suspected


def test_bone_stress_cadence_run_appears_once_cleared():
    plan = generate(
        findings(conditions={"bone_stress_tibia_fibula"}, phase="return_to_run"),
        DEFAULT_RULES,
        LIBRARY,
    )
    assert "metronome_run" in keys(plan)


def test_library_contraindication_excludes_with_the_condition_named():
    plan = generate(
        findings(conditions={"gluteal_tendinopathy"}, flags={"weak_hip_abductors"}),
        DEFAULT_RULES,
        LIBRARY,
    )
    assert "clamshell" not in keys(plan)
    reason = dict(plan.excluded)["clamshell"]
    assert "gluteal tendinopathy" in reason


def test_positive_hop_test_drops_hops_and_adds_calf_and_foot_work():
    plan = generate(
        findings(conditions={"achilles_midportion"}, phase="perform", flags={"positive_hop_test"}),
        DEFAULT_RULES,
        LIBRARY,
    )
    assert "pogo_hops" in dict(plan.excluded)
    assert "pogo_hops" not in keys(plan)
    both = generate(
        findings(flags={"positive_hop_test"}, phase="strengthen"), DEFAULT_RULES, LIBRARY
    )
    assert {"calf_raise_double", "short_foot"} <= set(keys(both))


# ------------------------------------------------------------------------------ determinism


def test_same_input_gives_identical_output_whatever_the_rule_order():
    f = findings(
        conditions={"patellofemoral_pain", "iliotibial_band_syndrome", "achilles_midportion"},
        flags={"weak_hip_abductors", "weak_calf", "low_cadence"},
        phase="return_to_run",
        cadence_target=(171, 176),
        lsi={"hhd_hip_abductors": Decimal("78"), "calf_raises_reps": Decimal("80")},
    )
    first = generate(f, DEFAULT_RULES, LIBRARY)
    assert generate(f, DEFAULT_RULES, LIBRARY) == first
    rng = random.Random(20240601)
    for _ in range(20):
        shuffled = list(DEFAULT_RULES)
        rng.shuffle(shuffled)
        assert generate(f, shuffled, LIBRARY) == first
    assert len(first.items) == 8 and first.over_cap  # the cap bit, so the order matters


def test_items_are_sorted_by_priority_then_catalogue_order():
    rules = (
        Rule(key="b", exercise="wall_sit", reason="B.", priority=5),
        Rule(key="a", exercise="glute_bridge", reason="A.", priority=5),
        Rule(key="c", exercise="metronome_run", reason="C.", priority=1),
    )
    plan = generate(findings(phase="perform"), rules, LIBRARY)
    assert keys(plan) == ["metronome_run", "glute_bridge", "wall_sit"]
    assert [item.order for item in plan.items] == [1, 2, 3]


def test_max_items_caps_and_keeps_the_rest_in_over_cap():
    plan = generate(findings(), every_exercise_rules(), LIBRARY, max_items=5)
    assert keys(plan) == list(catalogue.KEYS[:5])
    assert plan.over_cap[0].exercise == catalogue.KEYS[5]
    with pytest.raises(ValueError):
        generate(findings(), DEFAULT_RULES, LIBRARY, max_items=0)


def test_one_exercise_from_several_rules_merges_reasons_and_dosage():
    rules = (
        Rule(
            key="late",
            exercise="clamshell",
            reason="Second.",
            priority=30,
            dosage_overrides={"sets": 2, "reps": 20},
        ),
        Rule(
            key="early",
            exercise="clamshell",
            reason="First.",
            priority=10,
            dosage_overrides={"sets": 3},
        ),
        Rule(key="same", exercise="clamshell", reason="First.", priority=20),
    )
    (item,) = generate(findings(), rules, LIBRARY).items
    assert item.reasons == ("First.", "Second.")
    assert item.priority == 10
    assert dict(item.dosage_overrides) == {"sets": 3, "reps": 20}
    assert item.rule_keys == ("early", "same", "late")


# ------------------------------------------------------------------------------ errors


def test_a_rule_naming_an_unknown_exercise_raises():
    rules = (*DEFAULT_RULES, Rule(key="typo_rule", exercise="clamshel", reason="Why."))
    with pytest.raises(UnknownExerciseError) as caught:
        generate(findings(), rules, LIBRARY)
    assert isinstance(caught.value, ValueError)
    assert "typo_rule" in str(caught.value) and "clamshel" in str(caught.value)


def test_validate_rules_lists_every_problem_in_plain_words():
    bad = (
        Rule(
            key="bad",
            exercise="clamshel",
            reason="Because {sidee} {lsi}",
            source="",
            when_conditions=frozenset({"runners_knee"}),
            when_flags=frozenset({"weak_glutes", "femoral_neck_red_flag"}),
            phases=frozenset({"rehab"}),
            dosage_overrides={"setz": 3},
            lsi_area=None,
        ),
        Rule(key="empty", exercise="clamshell", reason="  "),
        Rule(key="empty", exercise="clamshell", reason="Ok {side", lsi_area="knees"),
    )
    problems = validate_rules(bad, catalogue.KEYS)
    text = "\n".join(problems)
    for expected in (
        'Rule "bad": unknown exercise "clamshel"',
        'unknown condition "runners_knee"',
        'unknown finding flag "weak_glutes"',
        'unknown phase "rehab"',
        'never applies: "femoral_neck_red_flag"',
        'unknown placeholder "{sidee}"',
        "uses {lsi} but the rule names no LSI area",
        "the source is empty",
        'unknown dosage field "setz"',
        'Rule "empty": the reason is empty',
        'Rule "empty": the key is used by more than one rule.',
        "unmatched { or }",
        'unknown LSI area "knees"',
    ):
        assert expected in text, expected


def test_validate_rules_never_raises_on_an_unknown_exercise():
    assert validate_rules((Rule(key="x", exercise="nope", reason="Why."),), ()) == [
        'Rule "x": unknown exercise "nope" (not in the exercise library).'
    ]


@pytest.mark.parametrize(
    "kw",
    [
        {"side": "middle"},
        {"phase": "rehab"},
        {"pain_now": 11},
        {"conditions": {"runners_knee"}},
        {"flags": {"suspected_bone_stres"}},
        {"cadence_target": (180, 170)},
    ],
)
def test_findings_refuse_unknown_values(kw):
    with pytest.raises(ValueError):
        findings(**kw)


def test_rule_fields_accept_plain_collections():
    rule = Rule(
        key="k", exercise="clamshell", reason="R.", phases=["protect"], when_flags="low_cadence"
    )
    assert rule.phases == frozenset({"protect"})
    assert rule.when_flags == frozenset({"low_cadence"})
    assert hash(rule)


def test_lsi_areas_name_real_measurements_and_flags_have_labels():
    for keys_ in LSI_AREAS.values():
        for key in keys_:
            assert measurements.get(key).lsi, key
    for rule in DEFAULT_RULES:
        assert rule.when_flags <= FLAGS.keys()
