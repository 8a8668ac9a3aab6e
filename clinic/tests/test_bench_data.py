"""The benchmark's data generator (bench/data.py) at a tiny scale: counts, signing, PDF, safety."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bench.data import BenchData
from intake.models import (
    BookedSlot,
    CallAvailability,
    DeliveredIntervention,
    Diagnosis,
    DiscoveryCall,
    Evaluation,
    Measurement,
    OutcomeResponse,
    Patient,
    TreatmentNote,
    Visit,
    WorkingHours,
)
from intake.models.visits import SLOT_MINUTES
from plans.models import Plan, PlanItem, PlanVersion, RenderJob

TINY = {
    "patients": 12,
    "evaluations": 40,
    "plan_versions": 10,
    "calls": 25,
    "upcoming_calls": 5,
    "clinicians": 2,
    "visits": 400,
}


def bench_data(**options):
    out = io.StringIO()
    call_command(BenchData(), stdout=out, **{**TINY, **options})
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.mark.django_db
def test_tiny_scale_makes_the_asked_counts_with_signed_evaluations_and_ready_pdfs(media):
    output = bench_data()
    assert "done" in output
    assert Patient.objects.count() == 12
    assert Evaluation.objects.count() == 40
    assert Measurement.objects.count() == 40 * 6
    assert Diagnosis.objects.count() == 40
    assert OutcomeResponse.objects.count() == 80
    assert not OutcomeResponse.objects.filter(total__isnull=True).exists()  # scored
    assert PlanVersion.objects.count() == 10
    assert Plan.objects.count() == 5  # two versions each
    assert PlanItem.objects.count() == 5 * 8
    assert CallAvailability.objects.count() == 2
    now = timezone.now()
    assert DiscoveryCall.objects.filter(start__lt=now).count() == 25
    assert DiscoveryCall.objects.filter(start__gt=now, status="booked").count() == 5
    # Treatment visits: 400, the upcoming ones holding their time, no clinician double-booked;
    # a quarter of the attended ones with a signed note, and a draft note today per clinician.
    assert Visit.objects.count() == 400
    assert Visit.objects.filter(status="arrived").exists()
    booked = Visit.objects.filter(status="booked")
    per_visit = 45 // SLOT_MINUTES
    assert BookedSlot.objects.filter(visit__in=booked).count() == per_visit * booked.count()
    assert Visit.objects.values("clinician", "start").distinct().count() == 400
    signed = TreatmentNote.objects.signed()
    assert signed.exists() and not signed.exclude(visit__status="arrived").exists()
    assert (
        not DeliveredIntervention.objects.filter(note__signed_at__isnull=True)
        .exclude(note__visit__start__date=timezone.localdate())
        .exists()
    )
    assert WorkingHours.objects.count() == 2 * 10

    # 10 % of the patients end with an unsigned draft; every other evaluation is signed.
    drafts = Evaluation.objects.filter(signed_at__isnull=True)
    assert drafts.count() == 1
    assert Evaluation.objects.filter(signed_at__isnull=False, signed_by__isnull=False).count() == 39
    assert not Plan.objects.filter(evaluation__signed_at__isnull=True).exists()

    # One real PDF, shared by every render job, matching its checksum.
    jobs = RenderJob.objects.all()
    assert jobs.count() == 10 and not jobs.exclude(status="ready").exists()
    job = jobs.first()
    data = (media / job.file.name).read_bytes()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == job.checksum


@pytest.mark.django_db
def test_signed_bench_evaluations_stay_frozen(media):
    bench_data(no_pdf=True)
    signed = Evaluation.objects.filter(signed_at__isnull=False).first()
    if connection.vendor == "postgresql":  # the triggers of intake migration 0006
        with pytest.raises(DatabaseError), transaction.atomic():
            Measurement.objects.bulk_create(
                [Measurement(evaluation=signed, key="rom_knee_flexion", left="1", right="2")]
            )


@pytest.mark.django_db
def test_running_twice_adds_and_no_pdf_leaves_jobs_that_nothing_renders(media):
    bench_data(no_pdf=True)
    bench_data(no_pdf=True, seed=7)
    assert Patient.objects.count() == 24
    assert DiscoveryCall.objects.filter(start__lt=timezone.now()).count() == 50
    assert set(RenderJob.objects.values_list("status", flat=True)) == {"failed"}
    assert not list(media.iterdir())


@pytest.mark.django_db
def test_refuses_a_database_that_is_not_a_bench_or_test_database(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "clinic")
    with pytest.raises(CommandError, match="Refusing"):
        bench_data()
    assert not Patient.objects.exists()
