"""Payments (issue 22, step 4): allocated to the oldest open charges, the rest kept as credit
only when asked, refunds out of the credit, never a card number, and the database refusing
an allocation past a charge or a payment; a property test over random sequences shows the
balance is always the sum of the lines."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from clinic.access import Role
from clinic.tests.factories import PatientFactory, UserFactory, actor_for
from intake import balances
from intake.models import Allocation, Charge, ChargeLine, Payment
from intake.services import payments

from .test_note_services import TODAY, visit_on


@pytest.fixture
def desk(db):
    return UserFactory(username="pay-desk", role=Role.FRONT_DESK)


@pytest.fixture
def pt(db):
    return UserFactory(username="pay-pt", role=Role.CLINICIAN)


def charge_of(patient, clinician, amount: str, days_ago: int) -> Charge:
    """A charge of one line, as a signed note makes it."""
    visit = visit_on(patient, clinician, TODAY - datetime.timedelta(days=days_ago))
    charge = Charge.objects.create(
        patient=patient,
        visit=visit,
        clinician=clinician,
        service_date=visit.start.date(),
        place_of_service="11",
        created_by=clinician,
    )
    ChargeLine.objects.create(
        charge=charge,
        cpt_code="97110",
        modifiers="GP",
        description="Therapeutic exercise",
        units=1,
        unit_price=Decimal(amount),
        amount=Decimal(amount),
        created_by=clinician,
    )
    return charge


@pytest.mark.django_db
def test_a_payment_goes_to_the_oldest_charges_first_and_the_rest_only_as_credit(desk, pt, frozen):
    patient = PatientFactory(primary_clinician=pt)
    old, new = charge_of(patient, pt, "100.00", 7), charge_of(patient, pt, "80.00", 3)
    actor = actor_for(desk)
    payments.payment_record(
        patient=patient, actor=actor, amount="150", method="card", reference="T-1001"
    )
    assert list(Allocation.objects.values_list("charge_id", "amount")) == [
        (old.pk, Decimal("100.00")),
        (new.pk, Decimal("50.00")),
    ]
    with pytest.raises(ValidationError, match="more than the open balance of \\$30.00"):
        payments.payment_record(patient=patient, actor=actor, amount="50.00", method="cash")
    assert Payment.objects.count() == 1  # nothing saved half-way
    payments.payment_record(
        patient=patient, actor=actor, amount="50.00", method="cash", keep_credit=True
    )
    balance = payments.patient_balance(patient)
    assert (balance.owed, balance.credit) == (Decimal("-20.00"), Decimal("20.00"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "more than 0.00"),
        ("0", "more than 0.00"),
        ("0.00", "more than 0.00"),
        ("ten", "Type an amount"),
        ("12.345", "Dollars and cents"),
        ("NaN", "Type an amount"),
        ("1e400", "Type an amount"),
        ("1e-400", "Type an amount"),
        ("1,0,0", "Type an amount"),
        ("1_000", "Type an amount"),
        ("١٢٠", "Type an amount"),  # Arabic-Indic digits
        ("100001", "more than a payment here can be"),
        ("9" * 500, "more than a payment here can be"),
    ],
)
def test_bad_amounts_are_refused(desk, pt, frozen, amount, message):
    patient = PatientFactory(primary_clinician=pt)
    charge_of(patient, pt, "100.00", 1)
    with pytest.raises(ValidationError, match=message):
        payments.payment_record(
            patient=patient, actor=actor_for(desk), amount=amount, method="card"
        )
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_card_number_is_never_stored_as_a_reference(desk, pt, frozen):
    patient = PatientFactory(primary_clinician=pt)
    charge_of(patient, pt, "100.00", 1)
    for typed in (
        "4111 1111 1111 1111",
        "ref 4111-1111-1111-1111",
        "T-9 4111 1111 1111 1111",
        "receipt 0042 4111111111111111",
        "4111111111111111-01",
        "4111.1111.1111.1111",
        "4111/1111/1111/1111",
    ):
        with pytest.raises(ValidationError, match="looks like a card number"):
            payments.payment_record(
                patient=patient, actor=actor_for(desk), amount="10", method="card", reference=typed
            )
    assert not Payment.objects.exists()
    payments.payment_record(
        patient=patient, actor=actor_for(desk), amount="10", method="card", reference="AUTH 0042 17"
    )


@pytest.mark.django_db
def test_refunds_come_out_of_the_credit_only(desk, pt, frozen):
    patient = PatientFactory(primary_clinician=pt)
    charge_of(patient, pt, "100.00", 1)
    actor = actor_for(desk)
    paid = payments.payment_record(
        patient=patient, actor=actor, amount="130", method="card", keep_credit=True
    )
    cash = payments.payment_record(
        patient=patient, actor=actor, amount="20", method="cash", keep_credit=True
    )
    with pytest.raises(ValidationError, match="\\$30.00 of this payment is not applied"):
        payments.payment_refund(payment=paid, actor=actor, amount="40")  # not the cash's
    refund = payments.payment_refund(payment=paid, actor=actor, amount="30")
    assert refund.amount == Decimal("-30.00") and refund.refund_of == paid
    assert payments.patient_balance(patient).owed == Decimal("-20.00")
    with pytest.raises(ValidationError, match="\\$0.00 of this payment is not applied"):
        payments.payment_refund(payment=paid, actor=actor, amount="1")
    payments.payment_refund(payment=cash, actor=actor, amount="20")
    assert payments.patient_balance(patient).owed == Decimal("0.00")


@pytest.mark.django_db
def test_credit_paid_ahead_goes_to_the_next_charge(desk, pt, frozen):
    patient = PatientFactory(primary_clinician=pt)
    actor = actor_for(desk)
    ahead = payments.payment_record(
        patient=patient, actor=actor, amount="150", method="card", keep_credit=True
    )
    charge = charge_of(patient, pt, "100.00", 1)
    payments.credit_apply(patient=patient)
    assert list(charge.allocations.values_list("payment_id", "amount")) == [
        (ahead.pk, Decimal("100.00"))
    ]
    balance = payments.patient_balance(patient)
    assert (balance.owed, balance.credit) == (Decimal("-50.00"), Decimal("50.00"))
    with pytest.raises(ValidationError, match="\\$50.00 of this payment is not applied"):
        payments.payment_refund(payment=ahead, actor=actor, amount="150")


@pytest.mark.django_db
def test_the_database_refuses_an_allocation_past_the_charge_or_the_payment(desk, pt, frozen):
    patient = PatientFactory(primary_clinician=pt)
    charge = charge_of(patient, pt, "100.00", 1)
    payment = Payment.objects.create(
        patient=patient, amount=Decimal("150.00"), method="cash", received_by=desk
    )
    Allocation.objects.create(payment=payment, charge=charge, amount=Decimal("60.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Allocation.objects.create(payment=payment, charge=charge, amount=Decimal("40.01"))
    other = charge_of(patient, pt, "200.00", 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        Allocation.objects.create(payment=payment, charge=other, amount=Decimal("90.01"))
    Allocation.objects.create(payment=payment, charge=charge, amount=Decimal("40.00"))
    Allocation.objects.create(payment=payment, charge=other, amount=Decimal("50.00"))
    assert payments.patient_balance(patient).owed == Decimal("150.00")


@pytest.mark.django_db
def test_balances_are_the_sum_of_the_lines_over_random_sequences(desk, pt, frozen):
    """Property: after any sequence of charges, payments (with credit) and refunds, the balance
    is charges less payments, allocations never exceed a charge or a payment, and the credit is
    what was paid but not allocated."""
    rng = random.Random(2212)  # noqa: S311 (a test's sequence, not a secret)
    actor = actor_for(desk)
    for run in range(6):
        patient = PatientFactory(primary_clinician=pt)
        charged, paid = [], []
        made = []
        for step in range(40):
            roll = rng.random()
            if roll < 0.4:
                amount = Decimal(rng.randint(1, 30000)) / 100
                charge_of(patient, pt, str(amount), days_ago=100 - step)
                payments.credit_apply(patient=patient)  # as charge_for_note does
                charged.append(amount)
            elif roll < 0.85:
                amount = Decimal(rng.randint(1, 30000)) / 100
                try:
                    made.append(
                        payments.payment_record(
                            patient=patient,
                            actor=actor,
                            amount=str(amount),
                            method=rng.choice(["card", "cash", "hsa_fsa", "bank_transfer"]),
                            keep_credit=rng.random() < 0.5,
                        )
                    )
                    paid.append(amount)
                except ValidationError:
                    pass  # more than owed, credit not asked for: nothing saved
            elif made:
                payment = rng.choice(made)
                amount = Decimal(rng.randint(1, 10000)) / 100
                try:
                    payments.payment_refund(payment=payment, actor=actor, amount=str(amount))
                    paid.append(-amount)
                except ValidationError:
                    pass
            balance = payments.patient_balance(patient)
            assert balance.owed == balances.balance(charged, paid), (run, step)
            # Credit and balance agree: credit is what is owed to the patient, never both.
            assert balance.credit == max(Decimal("0.00"), -balance.owed), (run, step)
            for charge in Charge.objects.filter(patient=patient):
                lines = sum(line.amount for line in charge.lines.all())
                assert sum(a.amount for a in charge.allocations.all()) <= lines
            for payment in Payment.objects.filter(patient=patient, amount__gt=0):
                assert sum(a.amount for a in payment.allocations.all()) <= payment.amount


@pytest.mark.django_db
def test_the_front_desk_takes_a_payment_on_its_page_and_bad_input_keeps_the_typing(
    client, desk, pt, frozen
):
    from django.urls import reverse

    from clinic.models import AuditAction, AuditEvent

    from .helpers import text_of

    patient = PatientFactory(primary_clinician=pt)
    charge_of(patient, pt, "120.00", 2)
    client.force_login(desk)
    assert "/billing/" in client.get(patient.get_absolute_url()).content.decode()
    url = reverse("intake:payment_new", args=[patient.pk])
    assert "Balance due: $120.00" in text_of(client.get(url))
    for typed, message in (
        ("-10", "more than 0.00"),
        ("abc", "Type an amount in dollars"),
        ("150.00", "more than the open balance of $120.00"),
    ):
        response = client.post(url, {"amount": typed, "method": "card", "reference": "T-9"})
        assert response.status_code == 200 and message in text_of(response), typed
        assert f'value="{typed}"' in response.content.decode()  # kept
    card = client.post(url, {"amount": "20", "method": "card", "reference": "4111111111111111"})
    assert "looks like a card number" in text_of(card)
    assert not AuditEvent.objects.filter(detail__contains="4111").exists()
    assert not Payment.objects.exists()
    done = client.post(
        url,
        {"amount": "150.00", "method": "hsa_fsa", "reference": "T-9", "keep_credit": "on"},
        follow=True,
    )
    page = text_of(done)
    assert "Payment of $150.00 recorded." in page
    assert "Credit $30.00" in page and "HSA/FSA card · T-9" in page
    payment = Payment.objects.get()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, object_id=str(payment.pk), patient=patient, actor=desk
    ).exists()


@pytest.mark.django_db
def test_clinicians_see_no_payment_pages_and_strangers_nothing(client, desk, pt, frozen):
    from django.urls import reverse

    patient = PatientFactory(primary_clinician=pt)
    client.force_login(pt)
    assert client.get(reverse("intake:payment_new", args=[patient.pk])).status_code == 403
    assert client.get(reverse("intake:patient_billing", args=[patient.pk])).status_code == 403


@pytest.mark.django_db
def test_pressing_record_twice_is_one_payment(client, desk, pt, frozen):
    import uuid

    from django.urls import reverse

    patient = PatientFactory(primary_clinician=pt)
    charge_of(patient, pt, "120.00", 2)
    client.force_login(desk)
    url = reverse("intake:payment_new", args=[patient.pk])
    assert 'name="token"' in client.get(url).content.decode()
    form = {"amount": "60.00", "method": "card", "reference": "T-7", "token": str(uuid.uuid4())}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the same form sent again
    assert Payment.objects.count() == 1
    other = PatientFactory(primary_clinician=pt)
    charge_of(other, pt, "50.00", 1)
    reused = client.post(reverse("intake:payment_new", args=[other.pk]), form)
    assert reused.status_code == 200 and "already used" in reused.content.decode()
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_an_adjustment_corrects_a_charge_within_what_is_paid(desk, pt, frozen):
    from intake.services.charges import charge_adjust, charge_total

    patient = PatientFactory(primary_clinician=pt)
    charge = charge_of(patient, pt, "100.00", 2)
    line = charge.lines.get()
    actor = actor_for(desk)
    payments.payment_record(patient=patient, actor=actor, amount="60", method="cash")
    with pytest.raises(ValidationError, match="Say why"):
        charge_adjust(line=line, actor=actor, amount="-10", reason=" ")
    with pytest.raises(ValidationError, match="\\$60.00 is already paid"):
        charge_adjust(line=line, actor=actor, amount="-50", reason="Courtesy")
    with pytest.raises(ValidationError, match="not 0.00"):
        charge_adjust(line=line, actor=actor, amount="0", reason="Courtesy")
    adjustment = charge_adjust(line=line, actor=actor, amount="-40", reason="Courtesy discount")
    assert (adjustment.amount, adjustment.adjusts, adjustment.reason) == (
        Decimal("-40.00"),
        line,
        "Courtesy discount",
    )
    assert charge_total(charge) == Decimal("60.00")
    assert payments.patient_balance(patient).owed == Decimal("0.00")
    with pytest.raises(ValidationError, match="own line"):
        charge_adjust(line=adjustment, actor=actor, amount="1", reason="x")
    # The database holds the limit whoever writes.
    with pytest.raises(DatabaseError), transaction.atomic():
        ChargeLine.objects.create(
            charge=charge,
            description="Below what is paid",
            units=1,
            unit_price=Decimal("-0.01"),
            amount=Decimal("-0.01"),
            adjusts=line,
            reason="x",
            created_by=desk,
        )


@pytest.mark.django_db
def test_the_front_desk_adjusts_on_the_billing_page_and_a_refusal_keeps_the_typing(
    client, desk, pt, frozen
):
    from django.urls import reverse

    from .helpers import text_of

    patient = PatientFactory(primary_clinician=pt)
    line = charge_of(patient, pt, "100.00", 2).lines.get()
    client.force_login(desk)
    url = reverse("intake:adjustment_new", args=[patient.pk])
    assert client.get(url).status_code == 405
    refused = client.post(url, {"line": line.pk, "amount": "-150", "reason": "Typed reason"})
    assert refused.status_code == 200
    assert "cannot go below 0.00" in text_of(refused)
    assert 'value="Typed reason"' in refused.content.decode()
    other_line = charge_of(PatientFactory(primary_clinician=pt), pt, "80.00", 1).lines.get()
    wrong = client.post(url, {"line": other_line.pk, "amount": "-5", "reason": "x"})
    assert wrong.status_code == 200 and "Choose a line of a charge." in text_of(wrong)
    done = client.post(
        url, {"line": line.pk, "amount": "-25", "reason": "Sliding scale"}, follow=True
    )
    page = text_of(done)
    assert "Adjustment added." in page and "Reason: Sliding scale" in page
    assert "Balance due $75.00" in page
