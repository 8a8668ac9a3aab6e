"""The patient's date-of-birth check that opens their private links."""

from django import forms

from intake.forms.patients import BirthDateField


class BirthDateForm(forms.Form):
    # Read as the staff's patient form reads it; a date that cannot be a birth date is an
    # error on the form, never a wrong guess.
    date_of_birth = BirthDateField(
        label="Your date of birth",
        error_messages={"required": "Please enter your date of birth."},
    )
