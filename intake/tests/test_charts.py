"""Tests for intake.charts (pure Python SVG)."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from intake.charts import Point, change_summary, line_chart

SVG = "{http://www.w3.org/2000/svg}"
D = dt.date


def chart(points, **overrides):
    kwargs = {
        "title": "LEFS",
        "y_label": "score",
        "y_min": 0,
        "y_max": 80,
        "higher_is_better": True,
        "mcid": 9,
    }
    kwargs.update(overrides)
    return line_chart(points, **kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def find_all(root: ET.Element, tag: str) -> list[ET.Element]:
    return root.findall(f".//{SVG}{tag}")


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in find_all(root, "text")]


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def circle_ys(root: ET.Element) -> list[float]:
    return [float(c.get("cy")) for c in find_all(root, "circle")]


TWO = [Point(D(2026, 1, 5), 42), Point(D(2026, 2, 2), 55)]


# ------------------------------------------------------------ structure


def test_output_is_one_svg_element_that_parses():
    svg = chart(TWO)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 560 220"
    assert root.get("font-family") == "sans-serif"


def test_title_and_desc_are_present_and_referenced():
    root = parse(chart(TWO))
    title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "LEFS"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == description.get("id")


def test_desc_lists_the_points_and_the_change_in_words():
    root = parse(chart(TWO))
    expected = "LEFS: 42 on 2026-01-05, 55 on 2026-02-02; change +13, meets the MCID of 9."
    assert desc(root) == expected


def test_desc_says_when_the_mcid_is_not_met():
    root = parse(chart([Point(D(2026, 1, 5), 42), Point(D(2026, 2, 2), 50)]))
    assert desc(root).endswith("change +8, does not meet the MCID of 9.")


def test_desc_lower_is_better():
    points = [Point(D(2026, 1, 5), 7), Point(D(2026, 1, 19), 4.5)]
    root = parse(chart(points, title="NPRS", y_max=10, higher_is_better=False, mcid=2))
    assert (
        desc(root) == "NPRS: 7 on 2026-01-05, 4.5 on 2026-01-19; change -2.5, meets the MCID of 2."
    )


def test_desc_without_mcid_and_with_point_labels():
    points = [Point(D(2026, 1, 5), 42, "initial"), Point(D(2026, 2, 2), 42, "week 4")]
    root = parse(chart(points, mcid=None))
    assert desc(root) == "LEFS: 42 on 2026-01-05 (initial), 42 on 2026-02-02 (week 4); change 0."


def test_axes_have_a_few_y_ticks_and_short_date_labels():
    labels = texts(parse(chart(TWO)))
    assert {"0", "20", "40", "60", "80"} <= set(labels)
    assert "5 Jan 2026" in labels and "2 Feb" in labels


def test_fractional_ticks_are_round_numbers():
    labels = texts(parse(chart(TWO, y_max=10, mcid=None)))
    assert {"0", "2", "4", "6", "8", "10"} <= set(labels)


def test_latest_value_is_labelled():
    root = parse(chart(TWO))
    latest = [t for t in find_all(root, "text") if t.get("font-weight") == "bold"]
    assert [t.text for t in latest] == ["LEFS", "55"]  # the title, then the latest value


def test_line_colour_and_minimum_font_size():
    root = parse(chart(TWO))
    assert find_all(root, "path")[0].get("stroke") == "#0b5c6b"
    assert all(int(t.get("font-size")) >= 11 for t in find_all(root, "text"))


# --------------------------------------------------------------- points


def test_one_circle_per_non_none_point():
    points = [
        Point(D(2026, 1, 5), 42),
        Point(D(2026, 1, 19), None),
        Point(D(2026, 2, 2), 55),
        Point(D(2026, 3, 2), 61),
        Point(D(2026, 3, 9), None),
    ]
    root = parse(chart(points))
    assert len(find_all(root, "circle")) == 3
    assert "None" not in desc(root)
    assert desc(root).startswith("LEFS: 42 on 2026-01-05, 55 on 2026-02-02, 61 on 2026-03-02;")


def test_decimal_values_and_non_finite_values():
    points = [
        Point(D(2026, 1, 5), Decimal("42.5")),
        Point(D(2026, 1, 12), float("nan")),
        Point(D(2026, 2, 2), 55),
    ]
    root = parse(chart(points))
    assert len(find_all(root, "circle")) == 2
    assert (
        desc(root)
        == "LEFS: 42.5 on 2026-01-05, 55 on 2026-02-02; change +12.5, meets the MCID of 9."
    )


def test_points_are_drawn_in_date_order():
    shuffled = [TWO[1], TWO[0]]
    assert chart(shuffled) == chart(TWO)


def test_single_point_is_a_dot_without_a_line():
    root = parse(chart([Point(D(2026, 1, 5), 42)]))
    assert len(find_all(root, "circle")) == 1
    assert find_all(root, "path") == []
    assert desc(root) == "LEFS: 42 on 2026-01-05."
    assert "42" in texts(root)


def test_two_points_draw_one_line():
    root = parse(chart(TWO))
    paths = find_all(root, "path")
    assert len(paths) == 1
    assert paths[0].get("d").count("L") == 1


def test_higher_values_are_drawn_higher():
    y_first, y_latest = circle_ys(parse(chart(TWO)))
    assert y_latest < y_first  # SVG y grows downwards


@pytest.mark.parametrize("series", [[], [Point(D(2026, 1, 5), None)]])
def test_empty_series_says_no_data_yet(series):
    svg = chart(series)
    root = parse(svg)
    assert root.get("role") == "img"
    assert "No data yet" in texts(root)
    assert root.find(f"{SVG}title").text == "LEFS"
    assert desc(root) == "LEFS: no data yet."
    assert find_all(root, "circle") == []
    assert int(root.get("height")) < 100


def test_dates_spanning_years():
    points = [
        Point(D(2025, 11, 3), 30),
        Point(D(2025, 12, 29), 40),
        Point(D(2026, 1, 26), 50),
        Point(D(2027, 1, 4), 70),
    ]
    root = parse(chart(points, mcid=None))
    labels = texts(root)
    assert "3 Nov 2025" in labels
    assert "26 Jan 2026" in labels  # year shown where it changes
    assert "4 Jan 2027" in labels
    xs = [float(c.get("cx")) for c in find_all(root, "circle")]
    assert xs == sorted(xs)
    # spacing follows time: 8 weeks, 4 weeks, then almost a year
    assert (xs[3] - xs[2]) > 5 * (xs[2] - xs[1])


def test_x_labels_do_not_overlap_with_many_points():
    start = D(2025, 10, 6)
    points = [Point(start + dt.timedelta(weeks=i), 20 + i) for i in range(40)]
    root = parse(chart(points, mcid=None))
    date_labels = [t for t in find_all(root, "text") if t.get("text-anchor") == "middle"]
    assert 2 <= len(date_labels) < 40
    centres = [float(t.get("x")) for t in date_labels]
    assert centres == sorted(centres)
    assert min(b - a for a, b in zip(centres, centres[1:], strict=False)) > 40
    assert date_labels[0].text == "6 Oct 2025"
    assert date_labels[-1].text == f"{points[-1].date.day} Jul 2026"


def test_values_outside_the_range_are_clamped_but_described_truly():
    points = [Point(D(2026, 1, 5), -5), Point(D(2026, 2, 2), 95)]
    root = parse(chart(points, mcid=None))
    inside = parse(chart([Point(D(2026, 1, 5), 0), Point(D(2026, 2, 2), 80)], mcid=None))
    assert circle_ys(root) == circle_ys(inside)  # drawn at y_min and y_max
    assert desc(root) == "LEFS: -5 on 2026-01-05, 95 on 2026-02-02; change +100."
    assert "95" in texts(root)  # the latest label states the true value


# ------------------------------------------------------------------ MCID


def test_mcid_band_only_when_mcid_given():
    with_mcid = parse(chart(TWO))
    without = parse(chart(TWO, mcid=None))
    assert len(with_mcid.findall(f".//{SVG}rect[@class='mcid-band']")) == 1
    assert len(with_mcid.findall(f".//{SVG}line[@class='mcid-line']")) == 1
    assert without.findall(f".//{SVG}rect[@class='mcid-band']") == []
    assert without.findall(f".//{SVG}line[@class='mcid-line']") == []
    assert not any("MCID" in t for t in texts(without))
    assert "MCID: +9 from first" in texts(with_mcid)


def test_mcid_band_runs_from_first_value_in_the_good_direction():
    root = parse(chart(TWO))
    band = root.find(f".//{SVG}rect[@class='mcid-band']")
    line = root.find(f".//{SVG}line[@class='mcid-line']")
    y_first = circle_ys(root)[0]
    top, height = float(band.get("y")), float(band.get("height"))
    assert top + height == pytest.approx(y_first, abs=0.1)  # band above the first value
    assert float(line.get("y1")) == pytest.approx(top, abs=0.1)
    assert height == pytest.approx(9 / 80 * (220 - 46 - 26), abs=0.2)


def test_mcid_band_lower_is_better_goes_down():
    points = [Point(D(2026, 1, 5), 7), Point(D(2026, 1, 19), 4)]
    root = parse(chart(points, title="NPRS", y_max=10, higher_is_better=False, mcid=2))
    band = root.find(f".//{SVG}rect[@class='mcid-band']")
    assert float(band.get("y")) == pytest.approx(circle_ys(root)[0], abs=0.1)
    assert "MCID: -2 from first" in texts(root)


def test_mcid_threshold_beyond_the_range_has_no_dashed_line():
    root = parse(chart([Point(D(2026, 1, 5), 75)]))
    assert root.findall(f".//{SVG}line[@class='mcid-line']") == []
    assert len(root.findall(f".//{SVG}rect[@class='mcid-band']")) == 1


# -------------------------------------------------------------- escaping


def test_user_text_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    points = [Point(D(2026, 1, 5), 42, "<b>label</b>"), Point(D(2026, 2, 2), 55)]
    svg = chart(points, title=evil, y_label="<i>score</i>")
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == evil
    assert evil in texts(root)
    assert desc(root).startswith(f"{evil}: 42 on 2026-01-05 (<b>label</b>),")
    assert find_all(root, "script") == []


def test_characters_illegal_in_xml_are_dropped():
    svg = chart(TWO, title="LEFS\x00\x0b\x1f\ud800")
    assert parse(svg).find(f"{SVG}title").text == "LEFS"


def test_empty_chart_escapes_too():
    svg = chart([], title="<script>x</script>")
    assert "<script>" not in svg
    assert parse(svg).find(f"{SVG}title").text == "<script>x</script>"


# -------------------------------------------------------- checks/summary


@pytest.mark.parametrize(
    "overrides",
    [
        {"y_min": 10, "y_max": 10},
        {"y_min": 10, "y_max": 0},
        {"y_max": float("inf")},
        {"mcid": 0},
        {"mcid": -2},
        {"mcid": float("nan")},
        {"width": 100},
        {"height": 60},
    ],
)
def test_invalid_arguments_raise(overrides):
    with pytest.raises(ValueError):
        chart(TWO, **overrides)


@pytest.mark.parametrize(
    ("first", "latest", "mcid", "higher", "expected"),
    [
        (42, 55, 9, True, (13, True)),
        (42, 50, 9, True, (8, False)),
        (42, 51, 9, True, (9, True)),  # exactly the MCID meets it
        (55, 42, 9, True, (-13, False)),  # a drop is the wrong direction
        (7, 4, 2, False, (-3, True)),
        (7, 6, 2, False, (-1, False)),
        (4, 7, 2, False, (3, False)),
        (42, 55, None, True, (13, None)),
        (4.1, 4.3, 0.2, True, (0.2, True)),  # no floating-point near miss
    ],
)
def test_change_summary(first, latest, mcid, higher, expected):
    assert change_summary(first, latest, mcid, higher) == expected


def test_change_summary_rejects_a_non_positive_mcid():
    with pytest.raises(ValueError):
        change_summary(1, 2, 0, True)
