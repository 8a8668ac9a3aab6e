"""Single-leg balance exercises."""

from __future__ import annotations

from plans.illustrations.figure import Arm, At, Leg, Pose
from plans.illustrations.posing import _flat, _place
from plans.illustrations.props import Arrow, Cushion, Frame

from .blocks import HOLD, _exercise, _pt, _stand


def _one_leg(eyes: str = "open", **kw: object) -> Pose:
    return _stand(
        near=Leg(),
        far=Leg(70, 95, 10),
        near_arm=Arm(0, 10, 10),
        far_arm=Arm(0, 10, 10),
        eyes=eyes,
        **kw,
    )  # type: ignore[arg-type]


@_exercise("single_leg_balance")
def _balance() -> tuple[Frame, Frame]:
    return (
        Frame(_stand(), caption="stand tall", words="standing tall on both feet."),
        Frame(_one_leg(), caption=HOLD, words="one foot lifted, balancing on the other leg."),
    )


@_exercise("single_leg_balance_eyes_closed")
def _balance_eyes() -> tuple[Frame, Frame]:
    return (
        Frame(_stand(), caption="stand tall", words="standing tall on both feet, eyes open."),
        Frame(
            _one_leg("closed"),
            caption="eyes closed, hold",
            words="one foot lifted and the eyes closed, balancing on the other leg.",
        ),
    )


@_exercise("single_leg_balance_reach")
def _balance_reach() -> tuple[Frame, Frame]:
    start = _one_leg()
    heel = _pt(start, "near_heel")
    end = _stand(
        trunk=45,
        near=_flat(75, 45, 45),
        far=Leg(-5, 10, 10),
        near_arm=Arm(95, 0),
        far_arm=Arm(95, 0),
    )
    end = _place(end, "near_heel", x=heel[0])
    return (
        Frame(start, caption="stand on one leg", words="balancing on one leg."),
        Frame(
            end,
            (Arrow(At("near_hand", -16, 8), At("near_hand", 0, 2), bend=-4),),
            "reach forward",
            "reaching forward and down with both hands, the standing knee "
            "bent and the free leg reaching back.",
        ),
    )


@_exercise("single_leg_balance_cushion")
def _balance_cushion() -> tuple[Frame, Frame]:
    start = _stand(on=6)
    heel = _pt(start, "near_heel")
    cushion = Cushion(heel[0] - 7, 36, 6)
    end = _place(_one_leg(on=6), "near_heel", x=heel[0])
    return (
        Frame(start, (cushion,), "stand on a cushion", "standing on a wobbly cushion."),
        Frame(end, (cushion,), HOLD, "balancing on one leg on the cushion."),
    )
