"""Payments (issue 22): money in by card terminal, HSA/FSA card, cash or bank transfer (the
method and a reference, never a card number), allocated to the oldest open charges in the
same transaction, the rest kept as the patient's credit when the front desk says so; refunds
are negative payments out of the credit. The database refuses an allocation past a charge or
a payment (intake migration 0038); the patient's row is locked so payments queue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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


def _totals(queryset, key: str) -> dict[int, Decimal]:
    return {
        pk: _cents(total)
        for pk, total in queryset.values(key)
        .annotate(total=Sum("amount"))
        .values_list(key, "total")
    }


def open_charges(patient: Patient) -> list[tuple[int, Decimal]]:
    """(charge id, still owed) of the patient's charges not paid in full, oldest first."""
    charged = _totals(ChargeLine.objects.filter(charge__patient=patient), "charge_id")
    allocated = _totals(Allocation.objects.filter(charge__patient=patient), "charge_id")
    ordered = (
        Charge.objects.filter(pk__in=charged)
        .order_by("service_date", "id")
        .values_list("pk", flat=True)
    )
    owed = [(pk, charged[pk] - allocated.get(pk, Decimal("0.00"))) for pk in ordered]
    return [(pk, amount) for pk, amount in owed if amount > 0]


def unapplied(patient: Patient) -> list[tuple[int, Decimal]]:
    """(payment id, not yet allocated nor refunded) of the patient's payments, oldest first."""
    allocated = _totals(Allocation.objects.filter(payment__patient=patient), "payment_id")
    refunded = _totals(
        Payment.objects.filter(patient=patient, refund_of__isnull=False), "refund_of_id"
    )
    left = []
    for pk, amount in (
        Payment.objects.filter(patient=patient, refund_of__isnull=True)
        .order_by("received_at", "id")
        .values_list("pk", "amount")
    ):
        rest = (
            _cents(amount) - allocated.get(pk, Decimal("0.00")) + refunded.get(pk, Decimal("0.00"))
        )
        if rest > 0:
            left.append((pk, rest))
    return left


def credit_apply(*, patient: Patient) -> None:
    """Apply what the patient paid and was kept as credit to their open charges, oldest
    payment to oldest charge: run when a charge is made (the caller's transaction; the
    patient's row is locked so payments and charges queue)."""
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    owed = open_charges(patient)
    for payment_id, rest in unapplied(patient):
        parts, _ = balances.allocate(owed, rest)
        for charge_id, part in parts:
            Allocation.objects.create(payment_id=payment_id, charge_id=charge_id, amount=part)
        owed = [(pk, amount) for pk, amount in _minus(owed, parts) if amount > 0]
        if not owed:
            return


def _minus(owed, parts):
    taken = dict(parts)
    return [(pk, amount - taken.get(pk, Decimal("0.00"))) for pk, amount in owed]


_AMOUNT = re.compile(r"\$?\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")


def money(value) -> Decimal:
    """A typed amount as dollars and cents (ASCII digits, "1,250.00" or "$45"); a
    ValidationError for anything else."""
    match = _AMOUNT.fullmatch(str(value or "").strip())
    if not match:
        if str(value or "").strip().startswith("-"):
            raise ValidationError({"amount": "A payment is more than 0.00 (a refund is separate)."})
        raise ValidationError({"amount": "Type an amount in dollars and cents, e.g. 125.00."})
    whole, cents = match.group(1).replace(",", ""), match.group(2) or ""
    if len(cents) > 2:
        raise ValidationError({"amount": "Dollars and cents, e.g. 125.00."})
    if len(whole) > 9:
        raise ValidationError({"amount": "That is more than a payment here can be: check it."})
    amount = Decimal(f"{whole}.{cents or '0'}").quantize(balances.CENT)
    if amount <= 0:
        raise ValidationError({"amount": "A payment is more than 0.00 (a refund is separate)."})
    if amount > MAX_PAYMENT:
        raise ValidationError({"amount": "That is more than a payment here can be: check it."})
    return amount


def signed_money(value) -> Decimal:
    """An adjustment's amount: dollars and cents with an optional minus sign, not zero."""
    text = str(value or "").strip().replace("\u2212", "-")
    negative = text.startswith("-")
    try:
        amount = money(text[1:] if negative else text)
    except ValidationError as error:
        messages = error.message_dict.get("amount", [])
        if any("more than 0.00" in m for m in messages):
            raise ValidationError({"amount": "An adjustment is not 0.00."}) from None
        raise
    return -amount if negative else amount


_DIGITS_AND_SEPARATORS = re.compile(r"[0-9](?:[0-9 ./-]*[0-9])?")


def looks_like_a_card_number(text: str) -> bool:
    """Any 13 to 19 digits in a row (spaces, dots, dashes and slashes between them ignored)
    that pass the Luhn check: a card number typed by mistake."""
    for run in _DIGITS_AND_SEPARATORS.findall(text or ""):
        digits = re.sub(r"[ ./-]", "", run)
        for size in range(13, 20):
            for start in range(len(digits) - size + 1):
                if luhn.is_valid(digits[start : start + size]):
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
    token=None,
) -> Payment:
    """Record a payment (``token``: the form's one-time id; the same token again returns the
    payment already recorded, so a double press is one payment)."""
    if token is not None:
        done = Payment.objects.filter(form_token=token).first()
        if done is not None and done.patient_id == patient.pk:
            return done
        if done is not None:
            raise ValidationError("This form was already used: open the payment form again.")
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
        patient=patient,
        amount=amount,
        method=method,
        reference=reference,
        received_by=actor.user,
        form_token=token,
    )
    for charge_id, part in parts:
        Allocation.objects.create(payment=payment, charge_id=charge_id, amount=part)
    audit(actor, AuditAction.CREATED, obj=payment, patient=patient, detail=method)
    return payment


@transaction.atomic
def payment_refund(*, payment: Payment, actor: Actor, amount) -> Payment:
    """Give back part of a payment: at most the part of it not applied to a charge (money
    applied is not refunded here: adjust the charge first)."""
    amount = money(amount)
    patient = Patient.objects.select_for_update().get(pk=payment.patient_id)
    if payment.refund_of_id is not None:
        raise ValidationError("A refund cannot itself be refunded.")
    left = dict(unapplied(patient)).get(payment.pk, Decimal("0.00"))
    if amount > left:
        raise ValidationError(
            {
                "amount": f"${left} of this payment is not applied to a charge: only that can "
                "be refunded (adjust a charge first to give back more)."
            }
        )
    refund = Payment.objects.create(
        patient=patient,
        amount=-amount,
        method=payment.method,
        reference=payment.reference,
        refund_of=payment,
        received_by=actor.user,
    )
    audit(actor, AuditAction.CREATED, obj=refund, patient=patient, detail="refund")
    return refund
