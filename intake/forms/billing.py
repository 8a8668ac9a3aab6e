"""The front desk's payment form: the amount as typed (the service reads dollars and cents),
how the patient paid, the terminal's reference, and whether to keep what is over the open
balance as credit."""

import uuid

from django import forms

from intake.models import PaymentMethod


class PaymentForm(forms.Form):
    amount = forms.CharField(
        label="Amount (USD)",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    method = forms.ChoiceField(label="Paid by", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        required=False,
        help_text="The terminal's receipt or authorization code, or the transfer's reference. "
        "Never the card number.",
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    keep_credit = forms.BooleanField(
        label="Keep the rest as credit", required=False, help_text="When it is more than owed."
    )
