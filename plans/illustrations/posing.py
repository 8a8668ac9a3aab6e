"""Helpers the poses are built with: resting on the floor, placing a joint, reaching
a point with a leg or an arm."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from .figure import ANKLE_H, BALL_FWD, FOREARM, HEEL_BACK, SHANK, THIGH, UPPER_ARM, Arm, Leg, Pose
from .kinematics import _cos, _sin, body_points, lowest


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
