"""Trunk exercises: side planks, front plank, dead bug and the Copenhagen planks."""

from __future__ import annotations

from dataclasses import replace

from plans.illustrations.figure import Arm, At, Leg, Pose
from plans.illustrations.kinematics import heights
from plans.illustrations.posing import _place, _rest, _solve
from plans.illustrations.props import Arrow, Bench, Frame

from .blocks import HOLD, _exercise, _head_on_floor, _up_arrow


def _side_plank_pose(
    legs: tuple[Leg, Leg],
    *,
    hips_down: bool,
    top_arm: Arm | None = None,
    elevation: float = 0.0,
    support: str = "far_knee",
) -> Pose:
    """Side plank on the left forearm, seen from the front (head to the right).

    ``top_arm`` None: the top arm reaches to the ceiling; otherwise as given.
    """
    near_leg, far_leg = legs

    def make(value: float) -> Pose:
        roll, bend = (90.0, value) if hips_down else (value, 0.0)
        arm = top_arm or Arm(0, 0, 180 - roll + bend)
        return Pose(
            100,
            40,
            view="front",
            roll=roll,
            side_bend=bend,
            elevation=elevation,
            near_leg=near_leg,
            far_leg=far_leg,
            far_arm=Arm(0, 90, roll - bend),
            near_arm=arm,
        )

    def gap(value: float) -> float:
        p = make(value)
        hs = heights(p)
        return hs["far_elbow"] - hs[support]

    value = _solve(gap, 0.0, 80.0) if hips_down else _solve(gap, 50.0, 90.0)
    return _rest(make(value))


@_exercise("side_plank_knees")
def _side_plank_knees() -> tuple[Frame, Frame]:
    legs = (Leg(0, 90, 50, 0, -10), Leg(0, 90, 50))
    rest_arm = Arm(0, 0, -8)
    start = _side_plank_pose(
        legs, hips_down=True, elevation=40, support="far_hip", top_arm=rest_arm
    )
    end = _side_plank_pose(legs, hips_down=False, elevation=40)
    return (
        Frame(
            start,
            caption="on the forearm and knees",
            words="lying on the side, propped on the forearm, knees bent behind.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 4)),),
            "lift the hips",
            "hips lifted so the body is straight from knees to head, top arm up.",
        ),
    )


@_exercise("side_plank")
def _side_plank() -> tuple[Frame, Frame]:
    legs = (Leg(0, 0, 0, 0, -11), Leg())
    start = _side_plank_pose(legs, hips_down=True, support="far_hip", top_arm=Arm(0, 0, -8))
    end = _side_plank_pose(legs, hips_down=False, support="far_ankle")
    return (
        Frame(
            start,
            caption="on the forearm",
            words="lying on the side, propped on the forearm, legs straight and stacked.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 4)),),
            "lift the hips",
            "hips lifted so the body is straight from feet to head, top arm up.",
        ),
    )


@_exercise("side_plank_leg_lift")
def _side_plank_leg_lift() -> tuple[Frame, Frame]:
    start = _side_plank_pose(
        (Leg(0, 0, 0, 0, -11), Leg()), hips_down=False, support="far_ankle", top_arm=Arm(0, 0, -8)
    )
    end = replace(start, near_leg=Leg(0, 0, 0, 0, 30))
    return (
        Frame(
            start,
            caption="side plank",
            words="side plank on the forearm, body straight from feet to head.",
        ),
        Frame(
            end,
            (Arrow(At("near_ankle", 4, -6), At("near_ankle", 4, 10), bend=-4),),
            "lift the top leg",
            "top leg lifted while the hips stay up.",
        ),
    )


def _prone(trunk: float, legs_flat: bool) -> Pose:
    leg = Leg(trunk - 90, 0, 90) if legs_flat else Leg(0, 0, 0, trunk)
    arm = Arm(trunk, 90)
    return Pose(
        100,
        30,
        trunk,
        head=-trunk + 75 if legs_flat else 5,
        near_arm=arm,
        far_arm=arm,
        near_leg=leg,
        far_leg=leg,
    )


@_exercise("front_plank")
def _front_plank() -> tuple[Frame, Frame]:
    def gap_flat(t: float) -> float:
        hs = heights(_prone(t, True))
        return hs["far_elbow"] - hs["near_knee"]

    def gap_plank(t: float) -> float:
        hs = heights(_prone(t, False))
        return hs["far_elbow"] - min(hs["near_toe"], hs["near_ball"])

    start = _rest(_prone(_solve(gap_flat, 30, 89), True))
    end = _rest(_prone(_solve(gap_plank, 60, 89), False))
    start = _place(start, "near_elbow", x=130)
    end = _place(end, "near_elbow", x=130)
    return (
        Frame(
            start,
            caption="on the forearms",
            words="lying face down, propped on the forearms, elbows under the shoulders.",
        ),
        Frame(
            end,
            (_up_arrow(At("pelvis", 0, 5), 10),),
            HOLD,
            "body lifted onto forearms and toes, straight from head to heels, and held.",
        ),
    )


@_exercise("dead_bug")
def _dead_bug() -> tuple[Frame, Frame]:
    base = Pose(
        92,
        3,
        -90,
        near_arm=Arm(90, 0),
        far_arm=Arm(90, 0),
        near_leg=Leg(90, 90, 0),
        far_leg=Leg(90, 90, 0),
    )
    base = _head_on_floor(base)
    start = _rest(base)
    end = _rest(replace(base, near_arm=Arm(170, 0), far_leg=Leg(15, 0, 20)))
    return (
        Frame(
            start,
            caption="arms up, knees over hips",
            words="lying on the back, arms pointing to the ceiling, hips and knees bent to "
            "90 degrees.",
        ),
        Frame(
            end,
            (),
            "opposite arm and leg",
            words="one arm lowered overhead and the opposite leg straightened, both just above "
            "the floor, back kept flat.",
        ),
    )


def _copenhagen(long_lever: bool) -> tuple[Frame, Frame]:
    top = "near_ankle" if long_lever else "near_knee"
    bottom = "far_ankle" if long_lever else "far_knee"
    bench_top = 30.0
    on_bench = bench_top + 2.5

    def make(roll: float, bend: float = 0.0, far_abd: float = 0.0) -> Pose:
        return Pose(
            100,
            40,
            view="front",
            roll=roll,
            side_bend=bend,
            near_leg=Leg(),
            far_leg=Leg(abduction=far_abd),
            far_arm=Arm(0, 90, roll - bend),
            near_arm=Arm(0, 0, -8),
        )

    def support_gap(p: Pose) -> float:
        hs = heights(p)
        return hs[top] - hs["far_elbow"] - on_bench

    # end: straight body from the bench to the elbow; bottom leg lifted to the bench
    roll = _solve(lambda r: support_gap(make(r)), 45, 135)
    lifted = _solve(
        lambda a: (
            heights(make(roll, 0, a))[bottom] - heights(make(roll))["far_elbow"] - (bench_top - 10)
        ),
        -40,
        40,
    )
    end = _rest(make(roll, 0, lifted))
    # start: the same supports with the hips sagging and the bottom leg down on the floor
    sag = roll + 20
    bend = _solve(lambda b: support_gap(make(sag, b)), -40, 40)

    def foot_gap(a: float) -> float:
        hs = heights(make(sag, bend, a))
        return (
            min(hs[f"far_{n}"] for n in ("knee", "ankle", "heel", "ball", "toe")) - hs["far_elbow"]
        )

    dropped = _solve(foot_gap, -40, 60)
    start = _rest(make(sag, bend, dropped))
    edge = 46.0
    end = _place(end, top, x=edge - 2)
    start = _place(start, top, x=edge - 2)
    bench = Bench(edge - 44, 44, bench_top)
    what = "ankle" if long_lever else "knee"
    return (
        Frame(
            start,
            (bench,),
            f"top {what} on a bench",
            f"lying on the side on the forearm, the inside of the top {what} resting on a "
            "bench, hips low, the bottom leg on the floor.",
        ),
        Frame(
            end,
            (bench, _up_arrow(At("pelvis", 0, 4))),
            "lift hips and bottom leg",
            "hips lifted until the body is straight, the bottom leg lifted up to the bench.",
        ),
    )


@_exercise("copenhagen_plank_short")
def _copenhagen_short() -> tuple[Frame, Frame]:
    return _copenhagen(False)


@_exercise("copenhagen_plank")
def _copenhagen_long() -> tuple[Frame, Frame]:
    return _copenhagen(True)
