"""Booking a discovery call (public and by phone), and what the front desk records after it."""

import datetime

from django import forms
from phonenumber_field.formfields import PhoneNumberField

from intake.models import CallOutcome, CallType, DiscoveryCall
from intake.models.patients import ReferralSource
from intake.models.questionnaires import BodyRegion, not_in_past


def slot_key(slot) -> str:
    return f"{slot.clinician_id}-{int(slot.start.timestamp())}"


def parse_slot_key(value: str):
    """(clinician id, aware UTC start) or None for anything malformed."""
    try:
        clinician, epoch = value.split("-", 1)
        start = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
        return int(clinician), start
    except (ValueError, OverflowError, OSError):
        return None


def time_key(start: datetime.datetime) -> str:
    """The booking page's key of a start time: the prospect picks a time, not a clinician."""
    return str(int(start.timestamp()))


def parse_time_key(value: str):
    """Aware UTC start or None; a clinician slot key ("7-1767225600") gives its time."""
    parsed = parse_slot_key(value if "-" in value else f"0-{value}")
    return parsed[1] if parsed else None


class TimeField(forms.CharField):
    widget = forms.HiddenInput

    def clean(self, value):
        value = super().clean(value)
        start = parse_time_key(value or "")
        if start is None:
            raise forms.ValidationError("Please choose a time from the list.")
        return start


class BookingForm(forms.Form):
    # A start time; the service picks a free clinician (PhoneBookingForm: the staff choose).
    slot = TimeField(error_messages={"required": "Please choose a time from the list."})
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="E-mail")
    phone = PhoneNumberField(label="Phone", help_text="We call you on this number.")
    call_type = forms.ChoiceField(
        label="How should we talk?",
        choices=CallType.choices,
        widget=forms.RadioSelect,
        initial=CallType.PHONE,
    )
    area = forms.ChoiceField(
        label="Where does it hurt?", choices=[("", "—"), *BodyRegion.choices], required=False
    )
    how_long = forms.CharField(label="For how long?", max_length=100, required=False)
    goal_race = forms.CharField(label="Goal race (if any)", max_length=120, required=False)
    goal_race_date = forms.DateField(
        label="Race date",
        required=False,
        validators=[not_in_past],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    story = forms.CharField(
        label="What is going on? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    heard_from = forms.ChoiceField(
        label="How did you hear about us?",
        # "Discovery call" is how a patient came in, not an answer a caller can give.
        choices=[("", "—")]
        + [c for c in ReferralSource.choices if c[0] != ReferralSource.DISCOVERY_CALL],
        required=False,
    )
    consent = forms.BooleanField(
        label="I agree that the clinic may contact me about this call by phone and e-mail."
    )
    # Honeypot: hidden from people by CSS (and from screen readers and the Tab key, so a
    # person never fills it in by accident), filled in by bots.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def details(self) -> dict:
        data = self.cleaned_data
        fields = [
            "name",
            "email",
            "call_type",
            "area",
            "how_long",
            "goal_race",
            "goal_race_date",
            "story",
            "heard_from",
        ]
        return {"phone": data["phone"].as_e164, **{name: data[name] for name in fields}}


PHONE_LABELS = {
    "name": "Caller's name",
    "email": "Caller's e-mail",
    "call_type": "How the call takes place",
    "area": "Where it hurts",
    "how_long": "For how long",
    "story": "What is going on (optional)",
    "heard_from": "How they heard about us",
}


class PhoneBookingForm(BookingForm):
    consent = forms.BooleanField(label="The caller agreed to be contacted by phone and e-mail.")
    clinician_slot = forms.ChoiceField(label="Time", choices=())

    def __init__(self, *args, slot_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician_slot"].choices = [("", "Choose a time"), *slot_choices]
        self.fields["slot"].required = False
        del self.fields["website"]
        # The front desk types for the caller: the public form's "you" would be the desk.
        for name, label in PHONE_LABELS.items():
            self.fields[name].label = label
        self.fields["phone"].help_text = "The caller's number, for the call."

    def clean(self):
        cleaned = super().clean()
        parsed = parse_slot_key(cleaned.get("clinician_slot") or "")
        if parsed is None:
            self.add_error("clinician_slot", "Choose a time.")
        else:
            cleaned["slot"] = parsed
            self.errors.pop("slot", None)
        return cleaned


class CallRecordForm(forms.ModelForm):
    class Meta:
        model = DiscoveryCall
        fields = ["outcome", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"notes": "Notes from the call"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "Not recorded yet"), *CallOutcome.choices]


class CallMoveForm(forms.Form):
    """A booked call's new time, from the manage link: one of its clinician's free slots."""

    slot = forms.ChoiceField(
        label="New time",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a time.",
            "invalid_choice": "That time was just taken. Please choose another time.",
        },
    )

    def __init__(self, *args, free=(), **kwargs):
        """``free``: (slot key, local start, slot) rows of the call's clinician."""
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(key, f"{local:%-I:%M %p}") for key, local, _ in free]

    def clean_slot(self):
        """(clinician id, aware UTC start); the choices already hold only well-formed keys."""
        return parse_slot_key(self.cleaned_data["slot"])
