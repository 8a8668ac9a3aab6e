"""Hamstring exercises: Nordic, isometric bridge, slider curl."""

from __future__ import annotations

from plans.illustrations.figure import Arm, At, Leg, Pose
from plans.illustrations.posing import _place, _rest
from plans.illustrations.props import Arrow, Frame, Roller, Slider

from .blocks import HOLD, _bridge, _exercise, _up_arrow


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
