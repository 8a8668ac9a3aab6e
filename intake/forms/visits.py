"""Booking and moving a visit: a date and a wall-clock time in the clinic's time zone."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone

from intake.models import VisitAuthorization, VisitType
from intake.models.visits import SLOT_MINUTES
from intake.visit_calendar import clinicians_on_calendar


def local_start(day: datetime.date, at: datetime.time) -> datetime.datetime | None:
    """The aware start of ``at`` on ``day`` in the clinic's zone; None for a wall time that
    does not exist that day (the hour the clocks skip in spring)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    wall = datetime.datetime.combine(day, at)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return aware


# How far ahead the calendar books: a plan of care runs weeks, a re-check a year at the most.
BOOKING_AHEAD = datetime.timedelta(days=730)


class WhenForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time", "step": SLOT_MINUTES * 60}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        today = timezone.localdate()
        if day and not today - datetime.timedelta(days=1) <= day <= today + BOOKING_AHEAD:
            self.add_error("date", "Choose a date from today to two years ahead.")
            data.pop("date", None)
            return data
        if day and at:
            if at.second or at.minute % SLOT_MINUTES:
                self.add_error("time", f"Choose a time on the {SLOT_MINUTES}-minute grid.")
                return data
            data["start"] = local_start(day, at)
            if data["start"] is None:
                self.add_error("time", "That time does not exist that day: the clocks skip it.")
        return data


class VisitBookingForm(WhenForm):
    visit_type = forms.ModelChoiceField(
        queryset=VisitType.objects.filter(active=True), empty_label=None, label="Visit"
    )
    clinician = forms.ModelChoiceField(queryset=None, empty_label=None, label="With")
    field_order = ["visit_type", "clinician", "date", "time"]

    def __init__(self, *args, time_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time"].required = time_required
        self.fields["clinician"].queryset = clinicians_on_calendar()
        self.fields["clinician"].label_from_instance = lambda u: u.get_full_name() or u.username


WEEKDAY_CHOICES = [
    (0, "Mon"),
    (1, "Tue"),
    (2, "Wed"),
    (3, "Thu"),
    (4, "Fri"),
    (5, "Sat"),
    (6, "Sun"),
]


class SeriesForm(VisitBookingForm):
    """A series: the first visit's day and time, the weekdays, how many."""

    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="On",
        error_messages={"required": "Choose at least one weekday."},
    )
    COUNT_MAX = 36  # intake.services.visits.SERIES_MAX
    count = forms.IntegerField(
        label="How many visits", min_value=1, max_value=COUNT_MAX, initial=12
    )
    field_order = ["visit_type", "clinician", "date", "time", "weekdays", "count"]


class AuthorizationForm(forms.ModelForm):
    """A payer's authorization: how many visits, between which dates."""

    class Meta:
        model = VisitAuthorization
        fields = ["visits", "starts_on", "ends_on", "payer", "reference"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", "The authorization must end on or after its start.")
            elif ends - starts > AUTHORIZATION_SPAN_MAX:
                self.add_error("ends_on", "An authorization spans two years at the most.")
        today = timezone.localdate()
        if starts and abs(starts - today) > AUTHORIZATION_SPAN_MAX:
            self.add_error("starts_on", "That date is more than two years away.")
        return data


AUTHORIZATION_SPAN_MAX = datetime.timedelta(days=730)  # data-entry bound
