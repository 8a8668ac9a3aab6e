"""Line drawings of every exercise in the library: a start and an end position.

Printed home-exercise plans are never text-only: each exercise in
:mod:`plans.catalogue` has a start and an end frame here, drawn by our own code as a
stick figure posed by joint angles, with a few simple props.

Pure Python, standard library only, no Django. :func:`render` returns one complete
inline ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; it uses presentation
attributes only (no CSS, no fonts beyond ``sans-serif``, no external resources, no
``xmlns`` URL), so browsers and WeasyPrint draw it the same way. Output is
deterministic: the same key always gives byte-identical SVG.

The figure
----------
A :class:`Pose` is solved with simple forward kinematics: from the hip centre (the
root) up the trunk to the neck and head and out along each arm, and from the hip
joints down each leg to the foot. Segment lengths follow standard anthropometric
proportions of a 118-unit-tall person (thigh and shank 0.245 H, trunk 0.29 H ...).

Angles are in degrees. The body is built in 3D and projected by a camera:

* ``view="side"`` (sagittal): the figure faces right; the near (right) limbs are drawn
  in dark teal, the far (left) limbs in light grey.
* ``view="front"``: the figure faces the viewer; its right side is on the image left.
  Colours stay tied to the side (right teal, left grey), so left and right still
  read apart. ``elevation`` tilts the camera down to show depth (clamshell).

Joint angles:

* ``trunk``: pitch from vertical, + leaning forward. -90 lies on the back (head to the
  left in the side view), +90 face down (head to the right).
* ``roll``: rotation about the body's forward axis, + turns the right side up (the
  figure lies on its left side at 90).
* ``side_bend``: trunk lateral flexion relative to the pelvis, + towards the right.
* ``head``: neck flexion, + chin towards the chest.
* :class:`Leg`: ``hip`` flexion (+ thigh forward), ``knee`` flexion (+, the shank swings
  backwards), ``ankle`` plantarflexion (+ toes down), ``toes`` extension at the ball
  of the foot (+ toes up), ``abduction`` (+ away from the midline) and ``rotation``
  (+ external: turns the knee out about the hip-to-ankle line, as in a clamshell).
* :class:`Arm`: ``shoulder`` flexion (+ forward, 180 overhead), ``elbow`` flexion
  (+, the forearm swings forwards), ``abduction``.

Frame canvas: 200 x 160 units per frame, x to the right, y = height above the floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

from plans.catalogue import KEYS, NAMES

__all__ = [
    "POSES",
    "Anchor",
    "Arm",
    "Arrow",
    "At",
    "Backpack",
    "Band",
    "Bench",
    "Box",
    "Chair",
    "Cushion",
    "FloorLine",
    "FootDetail",
    "Frame",
    "Leg",
    "Metronome",
    "Motion",
    "Plate",
    "Pose",
    "Projected",
    "Roller",
    "Slider",
    "Towel",
    "Wall",
    "Weight",
    "body_points",
    "feet_lowest",
    "heights",
    "lowest",
    "render",
    "render_frame",
]

# ------------------------------------------------------------------ proportions

THIGH = 29.0  # hip joint to knee
SHANK = 29.0  # knee to ankle
TRUNK = 34.0  # hip centre to the base of the neck
NECK = 5.5
HEAD_R = 7.5
UPPER_ARM = 22.0
FOREARM = 21.0  # elbow to the middle of the hand
HIP_HALF = 8.0  # hip joint to the midline
PELVIS_HALF = 12.0  # iliac crest to the midline
SHOULDER_HALF = 13.0
ANKLE_H = 5.0  # ankle joint above the sole
HEEL_BACK = 3.5
BALL_FWD = 10.5
TOE_LEN = 4.5
STAND_HIP = THIGH + SHANK + ANKLE_H  # 63: hip height when standing straight

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


# ------------------------------------------------------------------ pose model


@dataclass(frozen=True)
class Leg:
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    toes: float = 0.0
    abduction: float = 0.0
    rotation: float = 0.0


@dataclass(frozen=True)
class Arm:
    shoulder: float = 0.0
    elbow: float = 0.0
    abduction: float = 0.0


ARM_DOWN = Arm(4, 10)


@dataclass(frozen=True)
class Pose:
    """A stick-figure pose: root (hip centre) position plus joint angles.

    ``x`` is the horizontal canvas position of the hip centre and ``y`` its height
    above the floor (0-200 x 0-160 canvas per frame).
    """

    x: float
    y: float
    trunk: float = 0.0
    head: float = 0.0
    near_arm: Arm = ARM_DOWN
    far_arm: Arm = ARM_DOWN
    near_leg: Leg = Leg()
    far_leg: Leg = Leg()
    view: str = "side"  # "side" or "front"
    roll: float = 0.0
    side_bend: float = 0.0
    elevation: float = 0.0
    eyes: str = "open"  # "open" or "closed"

    def __post_init__(self) -> None:
        if self.view not in ("side", "front"):
            raise ValueError(f"view must be 'side' or 'front', not {self.view!r}")
        if self.eyes not in ("open", "closed"):
            raise ValueError(f"eyes must be 'open' or 'closed', not {self.eyes!r}")


@dataclass(frozen=True)
class At:
    """A point on the body (see :func:`body_points` for names), optionally offset."""

    name: str
    dx: float = 0.0
    dy: float = 0.0


Point = tuple[float, float] | At


# ------------------------------------------------------------------ props


@dataclass(frozen=True)
class Box:
    """A step, box or bench standing on the floor (``y`` lifts it off the floor)."""

    x: float
    w: float
    h: float
    y: float = 0.0


@dataclass(frozen=True)
class Bench:
    """A bench: a padded top ``h`` above the floor on two legs, open underneath."""

    x: float
    w: float
    h: float


@dataclass(frozen=True)
class Wall:
    x: float
    side: str = "right"  # which side of the figure the wall is on


@dataclass(frozen=True)
class Chair:
    x: float  # front edge of the seat
    seat: float = 30.0
    depth: float = 26.0
    facing: str = "right"  # the way a person sitting on it faces
    recline: float = 0.0  # backrest tilt from vertical


@dataclass(frozen=True)
class Band:
    a: Point
    b: Point
    via: Point | None = None


@dataclass(frozen=True)
class Anchor:
    """A ring on a wall or post that a band is tied to."""

    at: Point


@dataclass(frozen=True)
class Weight:
    at: Point
    kind: str = "dumbbell"  # "dumbbell" or "plate"
    angle: float = 0.0  # 0: bar horizontal


@dataclass(frozen=True)
class Backpack:
    """A loaded backpack on the figure's back."""


@dataclass(frozen=True)
class Cushion:
    x: float
    w: float = 34.0
    h: float = 6.0


TOWEL_R = 3.0


@dataclass(frozen=True)
class Towel:
    at: Point  # centre of the rolled towel


@dataclass(frozen=True)
class Slider:
    at: Point  # the heel resting on it


@dataclass(frozen=True)
class FloorLine:
    """A line on the floor (running away from the viewer), for line hops."""

    x: float


@dataclass(frozen=True)
class Metronome:
    x: float
    y: float


@dataclass(frozen=True)
class Arrow:
    a: Point
    b: Point
    bend: float = 0.0  # bulge of a curved arrow, + to the left of a -> b


@dataclass(frozen=True)
class Motion:
    """Short motion lines: below a point ("air": off the floor) or behind it ("speed")."""

    at: Point
    kind: str = "air"


@dataclass(frozen=True)
class Roller:
    """A padded roller on a post, holding the heels down (Nordic curl)."""

    at: Point


@dataclass(frozen=True)
class Plate:
    """A foot plate (leg press), a thick line centred on ``at`` at ``angle`` from vertical."""

    at: Point
    length: float = 40.0
    angle: float = 0.0


@dataclass(frozen=True)
class FootDetail:
    """A magnified side view of the foot in a circle, for foot-muscle exercises.

    ``arch`` 0 is a relaxed arch, 1 a domed (short) foot; ``big_toe`` and
    ``small_toes`` lift the toes in degrees.
    """

    x: float
    y: float
    arch: float = 0.0
    big_toe: float = 0.0
    small_toes: float = 0.0
    points_to: Point | None = None


Prop = (
    Box
    | Bench
    | Wall
    | Chair
    | Band
    | Anchor
    | Weight
    | Backpack
    | Cushion
    | Towel
    | Slider
    | FloorLine
    | Metronome
    | Arrow
    | Motion
    | Roller
    | Plate
    | FootDetail
)


@dataclass(frozen=True)
class Frame:
    """One picture: a pose, its props, a short caption and a sentence for ``<desc>``."""

    pose: Pose
    props: tuple[Prop, ...] = ()
    caption: str = ""
    words: str = ""


# ------------------------------------------------------------------ vector maths

Vec = tuple[float, float, float]


def _sin(deg: float) -> float:
    return math.sin(math.radians(deg))


def _cos(deg: float) -> float:
    return math.cos(math.radians(deg))


def _add(a: Vec, b: Vec, k: float = 1.0) -> Vec:
    return (a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k)


def _scale(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: Vec) -> Vec:
    n = math.sqrt(_dot(a, a))
    return (0.0, 0.0, 0.0) if n == 0 else _scale(a, 1 / n)


def _rotate(p: Vec, axis: Vec, deg: float) -> Vec:
    """Rodrigues' rotation of ``p`` about the unit vector ``axis``."""
    c, s = _cos(deg), _sin(deg)
    k = axis
    kxp = _cross(k, p)
    kdp = _dot(k, p)
    return (
        p[0] * c + kxp[0] * s + k[0] * kdp * (1 - c),
        p[1] * c + kxp[1] * s + k[1] * kdp * (1 - c),
        p[2] * c + kxp[2] * s + k[2] * kdp * (1 - c),
    )


def _mix(fwd: Vec, up: Vec, deg: float) -> Vec:
    """Direction ``deg`` degrees from ``up`` towards ``fwd``."""
    return _add(_scale(fwd, _sin(deg)), up, _cos(deg))


# ------------------------------------------------------------------ kinematics


def _skeleton(p: Pose) -> dict[str, Vec]:
    """World positions relative to the hip centre.

    World axes: X to the right of the side view (the way the figure faces), Y up,
    Z towards the side-view camera (the figure's right side).
    """
    t, r, b = p.trunk, p.roll, p.side_bend
    f: Vec = (_cos(t), -_sin(t), 0.0)
    u: Vec = (_sin(t), _cos(t), 0.0)
    s: Vec = (0.0, 0.0, 1.0)
    # roll about the forward axis: + lifts the right side
    u, s = _add(_scale(u, _cos(r)), s, -_sin(r)), _add(_scale(s, _cos(r)), u, _sin(r))
    # trunk side bend relative to the pelvis
    ut = _add(_scale(u, _cos(b)), s, _sin(b))
    st = _add(_scale(s, _cos(b)), u, -_sin(b))

    pts: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    neck = _scale(ut, TRUNK)
    pts["neck"] = neck
    nd = _mix(f, ut, p.head)
    pts["head"] = _add(neck, nd, NECK + HEAD_R)
    pts["head_top"] = _add(neck, nd, NECK + 2 * HEAD_R)
    pts["chin"] = _add(neck, nd, NECK)
    face = _mix(f, ut, p.head + 90)
    pts["_face"] = face
    pts["_head_up"] = nd
    pts["_head_side"] = st

    def rotate_out(v: Vec, sigma: float, abd: float, fwd: Vec, up: Vec, side: Vec) -> Vec:
        # split into the limb's sagittal components, then abduct about ``fwd``
        a, c = _dot(v, fwd), _dot(v, up)
        return _add(_add(_scale(fwd, a), up, c * _cos(abd)), side, -c * sigma * _sin(abd))

    for prefix, sigma, leg in (("near", 1.0, p.near_leg), ("far", -1.0, p.far_leg)):
        hip = _scale(s, sigma * HIP_HALF)
        at = 180 - leg.hip
        ash = at + leg.knee
        af = ash - 90 + leg.ankle
        atoe = af - leg.toes

        def d(angle: float, sigma: float = sigma, abd: float = leg.abduction) -> Vec:
            return rotate_out(_mix(f, u, angle), sigma, abd, f, u, s)

        knee = _add(hip, d(at), THIGH)
        ankle = _add(knee, d(ash), SHANK)
        heel = _add(_add(ankle, d(af), -HEEL_BACK), d(af - 90), -ANKLE_H)
        ball = _add(_add(ankle, d(af), BALL_FWD), d(af - 90), -ANKLE_H)
        toe = _add(ball, d(atoe), TOE_LEN)
        limb = {"knee": knee, "ankle": ankle, "heel": heel, "ball": ball, "toe": toe}
        if leg.rotation:
            axis = _unit(_add(ankle, hip, -1))
            rel = _add(knee, hip, -1)
            turn = leg.rotation
            if _dot(_cross(axis, rel), s) * sigma < 0:
                turn = -turn
            for name in ("knee", "heel", "ball", "toe"):
                limb[name] = _add(hip, _rotate(_add(limb[name], hip, -1), axis, turn))
        pts[f"{prefix}_hip"] = hip
        # the top of the pelvis (iliac crest): shows a pelvic tilt from the front
        pts[f"{prefix}_crest"] = _add(_scale(s, sigma * PELVIS_HALF), u, 5.0)
        for name, v in limb.items():
            pts[f"{prefix}_{name}"] = v

    for prefix, sigma, arm in (("near", 1.0, p.near_arm), ("far", -1.0, p.far_arm)):
        sh = _add(neck, st, sigma * SHOULDER_HALF)
        au = 180 - arm.shoulder
        af = au - arm.elbow

        def d(angle: float, sigma: float = sigma, abd: float = arm.abduction) -> Vec:
            return rotate_out(_mix(f, ut, angle), sigma, abd, f, ut, st)

        elbow = _add(sh, d(au), UPPER_ARM)
        hand = _add(elbow, d(af), FOREARM)
        pts[f"{prefix}_shoulder"] = sh
        pts[f"{prefix}_elbow"] = elbow
        pts[f"{prefix}_hand"] = hand
    return pts


@dataclass(frozen=True)
class Projected:
    x: float  # canvas x
    y: float  # canvas y (height, after camera elevation)
    h: float  # true height above the floor
    depth: float  # towards the camera


def _camera(p: Pose, v: Vec) -> tuple[float, float]:
    """(image x offset, depth towards the camera) of a world vector."""
    if p.view == "front":
        return -v[2], v[0]
    return v[0], v[2]


def _project(p: Pose, rel: dict[str, Vec]) -> dict[str, Projected]:
    e = p.elevation
    out = {}
    for name, v in rel.items():
        if name.startswith("_"):
            continue
        ix, depth = _camera(p, v)
        h = p.y + v[1]
        out[name] = Projected(p.x + ix, h * _cos(e) - depth * _sin(e), h, depth)
    return out


BODY = (
    "pelvis",
    "neck",
    "head",
    "near_hip",
    "near_knee",
    "near_ankle",
    "near_heel",
    "near_ball",
    "near_toe",
    "far_hip",
    "far_knee",
    "far_ankle",
    "far_heel",
    "far_ball",
    "far_toe",
    "near_shoulder",
    "near_elbow",
    "near_hand",
    "far_shoulder",
    "far_elbow",
    "far_hand",
)
FEET = tuple(f"{s}_{n}" for s in ("near", "far") for n in ("ankle", "heel", "ball", "toe"))


def body_points(pose: Pose) -> dict[str, Projected]:
    """Every named body point of ``pose``, projected onto its frame's canvas."""
    return _project(pose, _skeleton(pose))


def heights(pose: Pose) -> dict[str, float]:
    """True height above the floor of every body point; ``head_bottom`` included."""
    pts = body_points(pose)
    out = {name: pts[name].h for name in BODY}
    out["head_bottom"] = pts["head"].h - HEAD_R
    return out


def lowest(pose: Pose) -> float:
    """Height of the lowest point of the body (joints, feet, hands, head outline)."""
    return min(heights(pose).values())


def feet_lowest(pose: Pose) -> float:
    hs = heights(pose)
    return min(hs[name] for name in FEET)


# ------------------------------------------------------------------ pose helpers


def _norm(deg: float) -> float:
    deg = math.fmod(deg, 360.0)
    if deg > 180:
        deg -= 360
    elif deg <= -180:
        deg += 360
    return round(deg, 3)


def _rest(p: Pose, on: float = 0.0) -> Pose:
    """Move the pose up or down so its lowest point touches height ``on``."""
    return replace(p, y=p.y + on - lowest(p))


def _lift(p: Pose, dy: float) -> Pose:
    return replace(p, y=p.y + dy)


def _place(p: Pose, name: str, x: float | None = None, h: float | None = None) -> Pose:
    """Move the pose so body point ``name`` lands at canvas ``x`` and/or height ``h``."""
    pt = body_points(p)[name]
    return replace(
        p,
        x=p.x + (0.0 if x is None else x - pt.x),
        y=p.y + (0.0 if h is None else h - pt.h),
    )


def _flat(hip: float, knee: float, trunk: float = 0.0, heel_up: float = 0.0) -> Leg:
    """A leg whose foot is flat on the floor (``heel_up`` > 0: up on the ball)."""
    return Leg(hip, knee, hip - knee - trunk + heel_up, heel_up)


def _dir2(angle: float) -> tuple[float, float]:
    return _sin(angle), _cos(angle)


def _angle_of(dx: float, dy: float) -> float:
    return math.degrees(math.atan2(dx, dy))


def _two_link(
    start: tuple[float, float], end: tuple[float, float], l1: float, l2: float, bend: float
) -> tuple[float, float]:
    """World angles (from up, clockwise) of two links from ``start`` reaching ``end``.

    ``bend`` +1: the joint flexes clockwise (knee: lies in front of the line), -1:
    anticlockwise (elbow). Out-of-reach targets straighten the chain.
    """
    dx, dy = end[0] - start[0], end[1] - start[1]
    dist = max(1e-6, math.hypot(dx, dy))
    phi = _angle_of(dx, dy)
    cos_a = (l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist)
    alpha = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    a1 = phi - bend * alpha
    j = (start[0] + l1 * _sin(a1), start[1] + l1 * _cos(a1))
    a2 = _angle_of(end[0] - j[0], end[1] - j[1])
    return a1, a2


def _leg_to(
    p: Pose,
    side: str,
    *,
    ankle: tuple[float, float] | None = None,
    heel: tuple[float, float] | None = None,
    ball: tuple[float, float] | None = None,
    foot: float = 90.0,
    toes_flat: bool = True,
) -> Pose:
    """Side view: bend one leg so its foot lands at a point, at world angle ``foot``.

    ``foot`` is the direction the foot points (90: flat, toes forward; > 90 heel up).
    Give the ``ankle``, ``heel`` or ``ball`` target.
    """
    fx, fy = _dir2(foot)
    ux, uy = _dir2(foot - 90)
    if heel is not None:
        ankle = (heel[0] + HEEL_BACK * fx + ANKLE_H * ux, heel[1] + HEEL_BACK * fy + ANKLE_H * uy)
    elif ball is not None:
        ankle = (ball[0] - BALL_FWD * fx + ANKLE_H * ux, ball[1] - BALL_FWD * fy + ANKLE_H * uy)
    assert ankle is not None
    hip = body_points(p)[f"{side}_hip"]
    a_thigh, a_shank = _two_link((hip.x, hip.h), ankle, THIGH, SHANK, +1)
    lift = foot - 90
    leg = Leg(
        hip=_norm(p.trunk + 180 - a_thigh),
        knee=_norm(a_shank - a_thigh),
        ankle=_norm(foot - a_shank + 90),
        toes=lift if toes_flat and 0 < lift < 90 else 0.0,
    )
    return replace(p, **{f"{side}_leg": leg})


def _hand_to(p: Pose, side: str, hand: tuple[float, float]) -> Pose:
    """Side view: bend one arm (elbow pointing backwards) so the hand reaches a point."""
    sh = body_points(p)[f"{side}_shoulder"]
    a_up, a_fore = _two_link((sh.x, sh.h), hand, UPPER_ARM, FOREARM, -1)
    arm = Arm(_norm(p.trunk + 180 - a_up), _norm(a_up - a_fore))
    return replace(p, **{f"{side}_arm": arm})


def _solve(fn: Callable[[float], float], lo: float, hi: float) -> float:
    """Bisection: the ``x`` in [lo, hi] where ``fn`` changes sign."""
    flo = fn(lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        fm = fn(mid)
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return round((lo + hi) / 2, 3)


def _swap(p: Pose) -> Pose:
    """The same pose on the other side: near and far limbs exchanged."""
    return replace(
        p, near_arm=p.far_arm, far_arm=p.near_arm, near_leg=p.far_leg, far_leg=p.near_leg
    )


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


# ------------------------------------------------------------------ the exercises


_BUILDERS: dict[str, Callable[[], tuple[Frame, Frame]]] = {}


def _exercise(key: str) -> Callable[[Callable[[], tuple[Frame, Frame]]], Callable]:
    def register(fn: Callable[[], tuple[Frame, Frame]]) -> Callable:
        _BUILDERS[key] = fn
        return fn

    return register


def _pt(p: Pose, name: str) -> tuple[float, float]:
    q = body_points(p)[name]
    return q.x, q.h


# -------------------------------------------------------------- building blocks

HOLD = "hold"


def _stand(
    x: float = 100.0,
    *,
    trunk: float = 0.0,
    head: float = 0.0,
    near: Leg = Leg(),
    far: Leg = Leg(),
    near_arm: Arm = ARM_DOWN,
    far_arm: Arm = ARM_DOWN,
    on: float = 0.0,
    **kw: object,
) -> Pose:
    p = Pose(x, STAND_HIP, trunk, head, near_arm, far_arm, near, far, **kw)  # type: ignore[arg-type]
    return _rest(p, on)


def _head_on_floor(p: Pose) -> Pose:
    """Supine: tilt the head so the back of it rests on the floor."""
    nh = _pt(p, "neck")[1]
    rise = max(-0.95, min(0.95, (HEAD_R - nh) / (NECK + HEAD_R)))
    world = -90 + math.degrees(math.asin(rise))
    return replace(p, head=_norm(world - p.trunk))


def _supine(hip_lift: float, neck_x: float = 58.0, neck_h: float = 3.0) -> Pose:
    """Lying on the back, shoulders on the floor, hips ``hip_lift`` above them."""
    hh = neck_h + hip_lift
    hx = neck_x + math.sqrt(TRUNK**2 - hip_lift**2)
    trunk = _angle_of(neck_x - hx, neck_h - hh)
    p = Pose(hx, hh, trunk)
    p = _head_on_floor(p)
    # arms straight along the floor beside the body
    arm = Arm(_norm(trunk + 88), 0)
    return replace(p, near_arm=arm, far_arm=arm)


def _bridge(hip_lift: float, heel: tuple[float, float], **kw: object) -> Pose:
    p = _supine(hip_lift)
    for side in ("near", "far"):
        p = _leg_to(p, side, heel=heel)
    return replace(p, **kw)  # type: ignore[arg-type]


def _up_arrow(at: Point, length: float = 14.0) -> Arrow:
    if isinstance(at, At):
        return Arrow(At(at.name, at.dx, at.dy), At(at.name, at.dx, at.dy + length))
    return Arrow(at, (at[0], at[1] + length))


def _seated(chair_x: float, trunk: float = 5.0, heel_fwd: float = 24.0) -> Pose:
    """Sitting on a chair whose seat front edge is at ``chair_x`` (seat height 30)."""
    p = Pose(chair_x - 9, 34, trunk)
    for side in ("near", "far"):
        p = _leg_to(p, side, heel=(chair_x - 9 + heel_fwd, 0))
    return p


def _hands_on_thighs(p: Pose) -> Pose:
    for side in ("near", "far"):
        knee, hip = _pt(p, f"{side}_knee"), _pt(p, f"{side}_hip")
        p = _hand_to(p, side, ((knee[0] * 2 + hip[0]) / 3, (knee[1] * 2 + hip[1]) / 3 + 3))
    return p


# -------------------------------------------------------------- hip and trunk

BRIDGE_HEEL = (117.0, 0.0)


@_exercise("glute_bridge")
def _glute_bridge() -> tuple[Frame, Frame]:
    start = _bridge(0, BRIDGE_HEEL)
    end = _bridge(17, BRIDGE_HEEL)
    return (
        Frame(start, caption="knees bent", words="lying on the back, knees bent, feet flat."),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, -4)),),
            caption="lift the hips",
            words="hips lifted until shoulders, hips and knees are in line.",
        ),
    )


@_exercise("single_leg_bridge")
def _single_leg_bridge() -> tuple[Frame, Frame]:
    frames = []
    for lift in (0, 17):
        p = _bridge(lift, BRIDGE_HEEL)
        p = replace(p, far_leg=Leg(p.near_leg.hip, 0, 10))
        frames.append(p)
    return (
        Frame(
            frames[0],
            caption="one leg straight",
            words="lying on the back, one knee bent with the foot flat, the other leg straight "
            "in line with the thigh.",
        ),
        Frame(
            frames[1],
            (_up_arrow(At("pelvis", 0, -4)),),
            caption="lift the hips",
            words="hips lifted on the one foot, the straight leg kept in line.",
        ),
    )


@_exercise("hamstring_bridge")
def _hamstring_bridge() -> tuple[Frame, Frame]:
    step = Box(128, 30, 20)
    heel = (134.0, 20.0)
    start, end = _bridge(0, heel), _bridge(20, heel)
    return (
        Frame(
            start,
            (step,),
            "heels on a step",
            "lying on the back, heels up on a step, knees a little bent.",
        ),
        Frame(
            end,
            (step, _up_arrow(At("pelvis", 0, -4))),
            "lift the hips",
            "hips lifted by pressing the heels into the step.",
        ),
    )


@_exercise("hip_thrust")
def _hip_thrust() -> tuple[Frame, Frame]:
    bench = Box(16, 34, 29)
    contact = (50.0, 31.5)
    heel = (101.0, 0.0)
    frames = []
    for hip_h in (9.0, 33.0):
        rise = contact[1] - hip_h
        run = math.sqrt(max(0.0, (0.75 * TRUNK) ** 2 - rise**2))
        hip = (contact[0] + run, hip_h)
        trunk = _angle_of(contact[0] - hip[0], contact[1] - hip[1])
        p = Pose(hip[0], hip[1], trunk, head=max(0.0, -trunk - 60))
        for side in ("near", "far"):
            p = _leg_to(p, side, heel=heel)
            p = _hand_to(p, side, (hip[0] + 2, hip[1] + 7))
        frames.append(p)
    weight = Weight(At("pelvis", 2, 8.5))
    return (
        Frame(
            frames[0],
            (bench, weight),
            "upper back on a bench",
            "upper back against a bench, feet flat, hips low, a weight across the hips.",
        ),
        Frame(
            frames[1],
            (bench, weight, _up_arrow(At("pelvis", 10, -2))),
            "drive the hips up",
            "hips driven up until the body is level from shoulders to knees.",
        ),
    )


def _side_lying(**kw: object) -> Pose:
    """Lying on the left side, seen from the front, head to the right."""
    p = Pose(
        100,
        20,
        view="front",
        roll=90,
        far_arm=Arm(175, 140),
        near_arm=Arm(8, 10, -6),
        **kw,  # type: ignore[arg-type]
    )
    return _rest(p)


@_exercise("clamshell")
def _clamshell() -> tuple[Frame, Frame]:
    leg = Leg(45, 90, 10)
    start = _side_lying(near_leg=replace(leg, rotation=-28), far_leg=leg, elevation=25)
    end = _rest(replace(start, near_leg=replace(leg, rotation=45)))
    return (
        Frame(
            start,
            caption="knees together",
            words="lying on the side, hips and knees bent, knees and feet together.",
        ),
        Frame(
            end,
            (_up_arrow(At("near_knee", 0, 4), 12),),
            "open the top knee",
            "top knee lifted like an opening clamshell, feet kept together.",
        ),
    )


@_exercise("side_lying_hip_abduction")
def _side_lying_hip_abduction() -> tuple[Frame, Frame]:
    start = _side_lying(near_leg=Leg(0, 0, 0, 0, -10), far_leg=Leg(10, 20))
    end = _rest(replace(start, near_leg=Leg(0, 0, 0, 0, 32)))
    return (
        Frame(start, caption="legs stacked", words="lying on the side, legs straight and stacked."),
        Frame(
            end,
            (Arrow(At("near_ankle", -2, -10), At("near_ankle", -2, 6), bend=-4),),
            "lift the top leg",
            "top leg lifted sideways, knee straight, toes forward.",
        ),
    )


@_exercise("isometric_hip_abduction")
def _isometric_hip_abduction() -> tuple[Frame, Frame]:
    start = _stand(
        100,
        view="front",
        near=Leg(abduction=2),
        far=Leg(abduction=2),
        near_arm=Arm(0, 5, 10),
        far_arm=Arm(0, 5, 10),
    )
    end = _stand(
        100,
        view="front",
        near=Leg(25, 45, -20, abduction=10),
        far=Leg(abduction=2),
        near_arm=Arm(0, 5, 10),
        far_arm=Arm(0, 5, 10),
    )
    knee = body_points(end)["near_ankle"]
    wall = Wall(knee.x - 4, side="left")
    return (
        Frame(start, (wall,), "side to the wall", "standing side-on, close to a wall."),
        Frame(
            end,
            (wall, Arrow(At("near_knee", 10, 0), At("near_knee", 0, 0))),
            "push out and hold",
            "the leg next to the wall pushes sideways into the wall and holds; "
            "the other leg stands tall.",
        ),
    )


def _side_plank_pose(
    legs: tuple[Leg, Leg],
    *,
    hips_down: bool,
    top_arm: Arm | None = None,
    elevation: float = 0.0,
    support: str = "far_knee",
) -> Pose:
    """Side plank on the left forearm, seen from the front (head to the right).

    ``top_arm`` None: the top arm reaches to the ceiling; otherwise as given.
    """
    near_leg, far_leg = legs

    def make(value: float) -> Pose:
        roll, bend = (90.0, value) if hips_down else (value, 0.0)
        arm = top_arm or Arm(0, 0, 180 - roll + bend)
        return Pose(
            100,
            40,
            view="front",
            roll=roll,
            side_bend=bend,
            elevation=elevation,
            near_leg=near_leg,
            far_leg=far_leg,
            far_arm=Arm(0, 90, roll - bend),
            near_arm=arm,
        )

    def gap(value: float) -> float:
        p = make(value)
        hs = heights(p)
        return hs["far_elbow"] - hs[support]

    value = _solve(gap, 0.0, 80.0) if hips_down else _solve(gap, 50.0, 90.0)
    return _rest(make(value))


@_exercise("side_plank_knees")
def _side_plank_knees() -> tuple[Frame, Frame]:
    legs = (Leg(0, 90, 50, 0, -10), Leg(0, 90, 50))
    rest_arm = Arm(0, 0, -8)
    start = _side_plank_pose(
        legs, hips_down=True, elevation=40, support="far_hip", top_arm=rest_arm
    )
    end = _side_plank_pose(legs, hips_down=False, elevation=40)
    return (
        Frame(
            start,
            caption="on the forearm and knees",
            words="lying on the side, propped on the forearm, knees bent behind.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 4)),),
            "lift the hips",
            "hips lifted so the body is straight from knees to head, top arm up.",
        ),
    )


@_exercise("side_plank")
def _side_plank() -> tuple[Frame, Frame]:
    legs = (Leg(0, 0, 0, 0, -11), Leg())
    start = _side_plank_pose(legs, hips_down=True, support="far_hip", top_arm=Arm(0, 0, -8))
    end = _side_plank_pose(legs, hips_down=False, support="far_ankle")
    return (
        Frame(
            start,
            caption="on the forearm",
            words="lying on the side, propped on the forearm, legs straight and stacked.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 4)),),
            "lift the hips",
            "hips lifted so the body is straight from feet to head, top arm up.",
        ),
    )


@_exercise("side_plank_leg_lift")
def _side_plank_leg_lift() -> tuple[Frame, Frame]:
    start = _side_plank_pose(
        (Leg(0, 0, 0, 0, -11), Leg()), hips_down=False, support="far_ankle", top_arm=Arm(0, 0, -8)
    )
    end = replace(start, near_leg=Leg(0, 0, 0, 0, 30))
    return (
        Frame(
            start,
            caption="side plank",
            words="side plank on the forearm, body straight from feet to head.",
        ),
        Frame(
            end,
            (Arrow(At("near_ankle", 4, -6), At("near_ankle", 4, 10), bend=-4),),
            "lift the top leg",
            "top leg lifted while the hips stay up.",
        ),
    )


def _prone(trunk: float, legs_flat: bool) -> Pose:
    leg = Leg(trunk - 90, 0, 90) if legs_flat else Leg(0, 0, 0, trunk)
    arm = Arm(trunk, 90)
    return Pose(
        100,
        30,
        trunk,
        head=-trunk + 75 if legs_flat else 5,
        near_arm=arm,
        far_arm=arm,
        near_leg=leg,
        far_leg=leg,
    )


@_exercise("front_plank")
def _front_plank() -> tuple[Frame, Frame]:
    def gap_flat(t: float) -> float:
        hs = heights(_prone(t, True))
        return hs["far_elbow"] - hs["near_knee"]

    def gap_plank(t: float) -> float:
        hs = heights(_prone(t, False))
        return hs["far_elbow"] - min(hs["near_toe"], hs["near_ball"])

    start = _rest(_prone(_solve(gap_flat, 30, 89), True))
    end = _rest(_prone(_solve(gap_plank, 60, 89), False))
    start = _place(start, "near_elbow", x=130)
    end = _place(end, "near_elbow", x=130)
    return (
        Frame(
            start,
            caption="on the forearms",
            words="lying face down, propped on the forearms, elbows under the shoulders.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 5), 10),),
            HOLD,
            "body lifted onto forearms and toes, straight from head to heels, and held.",
        ),
    )


@_exercise("dead_bug")
def _dead_bug() -> tuple[Frame, Frame]:
    base = Pose(
        92,
        3,
        -90,
        near_arm=Arm(90, 0),
        far_arm=Arm(90, 0),
        near_leg=Leg(90, 90, 0),
        far_leg=Leg(90, 90, 0),
    )
    base = _head_on_floor(base)
    start = _rest(base)
    end = _rest(replace(base, near_arm=Arm(170, 0), far_leg=Leg(15, 0, 20)))
    return (
        Frame(
            start,
            caption="arms up, knees over hips",
            words="lying on the back, arms pointing to the ceiling, hips and knees bent to "
            "90 degrees.",
        ),
        Frame(
            end,
            (),
            "opposite arm and leg",
            words="one arm lowered overhead and the opposite leg straightened, both just above "
            "the floor, back kept flat.",
        ),
    )


def _band_walk_pose(step: float) -> Pose:
    legs = Leg(30, 45, -30, 0, 4)
    return _stand(
        100,
        trunk=15,
        view="front",
        near=replace(legs, abduction=4 + step),
        far=legs,
        near_arm=Arm(10, 20, 14),
        far_arm=Arm(10, 20, 14),
    )


@_exercise("lateral_band_walk")
def _lateral_band_walk() -> tuple[Frame, Frame]:
    band = Band(At("near_knee", 0, 5), At("far_knee", 0, 5))
    start, end = _band_walk_pose(0), _band_walk_pose(16)
    return (
        Frame(
            start,
            (band,),
            "band above the knees",
            "standing in a slight squat, a band around the legs just above the knees.",
        ),
        Frame(
            end,
            (band, Arrow(At("near_ankle", -4, 10), At("near_ankle", -22, 10))),
            "step to the side",
            "a wide step to the side against the band, staying low.",
        ),
    )


@_exercise("monster_walk")
def _monster_walk() -> tuple[Frame, Frame]:
    leg = _flat(40, 50, 15)
    start = _stand(95, trunk=15, near=leg, far=leg, near_arm=Arm(30, 70), far_arm=Arm(30, 70))
    heel = _pt(start, "far_heel")
    # mid-walk: the feet a little apart so the band shows, then a step forward
    start = _leg_to(start, "near", heel=(heel[0] - 9, 0))
    end = _leg_to(start, "near", heel=(heel[0] + 20, 0))
    band = Band(At("near_ankle", 0, 2), At("far_ankle", 0, 2))
    return (
        Frame(start, (band,), "band round the ankles", "half squat, a band around both ankles."),
        Frame(
            end,
            (band, Arrow(At("near_ankle", -6, 16), At("near_ankle", 14, 16))),
            "step forward",
            "a step forward and slightly out against the band, staying low.",
        ),
    )


def _copenhagen(long_lever: bool) -> tuple[Frame, Frame]:
    top = "near_ankle" if long_lever else "near_knee"
    bottom = "far_ankle" if long_lever else "far_knee"
    bench_top = 30.0
    on_bench = bench_top + 2.5

    def make(roll: float, bend: float = 0.0, far_abd: float = 0.0) -> Pose:
        return Pose(
            100,
            40,
            view="front",
            roll=roll,
            side_bend=bend,
            near_leg=Leg(),
            far_leg=Leg(abduction=far_abd),
            far_arm=Arm(0, 90, roll - bend),
            near_arm=Arm(0, 0, -8),
        )

    def support_gap(p: Pose) -> float:
        hs = heights(p)
        return hs[top] - hs["far_elbow"] - on_bench

    # end: straight body from the bench to the elbow; bottom leg lifted to the bench
    roll = _solve(lambda r: support_gap(make(r)), 45, 135)
    lifted = _solve(
        lambda a: (
            heights(make(roll, 0, a))[bottom] - heights(make(roll))["far_elbow"] - (bench_top - 10)
        ),
        -40,
        40,
    )
    end = _rest(make(roll, 0, lifted))
    # start: the same supports with the hips sagging and the bottom leg down on the floor
    sag = roll + 20
    bend = _solve(lambda b: support_gap(make(sag, b)), -40, 40)

    def foot_gap(a: float) -> float:
        hs = heights(make(sag, bend, a))
        return (
            min(hs[f"far_{n}"] for n in ("knee", "ankle", "heel", "ball", "toe")) - hs["far_elbow"]
        )

    dropped = _solve(foot_gap, -40, 60)
    start = _rest(make(sag, bend, dropped))
    edge = 46.0
    end = _place(end, top, x=edge - 2)
    start = _place(start, top, x=edge - 2)
    bench = Bench(edge - 44, 44, bench_top)
    what = "ankle" if long_lever else "knee"
    return (
        Frame(
            start,
            (bench,),
            f"top {what} on a bench",
            f"lying on the side on the forearm, the inside of the top {what} resting on a "
            "bench, hips low, the bottom leg on the floor.",
        ),
        Frame(
            end,
            (bench, _up_arrow(At("pelvis", 0, 4))),
            "lift hips and bottom leg",
            "hips lifted until the body is straight, the bottom leg lifted up to the bench.",
        ),
    )


@_exercise("copenhagen_plank_short")
def _copenhagen_short() -> tuple[Frame, Frame]:
    return _copenhagen(False)


@_exercise("copenhagen_plank")
def _copenhagen_long() -> tuple[Frame, Frame]:
    return _copenhagen(True)


def _hip_hike_pose(roll: float) -> Pose:
    return Pose(
        100,
        80,
        view="front",
        roll=roll,
        side_bend=roll,
        near_leg=Leg(abduction=-roll),
        far_leg=Leg(abduction=roll),
        near_arm=Arm(0, 10, 10),
        far_arm=Arm(0, 10, 10),
    )


@_exercise("hip_hike")
def _hip_hike() -> tuple[Frame, Frame]:
    step_h = 20.0
    start = _place(_hip_hike_pose(20), "near_heel", x=100, h=step_h)
    end = _place(_hip_hike_pose(-20), "near_heel", x=100, h=step_h)
    ankle = body_points(start)["near_ankle"]
    step = Box(ankle.x - 28, 33, step_h)
    return (
        Frame(
            start,
            (step,),
            "free hip dropped",
            "standing on one leg on a step, the free leg hanging beside it, its hip dropped low.",
        ),
        Frame(
            end,
            (step, _up_arrow(At("far_hip", 0, 3), 12)),
            "hike the hip",
            "the free hip pulled up higher than the standing hip, both knees straight.",
        ),
    )


@_exercise("single_leg_deadlift")
def _single_leg_deadlift() -> tuple[Frame, Frame]:
    arms = Arm(5, 5)
    start = _stand(85, near=Leg(), far=Leg(10, 75, 20), near_arm=arms, far_arm=arms)
    end = _stand(
        85,
        trunk=78,
        near=_flat(70, 20, 78),
        far=Leg(0, 0, 10),
        near_arm=Arm(78, 0),
        far_arm=Arm(78, 0),
    )
    end = _place(end, "near_heel", x=_pt(start, "near_heel")[0])
    weight = Weight(At("near_hand"))
    return (
        Frame(start, (weight,), "stand on one leg", "standing on one leg, a weight in the hand."),
        Frame(
            end,
            (weight, Arrow(At("pelvis", 4, 34), At("neck", 6, 12), bend=8)),
            "hinge forward",
            "hinged at the hip with a long flat back, the free leg reaching back, "
            "standing knee soft.",
        ),
    )


# -------------------------------------------------------------- knee and thigh


@_exercise("wall_sit")
def _wall_sit() -> tuple[Frame, Frame]:
    wall_x = 55.0
    hip_x = wall_x + 7.5
    heel = (hip_x + 29 - HEEL_BACK, 0.0)
    frames = []
    for hip_h in (53.0, 34.0):
        p = Pose(hip_x, hip_h, 0)
        for side in ("near", "far"):
            p = _leg_to(p, side, heel=heel)
        frames.append(_hands_on_thighs(p))
    wall = Wall(wall_x, side="left")
    return (
        Frame(frames[0], (wall,), "back on the wall", "back against a wall, feet a step forward."),
        Frame(
            frames[1],
            (wall, Arrow(At("pelvis", 0, 22), At("pelvis", 0, 6))),
            HOLD,
            "slid down the wall until the thighs are level and the knees over the ankles; held.",
        ),
    )


@_exercise("spanish_squat")
def _spanish_squat() -> tuple[Frame, Frame]:
    heel = (100.0, 0.0)
    arms = Arm(80, 10)
    start = Pose(96, 60, -3, near_arm=arms, far_arm=arms)
    end = Pose(78, 37, 8, near_arm=arms, far_arm=arms)
    start, end = (_leg_to(_leg_to(p, "near", heel=heel), "far", heel=heel) for p in (start, end))
    wall = Wall(160, side="right")
    anchor = (160.0, 36.0)
    props = (wall, Anchor(anchor), Band(anchor, At("near_knee", -3, 0)))
    return (
        Frame(
            start,
            props,
            "strap behind the knees",
            "standing with a strap around the back of the knees, tied to a post in front.",
        ),
        Frame(
            end,
            (*props, Arrow(At("pelvis", -6, 20), At("pelvis", -6, 4))),
            "sit back",
            "sat back into the strap with the shins upright and the body tall.",
        ),
    )


@_exercise("sit_to_stand")
def _sit_to_stand() -> tuple[Frame, Frame]:
    chair = Chair(70)
    arms = Arm(35, 120)
    start = replace(_seated(70, trunk=28, heel_fwd=18), near_arm=arms, far_arm=arms)
    heel = _pt(start, "near_heel")
    end = _place(_stand(near_arm=arms, far_arm=arms), "near_heel", x=heel[0])
    return (
        Frame(
            start,
            (chair,),
            "sit, lean forward",
            "sitting near the front of a chair, feet flat, arms crossed, leaning forward.",
        ),
        Frame(
            end,
            (chair, _up_arrow(At("neck", 12, -6), 14)),
            "stand up",
            "standing up tall without using the hands.",
        ),
    )


@_exercise("goblet_squat")
def _goblet_squat() -> tuple[Frame, Frame]:
    arms = Arm(15, 135)
    start = _stand(near_arm=arms, far_arm=arms)
    end = _stand(
        trunk=35,
        near=_flat(125, 120, 35),
        far=_flat(125, 120, 35),
        near_arm=Arm(50, 120),
        far_arm=Arm(50, 120),
    )
    end = _place(end, "near_heel", x=_pt(start, "near_heel")[0])
    weight = Weight(At("near_hand", 2, 0), angle=90)
    return (
        Frame(start, (weight,), "weight at the chest", "standing, a weight held at the chest."),
        Frame(
            end,
            (weight, Arrow(At("pelvis", -8, 22), At("pelvis", -8, 4))),
            "squat down",
            "squatted down with the chest up until the thighs are about level.",
        ),
    )


def _split(
    hip: tuple[float, float],
    front_heel: float,
    back_ball: float,
    trunk: float = 3.0,
    back_on: float = 0.0,
) -> Pose:
    p = Pose(hip[0], hip[1], trunk, near_arm=Arm(0, 15), far_arm=Arm(0, 15))
    p = _leg_to(p, "near", heel=(front_heel, 0.0))
    return _leg_to(p, "far", ball=(back_ball, back_on), foot=140)


@_exercise("split_squat")
def _split_squat() -> tuple[Frame, Frame]:
    start = _split((96, 56), 121, 62)
    end = _split((92, 37), 121, 62)
    return (
        Frame(
            start,
            caption="long split stance",
            words="standing in a long split stance, back heel up.",
        ),
        Frame(
            end,
            (Arrow(At("pelvis", -12, 18), At("pelvis", -12, 2)),),
            "lower down",
            "lowered straight down until the back knee nearly touches the floor.",
        ),
    )


@_exercise("reverse_lunge")
def _reverse_lunge() -> tuple[Frame, Frame]:
    start = _stand(108, near_arm=Arm(0, 15), far_arm=Arm(0, 15))
    heel = _pt(start, "near_heel")
    end = _split((96, 37), heel[0], heel[0] - 58)
    return (
        Frame(start, caption="stand tall", words="standing tall, feet together."),
        Frame(
            end,
            (Arrow(At("far_ball", 30, 10), At("far_ball", 6, 10)),),
            "step back",
            "a long step back, lowered until the back knee nearly touches the floor.",
        ),
    )


@_exercise("step_up")
def _step_up() -> tuple[Frame, Frame]:
    step = Box(104, 44, 22)
    start = _stand(88)
    start = _leg_to(start, "near", heel=(110, 22))
    end = _stand(88, near=Leg(), far=Leg(70, 90, 0), near_arm=Arm(-25, 30), far_arm=Arm(35, 40))
    end = _place(end, "near_heel", x=110, h=22)
    return (
        Frame(
            start,
            (step,),
            "one foot on the step",
            "standing in front of a step with one foot up on it.",
        ),
        Frame(
            end,
            (step, Arrow((96.0, 8.0), (104.0, 30.0), bend=5)),
            "step up tall",
            "stepped up onto the step and standing tall on that leg.",
        ),
    )


def _step_down_pose(bend: float) -> Pose:
    """Front view, standing on the right leg; ``bend`` is the standing knee's flexion."""
    arms = Arm(40 * bend / 70, 10, 12)
    return Pose(
        100,
        60,
        0.25 * bend,
        view="front",
        near_leg=replace(_flat(0.75 * bend, bend, 0.25 * bend), rotation=bend * 0.3),
        far_leg=Leg(5, 0, 10, 0, 5),
        near_arm=arms,
        far_arm=arms,
    )


@_exercise("lateral_step_down")
def _lateral_step_down() -> tuple[Frame, Frame]:
    step_h = 14.0

    def on_step(bend: float) -> Pose:
        return _place(_step_down_pose(bend), "near_heel", x=92, h=step_h)

    start = on_step(0)
    bend = _solve(lambda k: feet_lowest(on_step(k)) - 0.5, 0, 110)
    end = on_step(bend)
    ankle = body_points(start)["near_ankle"]
    step = Box(ankle.x - 34, 40, step_h)
    return (
        Frame(
            start,
            (step,),
            "stand on the step edge",
            "standing on one leg at the side edge of a low step, the other leg hanging beside it.",
        ),
        Frame(
            end,
            (step, Arrow(At("far_ankle", 8, 14), At("far_ankle", 8, 2))),
            "bend, tap the heel down",
            "the standing knee bent, hips level, until the free heel lightly touches the floor.",
        ),
    )


@_exercise("single_leg_squat")
def _single_leg_squat() -> tuple[Frame, Frame]:
    start = _stand(100, near=Leg(), far=Leg(35, 20, 0), near_arm=Arm(60, 10), far_arm=Arm(60, 10))
    heel = _pt(start, "near_heel")
    end = _stand(
        100,
        trunk=35,
        near=_flat(118, 112, 35),
        far=Leg(120, 20, 0),
        near_arm=Arm(80, 10),
        far_arm=Arm(80, 10),
    )
    end = _place(end, "near_heel", x=heel[0])
    pelvis = body_points(end)["pelvis"]
    box = Box(pelvis.x - 24, 28, pelvis.h - 5)
    return (
        Frame(
            start,
            (box,),
            "one leg, box behind",
            "standing on one leg in front of a box, the other leg held forward.",
        ),
        Frame(
            end,
            (box, Arrow(At("pelvis", 10, 22), At("pelvis", 6, 6))),
            "sit back to touch",
            "squatted down on one leg until the buttocks lightly touch the box.",
        ),
    )


@_exercise("rear_foot_elevated_split_squat")
def _rfess() -> tuple[Frame, Frame]:
    bench_h = 24.0
    bench = Box(22, 34, bench_h)
    frames = []
    for hip in ((86.0, 60.0), (82.0, 38.0)):
        p = Pose(hip[0], hip[1], 8, near_arm=Arm(0, 15), far_arm=Arm(0, 15))
        p = _leg_to(p, "near", heel=(112, 0))
        p = _leg_to(p, "far", ankle=(48, bench_h + 2.5), foot=262)
        frames.append(p)
    return (
        Frame(
            frames[0],
            (bench,),
            "back foot on a bench",
            "standing on one leg, the top of the back foot resting on a bench behind.",
        ),
        Frame(
            frames[1],
            (bench, Arrow(At("pelvis", 12, 18), At("pelvis", 12, 2))),
            "lower down",
            "lowered until the front thigh is about level, the back knee towards the floor.",
        ),
    )


@_exercise("terminal_knee_extension")
def _tke() -> tuple[Frame, Frame]:
    frames = []
    for hip_h in (56.0, 62.0):
        p = Pose(96, hip_h, 0)
        p = _leg_to(p, "near", heel=(102, 0))
        p = _leg_to(p, "far", heel=(80, 0))
        frames.append(p)
    wall = Wall(160, side="right")
    anchor = (160.0, 33.0)
    props = (wall, Anchor(anchor), Band(anchor, At("near_knee", -3, 0)))
    return (
        Frame(
            frames[0],
            props,
            "band pulls the knee",
            "standing with a band behind one knee, tied in front; the knee is pulled bent.",
        ),
        Frame(
            frames[1],
            (*props, Arrow(At("near_knee", 6, 8), At("near_knee", -8, 8))),
            "straighten the knee",
            "the knee pushed back until it is straight, and held.",
        ),
    )


@_exercise("single_leg_press")
def _single_leg_press() -> tuple[Frame, Frame]:
    chair = Chair(62, seat=30, depth=30, recline=38)
    frames = []
    for reach in (34.0, 55.0):
        p = Pose(52, 34, -35, near_arm=Arm(-5, 20), far_arm=Arm(-5, 20))
        hip = _pt(p, "near_hip")
        target = (hip[0] + reach * _sin(80), hip[1] + reach * _cos(80) + 6)
        p = _leg_to(p, "near", ankle=target, foot=8, toes_flat=False)
        p = _leg_to(p, "far", heel=(84, 0))
        frames.append(p)
    plate = Plate(At("near_ankle", 6.5, 4), 34)
    return (
        Frame(
            frames[0],
            (chair, plate),
            "knee bent",
            "sitting in a leg press, one foot on the plate, knee bent.",
        ),
        Frame(
            frames[1],
            (chair, plate, Arrow(At("near_knee", -4, 12), At("near_knee", 14, 12))),
            "push the plate away",
            "the plate pushed away until the knee is nearly straight.",
        ),
    )


# -------------------------------------------------------------- hamstrings


@_exercise("nordic_hamstring")
def _nordic() -> tuple[Frame, Frame]:
    def kneel(lean: float, arms: Arm) -> Pose:
        leg = Leg(0, 90 - lean, 90)
        return _rest(
            Pose(
                100,
                40,
                lean,
                near_leg=leg,
                far_leg=leg,
                near_arm=arms,
                far_arm=arms,
                head=-lean * 0.3,
            )
        )

    start = _place(kneel(0, Arm(30, 120)), "near_knee", x=74, h=1.5)
    end = _place(kneel(55, Arm(60, 70)), "near_knee", x=74, h=1.5)
    roller = Roller(At("near_heel", 1.5, 6))
    return (
        Frame(
            start, (roller,), "kneel tall, heels held", "kneeling tall with the heels held down."
        ),
        Frame(
            end,
            (roller, Arrow(At("head", 10, 12), At("head", 14, -6), bend=-6)),
            "lower slowly",
            "the body lowered forward slowly as one straight line from knees to head.",
        ),
    )


@_exercise("isometric_hamstring_bridge")
def _iso_ham_bridge() -> tuple[Frame, Frame]:
    heel = (138.0, 0.0)
    start = _bridge(0, heel)
    end = _bridge(14, heel)
    return (
        Frame(
            start,
            caption="heels on the floor",
            words="lying on the back, knees only slightly bent, heels on the floor.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, -4), 10),),
            HOLD,
            "hips lifted by digging the heels in, and held.",
        ),
    )


@_exercise("slider_hamstring_curl")
def _slider_curl() -> tuple[Frame, Frame]:
    start = _bridge(11, (141.0, 2.0))
    end = _bridge(17, (117.0, 2.0))
    sliders = (Slider(At("near_heel", 1, -1)),)
    return (
        Frame(
            start,
            sliders,
            "hips up, heels on sliders",
            "lying on the back with the hips lifted, legs long, heels on sliders.",
        ),
        Frame(
            end,
            (*sliders, Arrow(At("near_heel", 22, 6), At("near_heel", 4, 6))),
            "pull the heels in",
            "heels pulled in towards the buttocks, hips kept up.",
        ),
    )


# -------------------------------------------------------------- calf, Achilles and foot


def _calf(
    heel_up: float,
    *,
    knee: float = 0.0,
    single: bool = False,
    x: float = 100.0,
    on: float = 0.0,
    **kw: object,
) -> Pose:
    hip = knee * 0.6
    trunk = knee * 0.2
    near = _flat(hip, knee, trunk, heel_up)
    far = Leg(10, 80, 20) if single else near
    return _stand(x, trunk=trunk, near=near, far=far, on=on, **kw)  # type: ignore[arg-type]


def _hand_on_wall(p: Pose, wall_x: float, h: float = 80.0) -> Pose:
    return _hand_to(p, "near", (wall_x - 1.5, h))


@_exercise("calf_raise_double")
def _calf_raise_double() -> tuple[Frame, Frame]:
    start, end = _calf(0), _calf(42)
    return (
        Frame(start, caption="feet flat", words="standing tall, feet flat."),
        Frame(
            end,
            (_up_arrow(At("near_heel", -5, 2), 12),),
            "rise onto the toes",
            "raised up onto the balls of both feet, knees straight.",
        ),
    )


def _single_calf(knee: float) -> tuple[Pose, Pose]:
    wall = 140.0
    return (
        _hand_on_wall(_calf(0, knee=knee, single=True), wall),
        _hand_on_wall(_calf(42, knee=knee, single=True), wall),
    )


@_exercise("calf_raise_single_straight")
def _calf_single_straight() -> tuple[Frame, Frame]:
    start, end = _single_calf(0)
    wall = Wall(140)
    return (
        Frame(
            start,
            (wall,),
            "one foot, hand on wall",
            "standing on one foot, fingertips on a wall for balance.",
        ),
        Frame(
            end,
            (wall, _up_arrow(At("near_heel", -5, 2), 12)),
            "rise, knee straight",
            "raised up onto the ball of the foot with the knee straight.",
        ),
    )


@_exercise("calf_raise_single_bent")
def _calf_single_bent() -> tuple[Frame, Frame]:
    start, end = _single_calf(30)
    wall = Wall(140)
    return (
        Frame(
            start,
            (wall,),
            "one foot, knee bent",
            "standing on one foot with the knee bent, fingertips on a wall.",
        ),
        Frame(
            end,
            (wall, _up_arrow(At("near_heel", -5, 2), 12)),
            "rise, keep knee bent",
            "raised up onto the ball of the foot, keeping the knee bent.",
        ),
    )


def _heel_drop(knee: float) -> tuple[Frame, Frame]:
    step_h = 18.0
    edge = 96.0
    wall = 150.0
    frames = []
    for heel_up in (35.0, -22.0):
        p = _calf(heel_up, knee=knee, single=True)
        p = _place(p, "near_ball", x=edge + 2.5, h=step_h)
        frames.append(_hand_on_wall(p, wall, 95))
    step = Box(edge, 45, step_h)
    props = (step, Wall(wall))
    how = "straight" if knee == 0 else "bent"
    return (
        Frame(
            frames[0],
            props,
            "up on the step edge",
            f"on the ball of one foot at the edge of a step, heel up, knee {how}.",
        ),
        Frame(
            frames[1],
            (*props, Arrow(At("near_heel", -6, 12), At("near_heel", -6, -2))),
            "lower the heel slowly",
            f"the heel lowered slowly below the step, knee kept {how}.",
        ),
    )


@_exercise("eccentric_heel_drop_straight")
def _heel_drop_straight() -> tuple[Frame, Frame]:
    return _heel_drop(0)


@_exercise("eccentric_heel_drop_bent")
def _heel_drop_bent() -> tuple[Frame, Frame]:
    return _heel_drop(30)


@_exercise("seated_heavy_calf_raise")
def _seated_calf() -> tuple[Frame, Frame]:
    chair = Chair(70)
    start = _hands_on_thighs(_seated(70, heel_fwd=26))
    ball = _pt(start, "near_ball")
    end = start
    for side in ("near", "far"):
        end = _leg_to(end, side, ball=ball, foot=125)
    end = _hands_on_thighs(end)
    weight = Weight(At("near_knee", -6, 5), kind="plate")
    return (
        Frame(
            start,
            (chair, weight),
            "weight on the knees",
            "sitting with feet flat and a heavy weight resting on the knees.",
        ),
        Frame(
            end,
            (chair, weight, _up_arrow(At("near_heel", -4, 2), 12)),
            "lift the heels",
            "heels lifted high, pushing the knees and the weight up.",
        ),
    )


@_exercise("standing_heavy_calf_raise")
def _standing_heavy_calf() -> tuple[Frame, Frame]:
    start, end = _calf(0), _calf(42)
    pack = Backpack()
    return (
        Frame(
            start, (pack,), "loaded backpack", "standing tall wearing a loaded backpack, feet flat."
        ),
        Frame(
            end,
            (pack, _up_arrow(At("near_heel", -5, 2), 12)),
            "rise onto the toes",
            "raised up onto the balls of the feet, knees straight.",
        ),
    )


@_exercise("towel_heel_raise")
def _towel_heel_raise() -> tuple[Frame, Frame]:
    lift = 65.0  # the toes rest on the towel at this angle to the floor
    start = _stand(near=Leg(0, 0, 0, lift), far=Leg(0, 0, 0, lift))
    ball = _pt(start, "near_ball")
    up = Leg(0, 0, 35, 35 + lift)
    end = _place(_stand(near=up, far=up), "near_ball", x=ball[0], h=0)
    towel = Towel((ball[0] + TOWEL_R / math.tan(math.radians(lift / 2)), TOWEL_R))
    return (
        Frame(
            start,
            (towel,),
            "toes on a rolled towel",
            "standing with the toes propped up on a rolled towel.",
        ),
        Frame(
            end,
            (towel, _up_arrow(At("near_heel", -5, 2), 12)),
            "rise onto the toes",
            "heels raised high while the toes stay up on the towel.",
        ),
    )


@_exercise("isometric_calf_hold")
def _iso_calf() -> tuple[Frame, Frame]:
    start = _calf(0, knee=12)
    end = _calf(38, knee=12)
    return (
        Frame(start, caption="knees soft", words="standing, knees slightly soft."),
        Frame(
            end,
            (_up_arrow(At("near_heel", -5, 2), 12),),
            HOLD,
            "raised onto the balls of the feet and held still.",
        ),
    )


@_exercise("tibialis_raise")
def _tibialis() -> tuple[Frame, Frame]:
    wall_x = 52.0
    frames = []
    for dorsi in (0.0, 28.0):
        leg = Leg(0, 0, 12 - dorsi)
        p = _rest(Pose(100, 60, -12, near_leg=leg, far_leg=leg))
        p = _place(p, "neck", x=wall_x + 8)
        frames.append(p)
    heel = _pt(frames[0], "near_heel")
    frames[1] = _place(frames[1], "near_heel", x=heel[0])
    wall = Wall(wall_x, side="left")
    return (
        Frame(
            frames[0],
            (wall,),
            "lean on a wall",
            "leaning back against a wall, feet a step forward, flat.",
        ),
        Frame(
            frames[1],
            (wall, _up_arrow(At("near_toe", 2, 2), 12)),
            "lift the toes",
            "the fronts of the feet lifted towards the shins, heels on the floor.",
        ),
    )


def _foot_sitter() -> Pose:
    return _hands_on_thighs(_seated(58, trunk=8, heel_fwd=26))


@_exercise("short_foot")
def _short_foot() -> tuple[Frame, Frame]:
    p = _foot_sitter()
    chair = Chair(58)
    return (
        Frame(
            p,
            (chair, FootDetail(150, 100, 0, 0, 0, At("near_ball", -4, 2))),
            "foot relaxed",
            "sitting, foot flat and relaxed.",
        ),
        Frame(
            replace(p, near_leg=replace(p.near_leg, toes=2)),
            (chair, FootDetail(150, 100, 1, 0, 0, At("near_ball", -4, 2))),
            "dome the arch",
            "the arch lifted by drawing the ball of the foot towards the heel, toes long and flat.",
        ),
    )


@_exercise("toe_yoga")
def _toe_yoga() -> tuple[Frame, Frame]:
    p = _foot_sitter()
    chair = Chair(58)
    return (
        Frame(
            replace(p, near_leg=replace(p.near_leg, toes=25)),
            (chair, FootDetail(150, 100, 0, 32, 0, At("near_ball", -4, 2))),
            "big toe up",
            "sitting, the big toe lifted while the other toes stay down.",
        ),
        Frame(
            replace(p, near_leg=replace(p.near_leg, toes=-5)),
            (chair, FootDetail(150, 100, 0, 0, 30, At("near_ball", -4, 2))),
            "small toes up",
            "the big toe pressed down while the other toes lift.",
        ),
    )


# -------------------------------------------------------------- balance


def _one_leg(eyes: str = "open", **kw: object) -> Pose:
    return _stand(
        near=Leg(),
        far=Leg(70, 95, 10),
        near_arm=Arm(0, 10, 10),
        far_arm=Arm(0, 10, 10),
        eyes=eyes,
        **kw,
    )  # type: ignore[arg-type]


@_exercise("single_leg_balance")
def _balance() -> tuple[Frame, Frame]:
    return (
        Frame(_stand(), caption="stand tall", words="standing tall on both feet."),
        Frame(_one_leg(), caption=HOLD, words="one foot lifted, balancing on the other leg."),
    )


@_exercise("single_leg_balance_eyes_closed")
def _balance_eyes() -> tuple[Frame, Frame]:
    return (
        Frame(_stand(), caption="stand tall", words="standing tall on both feet, eyes open."),
        Frame(
            _one_leg("closed"),
            caption="eyes closed, hold",
            words="one foot lifted and the eyes closed, balancing on the other leg.",
        ),
    )


@_exercise("single_leg_balance_reach")
def _balance_reach() -> tuple[Frame, Frame]:
    start = _one_leg()
    heel = _pt(start, "near_heel")
    end = _stand(
        trunk=45,
        near=_flat(75, 45, 45),
        far=Leg(-5, 10, 10),
        near_arm=Arm(95, 0),
        far_arm=Arm(95, 0),
    )
    end = _place(end, "near_heel", x=heel[0])
    return (
        Frame(start, caption="stand on one leg", words="balancing on one leg."),
        Frame(
            end,
            (Arrow(At("near_hand", -16, 8), At("near_hand", 0, 2), bend=-4),),
            "reach forward",
            "reaching forward and down with both hands, the standing knee "
            "bent and the free leg reaching back.",
        ),
    )


@_exercise("single_leg_balance_cushion")
def _balance_cushion() -> tuple[Frame, Frame]:
    start = _stand(on=6)
    heel = _pt(start, "near_heel")
    cushion = Cushion(heel[0] - 7, 36, 6)
    end = _place(_one_leg(on=6), "near_heel", x=heel[0])
    return (
        Frame(start, (cushion,), "stand on a cushion", "standing on a wobbly cushion."),
        Frame(end, (cushion,), HOLD, "balancing on one leg on the cushion."),
    )


# -------------------------------------------------------------- stretches

SWITCH = "switch sides"


def _stretch(p: Pose, props: tuple[Prop, ...], words: str) -> tuple[Frame, Frame]:
    return (
        Frame(p, props, "hold 30 s", f"{words} Held for about 30 seconds."),
        Frame(_swap(p), props, SWITCH, "The same stretch on the other side."),
    )


@_exercise("hip_flexor_stretch")
def _hip_flexor() -> tuple[Frame, Frame]:
    trunk = -3.0
    back = Leg(-20, 270 - (trunk + 200), 90)
    p = Pose(
        100,
        34,
        trunk,
        near_leg=back,
        far_leg=Leg(90, 90),
        near_arm=Arm(150, 10),
        far_arm=Arm(25, 35),
    )
    p = _place(p, "near_knee", h=2.0)
    p = _leg_to(p, "far", heel=(_pt(p, "pelvis")[0] + 27, 0))
    return _stretch(
        p,
        (),
        "Half-kneeling on the back knee, hips pushed forward, tail tucked, "
        "the arm on the kneeling side reaching up.",
    )


@_exercise("calf_stretch")
def _calf_stretch() -> tuple[Frame, Frame]:
    wall_x = 150.0
    p = Pose(100, 55, 18)
    p = _leg_to(p, "near", heel=(68, 0))
    p = _leg_to(p, "far", heel=(121, 0))
    p = _hand_to(p, "near", (wall_x - 1.5, 88))
    p = _hand_to(p, "far", (wall_x - 1.5, 88))
    return _stretch(
        p,
        (Wall(wall_x),),
        "Hands on a wall, one leg back with the knee straight and the heel down, leaning in.",
    )


@_exercise("soleus_stretch")
def _soleus_stretch() -> tuple[Frame, Frame]:
    wall_x = 150.0
    p = Pose(100, 47, 12)
    p = _leg_to(p, "near", heel=(78, 0))
    p = _leg_to(p, "far", heel=(118, 0))
    p = _hand_to(p, "near", (wall_x - 1.5, 80))
    p = _hand_to(p, "far", (wall_x - 1.5, 80))
    return _stretch(
        p,
        (Wall(wall_x),),
        "Hands on a wall, one foot back, both knees bent and the back heel down.",
    )


@_exercise("quadriceps_stretch")
def _quad_stretch() -> tuple[Frame, Frame]:
    wall_x = 145.0
    p = _stand(near=Leg(-8, 150, 40), far=Leg())
    p = _hand_to(p, "near", _pt(p, "near_ankle"))
    p = _hand_to(p, "far", (wall_x - 1.5, 85))
    return _stretch(
        p,
        (Wall(wall_x),),
        "Standing on one leg, a hand on the wall, the other "
        "ankle held so the heel is near the buttock, knees together.",
    )


# -------------------------------------------------------------- hops

AIR = 12.0


def _in_air(p: Pose, dy: float = AIR) -> Pose:
    return _lift(_rest(p), dy)


def _air_marks(*names: str) -> tuple[Motion, ...]:
    return tuple(Motion(At(name, -2, -2)) for name in names)


@_exercise("pogo_hops")
def _pogo() -> tuple[Frame, Frame]:
    arms = Arm(10, 40)
    start = _stand(near=_flat(8, 15, 0, 18), far=_flat(8, 15, 0, 18), near_arm=arms, far_arm=arms)
    end = _in_air(_stand(near=Leg(0, 0, 35), far=Leg(0, 0, 35), near_arm=arms, far_arm=arms))
    return (
        Frame(
            start,
            caption="on the balls of the feet",
            words="standing on the balls of both feet, knees almost straight.",
        ),
        Frame(
            end,
            (*_air_marks("near_toe"), _up_arrow(At("pelvis", -14, 0))),
            "quick hops",
            "small quick bounces off the ankles, both feet leaving the floor.",
        ),
    )


@_exercise("single_leg_hops")
def _single_hops() -> tuple[Frame, Frame]:
    arms = Arm(10, 40)
    free = Leg(20, 80, 20)
    start = _stand(near=_flat(8, 15, 0, 18), far=free, near_arm=arms, far_arm=arms)
    end = _in_air(_stand(near=Leg(0, 0, 35), far=free, near_arm=arms, far_arm=arms))
    return (
        Frame(start, caption="on one foot", words="standing on the ball of one foot."),
        Frame(
            end,
            (*_air_marks("near_toe"), _up_arrow(At("pelvis", -14, 0))),
            "hop in place",
            "small hops in place on the one foot, landing softly.",
        ),
    )


@_exercise("forward_hops")
def _forward_hops() -> tuple[Frame, Frame]:
    start = _stand(
        70,
        trunk=25,
        near=_flat(45, 55, 25),
        far=Leg(25, 80, 15),
        near_arm=Arm(-30, 20),
        far_arm=Arm(-30, 20),
    )
    end = _in_air(
        _stand(
            110,
            trunk=12,
            near=Leg(20, 25, 20),
            far=Leg(15, 85, 15),
            near_arm=Arm(60, 30),
            far_arm=Arm(60, 30),
        )
    )
    start_ball = _pt(start, "near_ball")
    return (
        Frame(start, caption="crouch on one leg", words="crouched on one leg, arms back."),
        Frame(
            end,
            (
                *_air_marks("near_toe"),
                Arrow((start_ball[0] - 4, 8), At("near_toe", 6, -4), bend=18),
            ),
            "hop forward",
            "hopped forward on the same leg, landing softly.",
        ),
    )


def _line_hop_pose(x: float) -> Pose:
    leg = Leg(20, 35, -15, 0, 3)
    return _stand(
        x,
        trunk=10,
        view="front",
        near=leg,
        far=leg,
        near_arm=Arm(20, 30, 15),
        far_arm=Arm(20, 30, 15),
    )


@_exercise("lateral_line_hops")
def _line_hops() -> tuple[Frame, Frame]:
    line = FloorLine(100)
    start = _line_hop_pose(128)
    tuck = Leg(15, 25, 25, 0, 3)
    end = _in_air(replace(_line_hop_pose(72), near_leg=tuck, far_leg=tuck))
    return (
        Frame(start, (line,), "beside a line", "standing on both feet beside a line on the floor."),
        Frame(
            end,
            (
                line,
                *_air_marks("near_ankle", "far_ankle"),
                Arrow((124.0, 30.0), At("pelvis", 16, -22), bend=-12),
            ),
            "hop over and back",
            "hopped sideways over the line and back again, quickly and lightly.",
        ),
    )


@_exercise("squat_jump")
def _squat_jump() -> tuple[Frame, Frame]:
    leg = _flat(100, 100, 35)
    start = _stand(trunk=35, near=leg, far=leg, near_arm=Arm(-40, 10), far_arm=Arm(-40, 10))
    end = _in_air(
        _stand(
            trunk=3,
            near=Leg(0, 5, 35),
            far=Leg(0, 5, 35),
            near_arm=Arm(135, 0),
            far_arm=Arm(135, 0),
        ),
        10,
    )
    end = _place(end, "pelvis", x=_pt(start, "pelvis")[0] + 6)
    return (
        Frame(start, caption="squat, arms back", words="in a squat with the arms swung back."),
        Frame(
            end,
            (*_air_marks("near_toe"), _up_arrow(At("pelvis", -16, -10))),
            "jump up",
            "jumped straight up, arms swinging up, landing softly back into the squat.",
        ),
    )


# -------------------------------------------------------------- running drills

ARM_FWD = Arm(55, 90)
ARM_BACK = Arm(-35, 95)


def _drill(
    knee_up: Leg, *, stance: Leg, near_up: bool, air: float = 0.0, trunk: float = 4.0
) -> Pose:
    near, far = (knee_up, stance) if near_up else (stance, knee_up)
    # the arm opposite the lifted knee swings forward
    near_arm, far_arm = (ARM_BACK, ARM_FWD) if near_up else (ARM_FWD, ARM_BACK)
    p = _stand(trunk=trunk, near=near, far=far, near_arm=near_arm, far_arm=far_arm)
    return _lift(p, air)


KNEE_DRIVE = Leg(92, 95, -10)
BALL_STANCE = _flat(0, 3, 4, 14)


@_exercise("a_march")
def _a_march() -> tuple[Frame, Frame]:
    stance = _flat(0, 0, 4, 10)
    return (
        Frame(
            _drill(KNEE_DRIVE, stance=stance, near_up=True),
            caption="knee up, toes up",
            words="standing tall on one foot, the other knee driven up to hip height, "
            "toes pulled up, opposite arm forward.",
        ),
        Frame(
            _drill(KNEE_DRIVE, stance=stance, near_up=False),
            caption="switch legs",
            words="stepped down under the hip and the other knee driven up; marching on.",
        ),
    )


@_exercise("a_skip")
def _a_skip() -> tuple[Frame, Frame]:
    start = _drill(KNEE_DRIVE, stance=BALL_STANCE, near_up=True)
    end = _drill(KNEE_DRIVE, stance=Leg(0, 3, 25), near_up=False, air=6)
    return (
        Frame(
            start,
            caption="knee up",
            words="on the ball of one foot, the other knee up, opposite arm forward.",
        ),
        Frame(
            end,
            _air_marks("near_toe"),
            "skip, switch legs",
            "a small skip off the standing foot as the legs switch.",
        ),
    )


@_exercise("high_knees")
def _high_knees() -> tuple[Frame, Frame]:
    lift = Leg(100, 110, 5)
    stance = _flat(0, 5, 4, 25)
    return (
        Frame(
            _drill(lift, stance=stance, near_up=True),
            caption="knee high",
            words="running in place on the balls of the feet, one knee high.",
        ),
        Frame(
            _drill(lift, stance=stance, near_up=False),
            caption="quick switch",
            words="the other knee high, switching quickly.",
        ),
    )


@_exercise("butt_kicks")
def _butt_kicks() -> tuple[Frame, Frame]:
    kick = Leg(8, 145, 35)
    stance = _flat(0, 5, 4, 20)
    return (
        Frame(
            _drill(kick, stance=stance, near_up=True),
            caption="heel to buttock",
            words="jogging in place, one heel flicked up to the buttock.",
        ),
        Frame(
            _drill(kick, stance=stance, near_up=False),
            caption="switch quickly",
            words="the other heel flicked up, switching quickly.",
        ),
    )


@_exercise("strides")
def _strides() -> tuple[Frame, Frame]:
    start = _stand(
        80,
        trunk=10,
        near=_flat(16, 30, 10),
        far=Leg(45, 115, 5),
        near_arm=ARM_BACK,
        far_arm=ARM_FWD,
    )
    end = _in_air(
        _stand(
            115,
            trunk=12,
            near=Leg(-28, 30, 35),
            far=Leg(60, 40, 0),
            near_arm=Arm(-40, 80),
            far_arm=Arm(60, 80),
        ),
        7,
    )
    return (
        Frame(
            start,
            (Motion(At("neck", -4, -6), "speed"),),
            "build up speed",
            "running tall, building up speed.",
        ),
        Frame(
            end,
            (Motion(At("neck", -4, -6), "speed"), Motion(At("near_toe", -2, -2))),
            "fast and relaxed",
            "long, fast, relaxed strides for about 20 seconds.",
        ),
    )


@_exercise("metronome_run")
def _metronome_run() -> tuple[Frame, Frame]:
    def run(near_lands: bool) -> Pose:
        landing, swing = _flat(18, 18, 6), Leg(25, 95, 0)
        near, far = (landing, swing) if near_lands else (swing, landing)
        near_arm, far_arm = (ARM_BACK, ARM_FWD) if near_lands else (ARM_FWD, ARM_BACK)
        return _stand(110, trunk=6, near=near, far=far, near_arm=near_arm, far_arm=far_arm)

    metronome = Metronome(40, 110)
    return (
        Frame(
            run(True),
            (metronome,),
            "step on the beat",
            "running easily, one foot landing under the body on a beat.",
        ),
        Frame(
            run(False),
            (metronome,),
            "next foot, next beat",
            "the other foot landing on the next beat: short, quick steps.",
        ),
    )


# -------------------------------------------------------------- the finished table

#: Start and end frame of every exercise in the library, in library order.
POSES: dict[str, tuple[Frame, Frame]] = {key: _BUILDERS[key]() for key in KEYS}
