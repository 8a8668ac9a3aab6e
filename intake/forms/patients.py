import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.birth_dates import UNREADABLE, read_birth_date
from intake.models import Patient


class BirthDateField(forms.DateField):
    """A date of birth read by intake.birth_dates: "3/4/85" is 1985, an impossible date is
    an error that says what is wrong."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {"invalid": UNREADABLE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        return read_birth_date(str(value), today=timezone.localdate())

    def bound_data(self, data, initial):
        # The box shows the date as read (the date box's "0085" comes back as 1985), or the
        # entry exactly as typed when it cannot be read.
        try:
            return self.to_python(data) or data
        except ValidationError:
            return data


class PatientForm(forms.ModelForm):
    """Demographics and contact. On create, the same name and date of birth must be confirmed."""

    confirm_new_person = forms.BooleanField(
        required=False,
        label="This is a different person: create a new record anyway",
    )

    class Meta:
        model = Patient
        fields = list(Patient.STAFF_FIELDS)
        field_classes = {"date_of_birth": BirthDateField}
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"phone": "Include the area code, e.g. (415) 555-0134 or +44 20 7946 0958."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = Patient.objects.none()
        clinicians = get_user_model().objects.filter(groups__name="Clinician", is_active=True)
        self.fields["primary_clinician"].queryset = clinicians.order_by("last_name")
        self.fields["primary_clinician"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )
        if self.instance.pk:
            del self.fields["confirm_new_person"]

    def patient_data(self) -> dict:
        """The validated record fields, for patient_create / patient_update."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or self.errors:
            return cleaned
        self.duplicates = Patient.objects.same_person(
            cleaned["legal_first_name"], cleaned["legal_last_name"], cleaned["date_of_birth"]
        )
        if self.duplicates.exists() and not cleaned.get("confirm_new_person"):
            raise forms.ValidationError(
                "A patient with this name and date of birth already exists. Open the existing "
                "record, or tick the box below if this really is a different person.",
                code="duplicate",
            )
        return cleaned


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Search patients",
        max_length=100,
        help_text="Name, date of birth (YYYY-MM-DD or MM/DD/YYYY), phone or e-mail.",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        min_length=20,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The clinic admin reviews every emergency access. Give a reason a colleague "
        "would understand, for example who asked you to cover and why.",
    )


class EmergencyReviewForm(forms.Form):
    note = forms.CharField(label="Review note", max_length=1000, required=False)
