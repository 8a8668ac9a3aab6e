"""The identifiers a superbill carries, checked as typed: NPI and EIN. Pure.

- NPI (National Provider Identifier): 10 digits, the first 1 or 2, the last a check digit by
  the Luhn formula computed as if the card-issuer prefix 80840 stood before it ("Requirements
  for NPI Check Digit", CMS; Final Rule 69 FR 3434, 2004-01-23). The formula is python-stdnum's
  (``stdnum.luhn``), not hand-written.
- EIN (Employer Identification Number, the practice's tax ID): 9 digits written NN-NNNNNNN,
  with an IRS campus prefix (``stdnum.us.ein``).
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.exceptions import ValidationError as NumberError
from stdnum.us import ein as stdnum_ein

NPI_PREFIX = "80840"  # 80 health applications, 840 the United States
_SEPARATORS = re.compile(r"[\s-]")


def clean_npi(value: str) -> str:
    """The NPI's digits as typed, without spaces or dashes."""
    return _SEPARATORS.sub("", value or "")


def npi_problem(value: str) -> str | None:
    """What is wrong with an NPI as typed, or None."""
    digits = clean_npi(value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return "An NPI is 10 digits."
    if digits[0] not in "12":
        return "An NPI begins with 1 or 2."
    if not luhn.is_valid(NPI_PREFIX + digits):
        return "This NPI's check digit does not match: check the number."
    return None


def clean_ein(value: str) -> str:
    """The EIN as NN-NNNNNNN."""
    digits = _SEPARATORS.sub("", value or "")
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 else (value or "").strip()


def ein_problem(value: str) -> str | None:
    """What is wrong with an EIN as typed, or None."""
    digits = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"[0-9]{9}", digits):
        return "An EIN is 9 digits, written 12-3456789."
    try:
        stdnum_ein.validate(digits)
    except NumberError:
        return "This EIN does not begin with a prefix the IRS assigns: check the number."
    return None
