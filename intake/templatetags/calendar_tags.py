"""One calendar block as HTML, built in Python: a week of a busy clinic holds hundreds of
blocks, and the template engine's nested lookups per block were half of the page's time
(bench/results/2026-12-04.md). format_html escapes every value, as the template did."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_NOTE = {"arrived": " · here", "no_show": " · no-show", "late_cancel": " · cancelled late"}


@register.simple_tag
def cal_block(block) -> str:
    entry = block.entry
    classes = f"cal-entry cal-{entry.kind} cal-{entry.status}" + ("" if entry.url else " cal-busy")
    style = (
        f"top: {block.top}rem; height: {block.height}rem; left: {block.left}%; "
        f"width: {block.width}%"
    )
    detail = (
        format_html(
            '<span class="cal-detail">{}{}</span>', entry.detail, STATUS_NOTE.get(entry.status, "")
        )
        if entry.detail
        else ""
    )
    inner = format_html(
        '<span class="cal-time">{}</span><span class="cal-title">{}</span>{}',
        block.time,
        entry.title,
        detail,
    )
    if entry.url:
        return format_html(
            '<a href="{}" class="{}" style="{}">{}</a>', entry.url, classes, style, inner
        )
    return format_html('<div class="{}" style="{}">{}</div>', classes, style, inner)
