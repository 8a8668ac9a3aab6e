"""The pain trend on the chart between visits: pain during and the next morning, 0-10, as one
server-side SVG (no JavaScript), drawn with intake/charts.py's frame, axes and escaping."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from intake import charts
from intake.charts import Point

MORNING = "#b45309"  # amber: the next-morning line, dashed, apart from the teal "during" line
TITLE = "Pain between visits"
SUBTITLE = "NPRS 0–10, worst of the day's logs (lower is better)"


def _series(points: Sequence[Point]) -> list:
    return charts._drawable(points)


def _polyline(points: list, frame, colour: str, dashed: bool) -> str:
    xy = [(frame.x(p.date), frame.y(p.value)) for p in points]
    parts = []
    if len(xy) > 1:
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{charts._f(x)},{charts._f(y)}" for i, (x, y) in enumerate(xy)
        )
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
    for x, y in xy:
        parts.append(
            f'<circle cx="{charts._f(x)}" cy="{charts._f(y)}" r="3" fill="{colour}" '
            'stroke="#ffffff" stroke-width="1"/>'
        )
    return "".join(parts)


def _legend(width: int) -> str:
    right = width - 4
    parts = []
    for label, colour, dashed in (("next morning", MORNING, True), ("during", charts.LINE, False)):
        text_w = charts._width(label)
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        x2 = right - text_w - 4
        parts.append(
            f'<line x1="{charts._f(x2 - 18)}" y1="31" x2="{charts._f(x2)}" y2="31" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts.append(charts._text(right, 35, label, anchor="end", fill=charts.MUTED))
        right = x2 - 26
    return "".join(parts)


def _spoken(name: str, points: list) -> str:
    if not points:
        return f"{name}: not logged"
    return f"{name}: " + ", ".join(
        f"{charts._num(p.value)} on {p.date.isoformat()}" for p in points
    )


def pain_chart(
    during: Sequence[Point], morning: Sequence[Point], *, width: int = 560, height: int = 220
) -> str:
    """A complete ``<svg role="img">``; every text goes through intake.charts' escaping."""
    during_pts, morning_pts = _series(during), _series(morning)
    every = sorted([*during_pts, *morning_pts], key=lambda p: p.date)
    if not every:
        return charts._empty_svg(TITLE, width)
    frame = charts._Frame.for_points(every, width, height, 0, 10)
    body = [
        charts._text(4, 17, TITLE, size=13, fill=charts.HEADING, weight="bold"),
        charts._text(4, 35, SUBTITLE, fill=charts.MUTED),
        _legend(width),
        charts._y_axis(frame),
        charts._x_labels(every, frame),
        _polyline(morning_pts, frame, MORNING, dashed=True),
        _polyline(during_pts, frame, charts.LINE, dashed=False),
    ]
    desc = f"{TITLE}. {_spoken('During', during_pts)}. {_spoken('Next morning', morning_pts)}."
    return charts._svg(TITLE, desc, width, height, "".join(body))


def daily_points(entries: Sequence[dict], field: str) -> list[Point]:
    """One point per day: the worst value of ``field`` among that day's logs (None skipped)."""
    worst: dict[datetime.date, int] = {}
    for entry in entries:
        value = entry[field]
        if value is not None:
            worst[entry["day"]] = max(worst.get(entry["day"], value), value)
    return [Point(day, value) for day, value in sorted(worst.items())]
