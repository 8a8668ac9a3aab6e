"""Template helpers for plan pages."""

import base64
import datetime
import html
import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_UNSAFE = re.compile(r"<script|<foreignobject|\son\w+\s*=|javascript:|href=|xlink:", re.I)


@register.filter
def drawing(svg: str):
    """Inline an exercise drawing that our own code generated (plans/illustrations).

    The generator escapes every text it writes; as a second line of defence anything that
    could run script or load a resource is refused and the drawing is left out.
    """
    if not svg or not svg.lstrip().startswith("<svg") or _UNSAFE.search(svg):
        return ""
    return mark_safe(svg)  # noqa: S308  (checked above; produced by plans/illustrations)


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc>(.*?)</desc>", re.S)
SVG_NS = "http://www.w3.org/2000/svg"


@register.filter
def drawing_image(svg: str, alt: str = ""):
    """The same drawing for the PDF, as an ``<img>`` whose ``data:`` URL holds the SVG.

    Inline, every line of every drawing went through WeasyPrint's HTML parser and CSS
    cascade: the 11 drawings of an 8-exercise plan were about 60 % of its render time. As an
    image, ElementTree parses the SVG and the cascade skips it (about ×0.75 per plan,
    bench/results/). The alternative text is the drawing's own title and description, so the
    tagged PDF (PDF/UA) still describes it, unless ``alt`` is given (the QR code has no
    title). plans.pdf.ClinicFetcher serves only this kind of
    ``data:`` URL.
    """
    if not drawing(svg):
        return ""
    root = _SVG_ROOT.match(svg.lstrip())
    if root and "xmlns=" not in root.group(0):
        svg = svg.lstrip().replace("<svg", f'<svg xmlns="{SVG_NS}"', 1)
    found = (_TITLE.search(svg), _DESC.search(svg))
    words = [html.unescape(m.group(1)).strip() for m in found if m]
    alt = alt or ". ".join(w.rstrip(".") for w in words if w) or "Drawing"
    data = base64.b64encode(svg.encode()).decode("ascii")
    return format_html('<img src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)


@register.filter
def snapshot_date(value: str, fmt: str = "M j, Y") -> str:
    """A date stored in a plan snapshot (ISO text, plans/snapshots.py) as people read it."""
    try:
        return date_filter(datetime.date.fromisoformat(value), fmt)
    except (TypeError, ValueError):
        return value
