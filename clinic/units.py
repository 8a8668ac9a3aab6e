"""Distances are stored in kilometres and shown in the clinic's unit (settings.DISTANCE_UNIT)."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

KM_PER_MILE = Decimal("1.609344")  # international mile, exact by definition
UNIT_LABELS = {"mi": "miles", "km": "km"}


def distance_unit() -> str:
    return settings.DISTANCE_UNIT


def to_km(value: Decimal | None, unit: str | None = None) -> Decimal | None:
    if value is None:
        return None
    unit = unit or distance_unit()
    km = value * KM_PER_MILE if unit == "mi" else value
    return km.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def from_km(km: Decimal | None, unit: str | None = None) -> Decimal | None:
    if km is None:
        return None
    unit = unit or distance_unit()
    value = Decimal(km) / KM_PER_MILE if unit == "mi" else Decimal(km)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_PACE = re.compile(r"^\s*(\d{1,2})\s*[:.']\s*(\d{2})\s*$")


def parse_pace(text: str, unit: str | None = None) -> int | None:
    """ "8:30" per mile (or km) → seconds per km; None when it is not m:ss."""
    match = _PACE.match(text or "")
    if not match or int(match.group(2)) >= 60:
        return None
    seconds = int(match.group(1)) * 60 + int(match.group(2))
    unit = unit or distance_unit()
    per_km = Decimal(seconds) / KM_PER_MILE if unit == "mi" else Decimal(seconds)
    return int(per_km.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_pace(sec_per_km: int | None, unit: str | None = None) -> str:
    if not sec_per_km:
        return ""
    unit = unit or distance_unit()
    seconds = Decimal(sec_per_km) * KM_PER_MILE if unit == "mi" else Decimal(sec_per_km)
    seconds = int(seconds.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{seconds // 60}:{seconds % 60:02d}"
