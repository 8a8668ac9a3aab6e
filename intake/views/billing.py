"""A patient's billing page (charges, payments, balance) and taking a payment: the front
desk's. The amounts and methods are checked by intake.services.payments; a refused payment
comes back with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.forms.billing import PaymentForm
from intake.models import Charge, Patient, Payment
from intake.services import payments


@staff("intake.view_payment", "intake.add_payment")  # the front desk; admins get reports
def patient_billing(request, patient_pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
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
        },
    )


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
