"""The patient's date-of-birth check that opens their private links (clinic/links/)."""

from django import forms

from intake.forms.patients import BirthDateField


class BirthDateForm(forms.Form):
    # Read as the staff's patient form reads it; a date that cannot be a birth date is an
    # error on the form, never a wrong guess.
    date_of_birth = BirthDateField(
        label="Your date of birth",
        error_messages={"required": "Please enter your date of birth."},
    )


# The check page's words for each link kind that asks for the date of birth.
PLAN_CHECK_PAGE = {
    "heading": "Your home exercises",
    "intro": "To keep your plan private, please confirm your date of birth.",
    "button": "Open my plan",
}

COPY_CHECK_PAGE = {
    "heading": "Your health record",
    "intro": "To keep your record private, please confirm your date of birth.",
    "button": "Open my record",
}
