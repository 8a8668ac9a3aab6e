"""The clinician's acknowledgement of an alert (plans/services/alerts.py)."""

from django import forms

from plans.models import AlertAck, AlertKind


class AlertAckForm(forms.Form):
    # Hidden: which alert instance; alert_acknowledge checks it against the open alerts.
    kind = forms.ChoiceField(choices=AlertKind.choices, widget=forms.HiddenInput)
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    # An acknowledgement without a word says nothing to the next clinician who reads it.
    note = forms.CharField(
        max_length=AlertAck._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you did or decided.",
        error_messages={
            "required": "Write what you did or decided (a call, a plan change) to acknowledge it."
        },
    )
    back = forms.ChoiceField(
        choices=[("dashboard", "dashboard"), ("chart", "chart")],
        required=False,
        widget=forms.HiddenInput,
    )
