from django import template

from clinic import units

register = template.Library()


@register.filter
def distance(km):
    """A stored distance in km, shown in the clinic's unit: "12.4 miles"."""
    value = units.from_km(km)
    if value is None:
        return "—"
    return f"{value.normalize():f} {units.UNIT_LABELS[units.distance_unit()]}"


@register.filter
def pace(sec_per_km):
    text = units.format_pace(sec_per_km)
    return f"{text} per {'mile' if units.distance_unit() == 'mi' else 'km'}" if text else "—"
