"""The CSV cell guard shared by every export: nothing a spreadsheet would run as a formula."""

import datetime
from decimal import Decimal

import pytest

from clinic.spreadsheets import csv_cell, csv_rows


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("=1+1", "'=1+1"),
        ("+1 555", "'+1 555"),
        ("+3", "'+3"),
        ("-2+3", "'-2+3"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Maya Okafor", "Maya Okafor"),
        ("plain", "plain"),
        ("a=b", "a=b"),  # only a leading sign makes a formula
        (None, ""),
        (7, "7"),
        (Decimal("3.0"), "3.0"),
        (True, "yes"),
        (False, "no"),
        (datetime.date(2026, 1, 5), "2026-01-05"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, cell):
    assert csv_cell(value) == cell


# A negative number gets the apostrophe like any text starting with "-": a CSV cell carries
# no type, so the guard cannot tell our -3.5 from "-3+A1" typed by someone; the stricter
# rule costs a spreadsheet user one conversion and never runs a formula.
@pytest.mark.parametrize(
    ("value", "cell"),
    [(-2, "'-2"), (Decimal("-3.0"), "'-3.0"), (-0.5, "'-0.5")],
)
def test_negative_numbers_are_neutralised_too(value, cell):
    assert csv_cell(value) == cell


def test_every_cell_of_every_row_goes_through_the_guard():
    assert csv_rows([["Name", "Change"], ["=cmd", Decimal("-1.5")], [None, 4]]) == [
        ["Name", "Change"],
        ["'=cmd", "'-1.5"],
        ["", "4"],
    ]
