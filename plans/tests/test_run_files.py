"""Reading one run from a watch's file (plans/run_files.py).

Pure tests: no database. FIT files and a GPX track are generated (plans/tests/fit_samples.py),
TCX is written inline; broken files are made from good ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import random
import time

import pytest
from fit_tool.profile.profile_type import FileType, Sport
from fit_tool.utils.crc import crc16

from plans.run_files import (
    MAX_RUN_FILE_BYTES,
    RUNNING_SPEED_MIN_MPS,
    RunFileError,
    RunSummary,
    gpx_cadence_unit,
    read_run_file,
)
from plans.tests import fit_samples

START = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)
PATIENT_MESSAGE = "This file is not a run from a watch we can read: "


def _refused(data: bytes) -> str:
    with pytest.raises(RunFileError) as caught:
        read_run_file(data)
    message = str(caught.value)
    assert message.startswith(PATIENT_MESSAGE)
    return message


# ---- FIT ------------------------------------------------------------------------------------


def test_fit_run_with_running_dynamics_gives_every_field():
    summary = read_run_file(fit_samples.run_with_session(dynamics=True))

    assert summary == RunSummary(
        source="fit",
        started_at=START,
        duration_s=1800.0,  # timer time, not the 1830 s elapsed
        distance_m=5000.0,
        pace_s_per_km=360.0,  # 1800 s / 5 km
        cadence_spm=171.0,  # 2 x (85 + 0.5) strides per minute per leg
        cadence_read_as="per_leg",  # FIT and TCX hold one leg's strides
        step_length_m=1.05,  # the session average (1050 mm), not the records' 1000 mm
        ground_contact_ms=245.5,
        ground_contact_balance_left_pct=49.8,
        vertical_oscillation_mm=82.4,
    )
    assert summary.started_at.utcoffset() == dt.timedelta(0)


def test_fit_run_without_running_dynamics_leaves_them_none():
    summary = read_run_file(fit_samples.run_with_session(dynamics=False))

    assert (summary.duration_s, summary.distance_m, summary.pace_s_per_km) == (
        1800.0,
        5000.0,
        360.0,
    )
    assert summary.cadence_spm == 171.0
    assert summary.step_length_m is None
    assert summary.ground_contact_ms is None
    assert summary.ground_contact_balance_left_pct is None
    assert summary.vertical_oscillation_mm is None


def test_fit_without_session_is_summarised_from_its_records():
    summary = read_run_file(fit_samples.run_records_only())

    assert summary == RunSummary(
        source="fit",
        started_at=START,
        duration_s=4.0,  # first to last record
        distance_m=9.0,
        pace_s_per_km=444.4,  # 4 s / 0.009 km
        cadence_spm=167.0,  # mean of 2 x (80.5, 82.5, 84.5, 86.5); the standing 0 is left out
        cadence_read_as="per_leg",  # FIT and TCX hold one leg's strides
        step_length_m=1.15,
        ground_contact_ms=235.0,
        ground_contact_balance_left_pct=50.5,
        vertical_oscillation_mm=86.0,
    )


def test_run_summary_is_frozen():
    summary = read_run_file(fit_samples.run_with_session(dynamics=False))
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.distance_m = 1.0


def test_multisport_fit_gives_its_run():
    summary = read_run_file(fit_samples.bike_then_run())

    assert (summary.started_at, summary.duration_s, summary.distance_m) == (START, 1800.0, 5000.0)
    assert (summary.cadence_spm, summary.step_length_m) == (171.0, 1.05)


def test_fit_of_another_sport_is_refused():
    data = fit_samples.run_with_session(dynamics=False, sport=Sport.CYCLING)
    assert "recorded as cycling" in _refused(data)


def test_fit_course_is_refused():
    data = fit_samples.run_with_session(dynamics=False, file_type=FileType.COURSE)
    assert "not a recorded run" in _refused(data)


def test_fit_without_session_or_records_is_refused():
    assert "holds no activity" in _refused(fit_samples.file_id_only())


def test_truncated_fit_is_refused():
    data = fit_samples.run_with_session(dynamics=True)
    for cut in (len(data) - 1, len(data) - 20, 20, 14, 12):
        assert "damaged or incomplete" in _refused(data[:cut]), cut


def test_fit_with_a_flipped_crc_byte_is_refused():
    data = bytearray(fit_samples.run_with_session(dynamics=True))
    data[-1] ^= 0xFF
    assert "damaged or incomplete" in _refused(bytes(data))


def test_fit_with_a_changed_data_byte_is_refused_by_the_crc():
    data = bytearray(fit_samples.run_with_session(dynamics=True))
    data[len(data) // 2] ^= 0x01
    assert "damaged or incomplete" in _refused(bytes(data))


def test_random_damage_to_a_fit_never_escapes_as_another_exception():
    good = fit_samples.run_records_only()
    rng = random.Random(11)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(RunFileError):
            read_run_file(bytes(data))


def test_damage_behind_a_valid_crc_never_escapes_as_another_exception():
    """Odd field sizes and values that pass the CRC reach the summary code itself."""
    good = fit_samples.run_with_session(dynamics=True)
    rng = random.Random(12)
    for _ in range(300):
        data = bytearray(good[:-2])
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(14, len(data))] = rng.randrange(256)
        data += crc16(bytes(data)).to_bytes(2, "little")
        with contextlib.suppress(RunFileError):
            read_run_file(bytes(data))


# ---- not a run file at all ------------------------------------------------------------------


def test_empty_file_is_refused():
    assert "empty" in _refused(b"")


def test_random_bytes_are_refused():
    assert "not a FIT, GPX or TCX file" in _refused(random.Random(7).randbytes(4096))


def test_random_bytes_behind_a_fit_signature_are_refused():
    data = bytes([14, 0x10]) + bytes(6) + b".FIT" + random.Random(8).randbytes(4096)
    assert "damaged or incomplete" in _refused(data)


def test_png_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    assert "not a FIT, GPX or TCX file" in _refused(png)


def test_other_xml_is_refused():
    assert "not a FIT, GPX or TCX file" in _refused(b"<html><body>run</body></html>")


def test_file_over_the_size_limit_is_refused_before_reading():
    assert "larger than 10 MB" in _refused(b"x" * (MAX_RUN_FILE_BYTES + 1))
    # At the limit, the size is fine and the content decides.
    assert "larger" not in _refused(b"x" * MAX_RUN_FILE_BYTES)


def test_size_limit_is_ten_mebibytes():
    assert MAX_RUN_FILE_BYTES == 10 * 1024 * 1024


# ---- GPX ------------------------------------------------------------------------------------

# 10 steps of 0.001 degree of latitude; gpxpy's flat-earth distance uses one degree =
# 2 pi x 6378137 m / 360 = 111319.49 m, so 0.01 degree = 1113.19 m; 200 s / 1.11319 km.
GPX_DISTANCE_M = 1113.19
GPX_PACE = 179.7


def test_gpx_with_cadence():
    summary = read_run_file(fit_samples.gpx(cadence=True))

    assert summary == RunSummary(
        source="gpx",
        started_at=START,
        duration_s=200.0,
        distance_m=GPX_DISTANCE_M,
        pace_s_per_km=GPX_PACE,
        cadence_spm=170.2,  # 86 x6 and 84 x5 strides/min: 936 / 11 = 85.09, doubled
        # Every point after the first is at 5.57 m/s (111.3 m in 20 s): 84 x5 and 86 x5.
        running_cadence_spm=170.0,
        running_speed_mps=5.57,
        cadence_read_as="per_leg",
    )


def test_gpx_without_cadence():
    summary = read_run_file(fit_samples.gpx(cadence=False))

    assert (summary.source, summary.started_at, summary.duration_s) == ("gpx", START, 200.0)
    assert (summary.distance_m, summary.pace_s_per_km) == (GPX_DISTANCE_M, GPX_PACE)
    assert summary.cadence_spm is None
    assert summary.step_length_m is None and summary.ground_contact_ms is None


def test_gpx_is_recognised_by_content_with_a_byte_order_mark():
    assert read_run_file(b"\xef\xbb\xbf\n  " + fit_samples.gpx(cadence=False)).source == "gpx"


def test_gpx_without_timed_points_is_refused():
    data = (
        fit_samples.gpx(cadence=False).replace(b"<time>", b"<name>").replace(b"</time>", b"</name>")
    )
    assert "no timed track points" in _refused(data)


def test_gpx_entity_bomb_is_refused_quickly():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE gpx [\n<!ENTITY a "aaaaaaaaaa">\n'
        + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">\n'
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + ']>\n<gpx version="1.1" creator="&i;"><trk><trkseg>'
        '<trkpt lat="45" lon="10"><time>2026-03-02T07:30:00Z</time></trkpt>'
        "</trkseg></trk></gpx>"
    ).encode()
    started = time.perf_counter()
    assert "XML declarations we do not accept" in _refused(bomb)
    assert time.perf_counter() - started < 1


def test_gpx_external_entity_is_refused():
    data = fit_samples.gpx(cadence=False).replace(
        b"<gpx ", b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<gpx ', 1
    )
    assert "XML declarations we do not accept" in _refused(data)


def test_malformed_xml_is_refused():
    assert "not valid XML" in _refused(fit_samples.gpx(cadence=False)[:-30])


def test_xml_that_is_not_utf8_is_refused():
    assert "not valid UTF-8" in _refused(b"<gpx>\xff\xfe</gpx>")


# ---- TCX ------------------------------------------------------------------------------------

TCX = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
  xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="{sport}"><Id>2026-03-02T07:30:00.000Z</Id>
  <Lap StartTime="2026-03-02T07:30:00.000Z"><TotalTimeSeconds>600.0</TotalTimeSeconds>
   <DistanceMeters>2000.0</DistanceMeters><Track>
    <Trackpoint><Time>2026-03-02T07:30:00.000Z</Time><Extensions><ns3:TPX>
     <ns3:RunCadence>84</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>
    <Trackpoint><Time>2026-03-02T07:40:00.000Z</Time><Extensions><ns3:TPX>
     <ns3:RunCadence>86</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>
   </Track></Lap>
  <Lap StartTime="2026-03-02T07:40:00.000Z"><TotalTimeSeconds>300.0</TotalTimeSeconds>
   <DistanceMeters>1000.0</DistanceMeters></Lap>
 </Activity></Activities></TrainingCenterDatabase>"""


def test_tcx_run_sums_its_laps():
    summary = read_run_file(TCX.format(sport="Running").encode())

    assert summary == RunSummary(
        source="tcx",
        started_at=START,
        duration_s=900.0,
        distance_m=3000.0,
        pace_s_per_km=300.0,
        cadence_spm=170.0,  # RunCadence 84 and 86 per leg, doubled
        cadence_read_as="per_leg",  # FIT and TCX hold one leg's strides
    )


def test_tcx_of_another_sport_is_refused():
    assert "recorded as biking" in _refused(TCX.format(sport="Biking").encode())


def _gpx(cads, seconds, *, creator="test", garmin_namespace=True) -> bytes:
    """A GPX due north, 0.001 degree of latitude (111.3 m) per point, point i after
    seconds[i - 1] more seconds, with <cad> cads[i] (None: no cadence)."""
    ns = (
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
        if garmin_namespace
        else 'xmlns:gpxtpx="https://example.org/cadence"'
    )
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="{creator}" '
        f'xmlns="http://www.topografix.com/GPX/1/1" {ns}><trk><trkseg>'
    )
    body, when = [], START
    for i, cad in enumerate(cads):
        if i:
            when += dt.timedelta(seconds=seconds[i - 1])
        ext = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>{cad}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if cad is not None
            else ""
        )
        body.append(
            f'<trkpt lat="{45 + i / 1000:.3f}" lon="10.000"><ele>100</ele>'
            f"<time>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>{ext}</trkpt>"
        )
    return (head + "".join(body) + "</trkseg></trk></gpx>").encode()


def test_a_gpx_that_already_holds_steps_is_not_doubled():
    # Point 17: today's main doubled every GPX <cad>, so 170 steps/min read as 340.
    summary = read_run_file(_gpx([170] * 6, [20] * 5, creator="Strava"))
    assert (summary.cadence_spm, summary.cadence_read_as) == (170.0, "steps")


def test_a_gpx_of_one_legs_strides_is_doubled_and_says_so():
    summary = read_run_file(_gpx([85] * 6, [20] * 5, creator="Strava"))
    assert (summary.cadence_spm, summary.cadence_read_as) == (170.0, "per_leg")


@pytest.mark.parametrize(
    ("median", "garmin", "read_as"),
    [(70, False, "per_leg"), (100, False, "per_leg"), (120, True, "per_leg")]
    + [(120, False, "steps"), (140, True, "steps"), (200, False, "steps")],
)
def test_between_the_two_bands_the_files_maker_decides(median, garmin, read_as):
    assert gpx_cadence_unit(median, garmin=garmin) == read_as


def test_a_garmin_namespace_reads_an_in_between_value_as_one_leg():
    summary = read_run_file(_gpx([118] * 4, [20] * 3, creator="someapp"))
    assert summary.cadence_read_as == "per_leg"
    other = read_run_file(_gpx([118] * 4, [20] * 3, creator="someapp", garmin_namespace=False))
    assert other.cadence_read_as == "steps"


def test_the_running_cadence_leaves_the_walk_breaks_out_and_keeps_the_speed():
    # Point 18: a run of 3 min run / 2 min walk averaged walk steps into the cadence.
    # Running: 111.3 m in 20 s (5.57 m/s), 168 steps/min; walking: 111.3 m in 90 s (1.24 m/s),
    # 110 steps/min.
    cads = [168, 168, 168, 110, 110, 168, 168]
    seconds = [20, 20, 90, 90, 20, 20]
    summary = read_run_file(_gpx(cads, seconds, creator="Strava"))
    assert summary.cadence_read_as == "steps"
    assert summary.cadence_spm == pytest.approx((168 * 5 + 110 * 2) / 7, abs=0.05)
    assert summary.running_cadence_spm == 168.0
    assert summary.running_speed_mps == pytest.approx(5.57, abs=0.01)
    assert RUNNING_SPEED_MIN_MPS == 2.0
