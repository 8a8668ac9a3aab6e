"""The defaults a new clinic starts with: its visit types and the interventions it delivers.

Pure data, no Django: a data migration seeds them, and the clinic admin edits them afterwards
(intake.models.VisitType, InterventionType). Durations are the issue's defaults for a runner
clinic (project defaults, not clinical facts). CPT codes and whether a code is timed (billed per
15 minutes by the 8-minute rule) are DOMAIN.md section 11's; the interventions are section 10's.
"""

from __future__ import annotations

from typing import NamedTuple


class VisitTypeDefault(NamedTuple):
    key: str
    name: str
    minutes: int  # project default: the clinic admin sets its own
    kind: str  # "evaluation", "treatment", "re_evaluation", "discharge"


VISIT_TYPES: tuple[VisitTypeDefault, ...] = (
    VisitTypeDefault("initial_evaluation", "Initial evaluation", 60, "evaluation"),
    VisitTypeDefault("follow_up", "Follow-up visit", 45, "treatment"),
    VisitTypeDefault("re_evaluation", "Re-evaluation", 45, "re_evaluation"),
    VisitTypeDefault("gait_analysis", "Running gait analysis", 60, "treatment"),
    VisitTypeDefault("discharge", "Discharge visit", 30, "discharge"),
)
VISIT_KINDS: tuple[tuple[str, str], ...] = (
    ("evaluation", "Evaluation"),
    ("treatment", "Treatment"),
    ("re_evaluation", "Re-evaluation"),
    ("discharge", "Discharge"),
)


class InterventionDefault(NamedTuple):
    key: str
    name: str
    cpt: str  # CPT code (AMA), DOMAIN.md section 11
    timed: bool  # per 15 minutes (8-minute rule) or 1 unit whatever the time
    needs_consent: bool = False  # a signed consent must be on file (dry needling, s.10)


# DOMAIN.md section 11: 97110, 97112, 97116, 97140, 97530, 97035, 97760 timed; 20560 and 20561
# (needle insertion without injection, 1-2 and 3 or more muscles) untimed. Soft-tissue
# mobilisation is manual therapy (97140, s.10); blood-flow restriction is billed as the
# exercise it is done with (97110): s.11 gives it no code of its own. Laser has no code in
# DOMAIN.md, so it is listed without one (not billed) until the clinic admin sets it.
INTERVENTIONS: tuple[InterventionDefault, ...] = (
    InterventionDefault("therapeutic_exercise", "Therapeutic exercise", "97110", True),
    InterventionDefault("neuromuscular_reeducation", "Neuromuscular re-education", "97112", True),
    InterventionDefault("gait_training", "Gait training", "97116", True),
    InterventionDefault("manual_therapy", "Manual therapy (joint mobilisation)", "97140", True),
    InterventionDefault("soft_tissue", "Soft-tissue mobilisation", "97140", True),
    InterventionDefault("therapeutic_activities", "Therapeutic activities", "97530", True),
    InterventionDefault("ultrasound", "Ultrasound", "97035", True),
    InterventionDefault("orthotics", "Orthotic management and training", "97760", True),
    InterventionDefault("bfr", "Blood-flow-restriction training", "97110", True),
    InterventionDefault(
        "dry_needling_1_2", "Dry needling, 1 or 2 muscles", "20560", False, needs_consent=True
    ),
    InterventionDefault(
        "dry_needling_3", "Dry needling, 3 or more muscles", "20561", False, needs_consent=True
    ),
    InterventionDefault("laser", "Laser", "", True),
)
