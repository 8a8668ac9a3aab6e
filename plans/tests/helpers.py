"""What several plans test modules build alike (not a test module: nothing here is collected).

* a fully recorded, signed evaluation, as letters, the coach page and the patient's copy read it;
* an issued plan with its patient link, and what the patient logs through it between visits;
* waiting for a rendered file, and a local HTTP server that counts what a render fetched.
"""

import datetime
import http.server
import time

import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.tests.factories import (
    PatientFactory,
    PatientPlanLinkFactory,
    PlanFactory,
    PlanVersionFactory,
)
from intake import scoring
from intake.models import (
    Diagnosis,
    Evaluation,
    GaitAnalysis,
    Goal,
    Measurement,
    OutcomeResponse,
    SpecialTest,
)
from plans.models import ExerciseLog, RecordDocument, RenderStatus, RunLog

# ------------------------------------------------------------- a fully recorded evaluation

SUBJECTIVE = "Knee aches after the long run on Sundays, worse downhill."
EXAMINATION = "Tender lateral femoral epicondyle; hip drop on single-leg squat."
ASSESSMENT = "Presentation fits iliotibial band irritation with weak abductors."
PLAN_NOTES = "Review footwear at the next visit."
GAIT_NOTE = "Lands far ahead of the hip."
DIAGNOSIS = ("M22.2X2", "Patellofemoral disorders, left knee")
SHORT_GOAL = "Run 5 km without knee pain"
LONG_GOAL = "Race the city half marathon"
LEFS_ANSWERS = {str(item): 3 for item in range(1, 21)}  # 20 × 3 = 60


def outcome(evaluation, measure, answers) -> OutcomeResponse:
    """An outcome measure answered and scored as the evaluation page scores it."""
    result = scoring.score(measure, answers)
    return OutcomeResponse.objects.create(
        evaluation=evaluation,
        measure=measure,
        answers=answers,
        total=result.total,
        percent=result.percent,
        complete=result.complete,
    )


def evaluated_patient(clinician, **fields) -> Evaluation:
    """A patient on the clinician's care team with a signed, fully recorded evaluation."""
    patient = PatientFactory(
        legal_first_name="Jordan", primary_clinician=clinician, status="active", **fields
    )
    evaluation = Evaluation.objects.create(
        patient=patient,
        clinician=clinician,
        kind="initial",
        involved_side="left",
        date=timezone.localdate() - datetime.timedelta(days=14),
        subjective=SUBJECTIVE,
        objective_notes=EXAMINATION,
        assessment=ASSESSMENT,
        visits_per_week=2,
        plan_weeks=6,
        interventions=["therapeutic_exercise", "gait_retraining"],
        plan_notes=PLAN_NOTES,
    )
    Measurement.objects.create(evaluation=evaluation, key="mmt_hip_abductors", left="4-", right="5")
    Measurement.objects.create(
        evaluation=evaluation, key="hop_single_distance", left="120", right="150"
    )
    SpecialTest.objects.create(evaluation=evaluation, key="ober", side="left", result="positive")
    outcome(evaluation, "LEFS", LEFS_ANSWERS)
    outcome(evaluation, "NPRS", {"1": 6})
    GaitAnalysis.objects.create(
        evaluation=evaluation, cadence=164, overstriding="marked", notes=GAIT_NOTE
    )
    code, description = DIAGNOSIS
    Diagnosis.objects.create(
        evaluation=evaluation,
        code=code,
        description=description,
        condition="patellofemoral_pain",
        primary=True,
    )
    Goal.objects.create(
        evaluation=evaluation,
        term="short",
        text=SHORT_GOAL,
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    Goal.objects.create(evaluation=evaluation, term="long", text=LONG_GOAL)
    evaluation.sign(by=clinician)
    return evaluation


# ------------------------------------------------------ an issued plan and its patient link

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)  # the plan is issued
DAY0 = START.date()


def day(n: int) -> datetime.date:
    return DAY0 + datetime.timedelta(days=n)


def issued_plan(clinician, code="M22.2X2", *, runs=False, stage=1):
    """(plan, version, token) of an issued plan with a mailed link."""
    plan = PlanFactory(
        evaluation__clinician=clinician,
        evaluation__diagnosis=code,
        return_to_run=runs,
        run_stage=stage,
    )
    version = PlanVersionFactory(plan=plan)
    return plan, version, PatientPlanLinkFactory(plan=plan).signed_token


def runner(clinician, code="M22.2X2"):
    """(plan, version) issued on START with a walk-run program, the patient on the care
    team of ``clinician``."""
    with time_machine.travel(START, tick=False):
        plan, version, _token = issued_plan(clinician, code, runs=True)
    plan.patient.primary_clinician = clinician
    plan.patient.save()
    return plan, version


def unlock(client, plan, token):
    """Pass the plan link's date-of-birth check in this browser."""
    born = plan.patient.date_of_birth.isoformat()
    response = client.post(reverse("plans:patient_plan", args=[token]), {"date_of_birth": born})
    assert response.status_code == 200


def log_url(token):
    return reverse("plans:patient_exercise_log", args=[token])


def entries(version, day=None, **changes):
    """The exercise log's form for ``day`` (today): every exercise done, pain 2, effort 6."""
    data = {
        "version": version.number,
        "day": (day or timezone.localdate()).isoformat(),
        "pain_during": "2",
        "pain_next_morning": "",
        "effort": "6",
    }
    for item in version.snapshot["items"]:
        data[f"ex_{item['key']}"] = "done"
    return {**data, **changes}


def run(plan, version, n: int, *, pain=2, worse=False, bone=False) -> RunLog:
    """A run logged on day ``n`` as prescribed, with its next-morning answer."""
    return RunLog.objects.create(
        patient=plan.patient,
        plan=plan,
        version=version,
        stage=plan.run_stage,
        day=day(n),
        as_prescribed=True,
        pain_during=pain,
        bone_pain=bone,
        pain_next_morning=1,
        next_morning_worse=worse,
    )


def exercise(plan, version, n: int, *, pain=2, status="done") -> ExerciseLog:
    """The exercise log of day ``n``: every exercise of the version with ``status``."""
    return ExerciseLog.objects.create(
        patient=plan.patient,
        plan=plan,
        version=version,
        day=day(n),
        exercises={item["key"]: status for item in version.snapshot["items"]},
        pain_during=pain,
        effort=5,
    )


# ---------------------------------------------------------------------- rendered documents


def wait_done(document_id, timeout=60.0) -> RecordDocument:
    """The document once a worker finished it (ready or failed); fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = RecordDocument.objects.get(pk=document_id)
        if document.status in (RenderStatus.READY, RenderStatus.FAILED):
            return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} still {document.status} after {timeout} s")


class CountingHandler(http.server.BaseHTTPRequestHandler):
    """A local server's handler that counts the requests a render made (there must be none)."""

    hits = 0

    def do_GET(self):  # noqa: N802 (http.server's name)
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args):
        pass
