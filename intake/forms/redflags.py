from django import forms

from intake.models import RedFlagDecision


class RedFlagResolveForm(forms.Form):
    decision = forms.ChoiceField(choices=RedFlagDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What you found and why you decided this; it is kept in the record.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for the decision.")
        return reason
