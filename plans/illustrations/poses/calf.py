"""Calf, Achilles and foot exercises."""

from __future__ import annotations

import math
from dataclasses import replace

from plans.illustrations.figure import At, Leg, Pose
from plans.illustrations.posing import _flat, _hand_to, _leg_to, _place, _rest
from plans.illustrations.props import (
    TOWEL_R,
    Arrow,
    Backpack,
    Box,
    Chair,
    FootDetail,
    Frame,
    Towel,
    Wall,
    Weight,
)

from .blocks import HOLD, _exercise, _hands_on_thighs, _pt, _seated, _stand, _up_arrow


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


@_exercise("eccentric_heel_drop_floor")
def _heel_drop_floor() -> tuple[Frame, Frame]:
    # Insertional Achilles: lowered to the floor, never over a step edge (Jonsson 2008).
    up, down = _single_calf(0)[1], _single_calf(0)[0]
    wall = Wall(140)
    return (
        Frame(
            up,
            (wall,),
            "up on the toes, flat floor",
            "up on the ball of one foot on a flat floor, fingertips on a wall.",
        ),
        Frame(
            down,
            (wall, Arrow(At("near_heel", -6, 14), At("near_heel", -6, 2))),
            "lower to the floor slowly",
            "the heel lowered slowly to the floor and no further, knee straight.",
        ),
    )


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
