"""The seeded exercise library (plans.library_data): keys and names, vocabularies, patient
texts, impact and contraindications, regressions and progressions, published protocols.

Pure Python: no Django, no database. The dosage sentence is tested in test_dosage_sentence.py.
"""

import re
from dataclasses import FrozenInstanceError

import pytest

from intake.diagnoses import CURATED
from plans import library_data as lib
from plans.catalogue import KEYS, NAMES
from plans.library_data import (
    BONE_STRESS_CONDITIONS,
    CONDITION_KEYS,
    EQUIPMENT,
    FINDINGS,
    KINDS,
    LIBRARY,
    LOADS,
    PHASES,
    REGIONS,
    SIDES,
    Contraindications,
    Dosage,
    ExerciseData,
    dosage_sentence,
)

ENTRIES = list(LIBRARY.values())
CURATED_KEYS = [c.key for c in CURATED]
IMPACT_KEYS = {
    *("pogo_hops", "single_leg_hops", "forward_hops", "lateral_line_hops", "squat_jump"),
    *("a_skip", "high_knees", "butt_kicks", "strides", "metronome_run"),
}
JARGON = re.compile(
    r"\b(contralateral|ipsilateral|eccentric\w*|concentric\w*|isometric\w*|isotonic\w*"
    r"|proximal|distal|abduct\w*|adduct\w*|flexion|flexor\w*|extension|extensor\w*"
    r"|dorsiflex\w*|plantarflex\w*|anterior|posterior|lateral\w*|medial\w*|glute\w*"
    r"|quadricep\w*|hamstring\w*|tendon\w*|pelvi\w*|cadence|rpe|neutral|ischi\w*"
    r"|achilles|tibia\w*|femur|femoral|patell\w*|plantar|soleus|gastrocnemius)\b",
    re.IGNORECASE,
)


def ids(entry: ExerciseData) -> str:
    return entry.key


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


# ------------------------------------------------------------------ keys and names


def test_keys_are_exactly_the_catalogue_in_library_order():
    assert tuple(LIBRARY) == KEYS
    assert len(LIBRARY) == 65


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_key_and_name_come_from_the_catalogue(entry):
    assert entry.name == NAMES[entry.key]
    assert LIBRARY[entry.key] is entry


def test_condition_keys_are_the_curated_keys_of_intake_diagnoses():
    assert list(CONDITION_KEYS) == CURATED_KEYS
    assert set(BONE_STRESS_CONDITIONS) <= set(CURATED_KEYS)
    assert len(BONE_STRESS_CONDITIONS) == 3


def test_data_classes_are_frozen():
    entry = LIBRARY["glute_bridge"]
    with pytest.raises(FrozenInstanceError):
        entry.difficulty = 3
    with pytest.raises(FrozenInstanceError):
        entry.default_dosage.sets = 9
    with pytest.raises(FrozenInstanceError):
        entry.contraindications.findings = ()


# ------------------------------------------------------------------ fields and vocabularies


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_fields_are_non_empty_and_in_vocabulary(entry):
    assert entry.region in REGIONS
    assert entry.phase in PHASES
    assert entry.kind in KINDS
    assert entry.difficulty in (1, 2, 3)
    assert isinstance(entry.impact, bool)
    assert isinstance(entry.weight_bearing, bool)
    assert entry.tissues and all(isinstance(t, str) and t.strip() for t in entry.tissues)
    assert entry.equipment and set(entry.equipment) <= set(EQUIPMENT)
    assert len(set(entry.equipment)) == len(entry.equipment)
    assert "none" not in entry.equipment or entry.equipment == ("none",)
    assert 2 <= len(entry.cues) <= 4
    assert 1 <= len(entry.mistakes) <= 3
    assert all(c.strip() for c in (*entry.cues, *entry.mistakes))
    assert set(entry.conditions) <= set(CURATED_KEYS)
    assert len(set(entry.conditions)) == len(entry.conditions)
    contra = entry.contraindications
    assert isinstance(contra, Contraindications)
    assert set(contra.conditions) <= set(CURATED_KEYS)
    assert set(contra.findings) <= set(FINDINGS)


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_default_dosage_is_in_vocabulary_and_makes_a_sentence(entry):
    d = entry.default_dosage
    assert isinstance(d, Dosage)
    assert d.load in LOADS
    assert d.side in SIDES
    assert 1 <= d.days_per_week <= 7
    assert d.sessions_per_day >= 1
    assert d.pain_allowed is None or 0 <= d.pain_allowed <= 10
    assert d.reps is not None or d.hold_seconds is not None or d.notes
    text = dosage_sentence(d)
    assert "None" not in text
    note = d.notes.strip().rstrip(".")
    if note and (d.reps is not None or d.hold_seconds is not None):
        assert text.endswith(f" {note[0].upper()}{note[1:]}."), text  # the note follows the dose
        text = text[: -len(note) - 2]
    assert text.endswith(".") and text.count(".") == 1  # one sentence for the dose
    assert text[0].isupper() or text[0].isdigit()


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_kind_matches_the_dosage(entry):
    d = entry.default_dosage
    if entry.kind in ("isometric", "stretch"):
        assert d.hold_seconds is not None
    if entry.kind in ("isotonic", "plyometric"):
        assert d.reps is not None


def test_the_engine_names_for_contraindications():
    entry = LIBRARY["pogo_hops"]
    assert entry.contraindicated_conditions == frozenset(BONE_STRESS_CONDITIONS)
    assert "hop_pain" in entry.contraindicated_findings


# ------------------------------------------------------------------ patient texts


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_instructions_are_short_plain_second_person(entry):
    parts = sentences(entry.instructions)
    assert 2 <= len(parts) <= 5, parts
    for sentence in parts:
        assert len(sentence.split()) <= 25, sentence
        assert sentence[0].isupper() and sentence[-1] in ".!?"
    assert re.search(r"\byour?\b", entry.instructions, re.IGNORECASE)
    assert "  " not in entry.instructions


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_patient_texts_have_no_jargon(entry):
    for text in (entry.instructions, *entry.cues, *entry.mistakes):
        assert not JARGON.search(text), (text, JARGON.search(text))
    for text in (*entry.cues, *entry.mistakes):
        assert len(text.split()) <= 10, text


def test_jargon_check_catches_the_listed_words():
    for word in ("contralateral", "Ipsilateral", "eccentric", "isometric", "proximal"):
        assert JARGON.search(f"Move the {word} leg.")
    assert not JARGON.search("Lie on your back with your knees bent and feet flat.")


# ------------------------------------------------------------------ impact and contraindications


def test_impact_set_is_the_flight_and_running_exercises():
    assert {e.key for e in ENTRIES if e.impact} == IMPACT_KEYS


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_plyometrics_are_impact_and_impact_is_plyometric_or_drill(entry):
    if entry.kind == "plyometric":
        assert entry.impact
    if entry.impact:
        assert entry.kind in ("plyometric", "drill")
        assert entry.weight_bearing


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.impact], ids=ids)
def test_impact_exercises_are_blocked_by_bone_stress_and_pain(entry):
    contra = entry.contraindications
    assert {"suspected_bone_stress", "pain_above_5", "hop_pain"} <= set(contra.findings)
    assert set(BONE_STRESS_CONDITIONS) <= set(contra.conditions)


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_weight_bearing_exercises_are_blocked_by_the_femoral_neck_red_flag(entry):
    assert ("femoral_neck_red_flag" in entry.contraindications.findings) == entry.weight_bearing


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.impact], ids=ids)
def test_non_impact_exercises_carry_no_impact_only_findings(entry):
    findings = set(entry.contraindications.findings)
    assert not findings & {"suspected_bone_stress", "pain_above_5", "hop_pain"}


def test_weight_bearing_decisions():
    lying_or_seated = {
        *("glute_bridge", "single_leg_bridge", "hamstring_bridge", "clamshell"),
        *("side_lying_hip_abduction", "dead_bug", "isometric_hamstring_bridge"),
        *("slider_hamstring_curl", "seated_heavy_calf_raise", "short_foot", "toe_yoga"),
    }
    assert {e.key for e in ENTRIES if not e.weight_bearing} == lying_or_seated
    # Upright kneeling and held-up planks count as weight-bearing (documented decision).
    for key in ("hip_flexor_stretch", "nordic_hamstring", "side_plank_knees", "front_plank"):
        assert LIBRARY[key].weight_bearing


def test_gluteal_tendinopathy_avoids_adduction_and_compression():
    # LEAP (Mellor 2018): avoid adduction/compression of the outer hip.
    avoid = {e.key for e in ENTRIES if "gluteal_tendinopathy" in e.contraindications.conditions}
    assert avoid == {
        *("side_lying_hip_abduction", "side_plank_leg_lift", "copenhagen_plank_short"),
        *("copenhagen_plank", "hip_hike"),
    }


def test_proximal_hamstring_avoids_compressive_and_heaviest_lengthening_load():
    # Goom 2016: avoid compressive stretching; isometrics before heavy isotonic.
    avoid = {
        e.key
        for e in ENTRIES
        if "proximal_hamstring_tendinopathy" in e.contraindications.conditions
    }
    assert avoid == {"single_leg_deadlift", "nordic_hamstring"}
    assert "proximal_hamstring_tendinopathy" in LIBRARY["isometric_hamstring_bridge"].conditions


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_no_exercise_is_used_for_a_condition_it_is_contraindicated_for(entry):
    assert not set(entry.conditions) & set(entry.contraindications.conditions)


@pytest.mark.parametrize("condition", CURATED_KEYS)
def test_every_curated_condition_has_at_least_three_usable_exercises(condition):
    usable = [
        e.key
        for e in ENTRIES
        if condition in e.conditions and condition not in e.contraindications.conditions
    ]
    assert len(usable) >= 3, usable


# ------------------------------------------------------------------ regressions and progressions


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_regressions_and_progressions_are_valid_keys_not_self(entry):
    for key in (*entry.regressions, *entry.progressions):
        assert key in LIBRARY
        assert key != entry.key
    assert not set(entry.regressions) & set(entry.progressions)
    assert len(set(entry.regressions)) == len(entry.regressions)
    assert len(set(entry.progressions)) == len(entry.progressions)


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_regressions_and_progressions_are_symmetric(entry):
    for harder in entry.progressions:
        assert entry.key in LIBRARY[harder].regressions, (entry.key, harder)
    for easier in entry.regressions:
        assert entry.key in LIBRARY[easier].progressions, (easier, entry.key)


def test_progressions_have_no_cycles():
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(key: str) -> None:
        assert state.get(key) != 1, f"cycle through {key}"
        if state.get(key) == 2:
            return
        state[key] = 1
        for nxt in LIBRARY[key].progressions:
            visit(nxt)
        state[key] = 2

    for key in LIBRARY:
        visit(key)


def test_domain_chains_isometric_isotonic_plyometric_running():
    # DOMAIN.md s.6: two legs -> one leg, isometric -> isotonic -> plyometric -> running.
    chain = (
        "isometric_calf_hold",
        "calf_raise_double",
        "calf_raise_single_straight",
        "pogo_hops",
        "single_leg_hops",
        "metronome_run",
        "strides",
    )
    for easier, harder in zip(chain, chain[1:], strict=False):
        assert harder in LIBRARY[easier].progressions, (easier, harder)
    assert LIBRARY["glute_bridge"].progressions == ("single_leg_bridge", "hip_thrust")
    assert "hamstring_bridge" in LIBRARY["isometric_hamstring_bridge"].progressions


# ------------------------------------------------------------------ published protocols


@pytest.mark.parametrize("key", ["eccentric_heel_drop_straight", "eccentric_heel_drop_bent"])
def test_alfredson_numbers(key):
    d = LIBRARY[key].default_dosage
    assert (d.sets, d.reps, d.sessions_per_day, d.days_per_week) == (3, 15, 2, 7)
    assert d.load == "bodyweight"
    assert "pain-free" in d.notes  # load added once pain-free
    assert LIBRARY[key].conditions == ("achilles_midportion",)


@pytest.mark.parametrize("key", ["seated_heavy_calf_raise", "standing_heavy_calf_raise"])
def test_heavy_slow_resistance_numbers(key):
    d = LIBRARY[key].default_dosage
    assert d.days_per_week == 3
    assert d.tempo == "3-0-3"
    assert (d.load, d.load_value, d.reps) == ("nRM", "15RM", 15)
    assert d.weeks == 12
    assert all(f"{n}" in d.notes for n in (15, 12, 10, 8, 6))
    assert "achilles_midportion" in LIBRARY[key].conditions


def test_rathleff_numbers():
    entry = LIBRARY["towel_heel_raise"]
    d = entry.default_dosage
    assert d.tempo == "3-2-3"
    assert (d.load, d.load_value, d.reps) == ("nRM", "12RM", 12)
    assert d.days_per_week == 3  # every 2nd day, see RATHLEFF
    assert d.side == "each"  # single leg
    assert all(f"{n}" in d.notes for n in (12, 10, 8))
    assert "towel" in entry.equipment
    assert entry.conditions == ("plantar_heel_pain",)


def test_other_loaded_exercises_follow_acsm_novice_range():
    # ACSM 2009: novices 8-12RM, 2-3 days a week (DOMAIN.md s.6).
    protocols = {"seated_heavy_calf_raise", "standing_heavy_calf_raise", "towel_heel_raise"}
    loaded = [e for e in ENTRIES if e.default_dosage.load == "nRM" and e.key not in protocols]
    assert loaded
    for entry in loaded:
        d = entry.default_dosage
        assert 8 <= int(d.load_value.removesuffix("RM")) <= 12
        assert d.reps == int(d.load_value.removesuffix("RM"))
        assert 2 <= d.days_per_week <= 3


def test_isometric_project_default_hold():
    for key in ("isometric_hip_abduction", "isometric_calf_hold", "isometric_hamstring_bridge"):
        d = LIBRARY[key].default_dosage
        assert (d.sets, d.hold_seconds) == (lib.ISOMETRIC_HOLD_TIMES, lib.ISOMETRIC_HOLD_SECONDS)
