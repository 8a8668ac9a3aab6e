"""Watch files written by the tests themselves: FIT activities (fit-tool's FitFileBuilder)
and a GPX track.

Values are given in the FIT profile's units (cadence in strides per minute of one leg,
stance time in ms, step length and vertical oscillation in mm); fit-tool applies the
profile's scale, so what the decoder reads back is exactly what is written here.
"""

from __future__ import annotations

import datetime as dt

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

START = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)

DYNAMICS = {
    "avg_step_length": 1050.0,  # mm
    "avg_stance_time": 245.5,  # ms
    "avg_stance_time_balance": 49.8,  # % left
    "avg_vertical_oscillation": 82.4,  # mm
}


def _millis(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


def _builder(file_type: FileType = FileType.ACTIVITY) -> FitFileBuilder:
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = file_type
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 0
    file_id.serial_number = 0x12345678
    file_id.time_created = _millis(START)
    builder.add(file_id)
    return builder


def _record(seconds: int, distance: float, cadence: int, **dynamics) -> RecordMessage:
    record = RecordMessage()
    record.timestamp = _millis(START + dt.timedelta(seconds=seconds))
    record.distance = distance
    record.cadence = cadence
    record.fractional_cadence = 0.5
    for name, value in dynamics.items():
        setattr(record, name, value)
    return record


def run_with_session(
    *, dynamics: bool, sport: Sport = Sport.RUNNING, file_type: FileType = FileType.ACTIVITY
) -> bytes:
    """A 30-minute 5 km run: timer 1800 s (elapsed 1830 s), 85.5 strides/min per leg."""
    builder = _builder(file_type)
    _add_run(builder, dynamics=dynamics, sport=sport)
    return builder.build().to_bytes()


def bike_then_run() -> bytes:
    """A multisport file: a 1-hour ride (sessions come in order), then the same run 2 h later."""
    builder = _builder()
    ride = SessionMessage()
    ride.timestamp = _millis(START - dt.timedelta(hours=1))
    ride.start_time = _millis(START - dt.timedelta(hours=2))
    ride.sport = Sport.CYCLING
    ride.total_elapsed_time = ride.total_timer_time = 3600.0
    ride.total_distance = 30000.0
    ride.avg_cadence = 90
    builder.add(ride)
    _add_run(builder, dynamics=True, sport=Sport.RUNNING)
    return builder.build().to_bytes()


def _add_run(builder: FitFileBuilder, *, dynamics: bool, sport: Sport) -> None:
    extra = {"stance_time": 240.0, "step_length": 1000.0} if dynamics else {}
    builder.add(_record(0, 0.0, 85, **extra))
    builder.add(_record(1830, 5000.0, 85, **extra))
    session = SessionMessage()
    session.timestamp = _millis(START + dt.timedelta(seconds=1830))
    session.start_time = _millis(START)
    session.sport = sport
    session.total_elapsed_time = 1830.0
    session.total_timer_time = 1800.0
    session.total_distance = 5000.0
    session.avg_running_cadence = 85
    session.avg_fractional_cadence = 0.5
    if dynamics:
        for name, value in DYNAMICS.items():
            setattr(session, name, value)
    builder.add(session)


def run_records_only() -> bytes:
    """No session message (a watch that crashed before saving): 5 records, 1 s apart."""
    builder = _builder()
    rows = [  # seconds, distance m, cadence per leg, stance ms, balance %, oscillation mm, step mm
        (0, 0.0, 80, 250.0, 49.0, 80.0, 1000.0),
        (1, 3.0, 82, 240.0, 50.0, 84.0, 1100.0),
        (2, 6.0, 84, 230.0, 51.0, 88.0, 1200.0),
        (3, 9.0, 86, 220.0, 52.0, 92.0, 1300.0),
        (4, 9.0, 0, None, None, None, None),  # standing still at the end: not averaged
    ]
    for seconds, distance, cadence, stance, balance, oscillation, step in rows:
        dynamics = {
            "stance_time": stance,
            "stance_time_balance": balance,
            "vertical_oscillation": oscillation,
            "step_length": step,
        }
        record = _record(seconds, distance, cadence, **{k: v for k, v in dynamics.items() if v})
        builder.add(record)
    return builder.build().to_bytes()


def file_id_only() -> bytes:
    """A valid FIT file with no session and no records."""
    return _builder().build().to_bytes()


GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"'
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
    "<trk><type>running</type><trkseg>"
)


def gpx(*, cadence: bool, points: int = 11) -> bytes:
    """Due north along 10 E from 45 N, 0.001 degree of latitude every 20 s."""
    body = []
    for i in range(points):
        when = (START + dt.timedelta(seconds=20 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ext = (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:cad>{84 if i % 2 else 86}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if cadence
            else ""
        )
        body.append(
            f'<trkpt lat="{45 + i / 1000:.3f}" lon="10.000"><ele>100</ele>'
            f"<time>{when}</time>{ext}</trkpt>"
        )
    return (GPX_HEAD + "".join(body) + "</trkseg></trk></gpx>").encode()
