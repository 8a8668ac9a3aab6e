"""Holding and freeing a clinician's time: the BookedSlot rows that make the database refuse
any overlap of visits and discovery calls (intake.models.visits)."""

from __future__ import annotations

import datetime

from django.db import transaction

from intake.models import BookedSlot
from intake.models.visits import grid_slots


def time_hold(
    *, clinician_id: int, start: datetime.datetime, end: datetime.datetime, visit=None, call=None
) -> None:
    """Hold [start, end) for the visit or the call; IntegrityError when any of it is taken
    (the savepoint leaves the caller's transaction usable)."""
    rows = [
        BookedSlot(clinician_id=clinician_id, start=slot, visit=visit, call=call)
        for slot in grid_slots(start, end)
    ]
    with transaction.atomic():
        BookedSlot.objects.bulk_create(rows)


def time_free(*, visit=None, call=None) -> None:
    if visit is not None:
        BookedSlot.objects.filter(visit=visit).delete()
    if call is not None:
        BookedSlot.objects.filter(call=call).delete()
