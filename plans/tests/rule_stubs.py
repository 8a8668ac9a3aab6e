"""A stub exercise library and findings for the plan-rule tests (not a test module).

The library is built from catalogue.KEYS with plausible facts (hops, jumps and running are
impact; standing exercises bear weight), so the engine is tested without
plans/library_data.py.
"""

from __future__ import annotations

from intake.diagnoses import CURATED
from plans import catalogue
from plans.rules import Findings, GeneratedPlan, LibraryFacts, Rule

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
