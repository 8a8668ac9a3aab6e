"""Payments (issue 22): money in by card terminal, HSA/FSA card, cash or bank transfer (the
method and a reference, never a card number), allocated to the oldest open charges in the
same transaction, the rest kept as the patient's credit when the front desk says so; refunds
are negative payments out of the credit. The database refuses an allocation past a charge or
a payment (intake migration 0038); the patient's row is locked so payments queue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from stdnum import luhn

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import balances
from intake.models import Allocation, Charge, ChargeLine, Patient, Payment, PaymentMethod

MAX_PAYMENT = Decimal("100000.00")  # a data-entry bound, not a policy
_DIGIT_RUNS = re.compile(r"[0-9][0-9 -]{11,}[0-9]")


@dataclass(frozen=True)
class Balance:
    charged: Decimal
    paid: Decimal  # refunds included (negative)
    allocated: Decimal

    @property
    def owed(self) -> Decimal:
        return balances.balance([self.charged], [self.paid])

    @property
    def credit(self) -> Decimal:
        """Paid but not allocated to a charge."""
        return self.paid - self.allocated


def _cents(value) -> Decimal:
    """A database sum as dollars and cents (SQLite hands back 30 for 30.00)."""
    return Decimal(str(value or 0)).quantize(balances.CENT)


def _sum(queryset, field="amount") -> Decimal:
    return _cents(queryset.aggregate(total=Sum(field))["total"])


def patient_balance(patient: Patient) -> Balance:
    return Balance(
        charged=_sum(ChargeLine.objects.filter(charge__patient=patient)),
        paid=_sum(Payment.objects.filter(patient=patient)),
        allocated=_sum(Allocation.objects.filter(payment__patient=patient)),
    )


def open_charges(patient: Patient) -> list[tuple[int, Decimal]]:
    """(charge id, still owed) of the patient's charges not paid in full, oldest first."""
    charged = dict(
        ChargeLine.objects.filter(charge__patient=patient)
        .values("charge_id")
        .annotate(total=Sum("amount"))
        .values_list("charge_id", "total")
    )
    allocated = dict(
        Allocation.objects.filter(charge__patient=patient)
        .values("charge_id")
        .annotate(total=Sum("amount"))
        .values_list("charge_id", "total")
    )
    ordered = Charge.objects.filter(pk__in=charged).order_by("service_date", "id")
    owed = [
        (pk, charged[pk] - allocated.get(pk, Decimal("0")))
        for pk in ordered.values_list("pk", flat=True)
    ]
    return [(pk, amount) for pk, amount in owed if amount > 0]


def money(value) -> Decimal:
    """A typed amount as dollars and cents; ValidationError for anything else."""
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "Type an amount in dollars, e.g. 125.00."}) from None
    if not amount.is_finite():
        raise ValidationError({"amount": "Dollars and cents, e.g. 125.00."})
    if amount <= 0:
        raise ValidationError({"amount": "A payment is more than 0.00 (a refund is separate)."})
    if amount > MAX_PAYMENT:
        raise ValidationError({"amount": "That is more than a payment here can be: check it."})
    if amount != amount.quantize(balances.CENT):  # bounded first: quantize refuses huge ones
        raise ValidationError({"amount": "Dollars and cents, e.g. 125.00."})
    return amount


def looks_like_a_card_number(text: str) -> bool:
    """13 to 19 digits that pass the Luhn check: a card number typed by mistake."""
    for run in _DIGIT_RUNS.findall(text or ""):
        digits = re.sub(r"[ -]", "", run)
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            return True
    return False


def _check_reference(reference: str) -> str:
    reference = (reference or "").strip()
    if looks_like_a_card_number(reference):
        raise ValidationError(
            {
                "reference": "That looks like a card number: store the terminal's receipt "
                "reference instead, never the card."
            }
        )
    return reference


@transaction.atomic
def payment_record(
    *,
    patient: Patient,
    actor: Actor,
    amount,
    method: str,
    reference: str = "",
    keep_credit: bool = False,
) -> Payment:
    amount = money(amount)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": "Choose how the patient paid."})
    reference = _check_reference(reference)
    Patient.objects.select_for_update().filter(pk=patient.pk).first()  # payments queue
    owed = open_charges(patient)
    parts, rest = balances.allocate(owed, amount)
    if rest > 0 and not keep_credit:
        open_total = sum((o for _, o in owed), Decimal("0.00"))
        raise ValidationError(
            {
                "amount": f"That is ${rest} more than the open balance of ${open_total}: "
                "tick “Keep the rest as credit” to take it all."
            }
        )
    payment = Payment.objects.create(
        patient=patient, amount=amount, method=method, reference=reference, received_by=actor.user
    )
    for charge_id, part in parts:
        Allocation.objects.create(payment=payment, charge_id=charge_id, amount=part)
    audit(actor, AuditAction.CREATED, obj=payment, patient=patient, detail=f"{method} {amount}")
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, actor: Actor, amount) -> Payment:
    """Give back part of a payment, out of the patient's credit (money already applied to a
    charge is not refunded here: adjust the charge first)."""
    amount = money(amount)
    patient = Patient.objects.select_for_update().get(pk=payment.patient_id)
    if payment.refund_of_id is not None:
        raise ValidationError("A refund cannot itself be refunded.")
    refunded = -_sum(payment.refunds.all())
    if amount > payment.amount - refunded:
        raise ValidationError(
            {"amount": f"At most ${payment.amount - refunded} of this payment is left to refund."}
        )
    credit = patient_balance(patient).credit
    if amount > credit:
        raise ValidationError(
            {"amount": f"The patient's credit is ${credit}: only that can be refunded."}
        )
    refund = Payment.objects.create(
        patient=patient,
        amount=-amount,
        method=payment.method,
        reference=payment.reference,
        refund_of=payment,
        received_by=actor.user,
    )
    audit(actor, AuditAction.CREATED, obj=refund, patient=patient, detail=f"refund {amount}")
    return refund
