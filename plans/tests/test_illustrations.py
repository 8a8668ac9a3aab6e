"""The exercise line drawings: every library exercise has a start and an end frame that
render to safe, valid, deterministic SVG, with the body where it should be."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import fields, replace
from pathlib import Path

import pytest

from plans import catalogue, illustrations
from plans.illustrations import (
    POSES,
    Arm,
    At,
    Bench,
    Box,
    Chair,
    Cushion,
    Frame,
    Leg,
    Pose,
    body_points,
    feet_lowest,
    heights,
    lowest,
    render,
    render_frame,
)

KEYS = list(catalogue.KEYS)

# Drawings that lie, sit or kneel on the floor: the body rests on the floor line.
FLOOR = {
    "glute_bridge",
    "single_leg_bridge",
    "hamstring_bridge",
    "clamshell",
    "side_lying_hip_abduction",
    "side_plank_knees",
    "side_plank",
    "side_plank_leg_lift",
    "front_plank",
    "dead_bug",
    "copenhagen_plank_short",
    "copenhagen_plank",
    "nordic_hamstring",
    "isometric_hamstring_bridge",
    "slider_hamstring_curl",
    "hip_flexor_stretch",
}
HOPS = {"pogo_hops", "single_leg_hops", "forward_hops", "lateral_line_hops", "squat_jump"}
# frames drawn in the air: the end of every hop, a skip and a running stride
AIRBORNE = {(key, 1) for key in HOPS} | {("a_skip", 1), ("strides", 1)}
STRETCHES = {"hip_flexor_stretch", "calf_stretch", "soleus_stretch", "quadriceps_stretch"}
BALANCE = {
    "single_leg_balance",
    "single_leg_balance_eyes_closed",
    "single_leg_balance_reach",
    "single_leg_balance_cushion",
}
FRONT_VIEW = {"side_plank", "side_plank_knees", "side_plank_leg_lift", "lateral_band_walk"}

TOUCH = 3.0  # a point this close to a surface touches it (strokes are 3 units wide)


def _frames():
    for key in KEYS:
        for index, frame in enumerate(POSES[key]):
            yield key, index, frame


def _angles(pose: Pose) -> tuple:
    """Every joint angle of a pose (not its position)."""
    skip = {"x", "y"}
    return tuple(getattr(pose, f.name) for f in fields(pose) if f.name not in skip)


def _surfaces(frame: Frame) -> list[tuple[float, float, float]]:
    """(height, x from, x to) of everything the body can rest on."""
    out = [(0.0, -1e9, 1e9)]
    for prop in frame.props:
        if isinstance(prop, Box):
            out.append((prop.y + prop.h, prop.x, prop.x + prop.w))
        elif isinstance(prop, (Bench, Cushion)):
            out.append((prop.h, prop.x, prop.x + prop.w))
        elif isinstance(prop, Chair):
            back = prop.x - prop.depth if prop.facing == "right" else prop.x + prop.depth
            out.append((prop.seat, min(prop.x, back), max(prop.x, back)))
    return out


def _touches(frame: Frame) -> bool:
    pts = body_points(frame.pose)
    hs = heights(frame.pose)
    for name, h in hs.items():
        x = pts["head" if name == "head_bottom" else name].x
        for top, x0, x1 in _surfaces(frame):
            if x0 - TOUCH <= x <= x1 + TOUCH and -0.5 <= h - top <= TOUCH:
                return True
    return False


# ------------------------------------------------------------------ coverage


def test_every_exercise_has_exactly_one_pair_of_frames():
    assert list(POSES) == KEYS
    assert set(POSES) == set(catalogue.KEYS)
    for key in KEYS:
        start, end = POSES[key]
        assert isinstance(start, Frame) and isinstance(end, Frame), key
        assert start.words and end.words, key


def test_unknown_key_is_refused():
    with pytest.raises(KeyError):
        render("moonwalk")


# ------------------------------------------------------------------ the svg


@pytest.mark.parametrize("key", KEYS)
def test_render_is_valid_svg_with_title_desc_and_two_frames(key):
    svg = render(key)
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "360" and root.get("height") == "150"
    assert root.find("title").text == catalogue.NAMES[key]
    desc = root.find("desc").text
    assert desc.startswith("Start: ") and " End: " in desc
    frames = [g for g in root.iter("g") if g.get("class") == "frame"]
    assert len(frames) == 2
    assert [next(g.iter("text")).text for g in frames] == ["Start", "End"]
    # near limbs dark teal, far limbs grey, round caps, nothing filled but head and props
    assert 'stroke="#0b5c6b"' in svg and 'stroke="#9ca3af"' in svg
    assert 'stroke-linecap="round"' in svg
    for el in root.iter():
        assert el.get("font-family") in (None, "sans-serif")


def test_size_is_configurable():
    root = ET.fromstring(render("glute_bridge", width=720, height=300))
    assert (root.get("width"), root.get("height")) == ("720", "300")


@pytest.mark.parametrize("key", KEYS)
def test_no_external_resources_or_script(key):
    svg = render(key).lower()
    for bad in ("http", "file:", "<script", "href", "url(", "<image", "<foreignobject", "onload"):
        assert bad not in svg, (key, bad)


def test_render_is_deterministic_within_and_across_processes():
    first = {key: render(key) for key in KEYS}
    assert first == {key: render(key) for key in KEYS}
    code = (
        "import json, sys\n"
        "from plans.illustrations import render\n"
        "from plans.catalogue import KEYS\n"
        "json.dump({k: render(k) for k in KEYS}, sys.stdout)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(illustrations.__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == first


def test_interpolated_text_is_escaped():
    frame = Frame(Pose(100, 63), caption='<script>alert("x")</script> & \x00', words="w")
    group = render_frame(frame, label="Start <b>")
    assert "<script" not in group and "<b>" not in group and "\x00" not in group
    root = ET.fromstring(f"<svg>{group}</svg>")
    assert [t.text for t in root.iter("text")] == [
        "Start <b>",
        '<script>alert("x")</script> & ',
    ]


def test_render_frame_is_a_group():
    group = render_frame(POSES["glute_bridge"][0])
    assert ET.fromstring(group).tag == "g"


# ------------------------------------------------------------------ the body


@pytest.mark.parametrize(("key", "index", "frame"), list(_frames()))
def test_body_never_sinks_into_the_floor(key, index, frame):
    assert lowest(frame.pose) >= -0.5, (key, index)


@pytest.mark.parametrize("key", sorted(FLOOR))
def test_floor_exercises_rest_on_the_floor_line(key):
    for frame in POSES[key]:
        assert -0.5 <= lowest(frame.pose) <= TOUCH, key


@pytest.mark.parametrize(
    ("key", "index", "frame"), [f for f in _frames() if (f[0], f[1]) not in AIRBORNE]
)
def test_grounded_frames_rest_on_the_floor_a_step_a_cushion_or_a_seat(key, index, frame):
    assert _touches(frame), (key, index)


@pytest.mark.parametrize("key", sorted(HOPS))
def test_hops_end_in_the_air_with_a_motion_mark(key):
    start, end = POSES[key]
    assert feet_lowest(start.pose) <= TOUCH, key
    assert lowest(end.pose) > 5, key
    assert feet_lowest(end.pose) > 5, key
    assert any(isinstance(p, illustrations.Motion) for p in end.props), key


@pytest.mark.parametrize("key", sorted(BALANCE))
def test_balance_ends_on_one_foot(key):
    end = POSES[key][1]
    hs = heights(end.pose)
    stance = min(hs[f"near_{n}"] for n in ("heel", "ball", "toe"))
    free = min(hs[f"far_{n}"] for n in ("ankle", "heel", "ball", "toe"))
    assert free > stance + 8, key


def test_eyes_closed_balance_closes_the_eyes():
    start, end = POSES["single_leg_balance_eyes_closed"]
    assert (start.pose.eyes, end.pose.eyes) == ("open", "closed")


@pytest.mark.parametrize("key", [k for k in KEYS if k not in STRETCHES])
def test_start_and_end_differ(key):
    start, end = POSES[key]
    assert _angles(start.pose) != _angles(end.pose), key


@pytest.mark.parametrize("key", sorted(STRETCHES))
def test_stretches_hold_the_same_position_on_each_side(key):
    start, end = POSES[key]
    assert "hold" in start.caption
    assert end.pose.near_leg == start.pose.far_leg
    assert end.pose.near_arm == start.pose.far_arm
    assert end.pose.far_leg == start.pose.near_leg


@pytest.mark.parametrize("key", sorted(FRONT_VIEW))
def test_lateral_exercises_are_seen_from_the_front(key):
    assert {frame.pose.view for frame in POSES[key]} == {"front"}


def test_every_pose_uses_a_known_view():
    assert {f.pose.view for _, _, f in _frames()} <= {"side", "front"}


@pytest.mark.parametrize("key", KEYS)
def test_drawings_fit_their_frames(key):
    svg = render(key)
    root = ET.fromstring(svg)
    # everything of a frame stays inside its 200-unit column and above the caption row
    for g in (g for g in root.iter("g") if g.get("class") == "frame"):
        for el in g.iter():
            for attr in ("x1", "x2", "cx", "x"):
                if el.get(attr) is not None:
                    x = float(el.get(attr))
                    assert -2 <= x <= illustrations.VIEW_W + 2, (key, el.tag, attr, x)
    for frame in POSES[key]:
        # the highest point (head top, a raised hand) stays below the "Start"/"End" labels
        top = max(q.y for q in body_points(frame.pose).values()) + illustrations.STROKE / 2
        assert top <= illustrations.TOP_H, key
    (lo0, hi0), (lo1, hi1) = (illustrations._extent(f) for f in POSES[key])
    assert max(hi0, hi1) - min(lo0, lo1) <= illustrations.FRAME_W, key


# ------------------------------------------------------------------ kinematics


def test_standing_proportions_and_contact():
    pose = illustrations._rest(Pose(100, 80))
    hs = heights(pose)
    assert hs["pelvis"] == pytest.approx(illustrations.STAND_HIP, abs=0.01)
    assert hs["near_heel"] == pytest.approx(0, abs=0.01)
    top = body_points(pose)["head_top"].h
    assert top == pytest.approx(118, abs=1)  # a 118-unit person
    # hip at 0.53 of the height, shoulders at about 0.82
    assert hs["pelvis"] / top == pytest.approx(0.53, abs=0.02)
    assert hs["neck"] / top == pytest.approx(0.82, abs=0.02)


def test_knees_bend_backwards_and_elbows_forwards():
    pose = Pose(100, 63, near_leg=Leg(hip=0, knee=90), near_arm=Arm(shoulder=0, elbow=90))
    pts = body_points(pose)
    assert pts["near_ankle"].x < pts["near_knee"].x - 20  # the foot swings back
    assert pts["near_hand"].x > pts["near_elbow"].x + 15  # the hand swings forward
    flexed = body_points(replace(pose, near_leg=Leg(hip=90, knee=0)))
    assert flexed["near_knee"].x > flexed["near_hip"].x + 20  # hip flexion: thigh forward


def test_far_side_is_behind_in_side_view_and_mirrored_in_front_view():
    side = body_points(Pose(100, 63))
    assert side["near_hip"].depth > side["far_hip"].depth
    front = body_points(Pose(100, 63, view="front"))
    # facing the viewer, the figure's right (near) side is on the image left
    assert front["near_hip"].x < front["far_hip"].x


def test_unknown_view_is_refused():
    with pytest.raises(ValueError):
        Pose(0, 0, view="top")


def test_props_can_follow_the_body():
    frame = POSES["lateral_band_walk"][1]
    band = next(p for p in frame.props if isinstance(p, illustrations.Band))
    assert isinstance(band.a, At)
    assert band.a.name in body_points(frame.pose)
