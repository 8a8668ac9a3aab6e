"""Stretches."""

from __future__ import annotations

from plans.illustrations.figure import Arm, Leg, Pose
from plans.illustrations.posing import _hand_to, _leg_to, _place, _swap
from plans.illustrations.props import Frame, Prop, Wall

from .blocks import _exercise, _pt, _stand

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
