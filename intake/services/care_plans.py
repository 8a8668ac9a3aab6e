"""Recording a payer's visit authorization (plan-of-care tracking reads it: intake.care_plans)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import Patient, VisitAuthorization
from intake.models.visits import AUTHORIZED_VISITS_MAX


@transaction.atomic
def authorization_record(
    *,
    patient: Patient,
    actor: Actor,
    visits: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    payer: str = "",
    reference: str = "",
) -> VisitAuthorization:
    """Record visits authorized from ``starts_on`` to ``ends_on``; it replaces the patient's
    earlier authorization for the counts (the earlier stays on the record)."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The authorization must end on or after its start."})
    if not 1 <= visits <= AUTHORIZED_VISITS_MAX:
        raise ValidationError({"visits": f"Between 1 and {AUTHORIZED_VISITS_MAX} visits."})
    authorization = VisitAuthorization.objects.create(
        patient=patient,
        visits=visits,
        starts_on=starts_on,
        ends_on=ends_on,
        payer=payer.strip(),
        reference=reference.strip(),
        recorded_by=actor.user,
    )
    audit(actor, AuditAction.CREATED, obj=authorization, patient=patient)
    return authorization
