"""Every exercise's start and end frame, built once at import in library order.

Each module registers its exercises' builders with ``@_exercise(key)`` (blocks.py), by body
region; POSES is read from that registry once every module is imported.
"""

from __future__ import annotations

from plans.catalogue import KEYS
from plans.illustrations.props import Frame

# Importing each module registers its exercises' builders in blocks._BUILDERS.
from . import balance, calf, drills, hamstrings, hip, hops, knee, stretches, trunk  # noqa: F401
from .blocks import _BUILDERS

#: Start and end frame of every exercise in the library, in library order.
POSES: dict[str, tuple[Frame, Frame]] = {key: _BUILDERS[key]() for key in KEYS}
