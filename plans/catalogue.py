"""The seeded exercise library's keys and names, in library order.

One list that the library content (plans/library_data.py), the illustrations
(plans/illustrations) and the plan rules (plans/rules_data.py) all refer to, so a
rule or a pose can never name an exercise the library does not have.
"""

EXERCISES: tuple[tuple[str, str], ...] = (
    # Hip and trunk
    ("glute_bridge", "Glute bridge"),
    ("single_leg_bridge", "Single-leg bridge"),
    ("hamstring_bridge", "Hamstring bridge (heels on a step)"),
    ("hip_thrust", "Hip thrust"),
    ("clamshell", "Clamshell"),
    ("side_lying_hip_abduction", "Side-lying hip abduction"),
    ("isometric_hip_abduction", "Isometric hip abduction against a wall"),
    ("side_plank_knees", "Side plank on the knees"),
    ("side_plank", "Side plank"),
    ("side_plank_leg_lift", "Side plank with top-leg lift"),
    ("front_plank", "Front plank"),
    ("dead_bug", "Dead bug"),
    ("lateral_band_walk", "Lateral band walk"),
    ("monster_walk", "Monster walk"),
    ("copenhagen_plank_short", "Copenhagen plank, short lever"),
    ("copenhagen_plank", "Copenhagen plank"),
    ("hip_hike", "Hip hike on a step"),
    ("single_leg_deadlift", "Single-leg Romanian deadlift"),
    # Knee and thigh
    ("wall_sit", "Wall sit"),
    ("spanish_squat", "Spanish squat"),
    ("sit_to_stand", "Sit to stand"),
    ("goblet_squat", "Goblet squat"),
    ("split_squat", "Split squat"),
    ("reverse_lunge", "Reverse lunge"),
    ("step_up", "Step-up"),
    ("lateral_step_down", "Lateral step-down"),
    ("single_leg_squat", "Single-leg squat to a box"),
    ("rear_foot_elevated_split_squat", "Rear-foot-elevated split squat"),
    ("terminal_knee_extension", "Terminal knee extension with a band"),
    ("single_leg_press", "Single-leg press"),
    # Hamstrings
    ("nordic_hamstring", "Nordic hamstring curl"),
    ("isometric_hamstring_bridge", "Isometric hamstring bridge hold"),
    ("slider_hamstring_curl", "Slider hamstring curl"),
    # Calf, Achilles and foot
    ("calf_raise_double", "Double-leg calf raise"),
    ("calf_raise_single_straight", "Single-leg calf raise, straight knee"),
    ("calf_raise_single_bent", "Single-leg calf raise, bent knee"),
    ("eccentric_heel_drop_straight", "Eccentric heel drop, straight knee"),
    ("eccentric_heel_drop_bent", "Eccentric heel drop, bent knee"),
    ("eccentric_heel_drop_floor", "Eccentric heel lowering on the floor"),
    ("seated_heavy_calf_raise", "Seated heavy calf raise"),
    ("standing_heavy_calf_raise", "Standing heavy calf raise"),
    ("towel_heel_raise", "Heel raise with a towel under the toes"),
    ("isometric_calf_hold", "Isometric calf-raise hold"),
    ("tibialis_raise", "Tibialis raise against a wall"),
    ("short_foot", "Short foot"),
    ("toe_yoga", "Toe yoga"),
    # Balance
    ("single_leg_balance", "Single-leg balance"),
    ("single_leg_balance_eyes_closed", "Single-leg balance, eyes closed"),
    ("single_leg_balance_reach", "Single-leg balance with reach"),
    ("single_leg_balance_cushion", "Single-leg balance on a cushion"),
    # Stretches
    ("hip_flexor_stretch", "Kneeling hip flexor stretch"),
    ("calf_stretch", "Calf stretch against a wall"),
    ("soleus_stretch", "Soleus stretch"),
    ("quadriceps_stretch", "Standing quadriceps stretch"),
    # Hops and plyometrics
    ("pogo_hops", "Pogo hops"),
    ("single_leg_hops", "Single-leg hops in place"),
    ("forward_hops", "Forward hops on one leg"),
    ("lateral_line_hops", "Lateral line hops"),
    ("squat_jump", "Squat jump"),
    # Running drills and cadence
    ("a_march", "A-march"),
    ("a_skip", "A-skip"),
    ("high_knees", "High knees"),
    ("butt_kicks", "Butt kicks"),
    ("strides", "Strides"),
    ("metronome_run", "Easy run to a metronome"),
)

KEYS: tuple[str, ...] = tuple(key for key, _ in EXERCISES)
NAMES: dict[str, str] = dict(EXERCISES)

# Done lying on one side (or propped on one side): a gluteal tendinopathy patient is told
# which side to lie on. LEAP trial education (Mellor 2018, BMJ 361:k1662; DOMAIN.md s.2):
# avoid compressing the sore outer hip: do not lie on it.
SIDE_LYING: frozenset[str] = frozenset(
    {
        *("clamshell", "side_lying_hip_abduction", "side_plank_knees", "side_plank"),
        *("side_plank_leg_lift", "copenhagen_plank_short", "copenhagen_plank"),
    }
)
_OTHER_SIDE = {"left": "right", "right": "left"}


def side_lying_note(involved_side: str) -> str:
    """Which side to lie on, for a patient with lateral hip pain on this side."""
    other = _OTHER_SIDE.get(involved_side)
    if other is None:  # both hips sore, or not said
        return "Lie on the side that hurts less: never on a sore hip."
    return f"Lie on your {other} side, with the sore {involved_side} hip on top: never on it."
