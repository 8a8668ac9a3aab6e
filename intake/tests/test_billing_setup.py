"""Billing setup (issue 22, step 1): the NPI check digit and the EIN format, the practice's
and clinicians' billing details, and a fee schedule whose price changes never rewrite an old
day's fee; each bad input refused on the clinic admin's page with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clinic.access import Role
from clinic.tests.factories import UserFactory
from intake import billing_ids, fees
from intake.models import ClinicianBilling, Fee, PracticeBilling, VisitType

# 123456789 with check digit 3 is the worked example of CMS's "Requirements for NPI Check
# Digit"; 1558598797 is a second one worked the same way.
VALID_NPIS = ["1234567893", "1558598797", "1234-567 893"]


@pytest.mark.parametrize("npi", VALID_NPIS)
def test_a_valid_npi_passes(npi):
    assert billing_ids.npi_problem(npi) is None


@pytest.mark.parametrize(
    ("npi", "problem"),
    [
        ("1234567890", "check digit does not match"),
        ("1234567894", "check digit does not match"),
        ("123456789", "An NPI is 10 digits."),
        ("12345678931", "An NPI is 10 digits."),
        ("12345678x3", "An NPI is 10 digits."),
        ("١٢٣٤٥٦٧٨٩٣", "An NPI is 10 digits."),  # Arabic-Indic digits are not ASCII ones
        ("3234567893", "begins with 1 or 2"),
        ("", "An NPI is 10 digits."),
    ],
)
def test_a_bad_npi_says_what_is_wrong(npi, problem):
    assert problem in billing_ids.npi_problem(npi)


def test_eins():
    assert billing_ids.ein_problem("12-3456789") is None
    assert billing_ids.clean_ein("123456789") == "12-3456789"
    assert "9 digits" in billing_ids.ein_problem("12-34567")
    assert "prefix the IRS assigns" in billing_ids.ein_problem("07-1234567")


def test_the_fee_of_a_day_is_the_latest_started_by_then():
    history = [
        (datetime.date(2026, 1, 1), Decimal("120.00")),
        (datetime.date(2026, 7, 1), Decimal("135.00")),
    ]
    assert fees.fee_on(history, datetime.date(2025, 12, 31)) is None
    assert fees.fee_on(history, datetime.date(2026, 1, 1)) == Decimal("120.00")
    assert fees.fee_on(history, datetime.date(2026, 6, 30)) == Decimal("120.00")
    assert fees.fee_on(history, datetime.date(2026, 7, 1)) == Decimal("135.00")


@pytest.mark.django_db
def test_the_database_refuses_two_prices_for_one_code_on_one_day_and_a_fee_for_both():
    day = datetime.date(2026, 12, 1)
    Fee.objects.create(cpt_code="97110", amount=Decimal("45.00"), starts_on=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(cpt_code="97110", amount=Decimal("50.00"), starts_on=day)
    gait = VisitType.objects.get(key="gait_analysis")
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(cpt_code="97116", visit_type=gait, amount=Decimal("1"), starts_on=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fee.objects.create(amount=Decimal("1"), starts_on=day)  # neither
    Fee.objects.create(visit_type=gait, amount=Decimal("180.00"), starts_on=day)
    with pytest.raises(ValidationError, match="already has a price from that day"):
        Fee(visit_type=gait, amount=Decimal("190.00"), starts_on=day).full_clean()
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Fee(cpt_code="97140", amount=Decimal("-1"), starts_on=day).full_clean()


@pytest.mark.django_db
def test_the_clinic_admin_records_a_clinicians_npi_and_a_bad_check_digit_is_refused(
    client, clinic_admin
):
    clinician = UserFactory(username="billing-pt", role=Role.CLINICIAN)
    client.force_login(clinic_admin)
    url = reverse("admin:intake_clinicianbilling_add")
    data = {"clinician": clinician.pk, "credentials": "PT, DPT"}
    refused = client.post(url, {**data, "npi": "1234567890"})
    assert refused.status_code == 200
    assert "check digit does not match" in refused.content.decode()
    assert 'value="PT, DPT"' in refused.content.decode()  # what was typed is kept
    assert not ClinicianBilling.objects.exists()
    assert client.post(url, {**data, "npi": "1234 567 893"}).status_code == 302
    assert ClinicianBilling.objects.get().npi == "1234567893"


@pytest.mark.django_db
def test_the_practice_details_are_one_row_with_a_checked_ein_and_group_npi(client, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("admin:intake_practicebilling_add")
    data = {
        "name": "Runner PT Clinic",
        "address_line1": "100 Valencia St",
        "city": "San Francisco",
        "state": "CA",
        "postal_code": "94103",
        "phone": "+14155550100",
        "place_of_service": "11",
    }
    refused = client.post(url, {**data, "tax_id": "07-1234567", "group_npi": "1234567890"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "prefix the IRS assigns" in page and "check digit does not match" in page
    assert client.post(url, {**data, "tax_id": "123456789", "group_npi": ""}).status_code == 302
    practice = PracticeBilling.objects.get()
    assert practice.tax_id == "12-3456789"
    assert client.get(url).status_code == 403  # one row: it is edited, not added again


@pytest.mark.django_db
def test_a_second_price_for_a_code_on_one_day_is_refused_on_the_page(client, clinic_admin):
    client.force_login(clinic_admin)
    url = reverse("admin:intake_fee_add")
    data = {"cpt_code": "97110", "amount": "45.00", "starts_on": "2026-12-01"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "amount": "50.00"})
    assert again.status_code == 200
    assert "This code already has a price from that day." in again.content.decode()
    assert "not a number" not in again.content.decode()
    bad = client.post(url, {**data, "amount": "ten", "starts_on": "2026-12-02"})
    assert bad.status_code == 200 and "Enter a number." in bad.content.decode()
    assert list(Fee.objects.values_list("amount", flat=True)) == [Decimal("45.00")]


@pytest.mark.django_db
def test_front_desk_and_clinicians_only_read_the_billing_setup(client):
    for role in (Role.FRONT_DESK, Role.CLINICIAN):
        user = UserFactory(username=f"billing-{role.name.lower()}", role=role)
        assert user.has_perm("intake.view_fee") and user.has_perm("intake.view_practicebilling")
        assert not user.has_perm("intake.change_fee")
        assert not user.has_perm("intake.add_clinicianbilling")
