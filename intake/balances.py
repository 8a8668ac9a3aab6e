"""A patient's money, pure: the balance is the sum of the charge lines less the sum of the
payments (refunds are negative payments), and a payment is allocated to the oldest open
charges first, the rest kept as credit. Amounts are Decimal dollars to the cent."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

CENT = Decimal("0.01")


def balance(charged: Iterable[Decimal], paid: Iterable[Decimal]) -> Decimal:
    """What the patient owes (negative: the clinic owes them, a credit)."""
    return sum(charged, Decimal("0.00")) - sum(paid, Decimal("0.00"))


def allocate(
    open_charges: list[tuple[int, Decimal]], amount: Decimal
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """([(charge id, part of the payment)], the rest) for a payment of ``amount`` over the
    charges still owed, (id, owed) oldest first."""
    parts, left = [], amount
    for charge_id, owed in open_charges:
        if left <= 0:
            break
        part = min(owed, left)
        if part > 0:
            parts.append((charge_id, part))
            left -= part
    return parts, left
