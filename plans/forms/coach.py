"""The clinician's form for a coach link (plans/views/coach.py)."""

from django import forms

CONSENT_REQUIRED = "Record the patient's consent first: without it no coach link is made."


class CoachLinkForm(forms.Form):
    consent = forms.BooleanField(
        label="The patient agreed to share their running plan with their coach",
        error_messages={"required": CONSENT_REQUIRED},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    show_diagnosis = forms.BooleanField(
        label="The patient allows the coach to see the diagnosis",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    coach_name = forms.CharField(label="Coach's name (optional)", max_length=100, required=False)
