"""CSV cells that no spreadsheet runs as a formula (OWASP's CSV injection guard)."""

import datetime
from collections.abc import Iterable, Sequence

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text for one cell; a leading = + - @ (or tab, CR) is neutralised with an apostrophe.

    Numbers are written as text first, so a negative number gets the apostrophe too: a CSV
    cell has no type, and "-3" and "-3+A1" look alike to a spreadsheet until it evaluates them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_rows(rows: Iterable[Sequence]) -> list[list[str]]:
    """Every cell of every row through csv_cell."""
    return [[csv_cell(cell) for cell in row] for row in rows]
