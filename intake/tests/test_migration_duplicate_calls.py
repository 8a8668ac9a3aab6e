"""Upgrading a clinic whose database already holds a prospect booked twice at one time.

Migration intake 0016 adds the constraint "one booked call per prospect and start". Before it,
a double click could book the same prospect with two free clinicians; adding the constraint
over such rows would fail the upgrade, so 0015 first cancels the duplicates.
"""

import datetime

import pytest
from django.utils import timezone

from .helpers import migrate, migrate_to_latest

BEFORE = [("intake", "0013_emergency_access_permissions")]
AFTER = [("intake", "0016_one_booked_call_per_prospect_and_start")]


# serialized_rollback: the flush after a transactional test would otherwise recreate the
# content types, and the next serialized_rollback test could not load its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_duplicate_bookings_are_cancelled_before_the_constraint():
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
        maya, ben, ana = (User.objects.create(username=name) for name in ("maya", "ben", "ana"))

        def book(clinician, email, **extra):
            return DiscoveryCall.objects.create(
                clinician=clinician,
                start=start,
                end=start + datetime.timedelta(minutes=15),
                name="Sam Runner",
                email=email,
                phone="+15555550123",
                consent_to_contact_at=start,
                source="online",
                **extra,
            )

        first = book(maya, "sam@example.com")
        worked_on = book(ben, "SAM@example.com", outcome="follow_up", notes="Keen to start.")
        someone_else = book(ana, "alex@example.com")

        apps = migrate(AFTER)
        DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
        status = dict(DiscoveryCall.objects.values_list("pk", "status"))
        assert status == {first.pk: "cancelled", worked_on.pk: "booked", someone_else.pk: "booked"}
        cancelled = DiscoveryCall.objects.get(pk=first.pk)
        assert "duplicate booking" in cancelled.notes
        assert DiscoveryCall.objects.get(pk=worked_on.pk).notes == "Keen to start."
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upgrade_gives_calls_booked_from_now_on_their_slots():
    apps = migrate([("intake", "0023_calls_and_visits_share_booked_slots")])
    try:
        User = apps.get_model("auth", "User")
        DiscoveryCall = apps.get_model("intake", "DiscoveryCall")
        maya = User.objects.create(username="maya")
        soon = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
            days=2
        )

        def book(start, status="booked"):
            return DiscoveryCall.objects.create(
                clinician=maya,
                start=start,
                end=start + datetime.timedelta(minutes=20),
                name="Sam Runner",
                email=f"sam{start.day}{start.hour}{status}@example.com",
                phone="+15555550123",
                consent_to_contact_at=start,
                source="online",
                status=status,
            )

        upcoming = book(soon)
        past = book(soon - datetime.timedelta(days=5))
        cancelled = book(soon + datetime.timedelta(hours=2), status="cancelled")

        apps = migrate([("intake", "0024_booked_calls_hold_their_slots")])
        BookedSlot = apps.get_model("intake", "BookedSlot")
        assert BookedSlot.objects.filter(call_id=upcoming.pk).count() == 4  # 20 min
        assert not BookedSlot.objects.filter(call_id__in=[past.pk, cancelled.pk]).exists()
    finally:
        migrate_to_latest()
