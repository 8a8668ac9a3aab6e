"""The dosage sentence the patient reads (plans.library_data.dosage_sentence), from published
protocols' examples to every part of a dose, and the dosages it refuses.

Pure Python: no Django, no database.
"""

from dataclasses import replace

import pytest

from plans.library_data import LIBRARY, Dosage, dosage_sentence


def dose(**changes) -> Dosage:
    """A plain dosage (3 x 15, bodyweight, once a day, every day) with some fields changed."""
    base = Dosage(
        sets=3,
        reps=15,
        hold_seconds=None,
        load="bodyweight",
        load_value="",
        tempo="",
        rest_seconds=None,
        sessions_per_day=1,
        days_per_week=7,
        side="both",
        weeks=None,
        pain_allowed=None,
        notes="",
    )
    return replace(base, **changes)


# ------------------------------------------------------------------ dosage_sentence


def test_sentence_alfredson_example():
    d = dose(tempo="0-0-3", sessions_per_day=2)
    assert dosage_sentence(d) == "3 sets of 15, twice a day, every day — slowly, 3 seconds down."


def test_sentence_hold_example():
    d = dose(sets=5, reps=None, hold_seconds=45, days_per_week=4)
    assert dosage_sentence(d) == "Hold for 45 seconds, 5 times, once a day, 4 days a week."


def test_sentence_rathleff_example_always_says_sessions_per_day():
    d = dose(reps=12, load="nRM", load_value="12RM", tempo="3-2-3", days_per_week=3)
    assert dosage_sentence(d) == (
        "3 sets of 12 with a weight you can lift 12 times, once a day, 3 days a week"
        " — 3 seconds up, 2 seconds hold, 3 seconds down."
    )


def test_sentence_library_alfredson():
    assert dosage_sentence(LIBRARY["eccentric_heel_drop_straight"].default_dosage) == (
        "Each leg: 3 sets of 15, twice a day, every day for 12 weeks — slowly, 3 seconds down; "
        "rest 60 seconds between sets; some discomfort is fine, up to 3 out of 10. "
        "Add weight in a backpack once the exercise is pain-free."
    )


@pytest.mark.parametrize(
    ("side", "start"),
    [
        ("each", "Each leg: 3 sets of 15"),
        ("left", "Left leg only: 3 sets of 15"),
        ("right", "Right leg only: 3 sets of 15"),
        ("both", "3 sets of 15"),
    ],
)
def test_sentence_side(side, start):
    assert dosage_sentence(dose(side=side)).startswith(start + ", once a day")


def test_sentence_side_lowers_a_hold():
    d = dose(sets=3, reps=None, hold_seconds=30, side="each")
    assert dosage_sentence(d) == "Each leg: hold for 30 seconds, 3 times, once a day, every day."


@pytest.mark.parametrize(
    ("load", "value", "words"),
    [
        ("bodyweight", "", "3 sets of 15, once"),
        ("kg", "6", "3 sets of 15 with 6 kg, once"),
        ("kg", "2.5", "3 sets of 15 with 2.5 kg, once"),
        ("band", "red", "3 sets of 15 with a red band, once"),
        ("band", "", "3 sets of 15 with a band, once"),
        ("backpack", "5", "3 sets of 15 wearing a backpack with 5 kg in it, once"),
        ("backpack", "light", "3 sets of 15 wearing a light backpack, once"),
        ("backpack", "", "3 sets of 15 wearing a backpack, once"),
        ("nRM", "8RM", "3 sets of 15 with a weight you can lift 8 times, once"),
        ("nRM", "10", "3 sets of 15 with a weight you can lift 10 times, once"),
        ("RPE", "6", "3 sets of 15, effort about 6 out of 10, once"),
    ],
)
def test_sentence_load_words(load, value, words):
    assert dosage_sentence(dose(load=load, load_value=value)).startswith(words)


def test_sentence_load_on_a_hold():
    d = dose(sets=5, reps=None, hold_seconds=45, load="band", load_value="heavy")
    assert dosage_sentence(d).startswith("Hold for 45 seconds with a heavy band, 5 times, ")


@pytest.mark.parametrize(
    ("tempo", "words"),
    [
        ("3-2-3", " — 3 seconds up, 2 seconds hold, 3 seconds down."),
        ("3-0-3", " — 3 seconds up, 3 seconds down."),
        ("0-0-3", " — slowly, 3 seconds down."),
        ("1-0-4", " — 1 second up, 4 seconds down."),
        ("", "every day."),
    ],
)
def test_sentence_tempo(tempo, words):
    assert dosage_sentence(dose(tempo=tempo)).endswith(words)


@pytest.mark.parametrize(
    ("sessions", "words"), [(1, "once a day"), (2, "twice a day"), (3, "3 times a day")]
)
def test_sentence_sessions_per_day(sessions, words):
    assert f", {words}, " in dosage_sentence(dose(sessions_per_day=sessions))


@pytest.mark.parametrize(
    ("days", "words"),
    [(7, "every day"), (3, "3 days a week"), (2, "2 days a week"), (1, "once a week")],
)
def test_sentence_days_per_week(days, words):
    assert dosage_sentence(dose(days_per_week=days)).endswith(f", {words}.")


def test_sentence_weeks():
    assert dosage_sentence(dose(days_per_week=3, weeks=12)).endswith("3 days a week for 12 weeks.")
    assert dosage_sentence(dose(weeks=1)).endswith("every day for 1 week.")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"rest_seconds": 60}, "; rest 60 seconds between sets."),
        ({"rest_seconds": 90}, "; rest 90 seconds between sets."),
        ({"rest_seconds": 120}, "; rest 2 minutes between sets."),
        (
            {"rest_seconds": 30, "reps": None, "hold_seconds": 45},
            "; rest 30 seconds between holds.",
        ),
        ({"rest_seconds": 60, "sets": 1, "reps": 6}, "; rest 60 seconds between each one."),
    ],
)
def test_sentence_rest(changes, words):
    assert dosage_sentence(dose(**changes)).endswith(words)


def test_sentence_no_rest_phrase_when_nothing_to_rest_between():
    for d in (dose(rest_seconds=0), dose(sets=1, reps=1, rest_seconds=60)):
        assert "rest" not in dosage_sentence(d)


@pytest.mark.parametrize(
    ("pain", "words"),
    [
        (3, "; some discomfort is fine, up to 3 out of 10."),
        (5, "; some discomfort is fine, up to 5 out of 10."),
        (0, "; it should not hurt at all."),
    ],
)
def test_sentence_pain_allowed(pain, words):
    assert dosage_sentence(dose(pain_allowed=pain)).endswith(words)


def test_sentence_rest_then_pain_order():
    d = dose(rest_seconds=60, pain_allowed=3, tempo="3-0-3")
    assert dosage_sentence(d) == (
        "3 sets of 15, once a day, every day — 3 seconds up, 3 seconds down; "
        "rest 60 seconds between sets; some discomfort is fine, up to 3 out of 10."
    )


def test_sentence_counts_of_one():
    assert dosage_sentence(dose(sets=1, reps=6)).startswith("6 times, once a day")
    assert dosage_sentence(dose(sets=1, reps=1)).startswith("Once, once a day")
    hold = dose(sets=1, reps=None, hold_seconds=60)
    assert dosage_sentence(hold) == "Hold for 60 seconds, once a day, every day."
    assert dosage_sentence(dose(sets=2, reps=None, hold_seconds=1)).startswith(
        "Hold for 1 second, twice,"
    )


def test_sentence_reps_with_hold():
    d = dose(sets=3, reps=10, hold_seconds=5)
    assert dosage_sentence(d).startswith("3 sets of 10, holding each for 5 seconds, once a day")


def test_sentence_notes_lead_when_no_reps_or_hold():
    d = dose(
        sets=1,
        reps=None,
        load="RPE",
        load_value="3",
        days_per_week=3,
        pain_allowed=3,
        notes="Run easy for 20 minutes in time with the metronome.",
    )
    assert dosage_sentence(d) == (
        "Run easy for 20 minutes in time with the metronome, effort about 3 out of 10, "
        "once a day, 3 days a week; some discomfort is fine, up to 3 out of 10."
    )
    assert dosage_sentence(replace(d, side="each")).startswith("Each leg: run easy")


@pytest.mark.parametrize(
    ("changes", "ending"),
    [
        ({"reps": 20, "notes": "Count every landing."}, "every day. Count every landing."),
        ({"reps": 10, "notes": "10 steps each way"}, "every day. 10 steps each way."),
        ({"reps": None, "hold_seconds": 30, "notes": "breathe out."}, "day. Breathe out."),
        ({"reps": 10, "notes": "   "}, "every day."),
    ],
)
def test_sentence_says_the_notes_beside_reps_or_a_hold(changes, ending):
    """A note on a dosage with reps or a hold (how to progress or count) was printed nowhere."""
    text = dosage_sentence(dose(sets=2, **changes))
    assert text.endswith(ending), text
    assert text.count("..") == 0


def test_sentence_minutes_for_long_holds():
    assert dosage_sentence(dose(sets=1, reps=None, hold_seconds=180)).startswith(
        "Hold for 3 minutes,"
    )


def test_sentence_is_deterministic():
    d = LIBRARY["towel_heel_raise"].default_dosage
    assert dosage_sentence(d) == dosage_sentence(replace(d))


@pytest.mark.parametrize(
    "changes",
    [
        {"load": "stone"},
        {"load": "nRM", "load_value": "heavy"},
        {"load": "RPE", "load_value": "11"},
        {"load": "kg", "load_value": ""},
        {"side": "middle"},
        {"tempo": "slow"},
        {"tempo": "0-0-0"},
        {"days_per_week": 8},
        {"days_per_week": 0},
        {"sessions_per_day": 0},
        {"sets": 0},
        {"reps": None, "hold_seconds": None, "notes": ""},
        {"pain_allowed": 11},
        {"weeks": 0},
    ],
)
def test_sentence_rejects_bad_dosages(changes):
    with pytest.raises(ValueError):
        dosage_sentence(dose(**changes))
