"""Server-rendered SVG line charts of outcome scores over time (patient chart and PDF).

Pure Python, no Django, no JavaScript and no external resources: the returned string
is a complete inline ``<svg>`` that browsers and WeasyPrint render as is. Only
presentation attributes are used (no CSS), so WeasyPrint's SVG renderer draws it the
same way as a browser.

Every piece of text that reaches the SVG (titles, labels, numbers) is XML-escaped, and
characters that XML 1.0 forbids are dropped, so user text cannot break or script the
page.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

# Palette that prints well in colour and in grey.
LINE = "#0b5c6b"  # dark teal: the data line, points, MCID band and line
AXIS = "#9ca3af"
GRID = "#e5e7eb"
TEXT = "#374151"
MUTED = "#6b7280"
HEADING = "#111827"
FONT = "sans-serif"

# Layout, in px (user units of the viewBox).
PAD_LEFT = 40  # y tick labels
PAD_RIGHT = 44  # the latest value's label sits right of the last point
PAD_TOP = 46  # title row and the y label / MCID legend row
PAD_BOTTOM = 26  # x labels
INSET = 10  # first and last points sit this far inside the plot area
CHAR_W = 6.3  # generous width of one 11px character: x labels are kept this far apart
MIN_WIDTH, MIN_HEIGHT = 240, 140

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: float | None  # None: not measured; skipped
    label: str = ""  # optional, read out in the description ("after 6 weeks")


def change_summary(
    first: float, latest: float, mcid: float | None, higher_is_better: bool
) -> tuple[float, bool | None]:
    """(latest - first, whether that change meets the MCID in the good direction).

    The change keeps its raw sign (an NPRS drop from 6 to 3 is -3). The second item
    is None without an MCID. Rounded to 6 decimals so 4.3 - 4.1 meets an MCID of 0.2.
    """
    change = round(latest - first, 6)
    if mcid is None:
        return change, None
    _check_mcid(mcid)
    good = change if higher_is_better else -change
    return change, good >= round(mcid, 6)


def line_chart(
    series: Sequence[Point],
    *,
    title: str,
    y_label: str,
    y_min: float,
    y_max: float,
    higher_is_better: bool,
    mcid: float | None = None,
    width: int = 560,
    height: int = 220,
) -> str:
    """A complete ``<svg role="img">`` line chart of ``series``.

    Points whose value is None (or not finite) are skipped. Values outside
    [y_min, y_max] are drawn at the edge, while the description states the true value.
    With an MCID, a shaded band runs from the first value to first +/- MCID in the
    good direction, ending in a dashed line: points beyond it changed meaningfully.
    """
    _check_args(y_min, y_max, mcid, width, height)
    points = _drawable(series)
    if not points:
        return _empty_svg(title, width)
    frame = _Frame.for_points(points, width, height, y_min, y_max)
    subtitle = _subtitle(y_label, higher_is_better)
    body = [
        _heading(title, subtitle),
        _y_axis(frame),
        _mcid_band(points[0].value, mcid, higher_is_better, frame),
        _mcid_legend(mcid, higher_is_better, frame, room_from=4 + _width(subtitle)),
        _x_labels(points, frame),
        _line(points, frame),
        _latest_label(points[-1], frame),
    ]
    desc = _description(title, points, mcid, higher_is_better)
    return _svg(title, desc, width, height, "".join(body))


# ------------------------------------------------------------ input checks


def _check_mcid(mcid: float) -> None:
    if not (math.isfinite(mcid) and mcid > 0):
        raise ValueError(f"mcid must be a positive number, got {mcid!r}")


def _check_args(y_min: float, y_max: float, mcid: float | None, width: int, height: int) -> None:
    if not (math.isfinite(y_min) and math.isfinite(y_max) and y_max > y_min):
        raise ValueError(f"need finite y_min < y_max, got {y_min!r}, {y_max!r}")
    if mcid is not None:
        _check_mcid(mcid)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"chart must be at least {MIN_WIDTH}x{MIN_HEIGHT} px")


class _Drawn(NamedTuple):
    """A point that has a value (as a float)."""

    date: datetime.date
    value: float
    label: str


def _drawable(series: Sequence[Point]) -> list[_Drawn]:
    """Points with a finite value, in date order (stable for equal dates)."""
    out = []
    for p in series:
        if p.value is not None and math.isfinite(float(p.value)):
            out.append(_Drawn(p.date, float(p.value), p.label))
    return sorted(out, key=lambda p: p.date)


# ------------------------------------------------------------------ layout


@dataclass(frozen=True)
class _Frame:
    width: int
    left: float
    right: float
    top: float
    bottom: float
    y_min: float
    y_max: float
    first_day: int
    last_day: int

    @classmethod
    def for_points(
        cls, points: list[_Drawn], width: int, height: int, y_min: float, y_max: float
    ) -> _Frame:
        first, last = points[0].date.toordinal(), points[-1].date.toordinal()
        right, bottom = width - PAD_RIGHT, height - PAD_BOTTOM
        return cls(width, PAD_LEFT, right, PAD_TOP, bottom, y_min, y_max, first, last)

    def x(self, day: datetime.date) -> float:
        if self.first_day == self.last_day:
            return (self.left + self.right) / 2
        share = (day.toordinal() - self.first_day) / (self.last_day - self.first_day)
        return self.left + INSET + share * (self.right - self.left - 2 * INSET)

    def y(self, value: float) -> float:
        clamped = min(max(value, self.y_min), self.y_max)
        share = (clamped - self.y_min) / (self.y_max - self.y_min)
        return self.bottom - share * (self.bottom - self.top)


def _ticks(y_min: float, y_max: float) -> list[float]:
    """About five round values from y_min to y_max (steps of 1, 2, 2.5 or 5 x 10^n)."""
    raw = (y_max - y_min) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    value = math.ceil(y_min / step - 1e-9) * step
    ticks = []
    while value <= y_max + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


# ------------------------------------------------------------------- parts


def _subtitle(y_label: str, higher_is_better: bool) -> str:
    direction = "higher is better" if higher_is_better else "lower is better"
    return f"{y_label} ({direction})" if y_label else direction


def _heading(title: str, subtitle: str) -> str:
    title_text = _text(4, 17, title, size=13, fill=HEADING, weight="bold")
    return title_text + _text(4, 35, subtitle, fill=MUTED)


def _y_axis(frame: _Frame) -> str:
    parts = []
    for tick in _ticks(frame.y_min, frame.y_max):
        y = frame.y(tick)
        parts.append(_hline(frame.left, frame.right, y, GRID))
        parts.append(_text(frame.left - 6, y + 4, _num(tick), anchor="end", fill=TEXT))
    parts.append(f'<line x1="{_f(frame.left)}" y1="{_f(frame.top)}" x2="{_f(frame.left)}" ')
    parts.append(f'y2="{_f(frame.bottom)}" stroke="{AXIS}" stroke-width="1"/>')
    parts.append(_hline(frame.left, frame.right, frame.bottom, AXIS))
    return "".join(parts)


def _mcid_band(first: float, mcid: float | None, higher_is_better: bool, frame: _Frame) -> str:
    """Band from the first value to the MCID threshold, dashed line at the threshold."""
    if mcid is None:
        return ""
    threshold = first + mcid if higher_is_better else first - mcid
    y_first, y_mcid = frame.y(first), frame.y(threshold)
    top, h = min(y_first, y_mcid), abs(y_first - y_mcid)
    parts = [
        f'<rect class="mcid-band" x="{_f(frame.left)}" y="{_f(top)}" '
        f'width="{_f(frame.right - frame.left)}" height="{_f(h)}" '
        f'fill="{LINE}" fill-opacity="0.10"/>'
    ]
    if frame.y_min <= threshold <= frame.y_max:
        parts.append(_dashed(frame.left, frame.right, y_mcid, "mcid-line"))
    return "".join(parts)


def _mcid_legend(
    mcid: float | None, higher_is_better: bool, frame: _Frame, room_from: float
) -> str:
    """Swatch and text at the right of the second row; shorter, or left out, when the
    y label leaves too little room (the description still states the MCID)."""
    if mcid is None:
        return ""
    sign = "+" if higher_is_better else "-"
    text_right = frame.width - 4
    for label in (f"MCID: {sign}{_num(mcid)} from first", f"MCID {sign}{_num(mcid)}"):
        swatch_right = text_right - _width(label) - 6
        if swatch_right - 20 > room_from + 12:
            break
    else:
        return ""
    swatch = (
        f'<rect x="{_f(swatch_right - 20)}" y="26" width="20" height="10" '
        f'fill="{LINE}" fill-opacity="0.10"/>'
    )
    text = _text(text_right, 35, label, anchor="end", fill=MUTED)
    return swatch + _dashed(swatch_right - 20, swatch_right, 26) + text


class _Label(NamedTuple):
    x: float  # centre
    w: float  # estimated width
    text: str
    day: datetime.date


def _label(day: datetime.date, with_year: bool, frame: _Frame) -> _Label:
    text = f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")
    w = len(text) * CHAR_W
    x = min(max(frame.x(day), w / 2 + 2), frame.width - w / 2 - 2)
    return _Label(x, w, text, day)


def _overlap(a: _Label, b: _Label) -> bool:
    return a.x + a.w / 2 + 12 > b.x - b.w / 2


def _x_labels(points: list[_Drawn], frame: _Frame) -> str:
    """Short dates under the points, thinned so that they never overlap.

    The first date is always labelled, with its year; the last one too unless it is
    too close to the first; the year is repeated wherever it changes.
    """
    days = sorted({p.date for p in points})
    kept = [_label(days[0], True, frame)]
    last = _label(days[-1], days[-1].year != days[0].year, frame)
    if len(days) > 1 and not _overlap(kept[0], last):
        for day in days[1:-1]:
            label = _label(day, day.year != kept[-1].day.year, frame)
            if not _overlap(kept[-1], label) and not _overlap(label, last):
                kept.append(label)
        kept.append(last)
    y = frame.bottom + 17
    return "".join(_text(lb.x, y, lb.text, anchor="middle", fill=TEXT) for lb in kept)


def _line(points: list[_Drawn], frame: _Frame) -> str:
    """The line (two or more points) and one circle per point."""
    xy = [(frame.x(p.date), frame.y(p.value)) for p in points]
    parts = []
    if len(xy) > 1:
        d = " ".join(f"{'M' if i == 0 else 'L'}{_f(x)},{_f(y)}" for i, (x, y) in enumerate(xy))
        parts.append(
            f'<path d="{d}" fill="none" stroke="{LINE}" stroke-width="2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    r = 4 if len(xy) <= 16 else 3  # smaller dots keep a dense series readable
    for x, y in xy:
        parts.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{r}" fill="{LINE}" '
            'stroke="#ffffff" stroke-width="1"/>'
        )
    return "".join(parts)


def _latest_label(latest: _Drawn, frame: _Frame) -> str:
    """The latest value, right of its point (PAD_RIGHT keeps room for it)."""
    x, y = frame.x(latest.date), frame.y(latest.value)
    return _text(x + 8, y + 4, _num(latest.value), size=12, fill=LINE, weight="bold")


def _description(
    title: str, points: list[_Drawn], mcid: float | None, higher_is_better: bool
) -> str:
    """E.g. "LEFS: 42 on 2026-01-05, 55 on 2026-02-02; change +13, meets the MCID of 9."."""
    listed = ", ".join(_spoken(p) for p in points)
    text = f"{title}: {listed}"
    if len(points) > 1:
        change, meets = change_summary(points[0].value, points[-1].value, mcid, higher_is_better)
        text += f"; change {_signed(change)}"
        if meets is not None:
            text += f", {'meets' if meets else 'does not meet'} the MCID of {_num(mcid)}"
    return text + "."


def _spoken(p: _Drawn) -> str:
    extra = f" ({p.label})" if p.label else ""
    return f"{_num(p.value)} on {p.date.isoformat()}{extra}"


# -------------------------------------------------------------- svg pieces


def _svg(title: str, desc: str, width: int, height: int, body: str) -> str:
    title, desc = _esc(title), _esc(desc)
    cid = "chart-" + hashlib.sha256(f"{title}|{desc}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f"aria-labelledby={quoteattr(cid + '-title')} aria-describedby={quoteattr(cid + '-desc')} "
        f'font-family="{FONT}">'
        f"<title id={quoteattr(cid + '-title')}>{title}</title>"
        f"<desc id={quoteattr(cid + '-desc')}>{desc}</desc>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f"{body}</svg>"
    )


def _empty_svg(title: str, width: int) -> str:
    body = _text(4, 17, title, size=13, fill=HEADING, weight="bold") + _text(
        4, 38, "No data yet", size=12, fill=MUTED
    )
    return _svg(title, f"{title}: no data yet.", width, 48, body)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 11,
    anchor: str = "start",
    fill: str = TEXT,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{_esc(text)}</text>'
    )


def _hline(x1: float, x2: float, y: float, colour: str) -> str:
    return (
        f'<line x1="{_f(x1)}" y1="{_f(y)}" x2="{_f(x2)}" y2="{_f(y)}" '
        f'stroke="{colour}" stroke-width="1"/>'
    )


def _dashed(x1: float, x2: float, y: float, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return (
        f'<line{cls} x1="{_f(x1)}" y1="{_f(y)}" x2="{_f(x2)}" y2="{_f(y)}" '
        f'stroke="{LINE}" stroke-width="1.5" stroke-dasharray="5 4"/>'
    )


def _esc(text: str) -> str:
    """XML-escaped text content, without the characters XML 1.0 does not allow."""
    return escape(_XML_ILLEGAL.sub("", str(text)))


def _width(text: str) -> float:
    """Rough width of 11px sans-serif text (no font metrics on the server)."""
    return len(text) * CHAR_W * 0.92


def _f(value: float) -> str:
    return f"{value:.1f}"


def _num(value: float) -> str:
    """42.0 -> "42", 4.5 -> "4.5", 4.25 -> "4.25" (at most two decimals)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _signed(value: float) -> str:
    text = _num(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"
