"""Which fee holds on a day: the one of the latest start on or before it. Pure."""

from __future__ import annotations

import datetime
from decimal import Decimal


def fee_on(fees: list[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal | None:
    """From (starts_on, amount) pairs of one code or visit type: the amount on ``day``, None
    when no fee had started by then."""
    started = [(start, amount) for start, amount in fees if start <= day]
    return max(started)[1] if started else None
