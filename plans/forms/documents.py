"""The clinician's request for a letter about a signed evaluation."""

from django import forms

from plans.models import LETTER_KINDS, DocumentKind


class LetterRequestForm(forms.Form):
    """A letter about a signed evaluation; the coach letter only with the patient's consent."""

    kind = forms.ChoiceField(
        label="Letter",
        choices=[(kind.value, kind.label) for kind in LETTER_KINDS],
        widget=forms.RadioSelect,
    )
    coach_consent = forms.BooleanField(
        label="The patient agreed to share this with their coach",
        required=False,
        help_text="Required for the coach letter; we record who confirmed it and when.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == DocumentKind.COACH_LETTER and not cleaned.get("coach_consent"):
            self.add_error(
                "coach_consent", "The coach letter needs the patient's agreement to share it."
            )
        return cleaned
