"""A patient's billing page (charges, payments, balance) and taking a payment: the front
desk's. The amounts and methods are checked by intake.services.payments; a refused payment
comes back with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.forms.billing import PaymentForm
from intake.models import Charge, ChargeLine, Patient, Payment
from intake.services import charges, payments


@staff("intake.view_payment", "intake.add_payment")  # the front desk; admins get reports
def patient_billing(request, patient_pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    return _billing_page(request, patient)


def _billing_page(request, patient, adjust: dict | None = None):
    """``adjust``: a refused adjustment (its line, what was typed, why), shown again."""
    audit(request, AuditAction.VIEWED, obj=patient, detail="billing")
    return render(
        request,
        "intake/patient_billing.html",
        {
            "patient": patient,
            "balance": payments.patient_balance(patient),
            "charges": Charge.objects.filter(patient=patient)
            .select_related("clinician", "visit__visit_type")
            .prefetch_related("lines", "allocations"),
            "payments": Payment.objects.filter(patient=patient).select_related("received_by"),
            "adjust": adjust or {},
        },
    )


@staff("intake.add_chargeline", "intake.add_payment")
@require_POST
def adjustment_new(request, patient_pk: int):
    """Correct a charge line: an adjustment with its reason (the charge itself never changes)."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    typed = {key: request.POST.get(key, "") for key in ("line", "amount", "reason")}
    line = (
        ChargeLine.objects.filter(charge__patient=patient, pk=typed["line"]).first()
        if typed["line"].isascii() and typed["line"].isdigit() and len(typed["line"]) < 12
        else None
    )
    if line is None:
        return _billing_page(request, patient, {**typed, "error": "Choose a line of a charge."})
    try:
        charges.charge_adjust(
            line=line,
            actor=Actor.from_request(request),
            amount=typed["amount"],
            reason=typed["reason"],
        )
    except ValidationError as error:  # the page comes back with what was typed
        refused = {**typed, "charge": str(line.charge_id), "error": " ".join(error.messages)}
        return _billing_page(request, patient, refused)
    messages.success(request, "Adjustment added.")
    return redirect("intake:patient_billing", patient_pk=patient.pk)


@staff("intake.add_payment")
def payment_new(request, patient_pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = payments.payment_record(
                patient=patient, actor=Actor.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:  # the page comes back with what was typed
            _to_fields(form, error)
        else:
            messages.success(request, f"Payment of ${payment.amount} recorded.")
            return redirect("intake:patient_billing", patient_pk=patient.pk)
    audit(request, AuditAction.VIEWED, obj=patient, detail="payment form")
    return render(
        request,
        "intake/payment_new.html",
        {"patient": patient, "form": form, "balance": payments.patient_balance(patient)},
    )


def _to_fields(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
