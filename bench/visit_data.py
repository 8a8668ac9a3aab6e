"""Treatment visits for the benchmark data (bench/data.py calls ``make_visits``).

About 2 years of a busy clinic: each clinician sees a follow-up every 45 minutes from 7:00 to
18:15 on weekdays (lunch at 12:15 free), 15 a day, going back from three weeks ahead until
``total`` visits exist (40,000 for 5 clinicians is 2 years and 3 months). Past visits are
mostly attended (85 %), the rest cancelled, late-cancelled or no-shows; upcoming ones are
booked, with the time they hold (BookedSlot rows), so the booking pages see a full calendar.
Working hours Mon-Fri 7-12 and 13-19, as the demo's.

Notes: a signed treatment note with two interventions for ``note_share`` of the attended
visits, inserted unsigned with their interventions and then signed with one UPDATE (the
PostgreSQL triggers of intake migration 0031 refuse parts added to a signed note, as 0006 does
for evaluations). Every clinician also gets a draft note on a visit of today, the note editor
the benchmark measures.
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import F
from django.utils import timezone

from intake.models import (
    BookedSlot,
    DeliveredIntervention,
    InterventionType,
    TreatmentNote,
    Visit,
    VisitType,
    WorkingHours,
)
from intake.models.visits import SLOT_MINUTES

VISIT_MINUTES = 45
FIRST, LAST = datetime.time(7, 0), datetime.time(18, 15)
LUNCH = datetime.time(12, 15)
AHEAD_DAYS = 21
WORKING = [(day, 7, 12) for day in range(5)] + [(day, 13, 19) for day in range(5)]
PAST_STATUSES = (("arrived", 0.85), ("cancelled", 0.07), ("late_cancel", 0.03), ("no_show", 0.05))


def day_starts() -> list[datetime.time]:
    """7:00, 7:45, … 18:15 without 12:15: 15 starts."""
    starts, minutes = [], FIRST.hour * 60 + FIRST.minute
    while minutes <= LAST.hour * 60 + LAST.minute:
        at = datetime.time(minutes // 60, minutes % 60)
        if at != LUNCH:
            starts.append(at)
        minutes += VISIT_MINUTES
    return starts


def _status(rng) -> str:
    roll, total = rng.random(), 0.0
    for status, share in PAST_STATUSES:
        total += share
        if roll < total:
            return status
    return "arrived"


def make_visits(cmd, *, clinicians, patients, total: int, note_share: float, booked_by) -> None:
    """``cmd``: the BenchData command (its rng, _bulk and _say)."""
    if not total or not clinicians or not patients:
        return
    rng = cmd.rng
    zone = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    for clinician in clinicians:
        availability = clinician.call_availability
        if not availability.working_hours.exists():
            WorkingHours.objects.bulk_create(
                WorkingHours(
                    availability=availability,
                    weekday=day,
                    start=datetime.time(start),
                    end=datetime.time(end),
                )
                for day, start, end in WORKING
            )
    follow_up = VisitType.objects.get(key="follow_up")
    taken = set(Visit.objects.values_list("clinician_id", "start"))
    starts = day_starts()
    rows, day = [], today + datetime.timedelta(days=AHEAD_DAYS)
    while len(rows) < total:
        if day.weekday() < 5:
            for at in starts:
                start = datetime.datetime.combine(day, at, zone)
                for clinician in clinicians:
                    if len(rows) >= total or (clinician.pk, start) in taken:
                        continue
                    end = start + datetime.timedelta(minutes=VISIT_MINUTES)
                    upcoming = end > now
                    if upcoming and rng.random() < 0.4:
                        continue  # the weeks ahead are not full yet
                    rows.append(
                        Visit(
                            patient=rng.choice(patients),
                            clinician=clinician,
                            visit_type=follow_up,
                            start=start,
                            end=end,
                            status="booked" if upcoming or day == today else _status(rng),
                            booked_by=booked_by,
                            uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                            reminder_due_at=start - datetime.timedelta(hours=24),
                            reminder_sent_at=None if upcoming else start - datetime.timedelta(1),
                        )
                    )
        day -= datetime.timedelta(days=1)
    visits = cmd._bulk(Visit, rows)
    slots = []
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    for visit in visits:
        if visit.status == "booked":
            at = visit.start
            while at < visit.end:
                slots.append(BookedSlot(visit=visit, clinician_id=visit.clinician_id, start=at))
                at += step
    cmd._bulk(BookedSlot, slots)
    cmd._say(f"visits: {len(visits)} ({len(slots)} booked slots of the ones to come)")
    _notes(cmd, visits, note_share, today)


def _notes(cmd, visits, share: float, today: datetime.date) -> None:
    rng = cmd.rng
    manual = InterventionType.objects.get(key="manual_therapy")
    exercise = InterventionType.objects.get(key="therapeutic_exercise")
    gait = InterventionType.objects.get(key="gait_training")
    attended = [v for v in visits if v.status == "arrived" and rng.random() < share]
    todays = {}
    for visit in visits:
        if timezone.localdate(visit.start) == today and visit.clinician_id not in todays:
            todays[visit.clinician_id] = visit
    notes = [
        TreatmentNote(
            visit=visit,
            patient_id=visit.patient_id,
            clinician_id=visit.clinician_id,
            pain_now=rng.randint(0, 6),
            pain_worst=rng.randint(2, 8),
            subjective="Ran 3 easy runs; calf tight after the long one.",
            assessment="Tolerating load; cadence holding.",
            plan_next="Progress hops.",
        )
        for visit in [*attended, *todays.values()]
    ]
    notes = cmd._bulk(TreatmentNote, notes)
    parts = []
    for note in notes:
        parts.append(
            DeliveredIntervention(
                note=note,
                intervention=manual,
                minutes=15,
                details={"joint": "Talocrural", "grade": "III", "technique": "AP glide"},
                order=0,
            )
        )
        parts.append(DeliveredIntervention(note=note, intervention=exercise, minutes=23, order=1))
        if rng.random() < 0.5:
            parts.append(
                DeliveredIntervention(
                    note=note,
                    intervention=gait,
                    minutes=8,
                    details={"cue": "Run quietly", "cadence_target": 172},
                    order=2,
                )
            )
    cmd._bulk(DeliveredIntervention, parts)
    signed_ids = [n.pk for n in notes[: len(attended)]]
    for first in range(0, len(signed_ids), 5000):  # unsigned rows: the triggers allow it
        TreatmentNote.objects.filter(pk__in=signed_ids[first : first + 5000]).update(
            signed_at=timezone.now(), signed_by=F("clinician")
        )
    cmd._say(f"treatment notes: {len(signed_ids)} signed, {len(todays)} drafts of today")
