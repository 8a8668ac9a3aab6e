"""Hip exercises: bridges, hip thrust, side-lying work, band walks, hip hike, deadlift."""

from __future__ import annotations

import math
from dataclasses import replace

from plans.illustrations.figure import TRUNK, Arm, At, Leg, Pose
from plans.illustrations.kinematics import body_points
from plans.illustrations.posing import _angle_of, _flat, _hand_to, _leg_to, _place, _rest
from plans.illustrations.props import Arrow, Band, Box, Frame, Wall, Weight

from .blocks import _bridge, _exercise, _pt, _stand, _up_arrow

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
