"""What a superbill needs before a charge exists: the practice's billing identity, each
clinician's credentials and NPI, and the fee schedule (DOMAIN.md section 11). Money is
Decimal dollars with two places, never a float.

A fee holds from its start date until the next fee of the same code (or visit type) starts,
so a price change never rewrites an old charge: the charge looks up the fee of its day
(intake.fees). Two fees of one code starting on one day are refused by the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from phonenumber_field.modelfields import PhoneNumberField

from intake import billing_ids

from .visits import VisitType

CPT_FORMAT = RegexValidator(r"^[0-9]{5}$", "A CPT code is five digits.")  # as InterventionType
MONEY = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class PlaceOfService(models.TextChoices):
    """CMS place-of-service codes a runner clinic uses (DOMAIN.md section 11)."""

    OFFICE = "11", "11 Office"
    TELEHEALTH = "02", "02 Telehealth, not in the patient's home"
    TELEHEALTH_HOME = "10", "10 Telehealth in the patient's home"


def _check_npi(value: str) -> None:
    problem = billing_ids.npi_problem(value)
    if problem:
        raise ValidationError(problem)


def _check_ein(value: str) -> None:
    problem = billing_ids.ein_problem(value)
    if problem:
        raise ValidationError(problem)


class PracticeBilling(models.Model):
    """The practice as its superbills name it: one row, edited by the clinic admin."""

    one = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField("practice name", max_length=200)
    address_line1 = models.CharField("address", max_length=200)
    address_line2 = models.CharField("address, line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(
        max_length=2, validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, e.g. CA.")]
    )
    postal_code = models.CharField(
        "ZIP code",
        max_length=10,
        validators=[RegexValidator(r"^[0-9]{5}(-[0-9]{4})?$", "A ZIP code, e.g. 94110.")],
    )
    phone = PhoneNumberField()
    tax_id = models.CharField("tax ID (EIN)", max_length=10, validators=[_check_ein])
    group_npi = models.CharField("group NPI", max_length=12, blank=True, validators=[_check_npi])
    place_of_service = models.CharField(
        max_length=2, choices=PlaceOfService.choices, default=PlaceOfService.OFFICE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "practice billing details"
        constraints = [models.CheckConstraint(condition=Q(one=1), name="one_practice_billing")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.tax_id = billing_ids.clean_ein(self.tax_id)
        self.group_npi = billing_ids.clean_npi(self.group_npi)


class ClinicianBilling(models.Model):
    """A clinician as a superbill names the treating provider."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="billing"
    )
    credentials = models.CharField(max_length=40, help_text="As signed, e.g. PT, DPT, OCS.")
    npi = models.CharField("individual NPI", max_length=12, unique=True, validators=[_check_npi])

    class Meta:
        verbose_name = verbose_name_plural = "clinician billing details"

    def __str__(self) -> str:
        return f"{self.clinician} ({self.credentials})"

    def clean(self) -> None:
        self.npi = billing_ids.clean_npi(self.npi)


class Fee(models.Model):
    """The price of a CPT code (per unit for a timed code) or of a flat-rate visit type, from
    ``starts_on`` until the next fee of the same code or type starts."""

    cpt_code = models.CharField("CPT code", max_length=5, blank=True, validators=[CPT_FORMAT])
    visit_type = models.ForeignKey(
        VisitType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fees",
        help_text="For a flat-rate visit, e.g. a running gait analysis; else leave empty.",
    )
    amount = models.DecimalField("price (USD)", **MONEY)
    starts_on = models.DateField("from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cpt_code", "visit_type", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(visit_type__isnull=True) & ~Q(cpt_code=""))
                | (Q(visit_type__isnull=False) & Q(cpt_code="")),
                name="fee_for_a_code_or_a_visit_type",
                violation_error_message="A fee is for a CPT code or for a visit type: one of them.",
            ),
            models.UniqueConstraint(
                fields=["cpt_code", "starts_on"],
                condition=Q(visit_type__isnull=True),
                name="one_fee_per_code_and_day",
                violation_error_message="This code already has a price from that day.",
            ),
            models.UniqueConstraint(
                fields=["visit_type", "starts_on"],
                condition=Q(visit_type__isnull=False),
                name="one_fee_per_visit_type_and_day",
                violation_error_message="This visit type already has a price from that day.",
            ),
        ]

    def __str__(self) -> str:
        what = self.cpt_code or (self.visit_type.name if self.visit_type_id else "?")
        return f"{what}: {self.amount} from {self.starts_on}"
