"""Charges from signed notes (issue 22, step 3): the lines, units and modifier GP of the
8-minute rule, the fee of the day of service, the episode's diagnoses, flat-rate visits, and
a charge that never changes (model, querysets and PostgreSQL triggers)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import InternalError

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import (
    PatientFactory,
    SignedEvaluationFactory,
    UserFactory,
    actor_for,
)
from intake.models import Charge, ChargeFrozenError, ChargeLine, Fee, VisitType
from intake.services.charges import charge_total
from intake.services.notes import Delivered

from .test_note_services import MANUAL, TODAY, kind, signed_note

NEEDLING = {"muscles": "Soleus", "side": "left", "needles": 2}


@pytest.fixture
def maya(db):
    return UserFactory(username="charge-maya", role=Role.CLINICIAN, first_name="Maya")


@pytest.fixture
def runner(maya):
    return PatientFactory(primary_clinician=maya)


@pytest.fixture
def fee_schedule(db):
    old = TODAY - datetime.timedelta(days=60)
    for code, amount in (("97140", "55.00"), ("97116", "50.00"), ("20560", "65.00")):
        Fee.objects.create(cpt_code=code, amount=Decimal(amount), starts_on=old)
    return old


@pytest.fixture
def consented(maya, runner):
    from intake.services import notes

    notes.consent_record(
        patient=runner,
        actor=actor_for(maya),
        kind="dry_needling",
        signed_on=TODAY - datetime.timedelta(days=30),
    )


@pytest.fixture
def evaluated(maya, runner):
    return SignedEvaluationFactory(
        patient=runner, clinician=maya, date=TODAY - datetime.timedelta(days=14)
    )


def lines(charge):
    return [
        (line.cpt_code, line.modifiers, line.units, line.unit_price, line.amount, line.priced)
        for line in charge.lines.all()
    ]


@pytest.mark.django_db
def test_signing_a_note_makes_its_charge_with_units_fees_modifier_and_diagnoses(
    maya, runner, frozen, fee_schedule, consented, evaluated
):
    note = signed_note(
        runner,
        maya,
        TODAY,
        Delivered(intervention=kind("manual_therapy"), minutes=15, details=MANUAL),
        Delivered(intervention=kind("gait_training"), minutes=10, details={"cue": "Quiet"}),
        Delivered(intervention=kind("dry_needling_1_2"), details=NEEDLING),
    )
    charge = Charge.objects.get(note=note)
    assert (charge.service_date, charge.place_of_service) == (TODAY, "11")
    assert charge.diagnoses == ["M22.2X2"]  # the plan evaluation's, primary first
    # 25 timed minutes: 2 units, one each (15 and 10 minutes); needling is 1 untimed unit.
    assert lines(charge) == [
        ("97140", "GP", 1, Decimal("55.00"), Decimal("55.00"), True),
        ("97116", "GP", 1, Decimal("50.00"), Decimal("50.00"), True),
        ("20560", "GP", 1, Decimal("65.00"), Decimal("65.00"), True),
    ]
    assert charge_total(charge) == Decimal("170.00")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, object_id=str(charge.pk), patient=runner
    ).exists()


@pytest.mark.django_db
def test_a_later_price_never_rewrites_an_earlier_charge(maya, runner, frozen, fee_schedule):
    first = signed_note(
        runner,
        maya,
        TODAY - datetime.timedelta(days=7),
        Delivered(intervention=kind("manual_therapy"), minutes=30, details=MANUAL),
    )
    Fee.objects.create(cpt_code="97140", amount=Decimal("60.00"), starts_on=TODAY)
    second = signed_note(
        runner,
        maya,
        TODAY,
        Delivered(intervention=kind("manual_therapy"), minutes=30, details=MANUAL),
    )
    assert lines(first.charge) == [("97140", "GP", 2, Decimal("55.00"), Decimal("110.00"), True)]
    assert lines(second.charge) == [("97140", "GP", 2, Decimal("60.00"), Decimal("120.00"), True)]


@pytest.mark.django_db
def test_a_code_without_a_fee_is_an_unpriced_line_and_signing_does_not_wait(maya, runner, frozen):
    note = signed_note(
        runner, maya, TODAY, Delivered(intervention=kind("therapeutic_exercise"), minutes=20)
    )
    assert lines(note.charge) == [("97110", "GP", 1, Decimal("0.00"), Decimal("0.00"), False)]


@pytest.mark.django_db
def test_a_flat_rate_visit_is_one_line_and_its_codes_are_listed_at_no_charge(
    maya, runner, frozen, fee_schedule
):
    from .test_note_services import visit_on

    gait = VisitType.objects.get(key="gait_analysis")
    Fee.objects.create(visit_type=gait, amount=Decimal("180.00"), starts_on=fee_schedule)
    visit = visit_on(runner, maya, TODAY)
    visit.__class__.objects.filter(pk=visit.pk).update(visit_type=gait)
    from intake.services import notes
    from intake.services.notes import NoteData

    actor = actor_for(maya)
    note = notes.note_open(visit=visit.__class__.objects.get(pk=visit.pk), actor=actor)
    data = NoteData(
        interventions=[
            Delivered(intervention=kind("gait_training"), minutes=40, details={"cue": "Quiet"})
        ]
    )
    notes.note_save(note=note, actor=actor, data=data, revision=0)
    notes.note_sign(note=note, actor=actor)
    charge = Charge.objects.get(note=note)
    assert lines(charge) == [
        ("97116", "GP", 3, Decimal("0.00"), Decimal("0.00"), True),
        ("", "", 1, Decimal("180.00"), Decimal("180.00"), True),
    ]
    assert charge.lines.last().description == "Running gait analysis (flat rate)"


@pytest.mark.django_db
def test_a_charge_never_changes_once_made(maya, runner, frozen, fee_schedule):
    note = signed_note(
        runner,
        maya,
        TODAY,
        Delivered(intervention=kind("manual_therapy"), minutes=15, details=MANUAL),
    )
    charge = note.charge
    line = charge.lines.get()
    line.amount = Decimal("1.00")
    with pytest.raises(ChargeFrozenError):
        line.save()
    with pytest.raises(ChargeFrozenError):
        ChargeLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(ChargeFrozenError):
        Charge.objects.filter(pk=charge.pk).delete()
    with pytest.raises(ChargeFrozenError):
        charge.delete()
    with pytest.raises(IntegrityError), transaction.atomic():  # amount is units x price
        ChargeLine.objects.create(
            charge=charge,
            cpt_code="97110",
            description="Wrong",
            units=2,
            unit_price=Decimal("10.00"),
            amount=Decimal("25.00"),
            created_by=maya,
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # one charge per visit
        Charge.objects.create(
            patient=runner,
            visit=charge.visit,
            clinician=maya,
            service_date=TODAY,
            place_of_service="11",
            created_by=maya,
        )
    if connection.vendor != "postgresql":
        return
    for sql in (
        "UPDATE intake_chargeline SET amount = 1 WHERE id = %s",
        "DELETE FROM intake_chargeline WHERE id = %s",
    ):
        with (
            pytest.raises(InternalError, match="never change"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [line.pk])
    line.refresh_from_db()
    assert line.amount == Decimal("55.00")


@pytest.mark.django_db
def test_the_signed_note_shows_its_charge(client, maya, runner, frozen, fee_schedule):
    from django.urls import reverse

    from .helpers import text_of

    manual = Delivered(intervention=kind("manual_therapy"), minutes=15, details=MANUAL)
    exercise = Delivered(intervention=kind("therapeutic_exercise"), minutes=8)
    note = signed_note(runner, maya, TODAY, manual, exercise)
    client.force_login(maya)
    page = text_of(client.get(reverse("intake:note_edit", args=[note.pk])))
    assert "Charge Dec 1, 2026 · place of service 11" in page
    assert "97140 GP Manual therapy (joint mobilisation) 1 $55.00 $55.00" in page
    assert "97110 GP Therapeutic exercise no fee set for the day 1 $0.00 $0.00" in page


@pytest.mark.django_db
def test_cents_that_floats_cannot_hold_are_charged_exactly(maya, runner, frozen):
    """3 x 38.10 is 114.30000000000001 in floating point (SQLite's arithmetic): the check
    compares to the cent, so signing is never refused for an ordinary price."""
    Fee.objects.create(cpt_code="97110", amount=Decimal("38.10"), starts_on=TODAY)
    note = signed_note(
        runner, maya, TODAY, Delivered(intervention=kind("therapeutic_exercise"), minutes=45)
    )
    assert lines(note.charge) == [("97110", "GP", 3, Decimal("38.10"), Decimal("114.30"), True)]


@pytest.mark.django_db
def test_the_backfill_makes_the_missing_charges_once(maya, runner, frozen, fee_schedule):
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from intake.models import TreatmentNote
    from intake.services import notes
    from intake.services.notes import NoteData

    from .test_note_services import visit_on

    actor = actor_for(maya)
    note = notes.note_open(visit=visit_on(runner, maya, TODAY), actor=actor)
    manual = Delivered(intervention=kind("manual_therapy"), minutes=15, details=MANUAL)
    notes.note_save(note=note, actor=actor, data=NoteData(interventions=[manual]), revision=0)
    # Signed without the services (as data loaded from elsewhere, or before charges existed).
    TreatmentNote.objects.filter(pk=note.pk).update(signed_at=timezone.now(), signed_by=maya)
    out = io.StringIO()
    call_command("charges_backfill", stdout=out)
    assert "charges made: 1" in out.getvalue()
    charge = Charge.objects.get(note=note)
    assert lines(charge) == [("97140", "GP", 1, Decimal("55.00"), Decimal("55.00"), True)]
    assert charge.created_by == maya  # the signer's, not the system's
    call_command("charges_backfill", stdout=out)
    assert "charges made: 0" in out.getvalue() and Charge.objects.count() == 1
