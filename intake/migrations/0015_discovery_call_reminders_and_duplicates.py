"""Data for 0014's fields and 0016's constraint, in a migration of its own (see 0014)."""

import datetime

from django.db import migrations, models

REMINDER_AHEAD = datetime.timedelta(hours=24)  # intake.services.discovery_calls, at this time


def reminders_due(apps, schema_editor):
    """Calls already booked follow the new rule: a reminder only for those booked further
    ahead than the lead time."""
    DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
    DiscoveryCall.objects.filter(
        status="booked",
        reminder_sent_at__isnull=True,
        created_at__lte=models.F("start") - REMINDER_AHEAD,
    ).update(reminder_due_at=models.F("start") - REMINDER_AHEAD)


def cancel_duplicate_bookings(apps, schema_editor):
    """Before one booked call per prospect and start becomes a constraint: a double click
    could book the same prospect at the same time twice. Keep the call already worked on
    (a patient or an outcome), else the first booked; cancel the others with a note."""
    DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
    booked = DiscoveryCall.objects.filter(status="booked").order_by("start", "pk")
    kept: dict[tuple, object] = {}
    for call in booked.iterator():
        key = (call.email.lower(), call.phone, call.start)
        first = kept.get(key)
        if first is None:
            kept[key] = call
            continue
        if (call.patient_id or call.outcome) and not (first.patient_id or first.outcome):
            kept[key], call = call, first
        call.status = "cancelled"
        call.notes = (
            f"{call.notes}\n\nCancelled on upgrade: a duplicate booking of the same call.".strip()
        )
        call.save(update_fields=["status", "notes"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0014_discovery_call_reminder_due_and_one_manage_link")]

    operations = [
        migrations.RunPython(reminders_due, migrations.RunPython.noop),
        migrations.RunPython(cancel_duplicate_bookings, migrations.RunPython.noop),
    ]
