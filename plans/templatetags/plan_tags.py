"""Template helpers for plan pages."""

import datetime
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import mark_safe

register = template.Library()

_UNSAFE = re.compile(r"<script|<foreignobject|\son\w+\s*=|javascript:|href=|xlink:", re.I)


@register.filter
def drawing(svg: str):
    """Inline an exercise drawing that our own code generated (plans/illustrations.py).

    The generator escapes every text it writes; as a second line of defence anything that
    could run script or load a resource is refused and the drawing is left out.
    """
    if not svg or not svg.lstrip().startswith("<svg") or _UNSAFE.search(svg):
        return ""
    return mark_safe(svg)  # noqa: S308  (checked above; produced by plans/illustrations.py)


@register.filter
def snapshot_date(value: str, fmt: str = "M j, Y") -> str:
    """A date stored in a plan snapshot (ISO text, plans/snapshots.py) as people read it."""
    try:
        return date_filter(datetime.date.fromisoformat(value), fmt)
    except (TypeError, ValueError):
        return value
