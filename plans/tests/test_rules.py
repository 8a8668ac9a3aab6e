"""The plan-generation engine (plans/rules.py) and the default rule table (plans/rules_data.py).

Pure tests: no database. The library is a stub built from catalogue.KEYS, so the engine is
tested without plans/library_data.py.
"""

from __future__ import annotations

import importlib
import random
import time
from decimal import Decimal

import pytest

from intake import measurements
from intake.diagnoses import CURATED
from plans import catalogue, rules
from plans.rules import (
    ALWAYS_IMPACT,
    FEMORAL_NECK_BLOCK,
    FLAGS,
    LSI_AREAS,
    Findings,
    GeneratedPlan,
    LibraryFacts,
    Rule,
    UnknownExerciseError,
    effective_flags,
    generate,
    is_impact,
    validate_rules,
)
from plans.rules_data import (
    DEFAULT_RULES,
    KNEE_TO_WALL_LIMIT_CM,
    with_achilles_hsr,
)

# A plausible stub: hops, jumps and running are impact; standing exercises bear weight.
STUB_IMPACT = {
    *("pogo_hops", "single_leg_hops", "forward_hops", "lateral_line_hops", "squat_jump"),
    *("a_skip", "high_knees", "butt_kicks", "strides", "metronome_run"),
}
NOT_WEIGHT_BEARING = {
    *("glute_bridge", "single_leg_bridge", "hamstring_bridge", "hip_thrust", "clamshell"),
    *("side_lying_hip_abduction", "side_plank_knees", "side_plank", "side_plank_leg_lift"),
    *("front_plank", "dead_bug", "copenhagen_plank_short", "copenhagen_plank"),
    *("nordic_hamstring", "isometric_hamstring_bridge", "slider_hamstring_curl"),
    *("seated_heavy_calf_raise", "short_foot", "toe_yoga", "single_leg_press"),
}
CONTRA_CONDITIONS = {
    "clamshell": {"gluteal_tendinopathy"},  # hip flexion + adduction compresses the tendon
    "goblet_squat": {"hip_labral_tear"},
}
CONTRA_FINDINGS = {key: {"suspected_bone_stress", "hop_pain"} for key in STUB_IMPACT}


def stub_library(impact: set[str] | None = None, extra: tuple[str, ...] = ()) -> dict:
    impact = STUB_IMPACT if impact is None else impact
    return {
        key: LibraryFacts(
            key=key,
            phase="strengthen",
            kind="plyometric" if key in impact else "strength",
            impact=key in impact,
            weight_bearing=key not in NOT_WEIGHT_BEARING,
            contraindicated_conditions=frozenset(CONTRA_CONDITIONS.get(key, ())),
            contraindicated_findings=frozenset(CONTRA_FINDINGS.get(key, ())),
        )
        for key in (*catalogue.KEYS, *extra)
    }


LIBRARY = stub_library()
CONDITION_KEYS = [c.key for c in CURATED]


def findings(**kw) -> Findings:
    base = {"conditions": frozenset(), "side": "left", "pain_now": 2, "phase": "strengthen"}
    return Findings(**{**base, **kw})


def every_exercise_rules() -> tuple[Rule, ...]:
    """One rule per catalogue exercise, for anyone: proposes the whole library."""
    return tuple(
        Rule(key=f"all_{key}", exercise=key, reason="Test rule.", priority=50)
        for key in catalogue.KEYS
    )


def keys(plan: GeneratedPlan) -> list[str]:
    return [item.exercise for item in plan.items]


# ------------------------------------------------------------------------------ rule table


def test_default_table_is_valid_against_the_catalogue():
    assert validate_rules(DEFAULT_RULES, catalogue.KEYS) == []
    assert validate_rules(with_achilles_hsr(), catalogue.KEYS) == []
    assert 40 <= len(DEFAULT_RULES) <= 70


def test_every_default_rule_cites_a_source_and_names_a_catalogue_exercise():
    for rule in DEFAULT_RULES:
        assert rule.source.strip(), rule.key
        assert rule.exercise in catalogue.KEYS, rule.key


@pytest.mark.parametrize("condition", CONDITION_KEYS)
def test_every_curated_condition_gets_at_least_three_items_when_strengthening(condition):
    plan = generate(findings(conditions={condition}), DEFAULT_RULES, LIBRARY)
    assert plan.blocked is None
    assert len(plan.items) >= 3, (condition, keys(plan), plan.excluded)
    assert all(item.reasons and item.sources for item in plan.items)


def test_achilles_hsr_replaces_alfredson_never_both():
    alfredson = keys(generate(findings(conditions={"achilles_midportion"}), DEFAULT_RULES, LIBRARY))
    hsr_rules = with_achilles_hsr()
    hsr = keys(generate(findings(conditions={"achilles_midportion"}), hsr_rules, LIBRARY))
    assert {"eccentric_heel_drop_straight", "eccentric_heel_drop_bent"} <= set(alfredson)
    assert not {"seated_heavy_calf_raise", "standing_heavy_calf_raise"} & set(alfredson)
    assert {"seated_heavy_calf_raise", "standing_heavy_calf_raise"} <= set(hsr)
    assert not {"eccentric_heel_drop_straight", "eccentric_heel_drop_bent"} & set(hsr)
    assert len(hsr) >= 3


def test_alfredson_dosage_is_three_by_fifteen_twice_daily_every_day():
    plan = generate(findings(conditions={"achilles_midportion"}), DEFAULT_RULES, LIBRARY)
    drop = next(i for i in plan.items if i.exercise == "eccentric_heel_drop_straight")
    assert drop.dosage_overrides["sets"] == 3
    assert drop.dosage_overrides["reps"] == 15
    assert drop.dosage_overrides["sessions_per_day"] == 2
    assert drop.dosage_overrides["days_per_week"] == 7


def test_plantar_heel_pain_gets_the_rathleff_heel_raise():
    plan = generate(findings(conditions={"plantar_heel_pain"}), DEFAULT_RULES, LIBRARY)
    first = plan.items[0]
    assert first.exercise == "towel_heel_raise"
    assert first.dosage_overrides["tempo"] == "3 s up, 2 s hold, 3 s down"
    assert first.dosage_overrides["load"] == "12RM"


def test_gluteal_tendinopathy_starts_with_isometric_abduction():
    plan = generate(findings(conditions={"gluteal_tendinopathy"}), DEFAULT_RULES, LIBRARY)
    assert plan.items[0].exercise == "isometric_hip_abduction"


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


# ------------------------------------------------------------------------------ reasons


def test_reason_placeholders_are_filled_from_the_findings():
    plan = generate(
        findings(flags={"weak_hip_abductors"}, lsi={"hhd_hip_abductors": Decimal("78.0")}),
        DEFAULT_RULES,
        LIBRARY,
    )
    item = next(i for i in plan.items if i.exercise == "side_lying_hip_abduction")
    assert item.reasons == (
        "Strengthens the hip abductors, which tested weaker on your left side "
        "(78 % as strong as the other leg).",
    )
    assert all("{" not in r for i in plan.items for r in i.reasons)


def test_lsi_below_90_derives_the_area_flag_and_shows_the_worst_value():
    f = findings(side="right", lsi={"hhd_quadriceps": Decimal("85.5"), "mmt_quadriceps": 95})
    flags = effective_flags(f)
    assert {"lsi_below_90", "lsi_below_90_quadriceps"} <= flags
    plan = generate(f, DEFAULT_RULES, LIBRARY)
    (press,) = [i for i in plan.items if i.exercise == "single_leg_press"]
    assert "quadriceps on your right side" in press.reasons[0]
    # Patients read the reasons: a whole share rounded down, no "LSI".
    assert "(85 % as strong as the other leg)" in press.reasons[0]
    assert "LSI" not in press.reasons[0]


def test_a_leg_flagged_below_90_never_reads_90_percent():
    f = findings(side="right", lsi={"hhd_quadriceps": Decimal("89.6")})
    assert "lsi_below_90_quadriceps" in effective_flags(f)
    (press,) = [
        i for i in generate(f, DEFAULT_RULES, LIBRARY).items if i.exercise == "single_leg_press"
    ]
    assert "(89 % as strong as the other leg)" in press.reasons[0]


def test_weak_hip_abductors_without_an_lsi_says_not_measured():
    plan = generate(findings(side="both", flags={"weak_hip_abductors"}), DEFAULT_RULES, LIBRARY)
    item = next(i for i in plan.items if i.exercise == "side_lying_hip_abduction")
    assert item.reasons[0].endswith("tested weaker on both sides (not measured).")


def test_no_reason_or_source_names_a_file_of_this_project():
    texts = [t for r in DEFAULT_RULES for t in (r.reason, r.source)]
    assert texts and not [t for t in texts if "DOMAIN" in t or ".py" in t or "LSI {" in t]
    assert "DOMAIN" not in rules.FEMORAL_NECK_BLOCK


def test_rows_seeded_before_lose_the_file_names_and_the_lsi_jargon():
    migration = importlib.import_module("plans.migrations.0014_rule_sources_without_file_names")
    assert (
        migration.without_file_names(
            "Beyer 2015, AJSM 43:1704: heavy slow resistance (DOMAIN.md s.2)"
        )
        == "Beyer 2015, AJSM 43:1704: heavy slow resistance"
    )
    assert migration.without_file_names("(Warden 2014, DOMAIN.md s.2, s.3)") == "(Warden 2014)"
    assert migration.without_file_names("DOMAIN.md s.2: load management") == "Load management"
    assert migration.plain_reason("the calf tested weak on {side} (LSI {lsi}).") == (
        "the calf tested weaker on {side} ({lsi})."
    )


def test_low_cadence_reason_and_dosage_carry_the_target():
    plan = generate(
        findings(phase="return_to_run", flags={"low_cadence"}, cadence_target=(171, 176)),
        DEFAULT_RULES,
        LIBRARY,
    )
    (run,) = [i for i in plan.items if i.exercise == "metronome_run"]
    assert "171–176 steps per minute" in run.reasons[0]
    assert run.dosage_overrides["notes"] == "Metronome at 171–176 steps per minute."
    strengthen = generate(
        findings(flags={"low_cadence"}, cadence_target=(171, 176)), DEFAULT_RULES, LIBRARY
    )
    assert "metronome_run" not in keys(strengthen)


def test_limited_dorsiflexion_is_off_until_the_clinic_sets_a_limit():
    assert KNEE_TO_WALL_LIMIT_CM is None
    f = findings(knee_to_wall_cm=Decimal("4"))
    assert "limited_dorsiflexion" not in effective_flags(f)
    assert "calf_stretch" not in keys(generate(f, DEFAULT_RULES, LIBRARY))
    limited = generate(f, DEFAULT_RULES, LIBRARY, knee_to_wall_limit_cm=Decimal("9"))
    assert {"calf_stretch", "soleus_stretch"} <= set(keys(limited))
    assert "limited_dorsiflexion" not in effective_flags(
        findings(knee_to_wall_cm=Decimal("10")), knee_to_wall_limit_cm=Decimal("9")
    )


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


# ------------------------------------------------------------------------------ timing


def test_generation_time_with_the_full_table_is_reported(capsys):
    f = findings(
        conditions=frozenset(CONDITION_KEYS) - {"bone_stress_pelvis_femur"},
        flags={"weak_hip_abductors", "weak_calf", "low_cadence", "positive_hop_test"},
        phase="return_to_run",
        cadence_target=(171, 176),
        lsi={"hhd_hip_abductors": Decimal("78"), "hop_single_distance": Decimal("80")},
    )
    runs = 100
    start = time.perf_counter()
    for _ in range(runs):
        generate(f, DEFAULT_RULES, LIBRARY)
    per_run_ms = (time.perf_counter() - start) / runs * 1000
    with capsys.disabled():
        print(
            f"\nplan generation: {per_run_ms:.3f} ms per run "
            f"({len(DEFAULT_RULES)} rules, {len(LIBRARY)} exercises, {runs} runs)"
        )
