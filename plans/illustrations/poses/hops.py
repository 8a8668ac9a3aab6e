"""Hops and jumps."""

from __future__ import annotations

from dataclasses import replace

from plans.illustrations.figure import Arm, At, Leg, Pose
from plans.illustrations.posing import _flat, _lift, _place, _rest
from plans.illustrations.props import Arrow, FloorLine, Frame, Motion

from .blocks import _exercise, _pt, _stand, _up_arrow

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
