"""Drawing one frame's figure (farthest segments first), its face and its props."""

from __future__ import annotations

import math
from collections.abc import Callable

from .figure import HEAD_R, TRUNK, At, Point, Pose
from .kinematics import Projected, Vec, _add, _camera, _cos, _scale, _sin
from .props import (
    TOWEL_R,
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
    Metronome,
    Motion,
    Plate,
    Prop,
    Roller,
    Slider,
    Towel,
    Wall,
    Weight,
)
from .svg import (
    ARROW,
    BAND,
    FAR,
    FLOOR_COLOUR,
    MARK,
    NEAR,
    PROP_FILL,
    PROP_LINE,
    STROKE,
    TOP_H,
    _n,
    _Pen,
)


def _resolve(pt: Point, pts: dict[str, Projected]) -> tuple[float, float]:
    if isinstance(pt, At):
        q = pts[pt.name]
        return q.x + pt.dx, q.y + pt.dy
    return pt


_BACKGROUND = (Box, Bench, Wall, Chair, Cushion, Towel, Slider, FloorLine, Metronome, Roller, Plate)
_ROLE_ORDER = {"far": 0, "trunk": 1, "near": 2}


def _figure(pen: _Pen, p: Pose, pts: dict[str, Projected], rel: dict[str, Vec]) -> None:
    """Draw the stick figure, farthest segments first."""
    items: list[tuple[float, int, int, Callable[[], None]]] = []

    def seg(a: str, b: str, role: str, width: float = STROKE) -> None:
        pa, pb = pts[a], pts[b]
        colour = FAR if role == "far" else NEAR
        depth = (pa.depth + pb.depth) / 2
        items.append(
            (
                round(depth / 4),
                _ROLE_ORDER[role],
                len(items),
                lambda: pen.line((pa.x, pa.y), (pb.x, pb.y), colour, width),
            )
        )

    for side in ("far", "near"):
        seg(f"{side}_hip", f"{side}_knee", side)
        seg(f"{side}_knee", f"{side}_ankle", side)
        # the foot: a small triangle (ankle, heel, ball) plus the toes
        pa, ph, pb, pt = (pts[f"{side}_{n}"] for n in ("ankle", "heel", "ball", "toe"))
        colour = FAR if side == "far" else NEAR
        depth = (pa.depth + pb.depth) / 2
        items.append(
            (
                round(depth / 4),
                _ROLE_ORDER[side],
                len(items),
                lambda pa=pa, ph=ph, pb=pb, pt=pt, colour=colour: (
                    pen.poly([(pa.x, pa.y), (ph.x, ph.y), (pb.x, pb.y)], colour, 2.4, close=True),
                    pen.line((pb.x, pb.y), (pt.x, pt.y), colour, 2.4),
                ),
            )
        )
        seg(f"{side}_shoulder", f"{side}_elbow", side)
        seg(f"{side}_elbow", f"{side}_hand", side)
        # the hip and shoulder girdles only show when seen from the front
        seg(f"{side}_hip", "pelvis", "trunk" if side == "near" else "far", STROKE)
        seg(f"{side}_shoulder", "neck", "trunk" if side == "near" else "far", STROKE)
    seg("pelvis", "neck", "trunk", STROKE + 0.6)
    if p.view == "front" and abs(p.roll) < 45:  # upright, seen from the front
        seg("near_crest", "far_crest", "trunk", STROKE + 0.4)
    seg("neck", "chin", "trunk")

    head = pts["head"]

    def draw_head() -> None:
        pen.circle((head.x, head.y), HEAD_R, NEAR, 2.6)
        _face(pen, p, head, rel)

    for *_, draw in sorted(items, key=lambda item: item[:3]):
        draw()
    # the head goes on top: its white face hides an arm passing behind or beside it
    draw_head()


def _face(pen: _Pen, p: Pose, head: Projected, rel: dict[str, Vec]) -> None:
    """An eye (or two, from the front) and a small nose, so the facing reads."""
    face, up, side = rel["_face"], rel["_head_up"], rel["_head_side"]
    e = p.elevation

    def proj(v: Vec) -> tuple[float, float, float]:
        ix, depth = _camera(p, v)
        return ix, v[1] * _cos(e) - depth * _sin(e), depth * _cos(e) + v[1] * _sin(e)

    for sigma in (1.0, -1.0):
        v = _add(_add(_scale(face, 0.55 * HEAD_R), up, 0.2 * HEAD_R), side, sigma * 0.38 * HEAD_R)
        ix, iy, depth = proj(v)
        if depth < 0.5:
            continue  # on the far side of the head
        cx, cy = head.x + ix, head.y + iy
        if p.eyes == "closed":
            # a closed lid: a small downward curve
            (ax, ay), (mx, my), (bx, by) = (
                pen.xy(cx - 1.9, cy + 0.3),
                pen.xy(cx, cy - 1.6),
                pen.xy(cx + 1.9, cy + 0.3),
            )
            pen.path(f"M{ax} {ay}Q{mx} {my} {bx} {by}", NEAR, 1.1)
        else:
            pen.circle((cx, cy), 0.9, NEAR, 0.8, fill=NEAR)
    fx, fy, fdepth = proj(face)
    if math.hypot(fx, fy) > 0.6:
        nose_from = (head.x + fx * HEAD_R, head.y + fy * HEAD_R)
        ux, uy, _ = proj(up)
        nose_to = (
            head.x + fx * (HEAD_R + 2.2) - ux * 1.5,
            head.y + fy * (HEAD_R + 2.2) - uy * 1.5,
        )
        pen.line(nose_from, nose_to, NEAR, 1.8)


def _prop(pen: _Pen, prop: Prop, p: Pose, pts: dict[str, Projected], rel) -> None:
    r = _resolve
    if isinstance(prop, Box):
        pen.rect(prop.x, prop.y, prop.w, prop.h, PROP_FILL)
    elif isinstance(prop, Bench):
        for leg_x in (prop.x + 4, prop.x + prop.w - 4):
            pen.line((leg_x, 0), (leg_x, prop.h - 5), PROP_LINE, 2.5)
        pen.rect(prop.x, prop.h - 6, prop.w, 6, PROP_FILL)
    elif isinstance(prop, Wall):
        pen.line((prop.x, 0), (prop.x, TOP_H - 4), PROP_LINE, 2.0)
        sign = 1 if prop.side == "right" else -1
        y = 6.0
        while y < TOP_H - 6:
            pen.line((prop.x, y), (prop.x + sign * 5, y + 5), PROP_LINE, 1.0)
            y += 10
    elif isinstance(prop, Chair):
        x, seat, depth = prop.x, prop.seat, prop.depth
        back_x = x - depth if prop.facing == "right" else x + depth
        pen.line((x, seat), (back_x, seat), PROP_LINE, 3.0)
        pen.line((x - (1.5 if prop.facing == "right" else -1.5), seat), (x, 0), PROP_LINE, 2.0)
        pen.line((back_x, seat), (back_x, 0), PROP_LINE, 2.0)
        sign = -1 if prop.facing == "right" else 1
        top = (back_x + sign * 30 * _sin(prop.recline), seat + 30 * _cos(prop.recline))
        pen.line((back_x, seat), top, PROP_LINE, 3.0)
    elif isinstance(prop, Band):
        chain = [r(prop.a, pts)]
        if prop.via is not None:
            chain.append(r(prop.via, pts))
        chain.append(r(prop.b, pts))
        pen.poly(chain, BAND, 2.4)
    elif isinstance(prop, Anchor):
        pen.circle(r(prop.at, pts), 2.4, PROP_LINE, 1.5)
    elif isinstance(prop, Weight):
        x, y = r(prop.at, pts)
        c, s = _cos(prop.angle), _sin(prop.angle)

        def box(cx: float, cy: float, w: float, h: float) -> list[tuple[float, float]]:
            return [
                (x + (cx + dx) * c - (cy + dy) * s, y + (cx + dx) * s + (cy + dy) * c)
                for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
            ]

        if prop.kind == "plate":
            pen.poly(box(0, 0, 12, 5), "#1f2937", 1.0, fill="#374151", close=True)
        else:
            pen.poly(box(0, 0, 12, 2.2), "#1f2937", 1.0, fill="#374151", close=True)
            for end in (-5.5, 5.5):
                pen.poly(box(end, 0, 3.2, 7.5), "#1f2937", 1.0, fill="#374151", close=True)
    elif isinstance(prop, Backpack):
        pelvis, neck = pts["pelvis"], pts["neck"]
        ux, uy = neck.x - pelvis.x, neck.y - pelvis.y
        length = math.hypot(ux, uy) or 1.0
        ux, uy = ux / length, uy / length
        bx, by = -uy, ux  # perpendicular; make it point backwards (away from the face)
        fwd = _camera(p, rel["_face"])[0]
        if bx * fwd > 0 or (bx == 0 and fwd == 0):
            bx, by = -bx, -by
        corners = []
        for a, off in ((0.35, 1.5), (0.9, 1.5), (0.9, 9.5), (0.35, 9.5)):
            corners.append(
                (pelvis.x + ux * TRUNK * a + bx * off, pelvis.y + uy * TRUNK * a + by * off)
            )
        pen.poly(corners, "#92400e", 1.2, fill="#f59e0b", close=True)
    elif isinstance(prop, Cushion):
        pen.rect(prop.x, 0, prop.w, prop.h, "#c7d2fe", "#6366f1", 1.2, rx=3)
    elif isinstance(prop, Towel):
        c = r(prop.at, pts)
        pen.circle(c, TOWEL_R, "#b45309", 1.1, fill="#fde68a")
        pen.circle(c, TOWEL_R * 0.4, "#b45309", 0.8, fill="#fde68a")
    elif isinstance(prop, Slider):
        x, y = r(prop.at, pts)
        sx, sy = pen.xy(x, y)
        pen.parts.append(
            f'<ellipse cx="{sx}" cy="{sy}" rx="6.5" ry="1.8" fill="#93c5fd" '
            f'stroke="#1d4ed8" stroke-width="1"/>'
        )
    elif isinstance(prop, FloorLine):
        # a tape line on the floor running towards the viewer, in perspective
        x = prop.x
        pen.poly(
            [(x - 2.2, 0.8), (x + 2.2, 0.8), (x + 3.6, -6.5), (x - 3.6, -6.5)],
            "#b45309",
            0.8,
            fill="#f59e0b",
            close=True,
        )
    elif isinstance(prop, Metronome):
        x, y = prop.x, prop.y
        pen.poly(
            [(x - 7, y), (x + 7, y), (x + 3, y + 17), (x - 3, y + 17)],
            "#92400e",
            1.2,
            fill="#fef3c7",
            close=True,
        )
        pen.line((x, y + 3), (x + 5, y + 15), "#92400e", 1.5)
        for k, rad in ((1, 5.0), (2, 8.5)):
            sx, sy = pen.xy(x + 9 + k, y + 11)
            ex, ey = pen.xy(x + 9 + k, y + 5)
            pen.path(
                f"M{sx} {sy}Q{_n(float(sx) + rad * 0.6)} {_n((float(sy) + float(ey)) / 2)} "
                f"{ex} {ey}",
                "#92400e",
                1.1,
            )
    elif isinstance(prop, Arrow):
        pen.arrow(r(prop.a, pts), r(prop.b, pts), bend=prop.bend)
    elif isinstance(prop, Motion):
        x, y = r(prop.at, pts)
        if prop.kind == "speed":
            for k, dy in enumerate((6.0, 0.0, -6.0)):
                pen.line((x - 6 - 2 * (k % 2), y + dy), (x - 16 - 2 * (k % 2), y + dy), MARK, 1.4)
        else:
            for dx in (-4.0, 0.0, 4.0):
                pen.line((x + dx, y - 3), (x + dx, y - 8 + abs(dx) * 0.4), MARK, 1.4)
    elif isinstance(prop, Roller):
        x, y = r(prop.at, pts)
        post = x - 24  # the stand sits beyond the toes
        pen.line((post, 0), (post, y), PROP_LINE, 2.5)
        pen.line((post, y), (x, y), PROP_LINE, 2.5)
        pen.line((post - 5, 0), (post + 5, 0), PROP_LINE, 2.5)
        pen.circle((x, y), 4.2, PROP_LINE, 1.3, fill="#c7d2fe")
    elif isinstance(prop, Plate):
        x, y = r(prop.at, pts)
        dx, dy = _sin(prop.angle) * prop.length / 2, _cos(prop.angle) * prop.length / 2
        pen.line((x - dx, y - dy), (x + dx, y + dy), PROP_LINE, 4.5)
        pen.line((x + 3, y - dy * 0.6), (x + 3, 0), PROP_LINE, 2.0)
    elif isinstance(prop, FootDetail):
        _foot_detail(pen, prop, pts)


def _foot_detail(pen: _Pen, d: FootDetail, pts: dict[str, Projected]) -> None:
    """A magnified inside view of the foot (heel left, toes right) in a circle."""
    cx, cy, rad = d.x, d.y, 25.0
    if d.points_to is not None:
        tx, ty = _resolve(d.points_to, pts)
        dist = math.hypot(tx - cx, ty - cy) or 1.0
        sx, sy = pen.xy(cx + (tx - cx) / dist * rad, cy + (ty - cy) / dist * rad)
        ex, ey = pen.xy(tx, ty)
        pen.parts.append(
            f'<line x1="{sx}" y1="{sy}" x2="{ex}" y2="{ey}" stroke="{PROP_LINE}" '
            f'stroke-width="1" stroke-dasharray="2 2"/>'
        )
    pen.circle((cx, cy), rad, PROP_LINE, 1.2)
    fy = cy - 11  # the floor inside the circle
    pen.line((cx - 21, fy), (cx + 21, fy), FLOOR_COLOUR, 1.2)

    def q(*xy: float) -> str:
        out = []
        for i in range(0, len(xy), 2):
            out.extend(pen.xy(cx + xy[i], fy + xy[i + 1]))
        return " ".join(out)

    ball = 8.0 - 1.5 * d.arch  # a short foot pulls the ball towards the heel
    arch = 2.0 + 7.0 * d.arch  # control height of the arch curve
    # shin, ankle and instep; sole with the arch; heel and Achilles
    pen.path(f"M{q(-6, 29)}L{q(-4.5, 12)}Q{q(1, 10 + d.arch)} {q(ball, 4.4)}", NEAR, 2.2)
    pen.path(
        f"M{q(ball, 0.2)}Q{q(-3, arch)} {q(-12, 0.2)}Q{q(-17.5, 0)} {q(-16.5, 5)}"
        f"L{q(-13.5, 12)}L{q(-15, 29)}",
        NEAR,
        2.2,
    )
    joint = (cx + ball + 0.5, fy + 2.2)
    for angle, colour, length, width in (
        (d.small_toes, FAR, 7.5, 3.0),
        (d.big_toe, NEAR, 9.0, 3.2),
    ):
        tip = (joint[0] + length * _cos(angle), joint[1] + length * _sin(angle))
        pen.line(joint, tip, colour, width)
    if d.arch:
        pen.arrow((cx - 3, fy + 0.5), (cx - 3, fy + 9), ARROW, 1.4, head=2.2)
    for angle in (d.big_toe, d.small_toes):
        if angle:
            x = joint[0] + 10
            pen.arrow((x, fy + 3), (x, fy + 11), ARROW, 1.4, head=2.2)
