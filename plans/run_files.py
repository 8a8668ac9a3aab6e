"""One run from a watch's file (FIT, GPX or TCX) -> ``RunSummary``.

Pure: bytes in, a frozen dataclass out; no Django, no database, no files on disk. The type
is told by the content, never by the file name. Everything that is wrong with a file (empty,
too big, corrupt, hostile, not a run) raises ``RunFileError`` whose text can be shown to the
patient as it is; no decoder or XML exception escapes.

Units follow DOMAIN.md s.7: FIT stores running cadence per leg (strides per minute), so it is
doubled to steps per minute; running dynamics come only from FIT, where devices record them.
GPX has no standard cadence: the values tell which unit a file holds (``cadence_read_as``).
Beside the whole run's cadence, the cadence of its running parts only (speed at or above
RUNNING_SPEED_MIN_MPS: walk breaks left out) is what a step-rate target is compared with.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import xml.etree.ElementTree as ET  # noqa: S405 - DTDs and entities are refused before parsing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import gpxpy
from garmin_fit_sdk import Decoder, Stream

# A product limit, not a format one: a FIT of a 3-hour run with 1 s records and running
# dynamics is about 0.5 MB; 10 MiB leaves room for GPX/TCX (text, about 10x larger) while
# bounding the time the pure-Python decoder spends on one upload.
MAX_RUN_FILE_BYTES = 10 * 1024 * 1024

NOT_READABLE = "This file is not a run from a watch we can read: "
FIT_SIGNATURE = b".FIT"
# Sports accepted as a run. A FIT without a sport is taken as a run; cadence of other sports
# (cycling rpm, walking) is not in the unit the gait chart expects.
RUN_SPORTS = frozenset({"running"})
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

# Walking is below about 2.0 m/s and running above it ("individuals generally choose to walk
# at relatively slow speeds (i.e., <2.0 m/s) and run at faster speeds (i.e., >2.0 m/s)";
# the preferred walk-run transition speed, Saint-Maurice et al. 2021, PMC8629136, citing
# the transition literature). Samples at this speed or faster count as running.
RUNNING_SPEED_MIN_MPS = 2.0
# A GPX <cad> holding one leg's strides sits around 70-100, steps of both legs around 140-200
# (DOMAIN.md s.7: a FIT cadence of 85 is 170 steps/min). Between the two bands the file's
# maker decides: Garmin's TrackPointExtension carries the FIT (per-leg) value.
PER_LEG_MAX, STEPS_MIN = 100.0, 140.0
PER_LEG, STEPS = "per_leg", "steps"


class RunFileError(ValueError):
    """A file we cannot turn into a run; the message is written for the patient."""

    def __init__(self, reason: str):
        super().__init__(NOT_READABLE + reason)


@dataclass(frozen=True)
class RunSummary:
    """What the run log and the gait chart keep of one run; None when the file lacks it."""

    source: str  # "fit", "gpx" or "tcx"
    started_at: dt.datetime  # timezone-aware, UTC
    duration_s: float  # timer (moving) time for FIT and TCX; first to last point for GPX
    distance_m: float | None
    pace_s_per_km: float | None
    cadence_spm: float | None  # steps per minute (both legs), the whole run
    # FIT ``step_length``: one foot strike to the next. Garmin Connect labels it "stride
    # length", but it is a step (half a stride in the gait-analysis sense).
    step_length_m: float | None = None
    ground_contact_ms: float | None = None
    ground_contact_balance_left_pct: float | None = None  # 50 % is symmetric
    vertical_oscillation_mm: float | None = None
    # The running parts only (speed >= RUNNING_SPEED_MIN_MPS), and their mean speed.
    running_cadence_spm: float | None = None
    running_speed_mps: float | None = None
    # How the file's cadence was read: PER_LEG (doubled to steps) or STEPS (as recorded).
    cadence_read_as: str = ""


def read_run_file(data: bytes) -> RunSummary:
    """Read one run from an uploaded file's bytes; RunFileError for anything we cannot read."""
    try:
        return _read(data)
    except RunFileError:
        raise
    except Exception as exc:
        # Belt and braces: a hostile file can give a field an odd type or an array where a
        # number is expected; whatever a decoder or our arithmetic raises, the patient gets
        # the same clear message and the upload view never sees a 500.
        raise RunFileError("the file is damaged or incomplete.") from exc


def _read(data: bytes) -> RunSummary:
    if not data:
        raise RunFileError("the file is empty.")
    if len(data) > MAX_RUN_FILE_BYTES:
        raise RunFileError(f"the file is larger than {MAX_RUN_FILE_BYTES // (1024 * 1024)} MB.")
    if len(data) >= 12 and data[8:12] == FIT_SIGNATURE:
        return _read_fit(bytes(data))
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _read_xml(data)
    raise RunFileError("it is not a FIT, GPX or TCX file.")


def _running_part(samples: Iterable[tuple[Any, Any]]) -> dict:
    """Mean cadence and mean speed of the (speed m/s, cadence steps/min) samples at running
    speed; walk breaks and standing still are left out. None where no sample qualifies."""
    running = [
        (speed, cadence)
        for speed, cadence in ((_positive(s), _positive(c)) for s, c in samples)
        if speed is not None and cadence is not None and speed >= RUNNING_SPEED_MIN_MPS
    ]
    if not running:
        return {"running_cadence_spm": None, "running_speed_mps": None}
    return {
        "running_cadence_spm": round(statistics.fmean(c for _, c in running), 1),
        "running_speed_mps": round(statistics.fmean(s for s, _ in running), 2),
    }


def _summary(source, started_at, duration_s, distance_m, cadence_spm, **dynamics) -> RunSummary:
    if not isinstance(started_at, dt.datetime) or _positive(duration_s) is None:
        raise RunFileError("it has no start time or no duration.")
    if distance_m is not None and not (math.isfinite(distance_m) and distance_m >= 0):
        raise RunFileError("its distance is not valid.")
    pace = round(duration_s / (distance_m / 1000), 1) if distance_m else None
    return RunSummary(
        source=source,
        started_at=started_at.astimezone(dt.UTC),
        duration_s=round(duration_s, 3),
        distance_m=None if distance_m is None else round(distance_m, 2),
        pace_s_per_km=pace,
        cadence_spm=None if cadence_spm is None else round(cadence_spm, 1),
        **dynamics,
    )


def _positive(value: Any) -> float | None:
    """A usable measurement: a finite number above 0; 0 means 'not measured' (standing)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def _mean(values: Iterable[Any]) -> float | None:
    present = [v for v in map(_positive, values) if v is not None]
    return statistics.fmean(present) if present else None


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# ---- FIT ------------------------------------------------------------------------------------


def _read_fit(data: bytes) -> RunSummary:
    try:
        messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    except Exception as exc:  # the SDK collects errors, but nothing may escape as anything else
        raise RunFileError("the FIT file is damaged or incomplete.") from exc
    if errors:
        # Bad CRC, truncated data, a bad header: the SDK returns what it decoded so far, which
        # could be a partial run. A partial run is not recorded.
        raise RunFileError("the FIT file is damaged or incomplete.")
    file_type = (messages.get("file_id_mesgs") or [{}])[0].get("type", "activity")
    if file_type != "activity":  # a course or a workout holds planned, not recorded, data
        raise RunFileError("it is a planned route or workout, not a recorded run.")
    sessions = messages.get("session_mesgs") or []
    records = messages.get("record_mesgs") or []
    if not sessions and not records:
        raise RunFileError("the FIT file holds no activity.")
    session = _run_session(sessions)
    return _fit_summary(session, _records_of(session, records))


def _run_session(sessions: list[dict]) -> dict:
    """The first running session (a multisport file has several); {} when there is none."""
    if not sessions:
        return {}
    for session in sessions:
        if session.get("sport") in RUN_SPORTS:
            return session
    sport = sessions[0].get("sport")
    if sport is None:
        return sessions[0]
    if not isinstance(sport, str):
        raise RunFileError("it is not recorded as a run.")
    raise RunFileError(f"it is recorded as {sport.replace('_', ' ')}, not as a run.")


def _records_of(session: Mapping, records: list[dict]) -> list[dict]:
    start, elapsed = session.get("start_time"), _positive(session.get("total_elapsed_time"))
    if not isinstance(start, dt.datetime) or elapsed is None:
        return records
    end = start + dt.timedelta(seconds=elapsed)
    return [
        r
        for r in records
        if not isinstance(r.get("timestamp"), dt.datetime) or start <= r["timestamp"] <= end
    ]


def _fit_cadence_spm(cadence, fractional) -> float | None:
    # FIT profile: record.cadence (and session.avg_running_cadence, the subfield of
    # session.avg_cadence when sport is running) is in strides per minute, i.e. cycles of ONE
    # leg; record.fractional_cadence / session.avg_fractional_cadence hold the fraction.
    # Steps per minute (both legs, what a metronome target uses) = 2 x (cadence + fraction).
    if _positive(cadence) is None:
        return None
    return 2 * (cadence + (_positive(fractional) or 0))


def _fit_summary(session: Mapping, records: list[dict]) -> RunSummary:
    def value(session_field: str, record_field: str) -> float | None:
        """The device's session average, else the mean over the records."""
        own = _positive(session.get(session_field))
        if own is not None:
            return own
        return _mean(r.get(record_field) for r in records)

    times = [r["timestamp"] for r in records if isinstance(r.get("timestamp"), dt.datetime)]
    duration = _positive(session.get("total_timer_time")) or _positive(
        session.get("total_elapsed_time")
    )
    if duration is None and len(times) > 1:
        duration = (max(times) - min(times)).total_seconds()
    distance = _positive(session.get("total_distance"))
    if distance is None:
        distance = max(filter(None, (_positive(r.get("distance")) for r in records)), default=None)
    cadence = _fit_cadence_spm(
        session.get("avg_running_cadence", session.get("avg_cadence")),
        session.get("avg_fractional_cadence"),
    )
    if cadence is None:
        cadence = _mean(
            _fit_cadence_spm(r.get("cadence"), r.get("fractional_cadence")) for r in records
        )
    step_length_mm = value("avg_step_length", "step_length")
    running = _running_part(
        (
            r.get("enhanced_speed", r.get("speed")),
            _fit_cadence_spm(r.get("cadence"), r.get("fractional_cadence")),
        )
        for r in records
    )
    return _summary(
        "fit",
        session.get("start_time") or (min(times) if times else None),
        duration,
        distance,
        cadence,
        step_length_m=_rounded(step_length_mm / 1000 if step_length_mm else None, 3),
        ground_contact_ms=_rounded(value("avg_stance_time", "stance_time"), 1),
        ground_contact_balance_left_pct=_rounded(
            value("avg_stance_time_balance", "stance_time_balance"), 2
        ),
        vertical_oscillation_mm=_rounded(
            value("avg_vertical_oscillation", "vertical_oscillation"), 1
        ),
        cadence_read_as=PER_LEG if cadence is not None else "",
        **running,
    )


# ---- GPX and TCX ----------------------------------------------------------------------------


def _read_xml(data: bytes) -> RunSummary:
    try:
        text = data.decode("utf-8-sig").lstrip()
    except UnicodeDecodeError as exc:
        raise RunFileError("the file is not valid UTF-8 XML.") from exc
    # Security: a DTD is how entity bombs ("billion laughs") and external entities get in.
    # GPX and TCX never need one, so any file declaring a DTD or an entity is refused before
    # an XML parser (ours or gpxpy's) sees it. defusedxml is not installed in this project.
    if _DTD.search(text):
        raise RunFileError("the file contains XML declarations we do not accept.")
    try:
        root = ET.fromstring(text)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise RunFileError("the file is damaged or is not valid XML.") from exc
    kind = _local(root.tag)
    if kind == "gpx":
        return _read_gpx(text)
    if kind == "TrainingCenterDatabase":
        return _read_tcx(root)
    raise RunFileError("it is not a FIT, GPX or TCX file.")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_gpx(text: str) -> RunSummary:
    try:
        gpx = gpxpy.parse(text)
        start = gpx.get_time_bounds().start_time
        duration = gpx.get_duration()
        distance = gpx.length_2d()
    except Exception as exc:  # gpxpy raises its own and ValueError/TypeError on odd values
        raise RunFileError("the GPX file is damaged.") from exc
    if start is None:
        raise RunFileError("the GPX file has no timed track points.")
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)  # GPX 1.1 times are UTC (xsd:dateTime, "Z")
    samples = []  # (speed m/s from the previous point, raw <cad>) per point
    for track in gpx.tracks:
        for segment in track.segments:
            previous = None
            for point in segment.points:
                speed = point.speed_between(previous) if previous is not None else None
                samples.append((speed, _gpx_cad(point)))
                previous = point
    raw = [c for _, c in samples if c is not None]
    if not raw:
        return _summary("gpx", start, duration, distance, None)
    read_as = gpx_cadence_unit(statistics.median(raw), garmin=_garmin_gpx(text, gpx))
    factor = 2 if read_as == PER_LEG else 1
    return _summary(
        "gpx",
        start,
        duration,
        distance,
        statistics.fmean(raw) * factor,
        cadence_read_as=read_as,
        **_running_part((s, c * factor if c is not None else None) for s, c in samples),
    )


def gpx_cadence_unit(median_cad: float, *, garmin: bool) -> str:
    """PER_LEG or STEPS for a GPX file whose <cad> values have this median: per-leg strides sit
    around 70-100, steps around 140-200; in between, a Garmin file is per leg (its
    TrackPointExtension carries the FIT value), any other is taken as steps."""
    if median_cad <= PER_LEG_MAX:
        return PER_LEG
    if median_cad >= STEPS_MIN:
        return STEPS
    return PER_LEG if garmin else STEPS


def _garmin_gpx(text: str, gpx) -> bool:
    creator = (getattr(gpx, "creator", None) or "").lower()
    return "garmin" in creator or "garmin.com/xmlschemas/trackpointextension" in text.lower()


def _gpx_cad(point) -> float | None:
    """The point's raw <cad> (TrackPointExtension or any extension), unit not yet known."""
    for extension in point.extensions:
        for element in extension.iter():
            if _local(element.tag) == "cad":
                return _number(element.text)
    return None


def _number(text: str | None) -> float | None:
    try:
        return _positive(float(text)) if text is not None else None
    except ValueError:
        return None


def _read_tcx(root: ET.Element) -> RunSummary:
    activity = next((e for e in root.iter() if _local(e.tag) == "Activity"), None)
    if activity is None:
        raise RunFileError("the TCX file holds no activity.")
    if activity.get("Sport", "Running") != "Running":
        raise RunFileError(f"it is recorded as {activity.get('Sport', '').lower()}, not as a run.")
    laps = [e for e in activity if _local(e.tag) == "Lap"]
    if not laps:
        raise RunFileError("the TCX file holds no laps.")
    try:
        start = dt.datetime.fromisoformat(laps[0].get("StartTime", ""))
    except ValueError as exc:
        raise RunFileError("the TCX file has no valid start time.") from exc
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    duration = sum(_child_number(lap, "TotalTimeSeconds") or 0 for lap in laps)
    distances = [_child_number(lap, "DistanceMeters") for lap in laps]
    distance = None if None in distances else sum(distances)
    # <ns3:RunCadence> (ActivityExtension v2) is per leg like FIT's cadence: doubled.
    cadence = _mean(
        _fit_cadence_spm(_number(e.text), 0)
        for e in activity.iter()
        if _local(e.tag) == "RunCadence"
    )
    return _summary(
        "tcx",
        start,
        duration,
        distance,
        cadence,
        cadence_read_as=PER_LEG if cadence is not None else "",
        **_running_part(_tcx_samples(activity)),
    )


def _tcx_samples(activity: ET.Element):
    """(speed m/s, cadence steps/min) per Trackpoint: the TPX <Speed>, else the distance and
    time since the previous point."""
    previous = None  # (time, distance)
    for point in (e for e in activity.iter() if _local(e.tag) == "Trackpoint"):
        found = {_local(e.tag): e.text for e in point.iter()}
        try:
            time = dt.datetime.fromisoformat(found.get("Time") or "")
        except ValueError:
            time = None
        here = _number(found.get("DistanceMeters"))
        speed = _number(found.get("Speed"))
        if speed is None and previous and time and here is not None and previous[1] is not None:
            try:
                seconds = (time - previous[0]).total_seconds()
            except TypeError:  # one time with a zone, one without: no speed for this point
                seconds = 0
            speed = (here - previous[1]) / seconds if seconds > 0 else None
        if time is not None:
            previous = (time, here)
        yield speed, _fit_cadence_spm(_number(found.get("RunCadence")), 0)


def _child_number(element: ET.Element, name: str) -> float | None:
    child = next((c for c in element if _local(c.tag) == name), None)
    return None if child is None else _number(child.text)
