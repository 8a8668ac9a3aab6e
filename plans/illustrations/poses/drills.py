"""Running drills."""

from __future__ import annotations

from plans.illustrations.figure import Arm, At, Leg, Pose
from plans.illustrations.posing import _flat, _lift
from plans.illustrations.props import Frame, Metronome, Motion

from .blocks import _exercise, _stand
from .hops import _air_marks, _in_air

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
