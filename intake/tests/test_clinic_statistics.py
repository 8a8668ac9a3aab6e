"""Clinic statistics: hand-computed figures for a known data set, safe CSV cells, and only the
clinic admin downloads them (audited)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.access import Role
from clinic.models import AuditAction, AuditEvent
from clinic.tests.factories import PatientFactory, UserFactory
from intake import clinic_statistics as statistics
from intake import statistics_facts
from intake.clinic_statistics import ActivePatientFact, CallFact, PatientOutcomes, Score
from intake.models import Diagnosis, DiscoveryCall, Evaluation, OutcomeResponse

D = Decimal
DAY1, DAY2, DAY3 = datetime.date(2026, 1, 5), datetime.date(2026, 2, 5), datetime.date(2026, 3, 5)


def scores(measure, *values, dates=(DAY1, DAY2, DAY3)):
    return [Score(measure, day, D(str(v))) for day, v in zip(dates, values, strict=False)]


# Eight patients; the expected rows below are worked out by hand from the MCIDs in
# intake/scoring/ (LEFS 9, NPRS 2, AKPS 10; PSFS has the MDC 2 only).
PATIENTS = [
    # Patellofemoral pain: AKPS +15 (reached); NPRS ties on count and date, AKPS goes first.
    PatientOutcomes(1, "M22.2X2", scores("AKPS", 60, 75) + scores("NPRS", 6, 3)),
    PatientOutcomes(2, "M22.2X1", scores("AKPS", 70, 76)),  # +6: not reached
    PatientOutcomes(3, "M22.2X9", scores("AKPS", 50)),  # no follow-up yet
    # Achilles: LEFS scored three times beats VISA-A twice; LEFS 40 -> 50 = +10 (reached).
    # M76.6- is mid-portion or insertional: the diagnosis's condition names the group.
    PatientOutcomes(
        4,
        "M76.62",
        scores("VISA-A", 50, 57) + scores("LEFS", 40, 45, 50),
        condition="achilles_midportion",
    ),
    PatientOutcomes(5, "M76.61", scores("LEFS", 30, 35), condition="achilles_midportion"),
    # Not a curated code; pain falls 7 -> 4 = 3 points in the good direction (reached).
    PatientOutcomes(6, "M25.561", scores("NPRS", 7, 4)),
    PatientOutcomes(7, "M76.31", []),  # never scored: not counted
    # M76.891 stands for two curated conditions; PSFS +3 reaches its MDC of 2.
    PatientOutcomes(8, "M76.891", scores("PSFS", "3.0", "6.0")),
]

EXPECTED_OUTCOMES = [
    ["M25.561 Pain in right knee", "NPRS", "lower", 1, 1]
    + [D("7.0"), D("4.0"), D("-3.0"), D("2"), "MCID", 1, D("100.0")],
    ["Medial tibial stress syndrome or Proximal hamstring tendinopathy", "PSFS", "higher", 1, 1]
    + [D("3.0"), D("6.0"), D("3.0"), D("2"), "MDC", 1, D("100.0")],
    # (40 + 30) / 2, (50 + 35) / 2, (10 + 5) / 2; 1 of 2 reached.
    ["Mid-portion Achilles tendinopathy", "LEFS", "higher", 2, 2]
    + [D("35.0"), D("42.5"), D("7.5"), D("9"), "MCID", 1, D("50.0")],
    # Three patients, two with a follow-up: (60 + 70) / 2, (75 + 76) / 2, (15 + 6) / 2.
    ["Patellofemoral pain", "AKPS", "higher", 3, 2]
    + [D("65.0"), D("75.5"), D("10.5"), D("10"), "MCID", 1, D("50.0")],
    # 7 patients with a score, 6 with a follow-up, 4 reached: 66.7 %.
    ["All conditions", "all", "", 7, 6, None, None, None, None, None, 4, D("66.7")],
]


def test_outcome_change_per_condition_matches_the_hand_computed_figures():
    rows = statistics.outcome_changes(PATIENTS)
    assert rows == EXPECTED_OUTCOMES
    assert len(rows[0]) == len(statistics.OUTCOME_HEADER)


def test_the_main_measure_is_the_most_scored_then_the_first_then_not_pain():
    assert statistics.main_measure(scores("NPRS", 5, 4, 3) + scores("LEFS", 40, 50)) == "NPRS"
    later = scores("LEFS", 40, dates=(DAY2,))
    assert statistics.main_measure(scores("UWRI", 20, dates=(DAY1,)) + later) == "UWRI"
    assert statistics.main_measure(scores("NPRS", 5) + scores("UWRI", 20)) == "UWRI"
    assert statistics.main_measure([Score("UNKNOWN", DAY1, D(1))]) is None


def test_faam_changes_are_in_percentage_points():
    patient = PatientOutcomes(1, "M72.2", scores("FAAM-ADL", "60.7", "70.2"))  # +9.5 ≥ 8
    (row, _total) = statistics.outcome_changes([patient])
    assert row[0] == "Plantar heel pain"
    assert row[7:] == [D("9.5"), D("8"), "MCID", 1, D("100.0")]


CALLS = [
    CallFact("2026-03", "online", "web", "booked", "evaluation_booked", True),
    CallFact("2026-03", "online", "web", "booked", "no_show", False),
    CallFact("2026-03", "online", "web", "cancelled", "", False),
    CallFact("2026-03", "phone", "physician", "booked", "not_a_fit", False),
    CallFact("2026-04", "online", "", "booked", "follow_up", True),
    CallFact("2026-04", "online", "", "booked", "follow_up", False),
    CallFact("2026-04", "online", "", "booked", "", False),  # not held yet
]


def test_call_conversions_per_month_and_source():
    assert statistics.call_conversions(CALLS) == [
        ["2026-03", "online", "web", 3, 1, 1, 1, 1, D("33.3")],
        ["2026-03", "phone", "physician", 1, 0, 0, 1, 0, D("0.0")],
        ["2026-04", "online", "not asked", 3, 0, 0, 2, 1, D("33.3")],
    ]


def test_active_patients_list_has_no_names_and_the_latest_diagnosis():
    facts = [
        ActivePatientFact(9, "Maya Okafor", DAY1, [DAY2, DAY3], ["M76.32", "M22.2X2"]),
        ActivePatientFact(4, "", DAY1, [], []),
    ]
    assert statistics.active_patients(facts) == [
        [4, "", DAY1, 0, None, None, "", ""],
        [9, "Maya Okafor", DAY1, 2, DAY2, DAY3, "M22.2X2", "Patellofemoral pain"],
    ]


# ------------------------------------------------------------------ from the database


@pytest.mark.django_db
def test_the_facts_come_from_signed_evaluations_and_the_clinic_time_zone(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    clinician = UserFactory(username="stat-clinician", role=Role.CLINICIAN)
    patient = PatientFactory()
    for day, total, sign in ((DAY1, 60, True), (DAY2, 75, True), (DAY3, 20, False)):
        evaluation = Evaluation.objects.create(
            patient=patient, clinician=clinician, kind="initial", date=day
        )
        Diagnosis.objects.create(
            evaluation=evaluation, code="M22.2X2", description="x", primary=True
        )
        OutcomeResponse.objects.create(evaluation=evaluation, measure="AKPS", total=total)
        if sign:
            evaluation.sign(by=clinician)
    # 1 April 05:00 UTC is still 31 March in the clinic.
    start = datetime.datetime(2026, 4, 1, 5, 0, tzinfo=datetime.UTC)
    DiscoveryCall.objects.create(
        clinician=clinician,
        start=start,
        end=start + datetime.timedelta(minutes=15),
        name="A Runner",
        email="a@example.com",
        phone="+14155550100",
        consent_to_contact_at=start,
        source="phone",
        heard_from="coach",
        outcome="evaluation_booked",
        patient=patient,
    )
    (outcomes,) = statistics_facts.outcome_facts()
    assert outcomes.diagnosis_code == "M22.2X2"
    assert [(s.date, s.value) for s in outcomes.scores] == [(DAY1, D("60")), (DAY2, D("75"))]
    assert statistics.outcome_changes([outcomes])[0][3:8] == [1, 1, D("60.0"), D("75.0"), D("15.0")]
    (call,) = statistics_facts.call_facts()
    assert (call.month, call.booked_via, call.heard_from, call.converted) == (
        "2026-03",
        "phone",
        "coach",
        True,
    )


@pytest.fixture
def admin(db):
    return UserFactory(username="stat-admin", role=Role.CLINIC_ADMIN, is_staff=True)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_the_clinic_admin_downloads_safe_csvs_and_each_download_is_audited(client, admin):
    clinician = UserFactory(username="stat-evil", first_name='=HYPERLINK("http://x")')
    PatientFactory(status="active", primary_clinician=clinician, legal_last_name="Secretname")
    client.force_login(admin)
    page = client.get(reverse("intake:clinic_statistics")).content.decode()
    for report in ("calls", "active-patients", "outcomes"):
        assert reverse("intake:clinic_statistics_csv", args=[report]) in page
    response = client.get(reverse("intake:clinic_statistics_csv", args=["active-patients"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="clinic-active-')
    rows = read_csv(response)
    assert rows[0] == list(statistics.ACTIVE_HEADER)
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert "Secretname" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.detail) == (admin, "statistics active-patients")
    outcomes = client.get(reverse("intake:clinic_statistics_csv", args=["outcomes"]))
    assert read_csv(outcomes)[-1][:2] == ["All conditions", "all"]
    assert client.get(reverse("intake:clinic_statistics_csv", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_only_the_clinic_admin_gets_the_statistics(client):
    url = reverse("intake:clinic_statistics_csv", args=["outcomes"])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    for role in (Role.CLINICIAN, Role.FRONT_DESK):
        client.force_login(UserFactory(username=f"stat-{role.name.lower()}", role=role))
        assert client.get(url).status_code == 403
        assert client.get(reverse("intake:clinic_statistics")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_visa_a_threshold_of_a_group_is_its_conditions_mcid():
    patients = [
        PatientOutcomes(1, "M76.62", scores("VISA-A", 50, 60), condition="achilles_midportion"),
        PatientOutcomes(2, "M76.61", scores("VISA-A", 50, 60), condition="achilles_insertional"),
    ]
    rows = {row[0]: row for row in statistics.outcome_changes(patients)[:-1]}
    # +10: short of mid-portion's 14, past insertional's 6.5.
    assert rows["Mid-portion Achilles tendinopathy"][8:11] == [D("14"), "MCID", 0]
    assert rows["Insertional Achilles tendinopathy"][8:11] == [D("6.5"), "MCID", 1]
