"""The registry every exercise's drawing joins, and the poses several of them start from."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from plans.illustrations.figure import (
    ARM_DOWN,
    HEAD_R,
    NECK,
    STAND_HIP,
    TRUNK,
    Arm,
    At,
    Leg,
    Point,
    Pose,
)
from plans.illustrations.kinematics import body_points
from plans.illustrations.posing import _angle_of, _hand_to, _leg_to, _norm, _rest
from plans.illustrations.props import Arrow, Frame

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
