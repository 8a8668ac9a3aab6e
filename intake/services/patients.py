"""Patient records: created and changed from plain data, audited with the fields changed."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import DiscoveryCall, Patient


def _checked(data: Mapping) -> dict:
    """``data`` as a dict, refused when it names a field staff do not edit (a programming
    error: the primary key, created_at, a typo)."""
    unknown = set(data) - set(Patient.STAFF_FIELDS)
    if unknown:
        raise ValueError(f"Not a field staff edit on a patient: {', '.join(sorted(unknown))}")
    return dict(data)


@transaction.atomic
def patient_create(*, data: Mapping, actor: Actor) -> Patient:
    """A new patient from validated values (PatientForm.patient_data(), or a seed), audited."""
    patient = Patient(**_checked(data))
    # The form checked these already; a caller without one gets the model's own checks.
    patient.full_clean(validate_unique=False, validate_constraints=False)
    patient.save()
    audit(actor, AuditAction.CREATED, obj=patient, detail=",".join(sorted(data))[:255])
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, data: Mapping, actor: Actor) -> Patient:
    """Change the given fields; the audit row names those whose value changed. Nothing
    changed, nothing saved or audited. The stored row is read again under a lock, so a bound
    form's instance (already holding the new values) does not hide what changed."""
    data = _checked(data)
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = sorted(name for name, value in data.items() if getattr(current, name) != value)
    if not changed:
        return current
    for name in changed:
        setattr(current, name, data[name])
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save(update_fields=[*changed, "updated_at"])
    audit(actor, AuditAction.CHANGED, obj=current, detail=",".join(changed)[:255])
    return current


@transaction.atomic
def patient_create_from_call(*, call: DiscoveryCall, data: Mapping, actor: Actor) -> Patient:
    """The prospect of a discovery call becomes a patient; the call is linked to the record,
    so what the caller said (the goal race, the story, how they heard of us) stays with it."""
    call = DiscoveryCall.objects.select_for_update().get(pk=call.pk)
    if call.patient_id:
        return call.patient  # converted meanwhile (a second tab, a double click)
    patient = patient_create(data=data, actor=actor)
    call.patient = patient
    call.save(update_fields=["patient", "updated_at"])
    audit(actor, AuditAction.CHANGED, obj=call, patient=patient, detail="converted")
    return patient
