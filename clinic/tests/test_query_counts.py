"""SQL queries of the key pages: bounded, and not growing with the data.

Data comes from the factories (clinic/tests/clinic_data.py) at two sizes: the pages of the
first, small batch are counted, the data grows about eight-fold (treatment visits and their
signed notes three-fold per patient), and the same pages are counted again (and the same pages
of a patient from the big batch with a longer history).
The patient chart, the evaluation page and the plan editor's growth with the plan size are
covered in intake/tests/test_evaluations.py and plans/tests/test_plans.py.

Counts are every statement CaptureQueriesContext sees in one warm request, including the
SAVEPOINT/RELEASE that ATOMIC_REQUESTS adds inside a test. BUDGET holds today's count of each
page; the benchmark's report (bench/results/) says which pages are above the goal of 15
queries and why.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import DiscoveryCall, Evaluation, Patient, TreatmentNote
from plans.models import Plan

from .clinic_data import FRONT_DESK, grow
from .factories import PatientPlanLinkFactory

# Today's statements per page, two of them SAVEPOINT and RELEASE SAVEPOINT. Lower a budget
# when a page gets cheaper; raising one needs a reason.
BUDGET = {
    # 10 before roles and permissions were cached (2026-11-27); +1 today's visits (2026-12-03)
    "dashboard (clinician)": 8,
    "dashboard (front desk)": 7,
    "patient list": 6,
    "patient search": 8,  # one search result row used to cost one query (fixed 2026-11-26)
    "evaluation editor": 15,  # 19 before the cache and gait by select_related (2026-11-27)
    "plan version page": 8,
    "call calendar (day)": 5,
    "call calendar (week)": 5,
    "book": 8,
    "patient plan page": 7,  # +1 the next visits (2026-12-03)
    "visit calendar (week, clinic)": 7,
    "visit calendar (week, clinician)": 7,
    "visit page": 11,
    # 24 before the progress figures were limited to progress notes, the consent, the
    # authorization and the home plan came within the note's query and the copied note's
    # visit by select_related (2026-12-04).
    "daily-note editor": 15,
    "progress-note editor": 16,  # + the outcome scores
}

# Evaluations per patient, every patient's latest a draft (for the editor); two issued
# versions per plan.
SMALL = {"patients": 4, "evaluations": 2, "plans": 2, "calls": 10, "visits": 2}
# 8 evaluations per new patient: like the small batch's 2, the draft has no gait analysis
# (clinic_data records gait on every other evaluation); intake/tests/test_evaluations.py
# checks that the editor costs the same with one.
LARGE = {"patients": 30, "evaluations": 8, "plans": 15, "calls": 60, "visits": 6}


def count(client, url, *, data=None):
    """Statements of the second of two identical requests (the first warms caches)."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


class Pages:
    """The URLs of one patient's records and who may open them."""

    def __init__(self, client, patient):
        self.client = client
        self.patient = patient
        self.draft = patient.evaluations.filter(signed_at__isnull=True).get()
        self.plan = Plan.objects.filter(patient=patient).first()
        self.version = self.plan.versions.order_by("-number").first()
        self.clinician = self.draft.clinician
        self.frontdesk = User.objects.get(username=FRONT_DESK)
        token = PatientPlanLinkFactory(plan=self.plan).signed_token
        self.plan_url = reverse("plans:patient_plan", args=[token])

    def counts(self) -> dict:
        c, result = self.client, {}
        c.force_login(self.clinician)
        result["dashboard (clinician)"] = count(c, reverse("clinic:dashboard"))
        result["evaluation editor"] = count(
            c, reverse("intake:evaluation_edit", args=[self.draft.pk])
        )
        result["plan version page"] = count(
            c, reverse("plans:version_detail", args=[self.version.pk])
        )
        note = TreatmentNote.objects.filter(patient=self.patient, signed_at__isnull=True).get()
        result["visit page"] = count(c, reverse("intake:visit_detail", args=[note.visit_id]))
        result["daily-note editor"] = count(c, reverse("intake:note_edit", args=[note.pk]))
        # A progress note adds its figures (outcome measures, limb symmetry, cadence).
        TreatmentNote.objects.filter(pk=note.pk).update(progress_note=True)
        result["progress-note editor"] = count(c, reverse("intake:note_edit", args=[note.pk]))
        TreatmentNote.objects.filter(pk=note.pk).update(progress_note=False)
        week = f"{reverse('intake:visit_calendar')}?view=week"
        result["visit calendar (week, clinician)"] = count(c, week)
        c.force_login(self.frontdesk)
        result["dashboard (front desk)"] = count(c, reverse("clinic:dashboard"))
        result["patient list"] = count(c, reverse("intake:patient_list"))
        day = timezone.localtime(
            DiscoveryCall.objects.filter(start__lt=timezone.now()).latest("start").start
        ).date()
        calendar = reverse("intake:call_calendar")
        result["call calendar (day)"] = count(c, f"{calendar}?day={day}")
        result["call calendar (week)"] = count(c, f"{calendar}?view=week&day={day}")
        result["visit calendar (week, clinic)"] = count(c, f"{week}&who=all")
        c.logout()
        result["book"] = count(c, reverse("intake:book"))
        born = self.patient.date_of_birth.isoformat()
        response = c.post(self.plan_url, {"date_of_birth": born})
        assert "plans/patient_plan.html" in [t.name for t in response.templates]
        result["patient plan page"] = count(c, self.plan_url)
        c.logout()
        return result


def with_most_evaluations(patients):
    return max(patients, key=lambda p: (p.evaluations.count(), p.pk))


def over_budget(counts: dict) -> dict:
    return {page: (n, BUDGET[page]) for page, n in counts.items() if n > BUDGET[page]}


def differences(before: dict, after: dict) -> dict:
    return {page: (before[page], after[page]) for page in before if before[page] != after[page]}


@pytest.mark.django_db
def test_key_pages_stay_within_budget_and_do_not_grow_with_data(client):
    grow(**SMALL)
    first = with_most_evaluations(Patient.objects.filter(plans__isnull=False).distinct())
    small = Pages(client, first).counts()
    assert not over_budget(small), over_budget(small)

    grow(**LARGE)
    assert Patient.objects.count() == 34 and Evaluation.objects.count() == 248
    again = Pages(client, first).counts()
    assert not differences(small, again), differences(small, again)

    newer = Patient.objects.filter(plans__isnull=False).exclude(pk=first.pk).distinct()
    longer = with_most_evaluations(newer)
    assert longer.evaluations.count() > first.evaluations.count()
    other = Pages(client, longer).counts()
    assert not differences(small, other), differences(small, other)


@pytest.mark.django_db
def test_the_counted_pages_have_rows(client):
    """The calendar counted above shows calls and the booking page free slots."""
    grow(**SMALL)
    day = timezone.localtime(DiscoveryCall.objects.latest("start").start).date()
    client.force_login(User.objects.get(username=FRONT_DESK))
    week = client.get(f"{reverse('intake:call_calendar')}?view=week&day={day}")
    assert any(rows for _, rows in week.context["by_day"])
    client.logout()
    book = client.get(reverse("intake:book"))
    assert any(rows for _, rows in book.context["days"])


@pytest.mark.django_db
def test_patient_search_queries_do_not_grow_with_the_number_of_results(client):
    """The results table shows each patient's clinician: no query per row."""
    grow(**SMALL)
    client.force_login(User.objects.get(username=FRONT_DESK))
    url = reverse("intake:patient_list")
    few = count(client, url, data={"q": "a"})  # most names contain an "a"
    grow(**LARGE)
    many = count(client, url, data={"q": "a"})
    assert many == few <= BUDGET["patient search"], (few, many)


@pytest.mark.django_db
def test_patient_search_queries_do_not_grow_with_the_results(client, clinician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clinic.tests.factories import PatientFactory

    client.force_login(clinician)
    client.get(reverse("clinic:dashboard"))  # the session's first request stamps its start

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.post(reverse("intake:patient_list"), {"q": "Testperson"})
        return len(ctx.captured_queries)

    PatientFactory(primary_clinician=clinician)
    few = count()
    for _ in range(15):
        PatientFactory(primary_clinician=clinician)
    assert count() == few
