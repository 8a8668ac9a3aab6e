"""One reading of a typed date of birth (intake.birth_dates), shared by the staff's patient
form, the patient search and the patients' date-of-birth check."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from intake.birth_dates import read_birth_date
from intake.forms import PatientForm

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1985-03-04", datetime.date(1985, 3, 4)),
        ("0085-03-04", datetime.date(1985, 3, 4)),  # the browser's date box, "85" typed
        ("0005-03-04", datetime.date(2005, 3, 4)),
        ("3/4/85", datetime.date(1985, 3, 4)),
        ("03/04/05", datetime.date(2005, 3, 4)),
        ("3/4/1985", datetime.date(1985, 3, 4)),
        ("4.3.1985", datetime.date(1985, 3, 4)),
        (" 3/4/85 ", datetime.date(1985, 3, 4)),
        ("11/26/26", datetime.date(2026, 11, 26)),  # born today
        ("11/27/26", datetime.date(1926, 11, 27)),  # tomorrow's date: a century ago
        ("3/4/27", datetime.date(1927, 3, 4)),
        ("2/29/28", datetime.date(1928, 2, 29)),
        ("2/29/00", datetime.date(2000, 2, 29)),
    ],
)
def test_a_typed_birth_date_is_read_as_meant(typed, meant):
    assert read_birth_date(typed, today=TODAY) == meant


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("2/29/27", "invalid"),  # 1927 had no 29 February
        ("1985-02-30", "invalid"),
        ("13/4/1985", "invalid"),
        ("0185-03-04", "too_old"),
        ("11/25/1906", "too_old"),
        ("2026-11-27", "future"),
        ("85", "invalid"),
        ("March 4 1985", "invalid"),
        ("3/4/985", "invalid"),
        ("", "invalid"),
    ],
)
def test_what_cannot_be_a_birth_date_is_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as refused:
        read_birth_date(typed, today=TODAY)
    assert refused.value.code == code


def test_the_oldest_birth_date_is_exactly_120_years_ago():
    assert read_birth_date("11/26/1906", today=TODAY) == datetime.date(1906, 11, 26)
    # On 29 February 2020 the oldest is 28 February 1900 (1900 had no 29 February).
    leap_day = datetime.date(2020, 2, 29)
    assert read_birth_date("1900-02-28", today=leap_day) == datetime.date(1900, 2, 28)
    with pytest.raises(ValidationError):
        read_birth_date("1900-02-27", today=leap_day)


@pytest.mark.django_db
def test_the_patient_form_reads_the_date_box_two_digit_year_as_the_birth_year():
    form = PatientForm(data={"date_of_birth": "0085-03-04"})
    form.is_valid()
    assert "date_of_birth" not in form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(1985, 3, 4)
    assert 'value="1985-03-04"' in str(form["date_of_birth"])
