"""The default rule table (plans/rules_data.py): every rule valid and cited, what each
condition gets, and the reasons the patient reads.

Pure tests: no database. The library is a stub (rule_stubs.py).
"""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest

from plans import catalogue, progressions, rules
from plans.rules import effective_flags, generate, validate_rules
from plans.rules_data import DEFAULT_RULES, KNEE_TO_WALL_LIMIT_CM, with_achilles_hsr

from .rule_stubs import CONDITION_KEYS, LIBRARY, STUB_IMPACT, findings, keys

# ------------------------------------------------------------------------------ rule table


def test_default_table_is_valid_against_the_catalogue():
    assert validate_rules(DEFAULT_RULES, catalogue.KEYS) == []
    assert validate_rules(with_achilles_hsr(), catalogue.KEYS) == []
    assert 40 <= len(DEFAULT_RULES) <= 80


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
    assert drop.dosage_overrides["schedule"] == "alfredson"  # 3 x 15 for 12 weeks
    first = progressions.PROGRESSIONS["alfredson"].steps[0]
    assert (first.sets, first.reps) == (3, 15)
    assert drop.dosage_overrides["sessions_per_day"] == 2
    assert drop.dosage_overrides["days_per_week"] == 7


def test_plantar_heel_pain_gets_the_rathleff_heel_raise():
    plan = generate(findings(conditions={"plantar_heel_pain"}), DEFAULT_RULES, LIBRARY)
    first = plan.items[0]
    assert first.exercise == "towel_heel_raise"
    assert first.dosage_overrides["tempo"] == "3 s up, 2 s hold, 3 s down"
    assert first.dosage_overrides["schedule"] == "rathleff_heel_raise"  # from 3 x 12RM


def test_gluteal_tendinopathy_starts_with_isometric_abduction():
    plan = generate(findings(conditions={"gluteal_tendinopathy"}), DEFAULT_RULES, LIBRARY)
    assert plan.items[0].exercise == "isometric_hip_abduction"


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
        findings(
            conditions={"patellofemoral_pain"},
            phase="return_to_run",
            flags={"low_cadence"},
            cadence_target=(171, 176),
            cadence_measured=162,
        ),
        DEFAULT_RULES,
        LIBRARY,
    )
    (run,) = [i for i in plan.items if i.exercise == "metronome_run"]
    assert "measured at 162 steps per minute" in run.reasons[0]
    assert "171–176 steps per minute" in run.reasons[0]
    assert run.dosage_overrides["notes"] == (
        "Metronome at 171–176 steps per minute, during the running minutes of your current "
        "walk-run stage."
    )
    strengthen = generate(
        findings(flags={"low_cadence"}, cadence_target=(171, 176)), DEFAULT_RULES, LIBRARY
    )
    assert "metronome_run" not in keys(strengthen)


@pytest.mark.parametrize(
    ("condition", "words", "not_words"),
    [
        ("patellofemoral_pain", "your knee", "outside of your thigh"),
        ("iliotibial_band_syndrome", "outside of your thigh", "knee"),
        ("achilles_midportion", "softer landing", "knee"),
        ("plantar_heel_pain", "softer landing", "knee"),
    ],
)
def test_the_step_rate_reason_follows_the_measured_cadence_and_the_condition(
    condition, words, not_words
):
    # Point 7: today's main told Achilles and heel patients about their knee.
    plan = generate(
        findings(
            conditions={condition},
            phase="return_to_run",
            flags={"low_cadence"},
            cadence_target=(172, 180),
            cadence_measured=164,
        ),
        DEFAULT_RULES,
        LIBRARY,
    )
    (run,) = [i for i in plan.items if i.exercise == "metronome_run"]
    reason = " ".join(run.reasons)
    assert "164 steps per minute" in reason and words in reason
    assert not_words not in reason and "below target" not in reason


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


# ------------------------------------------------------------ the whole table at once


def test_the_whole_table_on_every_condition_at_once_keeps_impact_out_and_caps_by_priority():
    """The crowded findings the benchmark times (bench/plan_generation.py): a positive hop test
    keeps every impact exercise out even when returning to run, the plan is capped at eight
    items in priority order, and nothing is proposed without a reason."""
    f = findings(
        conditions=frozenset(CONDITION_KEYS) - {"bone_stress_pelvis_femur"},
        flags={"weak_hip_abductors", "weak_calf", "low_cadence", "positive_hop_test"},
        phase="return_to_run",
        cadence_target=(171, 176),
        lsi={"hhd_hip_abductors": Decimal("78"), "hop_single_distance": Decimal("80")},
    )
    plan = generate(f, DEFAULT_RULES, LIBRARY)
    assert not plan.blocked
    assert len(plan.items) == rules.DEFAULT_MAX_ITEMS and plan.over_cap
    proposed = [*plan.items, *plan.over_cap]
    assert not {item.exercise for item in proposed} & STUB_IMPACT
    excluded = dict(plan.excluded)
    assert "metronome_run" in excluded and "hop" in excluded["metronome_run"]
    ranks = [(item.priority, catalogue.KEYS.index(item.exercise)) for item in proposed]
    assert ranks == sorted(ranks)
    assert all(item.reasons and all(r.strip() for r in item.reasons) for item in proposed)
    assert "78 %" in " ".join(plan.items[0].reasons)  # the weaker hip, as the patient reads it


@pytest.mark.parametrize(
    ("side", "words"),
    [
        ("left", "Lie on your right side, with the sore left hip on top"),
        ("right", "Lie on your left side, with the sore right hip on top"),
        ("both", "Lie on the side that hurts less"),
    ],
)
def test_side_lying_exercises_say_which_side_to_lie_on_with_gluteal_tendinopathy(side, words):
    # Point 8: LEAP trial education - never lie on the painful hip.
    rule = rules.Rule(
        key="gt_side_plank", exercise="side_plank_knees", reason="Side hip.", priority=1
    )
    plan = generate(findings(conditions={"gluteal_tendinopathy"}, side=side), (rule,), LIBRARY)
    (item,) = plan.items
    assert item.dosage_overrides["notes"].startswith(words)
    other = generate(findings(conditions={"patellofemoral_pain"}, side=side), (rule,), LIBRARY)
    assert "Lie on" not in other.items[0].dosage_overrides.get("notes", "")
