"""Runs from the patient's watch: an uploaded file read, kept privately
and attached to a run of the log; and the gait figures the clinician sees from them.

The file is read in the request (plans/run_files.py, pure Python), so only small files are
taken: MAX_UPLOAD_BYTES bounds the time one request spends decoding. The size is checked on
the upload's declared size before a byte is read.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from plans.models import RunFile
from plans.run_files import (
    MAX_RUN_FILE_BYTES,
    NOT_READABLE,
    RunFileError,
    RunSummary,
    read_run_file,
)

# Parsed in the request: 1 MiB is a FIT of a run of several hours, or a GPX/TCX of about an
# hour at one point a second; the pure-Python decoder reads it in well under a second.
# A product limit, below the reader's own MAX_RUN_FILE_BYTES (a background parse is not built).
MAX_UPLOAD_BYTES = min(1024 * 1024, MAX_RUN_FILE_BYTES)
TOO_LARGE = (
    NOT_READABLE + "it is larger than 1 MB, the most we take. Export the run as a FIT file "
    "(it is about ten times smaller than GPX or TCX) or ask your clinician."
)
# A watch may keep another time zone than the clinic's, so a run's start may fall on the
# day before or after the day it is logged for; further apart, it is another run.
DAY_TOLERANCE = datetime.timedelta(days=1)
SUMMARY_FIELDS = (
    "source",
    "started_at",
    "duration_s",
    "distance_m",
    "pace_s_per_km",
    "cadence_spm",
    "step_length_m",
    "ground_contact_ms",
    "ground_contact_balance_left_pct",
    "vertical_oscillation_mm",
    "running_cadence_spm",
    "running_speed_mps",
    "cadence_read_as",
)


@dataclass(frozen=True)
class ReadFile:
    """An upload that was read: its bytes (stored as they came) and its summary."""

    data: bytes
    summary: RunSummary


def run_upload_read(upload) -> ReadFile:
    """Read an uploaded file after checking its size; RunFileError with the patient's text."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise RunFileError(TOO_LARGE.removeprefix(NOT_READABLE))
    data = upload.read(MAX_UPLOAD_BYTES + 1)  # never more, whatever the size claimed
    if len(data) > MAX_UPLOAD_BYTES:
        raise RunFileError(TOO_LARGE.removeprefix(NOT_READABLE))
    return ReadFile(data, read_run_file(data))


def run_day_error(summary: RunSummary, day: datetime.date) -> str | None:
    """The message when the file's run is not the run of ``day``, else None."""
    started = timezone.localdate(summary.started_at)
    if abs(started - day) <= DAY_TOLERANCE:
        return None
    return (
        f"This file is of a run on {started:%B} {started.day}, not on {day:%B} {day.day}: "
        "choose the day of that run."
    )


def run_file_attach(*, run, read: ReadFile, actor: Actor):
    """Keep the file privately with its summary on ``run`` (replacing an earlier one); audited."""
    user = actor.user
    with transaction.atomic():
        existing = RunFile.objects.select_for_update().filter(run=run).first()
        old_name = existing.file.name if existing else None
        run_file = existing or RunFile(run=run)
        for name in SUMMARY_FIELDS:
            setattr(run_file, name, getattr(read.summary, name))
        run_file.checksum = hashlib.sha256(read.data).hexdigest()
        run_file.uploaded_by = user
        run_file.file.save("run", ContentFile(read.data), save=False)
        stored = run_file.file.name
        # A rollback must not leave the new file behind; a commit drops the replaced one.
        transaction.on_commit(lambda: _delete(run_file.file.storage, old_name))
        try:
            run_file.save()
        except Exception:
            run_file.file.storage.delete(stored)
            raise
        audit(
            actor,
            AuditAction.CHANGED if existing else AuditAction.CREATED,
            obj=run_file,
            patient=run.patient,
            detail=f"run file ({read.summary.source})",
        )
    return run_file


def _delete(storage, name: str | None) -> None:
    if name:
        storage.delete(name)


# ------------------------------------------------------------------ the gait from the watch


@dataclass(frozen=True)
class GaitRow:
    day: datetime.date
    cadence_spm: float | None  # the running parts' cadence where known, else the whole run's
    cadence_vs_target: str  # "below", "within", "above" or "" (no cadence or no target)
    ground_contact_ms: float | None
    balance_left_pct: float | None
    running_only: bool = False  # cadence_spm is of the running parts (walk breaks left out)
    speed_mps: float | None = None  # the running parts' mean speed
    cadence_read_as: str = ""  # "per_leg" (doubled) or "steps" (as recorded)

    @property
    def pace_s_per_km(self) -> float | None:
        """The running parts' pace, for runners who think in minutes per km or mile."""
        return 1000 / self.speed_mps if self.speed_mps else None


def cadence_vs_target(cadence: float | None, target) -> str:
    """Where a run's cadence falls against the (low, high) target of the evaluation."""
    if cadence is None or not target:
        return ""
    low, high = target
    if cadence < low:
        return "below"
    return "above" if cadence > high else "within"


def gait_rows(runs, target) -> list[GaitRow]:
    """Cadence against the target and contact-time balance of the runs with a watch file.

    The balance is shown as a number only: DOMAIN.md gives no threshold of left/right
    contact-time asymmetry that matters, so no run is flagged for it (never invent one).
    """
    rows = []
    for run in runs:
        watch = getattr(run, "watch_file", None)
        if watch is None:
            continue
        # The target was set at one running speed: compare the running parts, never a mean
        # that walk breaks pull down (files read before this was kept have the whole run).
        running_only = watch.running_cadence_spm is not None
        cadence = watch.running_cadence_spm if running_only else watch.cadence_spm
        rows.append(
            GaitRow(
                day=run.day,
                cadence_spm=cadence,
                cadence_vs_target=cadence_vs_target(cadence, target),
                ground_contact_ms=watch.ground_contact_ms,
                balance_left_pct=watch.ground_contact_balance_left_pct,
                running_only=running_only,
                speed_mps=watch.running_speed_mps,
                cadence_read_as=watch.cadence_read_as,
            )
        )
    return rows
