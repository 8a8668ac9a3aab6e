"""Charges (issue 22): signing a note makes its visit's charge, once, in the same
transaction. Each billed code is a line with its units by the 8-minute rule
(intake.billing_units, DOMAIN.md section 11), modifier GP (an outpatient PT plan of care),
and the fee of the day of service (intake.fees); a flat-rate visit type's fee is one line and
its codes are listed at no charge. The episode's diagnosis codes (the plan evaluation of that
day, primary first) and the place of service go on the charge. A code with no fee that day is
a line at 0.00 marked unpriced, for the front desk to correct with an adjustment: signing
never waits for the fee schedule.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import billing_units, fees, note_context
from intake.models import (
    Charge,
    ChargeLine,
    Fee,
    Patient,
    PlaceOfService,
    PracticeBilling,
    TreatmentNote,
)
from intake.services import payments

PT_PLAN_OF_CARE = "GP"  # modifier: services under an outpatient PT plan of care (section 11)
NOTHING = Decimal("0.00")


def billed(note: TreatmentNote) -> list[billing_units.BilledLine]:
    """The note's billing lines by the 8-minute rule (codes merged first)."""
    return billing_units.bill(
        billing_units.merged(
            (i.intervention.cpt_code, i.intervention.timed, i.minutes or 0)
            for i in note.interventions.select_related("intervention")
        )
    )


def _fees_of_day(codes: list[str], visit_type_id: int, day) -> tuple[dict, Decimal | None]:
    """({code: fee or None}, the visit type's flat fee or None) on ``day``: one query."""
    history: dict = {}
    for code, type_id, starts_on, amount in Fee.objects.filter(
        Q(cpt_code__in=codes, visit_type__isnull=True) | Q(visit_type_id=visit_type_id),
        starts_on__lte=day,
    ).values_list("cpt_code", "visit_type_id", "starts_on", "amount"):
        history.setdefault(code if type_id is None else None, []).append((starts_on, amount))
    flat = fees.fee_on(history.pop(None, []), day)
    return {code: fees.fee_on(history.get(code, []), day) for code in codes}, flat


def charge_for_note(*, note: TreatmentNote, actor: Actor) -> Charge:
    """The signed note's charge (the caller, note_sign, holds the transaction). Its lines are
    made by the note's signer, whoever runs this (a backfill: ``actor`` is the system)."""
    signer = note.signed_by_id or note.clinician_id
    visit = note.visit
    day = timezone.localdate(visit.start)
    lines = [line for line in billed(note) if line.units]
    names = {
        i.intervention.cpt_code: i.intervention.name
        for i in note.interventions.select_related("intervention")
    }
    evaluation = note_context.plan_evaluation(note.patient_id, on=day)
    diagnoses = (
        [d.code for d in sorted(evaluation.diagnoses.all(), key=lambda d: (not d.primary, d.pk))]
        if evaluation is not None
        else []
    )
    practice = PracticeBilling.objects.first()
    charge = Charge.objects.create(
        patient_id=note.patient_id,
        visit=visit,
        note=note,
        clinician_id=note.clinician_id,
        service_date=day,
        place_of_service=practice.place_of_service if practice else PlaceOfService.OFFICE,
        diagnoses=diagnoses,
        created_by_id=signer,
    )
    prices, flat = _fees_of_day([line.code for line in lines], visit.visit_type_id, day)
    for line in lines:
        price = NOTHING if flat is not None else prices[line.code]
        unit_price = price if price is not None else NOTHING
        ChargeLine.objects.create(
            charge=charge,
            cpt_code=line.code,
            modifiers=PT_PLAN_OF_CARE,
            description=names.get(line.code, line.code)
            + (" (in the visit's flat rate)" if flat is not None else ""),
            units=line.units,
            unit_price=unit_price,
            amount=unit_price * line.units,
            priced=price is not None,
            created_by_id=signer,
        )
    if flat is not None:
        ChargeLine.objects.create(
            charge=charge,
            description=f"{visit.visit_type.name} (flat rate)",
            units=1,
            unit_price=flat,
            amount=flat,
            created_by_id=signer,
        )
    audit(actor, AuditAction.CREATED, obj=charge, patient=note.patient)
    payments.credit_apply(patient=note.patient)  # what the patient paid ahead goes to it
    return charge


def charge_total(charge: Charge) -> Decimal:
    return sum((line.amount for line in charge.lines.all()), NOTHING)


ADJUSTMENT_REASON_MAX = 300


@transaction.atomic
def charge_adjust(*, line: ChargeLine, actor: Actor, amount, reason: str) -> ChargeLine:
    """Correct a charge without changing it: an adjustment line (negative to take off,
    positive to add) against ``line``, with the reason. The charge's total never goes below
    zero nor below what is already paid on it (the database checks both: migration 0041)."""
    amount = payments.signed_money(amount)
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the charge changes (it is on the record)."})
    if len(reason) > ADJUSTMENT_REASON_MAX:
        raise ValidationError({"reason": f"{ADJUSTMENT_REASON_MAX} characters at the most."})
    if line.adjusts_id is not None:
        raise ValidationError("Adjust the charge's own line, not an adjustment.")
    charge = Charge.objects.select_for_update().get(pk=line.charge_id)
    Patient.objects.select_for_update().filter(pk=charge.patient_id).first()
    total = charge_total(charge)
    paid = sum((a.amount for a in charge.allocations.all()), NOTHING)
    if total + amount < 0:
        raise ValidationError({"amount": f"The charge is ${total}: it cannot go below 0.00."})
    if total + amount < paid:
        raise ValidationError(
            {"amount": f"${paid} is already paid on this charge: it cannot go below that."}
        )
    adjustment = ChargeLine.objects.create(
        charge=charge,
        cpt_code=line.cpt_code,
        modifiers=line.modifiers,
        description=f"Adjustment of {line.cpt_code or line.description}",
        units=1,
        unit_price=amount,
        amount=amount,
        adjusts=line,
        reason=reason,
        created_by=actor.user,
    )
    audit(actor, AuditAction.CHANGED, obj=charge, patient=charge.patient, detail="adjustment")
    if amount > 0:
        payments.credit_apply(patient=charge.patient)
    return adjustment
