"""The stick figure's proportions and its pose model (joint angles), as the poses set them.

The figure
----------
A :class:`Pose` is solved with simple forward kinematics: from the hip centre (the
root) up the trunk to the neck and head and out along each arm, and from the hip
joints down each leg to the foot. Segment lengths follow standard anthropometric
proportions of a 118-unit-tall person (thigh and shank 0.245 H, trunk 0.29 H ...).

Angles are in degrees. The body is built in 3D and projected by a camera:

* ``view="side"`` (sagittal): the figure faces right; the near (right) limbs are drawn
  in dark teal, the far (left) limbs in light grey.
* ``view="front"``: the figure faces the viewer; its right side is on the image left.
  Colours stay tied to the side (right teal, left grey), so left and right still
  read apart. ``elevation`` tilts the camera down to show depth (clamshell).

Joint angles:

* ``trunk``: pitch from vertical, + leaning forward. -90 lies on the back (head to the
  left in the side view), +90 face down (head to the right).
* ``roll``: rotation about the body's forward axis, + turns the right side up (the
  figure lies on its left side at 90).
* ``side_bend``: trunk lateral flexion relative to the pelvis, + towards the right.
* ``head``: neck flexion, + chin towards the chest.
* :class:`Leg`: ``hip`` flexion (+ thigh forward), ``knee`` flexion (+, the shank swings
  backwards), ``ankle`` plantarflexion (+ toes down), ``toes`` extension at the ball
  of the foot (+ toes up), ``abduction`` (+ away from the midline) and ``rotation``
  (+ external: turns the knee out about the hip-to-ankle line, as in a clamshell).
* :class:`Arm`: ``shoulder`` flexion (+ forward, 180 overhead), ``elbow`` flexion
  (+, the forearm swings forwards), ``abduction``.

Frame canvas: 200 x 160 units per frame, x to the right, y = height above the floor.
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------ proportions

THIGH = 29.0  # hip joint to knee
SHANK = 29.0  # knee to ankle
TRUNK = 34.0  # hip centre to the base of the neck
NECK = 5.5
HEAD_R = 7.5
UPPER_ARM = 22.0
FOREARM = 21.0  # elbow to the middle of the hand
HIP_HALF = 8.0  # hip joint to the midline
PELVIS_HALF = 12.0  # iliac crest to the midline
SHOULDER_HALF = 13.0
ANKLE_H = 5.0  # ankle joint above the sole
HEEL_BACK = 3.5
BALL_FWD = 10.5
TOE_LEN = 4.5
STAND_HIP = THIGH + SHANK + ANKLE_H  # 63: hip height when standing straight

# ------------------------------------------------------------------ pose model


@dataclass(frozen=True)
class Leg:
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    toes: float = 0.0
    abduction: float = 0.0
    rotation: float = 0.0


@dataclass(frozen=True)
class Arm:
    shoulder: float = 0.0
    elbow: float = 0.0
    abduction: float = 0.0


ARM_DOWN = Arm(4, 10)


@dataclass(frozen=True)
class Pose:
    """A stick-figure pose: root (hip centre) position plus joint angles.

    ``x`` is the horizontal canvas position of the hip centre and ``y`` its height
    above the floor (0-200 x 0-160 canvas per frame).
    """

    x: float
    y: float
    trunk: float = 0.0
    head: float = 0.0
    near_arm: Arm = ARM_DOWN
    far_arm: Arm = ARM_DOWN
    near_leg: Leg = Leg()
    far_leg: Leg = Leg()
    view: str = "side"  # "side" or "front"
    roll: float = 0.0
    side_bend: float = 0.0
    elevation: float = 0.0
    eyes: str = "open"  # "open" or "closed"

    def __post_init__(self) -> None:
        if self.view not in ("side", "front"):
            raise ValueError(f"view must be 'side' or 'front', not {self.view!r}")
        if self.eyes not in ("open", "closed"):
            raise ValueError(f"eyes must be 'open' or 'closed', not {self.eyes!r}")


@dataclass(frozen=True)
class At:
    """A point on the body (see :func:`body_points` for names), optionally offset."""

    name: str
    dx: float = 0.0
    dy: float = 0.0


Point = tuple[float, float] | At
