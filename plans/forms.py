from django import forms

from .models import Exercise, Phase, PlanItem


class PlanGenerateForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices, initial=Phase.STRENGTHEN)


class PlanItemForm(forms.ModelForm):
    """Dosage and note of one exercise in the plan (the editor saves each row by itself)."""

    class Meta:
        model = PlanItem
        fields = [
            "sets",
            "reps",
            "hold_seconds",
            "load",
            "load_value",
            "tempo",
            "rest_seconds",
            "sessions_per_day",
            "days_per_week",
            "side",
            "weeks",
            "pain_allowed",
            "dosage_notes",
            "notes",
        ]
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
        parts = tempo.split("-")
        if tempo and (len(parts) != 3 or not all(p.isdigit() and int(p) <= 10 for p in parts)):
            raise forms.ValidationError("Write the tempo as seconds up-hold-down, e.g. 3-2-3.")
        return tempo


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
    return_to_run = forms.BooleanField(required=False, label="Include the return-to-run program")
    run_stage = forms.IntegerField(
        min_value=1,
        max_value=6,
        label="Current walk-run stage",
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
