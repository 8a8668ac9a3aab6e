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
from django.db.models import F, Q
from django.db.models.functions import Round
from phonenumber_field.modelfields import PhoneNumberField

from clinic.visibility import PatientOwnedQuerySet
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


class ChargeFrozenError(ValidationError):
    def __init__(self):
        super().__init__(
            "A charge never changes once made: correct it with an adjustment line.",
            code="frozen",
        )


class AppendOnlyQuerySet(PatientOwnedQuerySet):
    """Rows that are written once: no bulk update or delete (PostgreSQL refuses them too,
    intake migration 0036)."""

    def update(self, **kwargs):
        raise ChargeFrozenError()

    def delete(self):
        raise ChargeFrozenError()


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ChargeFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ChargeFrozenError()


class ChargeKind(models.TextChoices):
    VISIT = "visit", "Visit"
    LATE_CANCEL = "late_cancel", "Late-cancel fee"
    NO_SHOW = "no_show", "No-show fee"


class Charge(AppendOnly):
    """What one visit costs, made when its note is signed: the date of service, where, the
    episode's diagnosis codes and its lines. Never changed; corrected by adjustment lines."""

    PATIENT_PATH = "patient"
    CLINICAL = False  # money, not findings: the front desk takes the payments

    patient = models.ForeignKey("intake.Patient", on_delete=models.PROTECT, related_name="charges")
    visit = models.ForeignKey("intake.Visit", on_delete=models.PROTECT, related_name="charges")
    note = models.OneToOneField(
        "intake.TreatmentNote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charge",
    )
    kind = models.CharField(max_length=12, choices=ChargeKind.choices, default=ChargeKind.VISIT)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    service_date = models.DateField()
    place_of_service = models.CharField(max_length=2, choices=PlaceOfService.choices)
    diagnoses = models.JSONField(default=list, blank=True)  # ICD-10-CM codes, primary first
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-service_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="one_charge_per_visit_and_kind")
        ]

    def __str__(self) -> str:
        return f"Charge {self.pk} ({self.service_date})"


class ChargeLine(AppendOnly):
    """One billed code (units by the 8-minute rule, priced by the fee of the day), a flat
    rate, a fee, or an adjustment of an earlier line (its amount may be negative)."""

    PATIENT_PATH = "charge__patient"
    CLINICAL = False

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="lines")
    cpt_code = models.CharField("CPT code", max_length=5, blank=True)
    modifiers = models.CharField(max_length=20, blank=True)  # "GP": under a PT plan of care
    description = models.CharField(max_length=200)
    units = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    priced = models.BooleanField(default=True)  # False: no fee was set for the day
    adjusts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    reason = models.CharField(max_length=300, blank=True)  # an adjustment's
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["charge", "id"]
        constraints = [
            models.CheckConstraint(
                # Rounded: SQLite multiplies as floats (3 x 38.10 is 114.30000000000001).
                condition=Q(adjusts__isnull=False)
                | Q(amount=Round(F("units") * F("unit_price"), 2)),
                name="charge_line_amount_is_units_times_price",
            ),
            models.CheckConstraint(
                condition=Q(adjusts__isnull=False) | Q(amount__gte=0),
                name="charge_line_not_negative_unless_an_adjustment",
            ),
            models.CheckConstraint(
                condition=Q(adjusts__isnull=True) | ~Q(reason=""),
                name="adjustment_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cpt_code or self.description} x{self.units}: {self.amount}"


class PaymentMethod(models.TextChoices):
    """How the money came: the app stores the method and a reference, never a card number."""

    CARD = "card", "Card (clinic terminal)"
    HSA_FSA = "hsa_fsa", "HSA/FSA card"
    CASH = "cash", "Cash"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


class Payment(AppendOnly):
    """Money in (a positive amount) or back out (a refund: negative). Written once; the part
    not allocated to a charge is the patient's credit."""

    PATIENT_PATH = "patient"
    CLINICAL = False

    patient = models.ForeignKey("intake.Patient", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(
        max_length=60, blank=True, help_text="The terminal's receipt or transfer reference."
    )
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    # The form's one-time token: a second press of "Record" (or a resent form) is one payment.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0)
                & (
                    Q(refund_of__isnull=True, amount__gt=0)
                    | Q(refund_of__isnull=False, amount__lt=0)
                ),
                name="payment_positive_or_a_refund",
            )
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk}: {self.amount}"


class Allocation(AppendOnly):
    """Part of a payment applied to a charge. The database refuses an allocation that would
    take a charge past its total, or a payment past its amount (intake migration 0038)."""

    PATIENT_PATH = "payment__patient"
    CLINICAL = False

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} of payment {self.payment_id} to charge {self.charge_id}"
