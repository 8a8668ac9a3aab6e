"""Upgrading a clinic whose signed evaluations already hold diagnoses: migration intake 0018
records each diagnosis's condition, past the PostgreSQL trigger that freezes signed records,
and leaves the trigger in force afterwards."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .helpers import migrate, migrate_to_latest

BEFORE = [("intake", "0017_links_derive_tokens_and_record_mail")]
AFTER = [("intake", "0018_diagnosis_records_its_condition")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signed_diagnoses_get_their_condition_and_stay_frozen():
    assert connection.vendor == "postgresql"
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        Patient = apps.get_model("intake", "Patient")
        Intake = apps.get_model("intake", "Intake")
        Complaint = apps.get_model("intake", "Complaint")
        Evaluation = apps.get_model("intake", "Evaluation")
        Diagnosis = apps.get_model("intake", "Diagnosis")
        pt = User.objects.create(username="mig-pt")
        patient = Patient.objects.create(
            legal_first_name="Sam",
            legal_last_name="Runner",
            date_of_birth=datetime.date(1990, 1, 1),
        )
        intake = Intake.objects.create(patient=patient, source="self")
        Complaint.objects.create(
            intake=intake,
            region="shin",
            side="left",
            onset_type="gradual",
            pain_now=3,
            pain_best=1,
            pain_worst=6,
        )
        evaluation = Evaluation.objects.create(
            patient=patient, clinician=pt, kind="initial", intake=intake, involved_side="left"
        )
        shin = Diagnosis.objects.create(evaluation=evaluation, code="M76.892", primary=True)
        achilles = Diagnosis.objects.create(evaluation=evaluation, code="M76.62")
        knee = Diagnosis.objects.create(evaluation=evaluation, code="M22.2X2")
        Evaluation.objects.filter(pk=evaluation.pk).update(signed_at=timezone.now(), signed_by=pt)

        apps = migrate(AFTER)
        Diagnosis = apps.get_model("intake", "Diagnosis")
        conditions = dict(Diagnosis.objects.values_list("pk", "condition"))
        assert conditions == {
            shin.pk: "medial_tibial_stress_syndrome",  # M76.89- by where the pain was
            achilles.pk: "achilles_midportion",
            knee.pk: "patellofemoral_pain",
        }
        with pytest.raises(DatabaseError, match="is signed"), transaction.atomic():
            Diagnosis.objects.filter(pk=knee.pk).update(condition="")
    finally:
        migrate_to_latest()
