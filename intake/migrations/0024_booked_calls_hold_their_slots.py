"""Calls already booked from now on get their slots (0023), all of a call's or none. A call
that overlaps a visit or an earlier call (possible before 0023: visits were not checked
against calls) is left without slots rather than failing the upgrade, and its id is printed
so that the front desk can move it. Its own migration: the slots are written after 0023's
deferred indexes exist."""

import datetime

from django.db import IntegrityError, migrations, transaction

SLOT_MINUTES = 5  # intake.models.visits.SLOT_MINUTES at the time of this migration


def _grid(start, end):
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    first = start.replace(second=0, microsecond=0)
    first -= datetime.timedelta(minutes=first.minute % SLOT_MINUTES)
    while first < end:
        yield first
        first += step


def hold_booked_calls(apps, schema_editor):
    DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
    BookedSlot = apps.get_model("intake", "BookedSlot")
    now = datetime.datetime.now(datetime.timezone.utc)
    calls = DiscoveryCall.objects.filter(status="booked", end__gt=now).order_by("start", "pk")
    for call in calls.iterator():
        rows = [
            BookedSlot(call_id=call.pk, clinician_id=call.clinician_id, start=start)
            for start in _grid(call.start, call.end)
        ]
        try:
            with transaction.atomic():
                BookedSlot.objects.bulk_create(rows)
        except IntegrityError:
            print(f"\n  Discovery call {call.pk} overlaps another booking: move it.", end="")




class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0023_calls_and_visits_share_booked_slots"),
    ]

    operations = [
        migrations.RunPython(hold_booked_calls, migrations.RunPython.noop),
    ]
