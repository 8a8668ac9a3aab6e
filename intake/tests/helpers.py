"""What several intake test modules post alike (not a test module: nothing here is collected).

* the questionnaire's steps, answered as a patient answers them, with no red flag;
* the evaluation page, posted as the clinician saves it;
* migration tests: migrating the test database to a state and back;
* discovery calls: the clock (a Tuesday morning in the clinic's time zone), the booking form,
  a clinician's call hours, and the links and invites their mails carry.
"""

import datetime
import re
import zoneinfo

import icalendar
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from clinic.tests.factories import actor_for
from intake.forms.discovery_calls import time_key
from intake.models import CallAvailability, CallHours, WorkingHours
from intake.services import discovery_calls as calls

# ------------------------------------------------------------------------- the questionnaire

NO_FLAGS = {
    **dict.fromkeys(
        (
            "night_rest_pain",
            "unexplained_weight_loss",
            "cancer_history",
            "fever_chills_sweats",
            "bowel_bladder_change",
            "saddle_numbness",
            "bilateral_leg_weakness",
            "unexplained_weakness_numbness",
            "fn_groin_pain_activity",
            "fn_hop_pain",
            "fn_hip_ir_pain",
            "fn_night_pain",
            "wells_active_cancer",
            "wells_bedridden_or_surgery",
            "wells_paralysis_immobilisation",
            "wells_whole_leg_swollen",
            "wells_calf_swelling_3cm",
        ),
        "no",
    ),
    "triad_dietary_restriction": "0",
}
PROFILE = {
    "years_running": "6",
    "runs_per_week": "4",
    "weekly_distance": "25",
    "longest_run": "10",
    "easy_pace": "9:30",
    "surfaces": ["road", "trail"],
    "shoe_model": "Pegasus 41",
    "shoe_distance": "300",
    "recent_changes": ["volume_jump"],
    "goal_race_name": "CIM",
}
COMPLAINT = {
    "region": "knee",
    "side": "left",
    "onset_type": "gradual",
    "pain_now": "3",
    "pain_best": "1",
    "pain_worst": "6",
    "hurts_during_run": "on",
    "during_run_after_minutes": "20",
    "patient_goals": "Run the marathon in December",
}
HISTORY = {
    "injuries-TOTAL_FORMS": "2",
    "injuries-INITIAL_FORMS": "0",
    "injuries-MIN_NUM_FORMS": "0",
    "injuries-MAX_NUM_FORMS": "6",
    "injuries-0-region": "shin",
    "injuries-0-diagnosis": "Shin splints",
    "injuries-0-year": "2022",
    "injuries-0-weeks_lost": "4",
}


def step(path, name):
    """The URL of one step of the questionnaire at ``path``."""
    return f"{path}{name}/"


def fill_all(client, path, screen=NO_FLAGS):
    """Every step up to the consent, with ``screen`` as the red-flag answers."""
    for name, data in (
        ("profile", PROFILE),
        ("complaint", COMPLAINT),
        ("history", HISTORY),
        ("screen", screen),
    ):
        response = client.post(step(path, name), data)
        assert response.status_code == 302, (name, response.content.decode()[:3000])


CONSENT = {"privacy": "on", "treatment": "on"}


def submit(client, path, **answers):
    """The patient fills every step with ``answers`` on the screen step, then sends."""
    fill_all(client, path, {**NO_FLAGS, **answers})
    response = client.post(step(path, "consent"), CONSENT)
    assert response.status_code == 302


# ------------------------------------------------------------------------ the evaluation page

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def page_data(**extra):
    """A valid POST of the evaluation page: notes, one diagnosis, no goals."""
    data = {
        "kind": "initial",
        "date": datetime.date.today().isoformat(),
        "involved_side": "left",
        "subjective": "Left knee pain on downhills",
        "force_unit": "kg",
        "dx-TOTAL_FORMS": "1",
        "dx-INITIAL_FORMS": "0",
        "dx-MIN_NUM_FORMS": "0",
        "dx-MAX_NUM_FORMS": "8",
        "dx-0-code": "M22.2X2",
        "dx-0-primary": "on",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "10",
    }
    data.update(extra)
    return data


def save(client, evaluation, **extra):
    """Save the evaluation page with page_data(**extra)."""
    return client.post(reverse("intake:evaluation_edit", args=[evaluation.pk]), page_data(**extra))


# ---------------------------------------------------------------------------- discovery calls

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
# Tuesday 1 December 2026, 07:00 in Los Angeles: before the first call of the day.
NOW = datetime.datetime(2026, 12, 1, 7, 0, tzinfo=LA)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A time of December 2026 in Los Angeles, in UTC."""
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=LA).astimezone(datetime.UTC)


DETAILS = {
    "name": "Robin Quinn",
    "email": "robin@example.com",
    "phone": "(415) 555-0199",
    "call_type": "phone",
    "area": "knee",
    "how_long": "6 weeks",
    "story": "Knee hurts after 5 miles",
    "heard_from": "web",
    "consent": "on",
}


def call_hours(user, weekdays=range(5)):
    """Call hours 8-12 and 13-17 on ``weekdays`` (Monday to Friday)."""
    availability, _ = CallAvailability.objects.update_or_create(
        clinician=user, defaults={"active": True}
    )
    for weekday in weekdays:
        for start, end in ((8, 12), (13, 17)):
            CallHours.objects.create(
                availability=availability,
                weekday=weekday,
                start=datetime.time(start),
                end=datetime.time(end),
            )


def working_hours(user, weekdays=range(5), hours=((8, 12), (13, 18)), location=""):
    """Working hours for visits, by default 8-12 and 13-18 Monday to Friday."""
    availability, _ = CallAvailability.objects.get_or_create(
        clinician=user, defaults={"active": False}
    )
    for weekday in weekdays:
        for start, end in hours:
            WorkingHours.objects.create(
                availability=availability,
                weekday=weekday,
                start=datetime.time(start),
                end=datetime.time(end),
                location=location,
            )
    return availability


def book(client, start, clinician, **extra):
    """The booking page posted for one clinician's slot (as a stale or forged key would)."""
    key = f"{clinician.pk}-{int(start.timestamp())}"
    return client.post(reverse("intake:book"), {**DETAILS, "slot": key, **extra})


def book_time(client, start, *, follow=False, **extra):
    """The booking page posted for a time, as its buttons post it (no clinician in the key)."""
    data = {**DETAILS, "slot": time_key(start), **extra}
    return client.post(reverse("intake:book"), data, follow=follow)


def call_booked(start, *, clinician, email="robin@example.com"):
    """A call booked online through the booking service."""
    return calls.call_book(
        clinician_id=clinician.pk,
        start=start,
        details={"name": "Robin Quinn", "email": email, "phone": "+14155550199"},
        source="online",
        actor=actor_for(),
    )


def manage_token(call):
    """Make a manage link the way the mail task does, and return its token."""
    url = calls.manage_link_create(call)
    return url.rstrip("/").rsplit("/", 1)[-1]


def manage_url_in(message) -> str:
    return next(word for word in message.body.split() if "/book/m/" in word)


def parsed_invite(message):
    attachment = message.attachments[0]
    return icalendar.Calendar.from_ical(
        attachment[1] if isinstance(attachment, tuple) else attachment.content
    )


def path_of(url: str) -> str:
    return url.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]


def text_of(response) -> str:
    """The page as a person reads it: tags out, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" .", ".")


# ------------------------------------------------------------------------- migration tests


def migrate(targets):
    """Migrate the test database to ``targets``; the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
