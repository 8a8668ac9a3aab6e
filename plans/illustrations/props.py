"""The props a frame shows beside the figure, and the frame itself."""

from __future__ import annotations

from dataclasses import dataclass

from .figure import Point, Pose


@dataclass(frozen=True)
class Box:
    """A step, box or bench standing on the floor (``y`` lifts it off the floor)."""

    x: float
    w: float
    h: float
    y: float = 0.0


@dataclass(frozen=True)
class Bench:
    """A bench: a padded top ``h`` above the floor on two legs, open underneath."""

    x: float
    w: float
    h: float


@dataclass(frozen=True)
class Wall:
    x: float
    side: str = "right"  # which side of the figure the wall is on


@dataclass(frozen=True)
class Chair:
    x: float  # front edge of the seat
    seat: float = 30.0
    depth: float = 26.0
    facing: str = "right"  # the way a person sitting on it faces
    recline: float = 0.0  # backrest tilt from vertical


@dataclass(frozen=True)
class Band:
    a: Point
    b: Point
    via: Point | None = None


@dataclass(frozen=True)
class Anchor:
    """A ring on a wall or post that a band is tied to."""

    at: Point


@dataclass(frozen=True)
class Weight:
    at: Point
    kind: str = "dumbbell"  # "dumbbell" or "plate"
    angle: float = 0.0  # 0: bar horizontal


@dataclass(frozen=True)
class Backpack:
    """A loaded backpack on the figure's back."""


@dataclass(frozen=True)
class Cushion:
    x: float
    w: float = 34.0
    h: float = 6.0


TOWEL_R = 3.0


@dataclass(frozen=True)
class Towel:
    at: Point  # centre of the rolled towel


@dataclass(frozen=True)
class Slider:
    at: Point  # the heel resting on it


@dataclass(frozen=True)
class FloorLine:
    """A line on the floor (running away from the viewer), for line hops."""

    x: float


@dataclass(frozen=True)
class Metronome:
    x: float
    y: float


@dataclass(frozen=True)
class Arrow:
    a: Point
    b: Point
    bend: float = 0.0  # bulge of a curved arrow, + to the left of a -> b


@dataclass(frozen=True)
class Motion:
    """Short motion lines: below a point ("air": off the floor) or behind it ("speed")."""

    at: Point
    kind: str = "air"


@dataclass(frozen=True)
class Roller:
    """A padded roller on a post, holding the heels down (Nordic curl)."""

    at: Point


@dataclass(frozen=True)
class Plate:
    """A foot plate (leg press), a thick line centred on ``at`` at ``angle`` from vertical."""

    at: Point
    length: float = 40.0
    angle: float = 0.0


@dataclass(frozen=True)
class FootDetail:
    """A magnified side view of the foot in a circle, for foot-muscle exercises.

    ``arch`` 0 is a relaxed arch, 1 a domed (short) foot; ``big_toe`` and
    ``small_toes`` lift the toes in degrees.
    """

    x: float
    y: float
    arch: float = 0.0
    big_toe: float = 0.0
    small_toes: float = 0.0
    points_to: Point | None = None


Prop = (
    Box
    | Bench
    | Wall
    | Chair
    | Band
    | Anchor
    | Weight
    | Backpack
    | Cushion
    | Towel
    | Slider
    | FloorLine
    | Metronome
    | Arrow
    | Motion
    | Roller
    | Plate
    | FootDetail
)


@dataclass(frozen=True)
class Frame:
    """One picture: a pose, its props, a short caption and a sentence for ``<desc>``."""

    pose: Pose
    props: tuple[Prop, ...] = ()
    caption: str = ""
    words: str = ""
