"""Line drawings of every exercise in the library: a start and an end position.

Printed home-exercise plans are never text-only: each exercise in
:mod:`plans.catalogue` has a start and an end frame here, drawn by our own code as a
stick figure posed by joint angles, with a few simple props.

Pure Python, standard library only, no Django. :func:`render` returns one complete
inline ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; it uses presentation
attributes only (no CSS, no fonts beyond ``sans-serif``, no external resources, no
``xmlns`` URL), so browsers and WeasyPrint draw it the same way. Output is
deterministic: the same key always gives byte-identical SVG.

The package: figure.py (proportions and the pose model), props.py, kinematics.py and
posing.py (solving a pose), svg.py, drawing.py and render.py (the SVG), and poses/ (each
exercise's two frames, by body region). Names with a leading underscore are shared
between the package's modules only.
"""

from .figure import STAND_HIP, Arm, At, Leg, Pose
from .kinematics import Projected, body_points, feet_lowest, heights, lowest
from .poses import POSES
from .posing import _rest as _rest
from .props import (
    Anchor,
    Arrow,
    Backpack,
    Band,
    Bench,
    Box,
    Chair,
    Cushion,
    FloorLine,
    FootDetail,
    Frame,
    Metronome,
    Motion,
    Plate,
    Roller,
    Slider,
    Towel,
    Wall,
    Weight,
)
from .render import _extent as _extent
from .render import render, render_frame
from .svg import FRAME_W, STROKE, TOP_H, VIEW_W

__all__ = [
    "Anchor",
    "Arm",
    "Arrow",
    "At",
    "Backpack",
    "Band",
    "Bench",
    "Box",
    "Chair",
    "Cushion",
    "FRAME_W",
    "FloorLine",
    "FootDetail",
    "Frame",
    "Leg",
    "Metronome",
    "Motion",
    "POSES",
    "Plate",
    "Pose",
    "Projected",
    "Roller",
    "STAND_HIP",
    "STROKE",
    "Slider",
    "TOP_H",
    "Towel",
    "VIEW_W",
    "Wall",
    "Weight",
    "body_points",
    "feet_lowest",
    "heights",
    "lowest",
    "render",
    "render_frame",
]
