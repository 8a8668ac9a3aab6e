"""Drawing style, the frame canvas and the pen that writes SVG elements onto it."""

from __future__ import annotations

import math
from html import escape

# ------------------------------------------------------------------ drawing style

NEAR = "#0b5c6b"  # dark teal: near (right) limbs, trunk and head
FAR = "#9ca3af"  # light grey: far (left) limbs
STROKE = 3.0
FLOOR_COLOUR = "#4b5563"
PROP_LINE = "#6b7280"
PROP_FILL = "#e5e7eb"
BAND = "#e11d48"
ARROW = "#d9480f"
TEXT = "#374151"
HEADING = "#111827"
MARK = "#9ca3af"
FONT = "sans-serif"

FRAME_W = 200.0
FRAME_GAP = 40.0
LABEL_H = 20.0
FLOOR_Y = 168.0  # svg y of the floor line in each frame
VIEW_W = 2 * FRAME_W + FRAME_GAP
VIEW_H = 190.0
TOP_H = FLOOR_Y - LABEL_H  # room above the floor: 148 units


# ------------------------------------------------------------------ svg output


def _n(v: float) -> str:
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s in ("-0", "-0.0") else s


def _attr(text: str) -> str:
    return escape(_clean(text), quote=True)


def _clean(text: str) -> str:
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 32)


class _Pen:
    """Collects SVG elements for one frame; maps canvas units to svg units."""

    def __init__(self, ox: float, base: float) -> None:
        self.ox = ox
        self.base = base  # canvas y that sits on the floor line
        self.parts: list[str] = []

    def xy(self, x: float, y: float) -> tuple[str, str]:
        return _n(self.ox + x), _n(FLOOR_Y - (y - self.base))

    def pts(self, points: list[tuple[float, float]]) -> str:
        return " ".join(",".join(self.xy(x, y)) for x, y in points)

    def line(self, a, b, colour, width=STROKE, extra="") -> None:
        (x1, y1), (x2, y2) = self.xy(*a), self.xy(*b)
        self.parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{_n(width)}" stroke-linecap="round"{extra}/>'
        )

    def poly(self, points, colour, width=STROKE, fill="none", close=False) -> None:
        tag = "polygon" if close else "polyline"
        self.parts.append(
            f'<{tag} points="{self.pts(points)}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{_n(width)}" stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def circle(self, c, r, colour, width=STROKE, fill="#ffffff") -> None:
        x, y = self.xy(*c)
        self.parts.append(
            f'<circle cx="{x}" cy="{y}" r="{_n(r)}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{_n(width)}"/>'
        )

    def rect(self, x, y, w, h, fill, colour=PROP_LINE, width=1.2, rx=1.5) -> None:
        sx, sy = self.xy(x, y + h)
        self.parts.append(
            f'<rect x="{sx}" y="{sy}" width="{_n(w)}" height="{_n(h)}" rx="{_n(rx)}" '
            f'fill="{fill}" stroke="{colour}" stroke-width="{_n(width)}"/>'
        )

    def path(self, d: str, colour: str, width: float = STROKE, fill: str = "none") -> None:
        self.parts.append(
            f'<path d="{d}" fill="{fill}" stroke="{colour}" stroke-width="{_n(width)}" '
            f'stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def text(self, x, y, text, size=11.0, anchor="start", weight="normal", fill=TEXT) -> None:
        sx, sy = _n(self.ox + x), _n(y)
        self.parts.append(
            f'<text x="{sx}" y="{sy}" font-family="{FONT}" font-size="{_n(size)}" '
            f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(_clean(text), quote=False)}</text>"
        )

    def arrow(self, a, b, colour=ARROW, width=2.0, bend=0.0, head=5.0) -> None:
        ax, ay = a
        bx, by = b
        if bend:
            mx, my = (ax + bx) / 2, (ay + by) / 2
            length = math.hypot(bx - ax, by - ay) or 1.0
            # canvas y is up; "left of a->b" is (-dy, dx)
            cx, cy = mx - (by - ay) / length * bend, my + (bx - ax) / length * bend
            (sx1, sy1), (sxc, syc), (sx2, sy2) = self.xy(ax, ay), self.xy(cx, cy), self.xy(bx, by)
            self.path(f"M{sx1} {sy1}Q{sxc} {syc} {sx2} {sy2}", colour, width)
            tx, ty = bx - cx, by - cy
        else:
            self.line(a, b, colour, width)
            tx, ty = bx - ax, by - ay
        length = math.hypot(tx, ty) or 1.0
        ux, uy = tx / length, ty / length
        left = (bx - ux * head * 1.4 - uy * head, by - uy * head * 1.4 + ux * head)
        right = (bx - ux * head * 1.4 + uy * head, by - uy * head * 1.4 - ux * head)
        self.poly([(bx, by), left, right], colour, 1.0, fill=colour, close=True)
