"""A frame as an SVG group, and an exercise's start and end frames as one ``<svg>``."""

from __future__ import annotations

from plans.catalogue import NAMES

from .drawing import _BACKGROUND, _figure, _prop, _resolve
from .figure import Pose
from .kinematics import Projected, _project, _sin, _skeleton, body_points
from .poses import POSES
from .props import (
    Anchor,
    Arrow,
    Backpack,
    Band,
    Bench,
    Box,
    Chair,
    Cushion,
    FloorLine,
    FootDetail,
    Frame,
    Metronome,
    Plate,
    Roller,
    Slider,
    Towel,
    Wall,
    Weight,
)
from .svg import (
    FLOOR_COLOUR,
    FLOOR_Y,
    FONT,
    FRAME_GAP,
    FRAME_W,
    HEADING,
    PROP_LINE,
    VIEW_H,
    VIEW_W,
    _attr,
    _n,
    _Pen,
)


def _mat(pen: _Pen, p: Pose, pts: dict[str, Projected]) -> tuple[float, float]:
    """Extent (near, far) of a floor mat for an elevated view, in depth units."""
    depths = [q.depth for q in pts.values()]
    return max(depths) + 6, min(depths) - 6


def _frame_base(frame: Frame) -> float:
    p = frame.pose
    if not p.elevation:
        return 0.0
    near, _ = _mat(_Pen(0, 0), p, body_points(p))
    return -near * _sin(p.elevation)


def _extent(frame: Frame) -> tuple[float, float]:
    """Horizontal extent of a frame's figure and props, in canvas units."""
    pts = body_points(frame.pose)
    xs = [q.x for q in pts.values()]
    for prop in frame.props:
        if isinstance(prop, (Box, Bench)):
            xs += [prop.x, prop.x + prop.w]
        elif isinstance(prop, Wall):
            xs += [prop.x + (6 if prop.side == "right" else -6)]
        elif isinstance(prop, Chair):
            back = prop.x - prop.depth if prop.facing == "right" else prop.x + prop.depth
            xs += [prop.x, back]
        elif isinstance(prop, Cushion):
            xs += [prop.x, prop.x + prop.w]
        elif isinstance(prop, (Band, Arrow)):
            xs += [_resolve(prop.a, pts)[0], _resolve(prop.b, pts)[0]]
        elif isinstance(prop, (Metronome, FloorLine)):
            xs += [prop.x - 8, prop.x + 14]
        elif isinstance(prop, FootDetail):
            xs += [prop.x - 25, prop.x + 25]
        elif isinstance(prop, (Anchor, Weight, Towel, Slider, Roller, Plate)):
            xs += [_resolve(prop.at, pts)[0]]
    return min(xs) - 4, max(xs) + 4


def render_frame(frame: Frame, *, label: str = "", offset: float = 0.0, shift: float = 0.0) -> str:
    """One frame as an SVG ``<g>``: floor, props, figure, label and caption.

    ``offset`` places the frame in the drawing; ``shift`` moves its contents sideways.
    """
    p = frame.pose
    base = _frame_base(frame)
    pen = _Pen(offset + shift, base)
    rel = _skeleton(p)
    pts = _project(p, rel)
    if p.elevation:
        near, far = _mat(pen, p, pts)
        xs = [q.x for q in pts.values()]
        x0, x1 = min(xs) - 8, max(xs) + 8
        s = _sin(p.elevation)
        pen.poly(
            [(x0, -near * s), (x1, -near * s), (x1 + 6, -far * s), (x0 + 6, -far * s)],
            "#c7d2fe",
            1.0,
            fill="#eef2ff",
            close=True,
        )
    for prop in frame.props:
        if isinstance(prop, _BACKGROUND):
            _prop(pen, prop, p, pts, rel)
    if any(isinstance(prop, Backpack) for prop in frame.props):
        _prop(pen, Backpack(), p, pts, rel)
    _figure(pen, p, pts, rel)
    for prop in frame.props:
        if not isinstance(prop, (*_BACKGROUND, Backpack)):
            _prop(pen, prop, p, pts, rel)
    floor = _Pen(offset, 0.0)
    floor.line((2, 0), (FRAME_W - 2, 0), FLOOR_COLOUR, 1.6)
    if label:
        floor.text(4, 13, label, size=12, weight="bold", fill=HEADING)
    if frame.caption:
        floor.text(FRAME_W / 2, FLOOR_Y + 16, frame.caption, size=10.5, anchor="middle")
    body = "".join(floor.parts[:1] + pen.parts + floor.parts[1:])
    return f'<g class="frame">{body}</g>'


def render(key: str, *, width: int = 360, height: int = 150) -> str:
    """The start and end drawings of exercise ``key`` as one complete ``<svg>``."""
    if key not in POSES:
        raise KeyError(f"no illustration for exercise {key!r}")
    start, end = POSES[key]
    lo0, hi0 = _extent(start)
    lo1, hi1 = _extent(end)
    lo, hi = min(lo0, lo1), max(hi0, hi1)
    shift = round(FRAME_W / 2 - (lo + hi) / 2, 1)
    title = NAMES[key]
    desc = f"Start: {start.words} End: {end.words}"
    mid = FRAME_W + FRAME_GAP / 2
    between = _Pen(0.0, 0.0)
    between.arrow((mid - 13, 80), (mid + 12, 80), PROP_LINE, 2.2, head=4.5)
    return (
        f'<svg width="{int(width)}" height="{int(height)}" '
        f'viewBox="0 0 {_n(VIEW_W)} {_n(VIEW_H)}" role="img" font-family="{FONT}">'
        f"<title>{_attr(title)}</title><desc>{_attr(desc)}</desc>"
        f'<rect width="{_n(VIEW_W)}" height="{_n(VIEW_H)}" fill="#ffffff"/>'
        + render_frame(start, label="Start", offset=0.0, shift=shift)
        + render_frame(end, label="End", offset=FRAME_W + FRAME_GAP, shift=shift)
        + "".join(between.parts)
        + "</svg>"
    )
