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


def format_distance(km) -> str:
    """A stored distance in km in the clinic's unit: "3.1 miles", "1 mile", "5 km"."""
    if km in (None, ""):
        return ""
    value = from_km(Decimal(str(km)))
    unit = distance_unit()
    label = "mile" if unit == "mi" and value == 1 else UNIT_LABELS[unit]
    return f"{value.normalize():f} {label}"


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


# --- Speed, height and weight: the clinic's one unit setting decides them too -------------
# "mi" is the US customary system (mph, feet and inches, pounds); "km" is metric.
INCH_CM = Decimal("2.54")  # exact by definition (1959 international yard and pound)
POUND_KG = Decimal("0.45359237")  # exact by definition (same agreement)


def imperial() -> bool:
    return distance_unit() == "mi"


def speed_label() -> str:
    return "mph" if imperial() else "km/h"


def speed_from_kmh(kmh: Decimal | None) -> Decimal | None:
    """A stored treadmill speed (km/h) in the clinic's unit, to 0.1."""
    if kmh is None:
        return None
    value = Decimal(kmh) / KM_PER_MILE if imperial() else Decimal(kmh)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def speed_to_kmh(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    kmh = value * KM_PER_MILE if imperial() else value
    return kmh.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_speed(kmh: Decimal | None) -> str:
    value = speed_from_kmh(kmh)
    return "" if value is None else f"{value.normalize():f} {speed_label()}"


def feet_inches_to_cm(feet: Decimal | int | None, inches: Decimal | int | None) -> Decimal | None:
    if feet is None and inches is None:
        return None
    total = Decimal(feet or 0) * 12 + Decimal(inches or 0)
    return (total * INCH_CM).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cm_to_feet_inches(cm) -> tuple[int, int] | None:
    if cm in (None, ""):
        return None
    inches = int((Decimal(str(cm)) / INCH_CM).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return inches // 12, inches % 12


def pounds_to_kg(pounds: Decimal | None) -> Decimal | None:
    if pounds is None:
        return None
    return (Decimal(pounds) * POUND_KG).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kg_to_pounds(kg) -> Decimal | None:
    if kg in (None, ""):
        return None
    return (Decimal(str(kg)) / POUND_KG).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def format_height(cm) -> str:
    """170 -> "5 ft 7 in" (US) or "170 cm"."""
    if cm in (None, ""):
        return ""
    if imperial():
        feet, inches = cm_to_feet_inches(cm)
        return f"{feet} ft {inches} in"
    return f"{Decimal(str(cm)).quantize(Decimal(1), rounding=ROUND_HALF_UP)} cm"


def format_weight(kg) -> str:
    if kg in (None, ""):
        return ""
    if imperial():
        return f"{kg_to_pounds(kg)} lb"
    return f"{Decimal(str(kg)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f} kg"
