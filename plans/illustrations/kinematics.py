"""Forward kinematics: a pose's joints in 3D from its angles, projected by the camera."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .figure import (
    ANKLE_H,
    BALL_FWD,
    FOREARM,
    HEAD_R,
    HEEL_BACK,
    HIP_HALF,
    NECK,
    PELVIS_HALF,
    SHANK,
    SHOULDER_HALF,
    THIGH,
    TOE_LEN,
    TRUNK,
    UPPER_ARM,
    Pose,
)

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
