"""The prospect's manage link on a phone: the booking and its two actions
first, a day then its times, a confirmation before anything changes, the new time on the result.

The link comes from the confirmation mail the real Celery worker sends, and is the same link in
every later mail, so it still works after the move.
"""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from clinic.tests.factories import actor_for
from intake.models import CallStatus, DiscoveryCall
from intake.services import discovery_calls as calls

from .helpers import (
    PHONE,
    axe_problems,
    describe,
    first_url,
    mail_to,
    screenshot,
    unlabelled_fields,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "robin.quinn@example.com"


def _local(dt):
    return dt.astimezone(zoneinfo.ZoneInfo(django_settings.TIME_ZONE))


def _when(dt) -> str:
    """How the pages write a time: 'Thursday, December 3 at 10:00 AM'."""
    local = _local(dt)
    return f"{local:%A, %B} {local.day} at {local:%-I:%M %p}"


def _book() -> DiscoveryCall:
    """A call two or more days ahead, booked the way the public page does."""
    today = _local(calls.timezone.now()).date()
    slot = next(s for s in calls.open_slots() if (_local(s.start).date() - today).days >= 2)
    return calls.call_book(
        clinician_id=slot.clinician_id,
        start=slot.start,
        details={"name": "Robin Quinn", "email": EMAIL, "phone": "+14155550199"},
        source="online",
        actor=actor_for(),
    )


def _page_checks(page) -> None:
    assert unlabelled_fields(page) == []
    problems = axe_problems(page)
    assert not problems, describe(problems)


def _bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"] + box["height"]


def test_the_manage_page_on_a_phone_shows_the_call_first_and_confirms_each_change(
    demo, celery_worker, live_server, new_context, settings
):
    settings.SITE_URL = live_server.url  # the mails' links point at the test server
    call = _book()
    manage_url = first_url(mail_to(EMAIL, "Your free discovery call").body, "/book/m/")
    page = new_context("phone").new_page()
    page.goto(manage_url)
    screenshot(page, "60-call-manage")

    # 1. The booking and its two actions fill the first screen; no wall of time buttons.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your discovery call")
    expect(page.get_by_text(_when(call.start))).to_be_visible()
    change = page.get_by_role("link", name="Change the time")
    cancel = page.get_by_role("link", name="Cancel the call")
    assert _bottom(change) <= PHONE["height"] and _bottom(cancel) <= PHONE["height"]
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= PHONE["height"], f"the manage page is {height} px tall on a phone"
    _page_checks(page)

    # 2. A day first, then that day's times, all by keyboard.
    change.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new day")
    screenshot(page, "61-call-manage-days")
    _page_checks(page)
    call_day = _local(call.start).date()
    slots = [s for s in calls.open_slots() if s.clinician_id == call.clinician_id]
    days = [_local(s.start).date() for s in slots]
    new_day = next(d for d in days if d != call_day and days.count(d) >= 8)  # a full day
    day_link = page.get_by_role(
        "link", name=re.compile(rf"^{new_day:%A}\W+{new_day:%B} {new_day.day}\b")
    )
    day_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Choose a time on {new_day:%A, %B} {new_day.day}"
    )
    times = page.get_by_role("radio")
    day_slots = [s for s in slots if _local(s.start).date() == new_day]
    expect(times).to_have_count(len(day_slots))
    _page_checks(page)
    times.first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the third time of the day
    new_start = day_slots[2].start
    expect(page.get_by_role("radio", name=_local(new_start).strftime("%-I:%M %p"))).to_be_checked()
    screenshot(page, "62-call-manage-times")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")

    # 3. Nothing moves before the prospect confirms; the confirmation names both times.
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your call?")
    expect(page.get_by_text(_when(call.start))).to_be_visible()
    expect(page.get_by_text(_when(new_start))).to_be_visible()
    screenshot(page, "63-call-manage-confirm-move")
    _page_checks(page)
    call.refresh_from_db()
    assert call.start != new_start
    page.get_by_role("button", name="Yes, move my call").click()

    # 4. The result says where the call went.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your call has moved")
    expect(page.get_by_text(_when(new_start))).to_be_visible()
    screenshot(page, "64-call-manage-moved")
    call.refresh_from_db()
    assert call.start == new_start and call.status == CallStatus.BOOKED
    moved_mail = mail_to(EMAIL, "has moved")
    assert first_url(moved_mail.body, "/book/m/") == manage_url  # one link per call

    # 5. Cancelling asks first too; the same link from the first mail still works.
    page.goto(manage_url)
    expect(page.get_by_text(_when(new_start))).to_be_visible()
    page.get_by_role("link", name="Cancel the call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your call?")
    screenshot(page, "65-call-manage-confirm-cancel")
    _page_checks(page)
    call.refresh_from_db()
    assert call.status == CallStatus.BOOKED
    page.get_by_role("button", name="Yes, cancel my call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is cancelled")
    call.refresh_from_db()
    assert call.status == CallStatus.CANCELLED
    page.goto(manage_url)  # the link is revoked, and says why in plain words
    expect(page.get_by_role("heading", level=1)).to_have_text("Your call is cancelled")
    expect(page.get_by_role("link", name="Book a new call")).to_be_visible()
    screenshot(page, "66-call-manage-cancelled")
    _page_checks(page)
