"""Worked examples for intake.scoring, built from the published rules in DOMAIN.md section 1."""

from __future__ import annotations

import dataclasses

import pytest

from intake.scoring import (
    MEASURES,
    Measure,
    Score,
    change_is_meaningful,
    item_choices,
    item_labels,
    score,
)

Answers = dict[str, int | None]


def numbered(values: list[int | None]) -> Answers:
    """Answers keyed "1", "2", … in order."""
    return {str(number): value for number, value in enumerate(values, start=1)}


def visa_a(items_1_to_7: list[int], **item_8: int | None) -> Answers:
    return {**numbered(list(items_1_to_7)), **item_8}


def akps(points: list[int]) -> Answers:
    return numbered(list(points))


AKPS_BEST = [5, 5, 5, 10, 5, 10, 10, 10, 10, 10, 10, 5, 5]
AKPS_WORST = [0] * 13

# 4+4+3+3+2+2+1+1+0+0 + 4+3+2+1+0+4+3+2+1+3 = 20 + 23 = 43; 43/80 = 53.75 %
LEFS_MIXED = numbered([4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 4, 3, 2, 1, 0, 4, 3, 2, 1, 3])

MINIMUM = {
    "LEFS": numbered([0] * 20),
    "NPRS": numbered([0]),
    "VISA-A": visa_a([0] * 7, **{"8C": 0}),
    "AKPS": akps(AKPS_WORST),
    "FAAM-ADL": numbered([0] * 21),
    "FAAM-SPORTS": numbered([0] * 8),
    "PSFS": numbered([0]),
    "UWRI": numbered([0] * 9),
}

MAXIMUM = {
    "LEFS": (numbered([4] * 20), 80, 80),
    "NPRS": (numbered([10]), 10, 10),
    "VISA-A": (visa_a([10] * 7, **{"8A": 30}), 100, 100),
    "AKPS": (akps(AKPS_BEST), 100, 100),
    "FAAM-ADL": (numbered([4] * 21), 84, 84),
    "FAAM-SPORTS": (numbered([4] * 8), 32, 32),
    "PSFS": (numbered([10] * 5), 10.0, 10),
    "UWRI": (numbered([4] * 9), 36, 36),
}


@pytest.mark.parametrize("measure", sorted(MINIMUM))
def test_lowest_answers_score_zero(measure: str) -> None:
    result = score(measure, MINIMUM[measure])

    assert (result.total, result.percent, result.complete) == (0, 0.0, True)
    assert result.problems == ()


@pytest.mark.parametrize("measure", sorted(MAXIMUM))
def test_highest_answers_score_the_published_maximum(measure: str) -> None:
    answers, total, maximum = MAXIMUM[measure]

    result = score(measure, answers)

    assert (result.total, result.maximum, result.percent) == (total, maximum, 100.0)
    assert result.complete and result.problems == ()


@pytest.mark.parametrize(
    ("measure", "answers", "total", "maximum", "percent"),
    [
        ("LEFS", LEFS_MIXED, 43, 80, 53.8),
        ("NPRS", numbered([7]), 7, 10, 70.0),
        # 6+7+5+8+4+6 = 36, item 7 = 4, branch 8B = 10 (11–20 minutes): 50
        ("VISA-A", visa_a([6, 7, 5, 8, 4, 6, 4], **{"8B": 10}), 50, 100, 50.0),
        # 5+5+3+8+4+6+7+6+8+10+6+3+5 = 76
        ("AKPS", akps([5, 5, 3, 8, 4, 6, 7, 6, 8, 10, 6, 3, 5]), 76, 100, 76.0),
        # 10 × 4 + 11 × 3 = 73; 73/84 = 86.90 %
        ("FAAM-ADL", numbered([4] * 10 + [3] * 11), 73, 84, 86.9),
        # 4+4+3+3+2+2+1+1 = 20; 20/32 = 62.5 %
        ("FAAM-SPORTS", numbered([4, 4, 3, 3, 2, 2, 1, 1]), 20, 32, 62.5),
        # (3+5+6)/3 = 4.67; 14/30 = 46.67 %
        ("PSFS", numbered([3, 5, 6]), 4.7, 10, 46.7),
        # 4+3+3+2+4+1+0+2+3 = 22; 22/36 = 61.11 %
        ("UWRI", numbered([4, 3, 3, 2, 4, 1, 0, 2, 3]), 22, 36, 61.1),
    ],
)
def test_mixed_answers_give_the_hand_computed_score(
    measure: str, answers: Answers, total: float, maximum: int, percent: float
) -> None:
    result = score(measure, answers)

    assert result == Score(measure, total, maximum, percent, complete=True)


@pytest.mark.parametrize("blank", ["none", "absent"])
def test_lefs_with_one_missing_item_is_not_scored_and_names_it(blank: str) -> None:
    answers = numbered([3] * 20)
    if blank == "none":
        answers["7"] = None
    else:
        del answers["7"]

    result = score("LEFS", answers)

    assert (result.total, result.percent, result.complete) == (None, None, False)
    assert result.missing == ("7",)
    assert any("7" in problem for problem in result.problems)


@pytest.mark.parametrize("measure", ["NPRS", "VISA-A", "AKPS", "UWRI"])
def test_measures_without_a_missing_item_rule_are_not_scored_with_item_1_blank(
    measure: str,
) -> None:
    answers = dict(MINIMUM[measure], **{"1": None})

    result = score(measure, answers)

    assert result.total is None and not result.complete
    assert result.missing == ("1",)
    assert "missing item(s) 1" in result.problems[0]


def test_faam_adl_with_two_blank_items_is_scored_on_the_answered_items() -> None:
    answers = numbered([4] * 15 + [2] * 4 + [4, 4])
    answers["5"] = None  # N/A
    del answers["12"]  # left blank

    result = score("FAAM-ADL", answers)

    # 19 answered: items 1–15 less 5 and 12 (13 × 4), 16–19 (4 × 2), 20–21 (2 × 4) = 68;
    # 68 / (19 × 4) = 89.47 %
    assert (result.total, result.maximum, result.percent) == (68, 76, 89.5)
    assert result.problems == ()
    assert result.missing == ("5", "12")
    assert not result.complete


def test_faam_adl_with_three_blank_items_is_not_scored() -> None:
    answers = numbered([4] * 18 + [None] * 3)

    result = score("FAAM-ADL", answers)

    assert (result.total, result.percent, result.complete) == (None, None, False)
    assert result.missing == ("19", "20", "21")
    assert "only 18 of 21 items answered" in result.problems[0]


def test_faam_sports_with_one_blank_item_is_scored() -> None:
    result = score("FAAM-SPORTS", numbered([4, 4, 3, 3, 2, 2, 1, None]))

    # 19 / (7 × 4) = 67.86 %
    assert (result.total, result.maximum, result.percent) == (19, 28, 67.9)
    assert result.missing == ("8",) and result.problems == ()


def test_faam_sports_with_two_blank_items_is_not_scored() -> None:
    result = score("FAAM-SPORTS", numbered([4, 4, 3, 3, 2, 2, None, None]))

    assert result.total is None and result.percent is None
    assert "only 6 of 8 items answered" in result.problems[0]


@pytest.mark.parametrize("value", [5, -1, "3", 2.5, True, False])
def test_lefs_invalid_item_value_is_a_problem_and_not_scored(value: object) -> None:
    answers: dict[str, object] = dict(numbered([2] * 20))
    answers["3"] = value

    result = score("LEFS", answers)  # type: ignore[arg-type]

    assert (result.total, result.percent, result.complete) == (None, None, False)
    assert len(result.problems) == 1 and result.problems[0].startswith("item 3:")
    assert result.missing == ()


def test_visa_a_item_7_only_accepts_its_four_published_values() -> None:
    result = score("VISA-A", visa_a([5, 5, 5, 5, 5, 5, 5], **{"8A": 14}))

    assert result.total is None
    assert result.problems == ("item 7: 5 is not one of 0, 4, 7, 10",)


def test_visa_a_with_two_item_8_branches_is_not_scored() -> None:
    result = score("VISA-A", visa_a([5, 5, 5, 5, 5, 5, 4], **{"8A": 7, "8B": 4}))

    assert result.total is None and not result.complete
    assert result.problems == ("item 8: answer only one of 8A, 8B",)


def test_visa_a_without_an_item_8_branch_reports_item_8_missing() -> None:
    result = score("VISA-A", visa_a([5, 5, 5, 5, 5, 5, 4], **{"8A": None}))

    assert result.total is None
    assert result.missing == ("8",)


def test_visa_a_branch_rejects_a_value_from_another_branch() -> None:
    result = score("VISA-A", visa_a([5, 5, 5, 5, 5, 5, 4], **{"8B": 30}))

    assert result.total is None
    assert result.problems == ("item 8B: 30 is not one of 0, 4, 10, 14, 20",)


@pytest.mark.parametrize(("item", "value"), [("1", 2), ("5", 1)])
def test_akps_rejects_points_found_only_in_unreviewed_web_copies(item: str, value: int) -> None:
    answers = akps(AKPS_BEST)
    answers[item] = value

    result = score("AKPS", answers)

    assert result.total is None
    assert result.problems[0].startswith(f"item {item}: {value} is not one of")


@pytest.mark.parametrize("value", [11, -1])
def test_nprs_outside_0_to_10_is_not_scored(value: int) -> None:
    result = score("NPRS", {"1": value})

    assert result.total is None
    assert result.problems == (f"item 1: {value} is outside 0–10",)


def test_psfs_rating_above_10_is_not_scored() -> None:
    result = score("PSFS", numbered([4, 11]))

    assert result.total is None
    assert result.problems == ("item 2: 11 is outside 0–10",)


@pytest.mark.parametrize("answers", [{}, numbered([None] * 5)])
def test_psfs_with_no_rated_activity_is_not_scored(answers: Answers) -> None:
    result = score("PSFS", answers)

    assert result.total is None and not result.complete
    assert result.problems == ("no activity rated: PSFS needs at least one",)


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [([7], 7.0), ([0, 0, 0, 1], 0.3), ([2, 2, 3], 2.3), ([1, 2, 3, 4, 5], 3.0)],
)
def test_psfs_total_is_the_mean_of_rated_activities_rounded_half_up(
    ratings: list[int], mean: float
) -> None:
    answers = numbered([*ratings, *[None] * (5 - len(ratings))])

    result = score("PSFS", answers)

    assert result.total == mean and result.complete and result.missing == ()


@pytest.mark.parametrize(
    ("measure", "extra_key"),
    [("LEFS", "21"), ("LEFS", 1), ("PSFS", "6"), ("VISA-A", "8"), ("NPRS", "")],
)
def test_unknown_item_key_is_a_problem_and_not_scored(measure: str, extra_key: object) -> None:
    answers: dict[object, int | None] = dict(MAXIMUM[measure][0])
    answers[extra_key] = 1

    result = score(measure, answers)  # type: ignore[arg-type]

    assert result.total is None
    assert result.problems == (f"unknown item {extra_key!r} for {measure}",)


@pytest.mark.parametrize("answers", [None, [4, 4], "4"])
def test_answers_that_are_not_a_mapping_come_back_as_a_problem(answers: object) -> None:
    result = score("NPRS", answers)  # type: ignore[arg-type]

    assert result.total is None
    assert "answers must be a mapping" in result.problems[0]


def test_several_problems_are_all_reported() -> None:
    answers = numbered([5, "4", None, *[2] * 17])  # type: ignore[list-item]

    result = score("LEFS", answers)

    assert len(result.problems) == 3
    assert result.missing == ("3",)


@pytest.mark.parametrize("code", ["KOOS", "lefs", "", None])
def test_unknown_measure_raises_value_error(code: str) -> None:
    for call in (
        lambda: score(code, {}),
        lambda: item_choices(code),
        lambda: item_labels(code),
        lambda: change_is_meaningful(code, 0, 10),
    ):
        with pytest.raises(ValueError, match="unknown outcome measure"):
            call()


@pytest.mark.parametrize(
    ("measure", "first", "latest", "meaningful"),
    [
        ("LEFS", 40, 49, True),  # MID / MDC90 9 points
        ("LEFS", 40, 48, False),
        ("LEFS", 60, 40, False),  # worse, however large
        ("NPRS", 7, 5, True),  # a 2-point drop
        ("NPRS", 7, 6, False),
        ("NPRS", 3, 8, False),  # pain going up is not an improvement
        ("AKPS", 60, 70, True),  # MCID 10
        ("AKPS", 60, 69, False),
        ("FAAM-ADL", 62.3, 70.3, True),  # MCID 8 percentage points
        ("FAAM-ADL", 70, 77.9, False),
        ("FAAM-SPORTS", 50, 59, True),  # MCID 9 percentage points
        ("FAAM-SPORTS", 50, 58.9, False),
        ("UWRI", 20, 28, True),  # MCID 8
        ("UWRI", 20, 27, False),
        ("PSFS", 3.0, 5.0, True),  # MDC90 2 for the mean
        ("PSFS", 3.0, 4.9, False),
    ],
)
def test_change_is_meaningful_when_the_good_direction_reaches_the_threshold(
    measure: str, first: float, latest: float, meaningful: bool
) -> None:
    assert change_is_meaningful(measure, first, latest) is meaningful


@pytest.mark.parametrize(
    ("condition", "latest", "meaningful"),
    [
        ("achilles_insertional", 56.5, True),  # 6.5, McCormack 2015
        ("achilles_insertional", 56, False),
        ("achilles_midportion", 64, True),  # 14 over 12 weeks, JOSPT 2021 cohort
        ("achilles_midportion", 63, False),  # 13: today's main counted 6.5 for mid-portion
        ("", 80, None),  # no condition: no MCID to judge by, never the other condition's
        ("patellofemoral_pain", 80, None),
    ],
)
def test_the_visa_a_mcid_belongs_to_the_patients_achilles_condition(
    condition: str, latest: float, meaningful: bool | None
) -> None:
    assert change_is_meaningful("VISA-A", 50, latest, condition=condition) is meaningful


def test_change_is_meaningful_is_none_for_a_measure_without_a_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unrated = dataclasses.replace(MEASURES["UWRI"], code="X", mcid=None, mdc=None)
    monkeypatch.setitem(MEASURES, "X", unrated)

    assert change_is_meaningful("X", 0, 36) is None


def test_item_choices_give_akps_points_best_first() -> None:
    choices = item_choices("AKPS")

    assert choices is not None and list(choices) == [str(n) for n in range(1, 14)]
    assert choices["1"] == [5, 3, 0]
    assert choices["3"] == [5, 3, 2, 0]
    assert choices["5"] == [5, 4, 3, 2, 0]
    assert [values[0] for values in choices.values()] == AKPS_BEST


def test_item_choices_give_visa_a_items_7_and_8_only() -> None:
    assert item_choices("VISA-A") == {
        "7": [0, 4, 7, 10],
        "8A": [0, 7, 14, 21, 30],
        "8B": [0, 4, 10, 14, 20],
        "8C": [0, 2, 5, 7, 10],
    }


@pytest.mark.parametrize("measure", ["LEFS", "NPRS", "FAAM-ADL", "FAAM-SPORTS", "PSFS", "UWRI"])
def test_item_choices_are_none_for_measures_with_a_plain_range(measure: str) -> None:
    assert item_choices(measure) is None


@pytest.mark.parametrize(
    ("measure", "count"),
    [("LEFS", 20), ("FAAM-ADL", 21), ("FAAM-SPORTS", 8), ("AKPS", 13), ("VISA-A", 10), ("UWRI", 9)],
)
def test_item_labels_name_every_item_briefly(measure: str, count: int) -> None:
    labels = item_labels(measure)

    assert list(labels) == list(MEASURES[measure].items) and len(labels) == count
    assert all(0 < len(label) <= 60 for label in labels.values())


def test_registry_maximum_is_the_sum_of_the_best_answers() -> None:
    for spec in MEASURES.values():
        if spec.rule == "mean_of_rated":
            continue
        best = {key: max(spec.allowed(key)) for key in spec.items if key not in spec.branches}
        branch_best = max((max(spec.allowed(key)) for key in spec.branches), default=0)
        assert sum(best.values()) + branch_best == spec.maximum, spec.code


def test_every_measure_cites_its_source() -> None:
    assert set(MEASURES) == {
        "LEFS", "NPRS", "VISA-A", "AKPS", "FAAM-ADL", "FAAM-SPORTS", "PSFS", "UWRI",
    }  # fmt: skip
    assert all(spec.sources and spec.code in MEASURES for spec in MEASURES.values())


def test_score_is_immutable() -> None:
    result = score("NPRS", {"1": 4})

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 0  # type: ignore[misc]


def test_measure_with_a_label_per_item_missing_is_rejected() -> None:
    with pytest.raises(ValueError, match="2 items but 1 labels"):
        Measure("X", "x", ("1", "2"), ("one",), 8, True, ("nowhere",))


@pytest.mark.parametrize(
    "first, latest, meaningful",
    [
        (3, 2, True),  # one point, but a third of the pain: much better (Salaffi 2004)
        (6, 4, True),  # two points
        (9, 7, True),  # two points (22 %)
        (9, 8, False),  # one point, 11 %
        (2, 2, False),
        (0, 0, False),  # nothing to drop from
        (2, 3, False),  # worse
    ],
)
def test_a_one_third_drop_in_pain_counts_as_meaningful_as_two_points_do(first, latest, meaningful):
    assert change_is_meaningful("NPRS", first, latest) is meaningful
