"""The 8-minute rule (intake/billing_units.py; DOMAIN.md section 11, CMS Claims Processing
Manual ch. 5 §20.2), on every unit boundary and with mixed timed and untimed codes."""

import pytest

from intake import billing_units
from intake.billing_units import BilledLine, Service, bill, summary, units_for_minutes


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4)]
    + [(67, 4), (68, 5), (82, 5), (83, 6)],
)
def test_total_timed_minutes_give_units_by_fifteen_from_eight(minutes, units):
    assert units_for_minutes(minutes) == units


def units(*services):
    return {line.code: line.units for line in bill(services)}


def timed(code, minutes):
    return Service(code, True, minutes)


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        # CMS's own examples (Claims Processing Manual ch. 5 §20.2).
        ((timed("97112", 24), timed("97110", 23)), {"97112": 2, "97110": 1}),
        ((timed("97110", 33), timed("97140", 7)), {"97110": 2, "97140": 1}),
        (
            (timed("97110", 33), timed("97140", 7), timed("97530", 7)),
            {"97110": 2, "97140": 1, "97530": 0},  # a tie: the code listed first
        ),
        ((timed("97110", 7), timed("97140", 7)), {"97110": 1, "97140": 0}),
        ((timed("97110", 20), timed("97140", 20)), {"97110": 2, "97140": 1}),
        # Each on its own under 8, together over: one unit, to the one with most minutes.
        ((timed("97110", 5), timed("97140", 6)), {"97110": 0, "97140": 1}),
        ((timed("97110", 5),), {"97110": 0}),
        ((timed("97116", 38),), {"97116": 3}),
    ],
)
def test_units_go_first_to_the_code_with_the_most_minutes(services, expected):
    assert units(*services) == expected


@pytest.mark.parametrize("minutes", [7, 8, 22, 23, 37, 38])
def test_untimed_codes_are_one_unit_each_beside_the_timed_ones(minutes):
    lines = bill(
        [
            Service("97162", False),  # evaluation, moderate complexity
            timed("97140", minutes),
            Service("20561", False, minutes=12),  # needling: untimed, its minutes ignored
        ]
    )
    assert [(line.code, line.units) for line in lines] == [
        ("97162", 1),
        ("97140", units_for_minutes(minutes)),
        ("20561", 1),
    ]
    assert sum(line.units for line in lines if line.timed) == units_for_minutes(minutes)


def test_the_total_is_never_more_than_the_minutes_allow():
    for a in range(0, 40):
        for b in range(0, 40):
            lines = bill([timed("97110", a), timed("97140", b)])
            assert sum(line.units for line in lines) == units_for_minutes(a + b)


@pytest.mark.parametrize("bad", [-1, 7.5, "8", None, True])
def test_minutes_must_be_whole_numbers_from_zero(bad):
    with pytest.raises(ValueError, match="whole number"):
        bill([timed("97110", bad)])


def test_a_code_given_twice_is_refused():
    with pytest.raises(ValueError, match="Each code once"):
        bill([timed("97110", 10), timed("97110", 10)])


def test_the_one_line_summary():
    lines = bill([timed("97110", 33), timed("97140", 7), Service("20560", False)])
    assert summary(lines) == "97110 x2, 97140 x1 (40 timed minutes); 20560 x1"
    assert summary(bill([timed("97110", 5)])) == ("no timed unit (5 timed minutes: fewer than 8)")
    assert summary([]) == "Nothing to bill"
    assert isinstance(bill([timed("97110", 8)])[0], BilledLine)


def test_two_interventions_under_one_code_add_up_before_the_rule():
    # Joint mobilization 10 min + soft-tissue mobilization 10 min are 20 min of 97140 (1
    # unit); 8 min of 97110 on top: 28 timed minutes = 2 units, one each.
    services = billing_units.merged(
        [("97140", True, 10), ("97110", True, 8), ("97140", True, 10), ("", True, 30)]
    )
    assert services == [
        billing_units.Service("97140", True, 20),
        billing_units.Service("97110", True, 8),
    ]
    lines = billing_units.bill(services)
    assert [(line.code, line.units) for line in lines] == [("97140", 1), ("97110", 1)]
    with pytest.raises(ValueError):
        billing_units.merged([("97110", True, 2.5)])
