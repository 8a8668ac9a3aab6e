"""Knee and thigh exercises: squats, lunges, step-ups and step-downs."""

from __future__ import annotations

from dataclasses import replace

from plans.illustrations.figure import HEEL_BACK, Arm, At, Leg, Pose
from plans.illustrations.kinematics import _cos, _sin, body_points, feet_lowest
from plans.illustrations.posing import _flat, _leg_to, _place, _solve
from plans.illustrations.props import Anchor, Arrow, Band, Box, Chair, Frame, Plate, Wall, Weight

from .blocks import HOLD, _exercise, _hands_on_thighs, _pt, _seated, _stand, _up_arrow


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
