"""The clinician's plan editor: generate, an item's dosage, add an exercise, the settings."""

import re

from django import forms

from plans.models import Exercise, Phase, PlanItem
from plans.snapshots import dosage_sentence


class PlanGenerateForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices, initial=Phase.STRENGTHEN)


class PlanItemForm(forms.ModelForm):
    """Dosage and note of one exercise in the plan (the editor saves each row by itself)."""

    class Meta:
        model = PlanItem
        fields = [*PlanItem.DOSAGE_FIELDS, "progression", "notes"]  # the dosage, then the note
        widgets = {
            name: forms.NumberInput(attrs={"class": "form-control form-control-sm"})
            for name in (
                "sets",
                "reps",
                "hold_seconds",
                "rest_seconds",
                "sessions_per_day",
                "days_per_week",
                "weeks",
                "pain_allowed",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"item-{kwargs.get('instance').pk}", **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)

    def clean_tempo(self):
        tempo = self.cleaned_data["tempo"].strip()
        match = re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{1,2})", tempo)
        if tempo and (not match or not any(int(p) for p in match.groups())):
            raise forms.ValidationError("Write the tempo as seconds up-hold-down, e.g. 3-2-3.")
        return tempo

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:  # the same checks the patient's dosage sentence relies on
            dosage_sentence(self.instance)
        except ValueError as error:
            self.add_error(None, f"This dosage cannot be written out for the patient: {error}.")


class PlanItemAddForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.filter(active=True).order_by("name"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    override_reason = forms.CharField(
        required=False,
        max_length=300,
        label="Reason for adding it anyway",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class PlanSettingsForm(forms.Form):
    notes = forms.CharField(
        label="Note for the patient",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    return_to_run = forms.BooleanField(
        required=False,
        label="Include the return-to-run program",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    run_stage = forms.IntegerField(
        min_value=1,
        max_value=6,
        label="Current walk-run stage",
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, stage_locked: bool = False, **kwargs):
        """``stage_locked``: runs are logged, so the stage is the starting one no longer; it
        moves only by a recorded decision (plans.views.logs.run_decision)."""
        super().__init__(*args, **kwargs)
        if stage_locked:
            field = self.fields["run_stage"]
            field.disabled = True  # the posted value is ignored: the stored one stays
            field.help_text = (
                "Runs are logged: the stage now moves only by a decision under Return to run."
            )
