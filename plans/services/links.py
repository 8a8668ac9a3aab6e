"""The patient's private link to their current plan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plans.models import PatientPlanLink


@transaction.atomic
def plan_link_create(*, plan, by, purpose: str, version_number: int | None = None):
    """(link, signed token). A new print link replaces the earlier one for the same version."""
    if purpose == "print":
        PatientPlanLink.objects.active().filter(
            plan=plan, purpose="print", version_number=version_number
        ).revoke()
    return PatientPlanLink.issue(
        plan=plan,
        purpose=purpose,
        version_number=version_number,
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PLAN_LINK_DAYS),
    )
