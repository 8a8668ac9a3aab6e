#!/usr/bin/env python
"""Plan generation (plans.rules.generate) with the whole default rule table and the seeded
exercise library, on the most crowded findings: every condition but the femoral neck's, four
flags, return to run. Pure Python, no database: how long choosing a plan's exercises takes
before any query or template.

    .venv/bin/python bench/plan_generation.py            # 2000 runs, prints the figures
    .venv/bin/python bench/run.py --only rules           # the same, in the benchmark's report
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plans import library_data, rules, rules_data  # noqa: E402 (after the path is set)

CONDITIONS = frozenset(library_data.CONDITION_KEYS) - {"bone_stress_pelvis_femur"}


def crowded_findings() -> rules.Findings:
    """More conditions and flags than any one patient brings: the worst case for the rules."""
    return rules.Findings(
        conditions=CONDITIONS,
        side="left",
        pain_now=2,
        phase="return_to_run",
        flags=frozenset({"weak_hip_abductors", "weak_calf", "low_cadence", "positive_hop_test"}),
        cadence_target=(171, 176),
        lsi={"hhd_hip_abductors": Decimal("78"), "hop_single_distance": Decimal("80")},
    )


def measure(runs: int = 2000, batches: int = 10) -> dict:
    """Median and worst batch of ``runs`` generations (in batches), in microseconds per run."""
    findings, table, library = crowded_findings(), rules_data.DEFAULT_RULES, library_data.LIBRARY
    plan = rules.generate(findings, table, library)  # warm-up, and what the figure is about
    per_batch = max(1, runs // batches)
    timings = []
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(per_batch):
            rules.generate(findings, table, library)
        timings.append((time.perf_counter() - started) / per_batch * 1_000_000)
    return {
        "median_us": round(statistics.median(timings), 1),
        "worst_us": round(max(timings), 1),
        "runs": per_batch * batches,
        "rules": len(table),
        "exercises": len(library),
        "items": len(plan.items),
        "over_cap": len(plan.over_cap),
        "excluded": len(plan.excluded),
    }


def summary(result: dict) -> str:
    return (
        f"plan generation: {result['median_us']} µs per run (worst batch "
        f"{result['worst_us']} µs; {result['rules']} rules, {result['exercises']} exercises, "
        f"{result['items']} items + {result['over_cap']} over the cap, {result['runs']} runs)"
    )


if __name__ == "__main__":
    print(summary(measure()))
