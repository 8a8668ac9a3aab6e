"""A small clinic's records made with the factories, for tests that need rows to grow (not a
test module): patients with a history of evaluations (measured, scored, diagnosed, goals
reviewed) whose latest is a draft, issued plans, questionnaires awaiting review with red flags,
past discovery calls and calls booked on free slots.

``grow()`` adds to what the database holds, so a test can count pages, grow the data and
count again. Everything is deterministic: the same calls give the same rows.
"""

import datetime
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from clinic.access import Role
from intake import scoring
from intake.models import (
    CallAvailability,
    CallHours,
    DiscoveryCall,
    Evaluation,
    GaitAnalysis,
    Goal,
    GoalReview,
    Measurement,
    OutcomeResponse,
    Patient,
    RedFlagAlert,
    SpecialTest,
)
from intake.services import discovery_calls as calls

from .factories import (
    DiscoveryCallFactory,
    EvaluationFactory,
    IntakeFactory,
    PatientFactory,
    PlanFactory,
    PlanVersionFactory,
    UserFactory,
)

FRONT_DESK = "data-frontdesk"
CLINICIANS = ("data-clinician-1", "data-clinician-2")
STAFF = (*CLINICIANS, FRONT_DESK)
# Most names hold an "a", so that searching for "a" finds many patients.
FIRST_NAMES = ("Ava", "Maya", "Omar", "Nadia", "Leah", "Sam", "Rosa", "Theo", "Jada", "Kai")
CODES = ("M22.2X2", "M76.32", "M76.62", "M72.2")  # left knee, ITB, Achilles, plantar heel
MEASURED = (  # key, healthy side, involved side
    ("rom_hip_flexion", 120, 112),
    ("rom_ankle_dorsiflexion", 16, 13),
    ("hhd_hip_abductors", 20, 16),
    ("hhd_quadriceps", 35, 31),
    ("calf_raises_reps", 25, 18),
    ("hop_single_distance", 150, 120),
)
LEFS = dict.fromkeys(scoring.LEFS.items, 3)
PAST_CALL_HOURS = (9, 10, 11, 14, 15)  # one past call per clinician at each of these hours
CALL_HOURS = ((8, 12), (13, 17))  # Monday to Friday


def staff() -> tuple[list, User]:
    """(clinicians taking discovery calls, front desk); made by the first round, found again
    by the next (made again, their passwords would change and end their sessions)."""
    found = {user.username: user for user in User.objects.filter(username__in=STAFF)}
    if len(found) == len(STAFF):
        return [found[name] for name in CLINICIANS], found[FRONT_DESK]
    clinicians = [UserFactory(username=name, role=Role.CLINICIAN) for name in CLINICIANS]
    for clinician in clinicians:
        availability = CallAvailability.objects.create(clinician=clinician, horizon_days=21)
        for weekday, (start, end) in itertools.product(range(5), CALL_HOURS):
            CallHours.objects.create(
                availability=availability,
                weekday=weekday,
                start=datetime.time(start),
                end=datetime.time(end),
            )
    return clinicians, UserFactory(username=FRONT_DESK, role=Role.FRONT_DESK)


def grow(
    *,
    patients: int,
    evaluations: int,
    plans: int,
    calls: int,
    upcoming_calls: int = 3,
    visits: int = 0,
):
    """Add ``patients`` patients with ``evaluations`` evaluations each (the latest a draft),
    two issued versions of a plan for ``plans`` of them, a questionnaire awaiting review with
    an open red flag for every fifth, ``calls`` past calls and ``upcoming_calls`` booked; and
    ``visits`` treatment visits for each patient (the attended ones with signed notes, the
    last one today with a draft)."""
    clinicians, desk = staff()
    start = Patient.objects.count()
    made = []
    for number in range(start, start + patients):
        clinician = clinicians[number % len(clinicians)]
        patient = PatientFactory(
            legal_first_name=f"{FIRST_NAMES[number % len(FIRST_NAMES)]}{number}",
            email=f"patient{number}@example.com",
            primary_clinician=clinician,
            status="active",
        )
        latest_signed = history(patient, clinician, CODES[number % len(CODES)], evaluations)
        if visits:
            treatment_visits(patient, clinician, visits, hour=7 + number % 11)
        if number % 5 == 0:
            questionnaire_with_a_red_flag(patient)
        made.append(latest_signed)
    for evaluation in made[:plans]:
        plan = PlanFactory(evaluation=evaluation)
        PlanVersionFactory(plan=plan)
        PlanVersionFactory(plan=plan)
    past_calls(calls, clinicians)
    booked_calls(upcoming_calls, desk)


def history(patient, clinician, code: str, count: int) -> Evaluation:
    """``count`` evaluations two weeks apart up to today, all signed but the latest; returns
    the latest signed one."""
    today, previous_goal, signed = timezone.localdate(), None, None
    for number in range(count):
        evaluation = EvaluationFactory(
            patient=patient,
            clinician=clinician,
            kind="initial" if number == 0 else "re_evaluation",
            date=today - datetime.timedelta(weeks=2 * (count - 1 - number)),
            subjective="Running 3 times a week; better since the last visit.",
            diagnosis=code,
            diagnosis__description="Diagnosis of the clinic data",
        )
        for key, healthy, involved in MEASURED:
            Measurement.objects.create(
                evaluation=evaluation, key=key, left=str(involved), right=str(healthy)
            )
        SpecialTest.objects.create(
            evaluation=evaluation, key="thomas", side="left", result="negative"
        )
        if number % 2 == 0:
            GaitAnalysis.objects.create(evaluation=evaluation, setting="treadmill", cadence=164)
        for measure, answers in (("LEFS", LEFS), ("NPRS", {"1": 3})):
            result = scoring.score(measure, answers)
            OutcomeResponse.objects.create(
                evaluation=evaluation,
                measure=measure,
                answers=answers,
                total=result.total,
                percent=result.percent,
                complete=result.complete,
            )
        if previous_goal is not None:
            GoalReview.objects.create(evaluation=evaluation, goal=previous_goal, status="partly")
        previous_goal = Goal.objects.create(
            evaluation=evaluation, term="short", text="Run 5 km without pain"
        )
        Goal.objects.create(evaluation=evaluation, term="long", text="Run a half marathon")
        if number < count - 1:
            evaluation.sign(by=clinician)
            signed = evaluation
    return signed


def treatment_visits(patient, clinician, count: int, *, hour: int) -> None:
    """``count`` follow-ups on the days before today at ``hour`` (attended, each with a signed
    note copied forward from the one before), the last of them today with a draft note. They
    hold no BookedSlot rows (patients share hours here): the pages counted read the visits."""
    from intake.models import InterventionType, Visit, VisitType
    from intake.services import notes
    from intake.services.notes import Delivered, NoteData

    from .factories import actor_for

    actor = actor_for(clinician)
    follow_up = VisitType.objects.get(key="follow_up")
    exercise = InterventionType.objects.get(key="therapeutic_exercise")
    today = timezone.localdate()
    for back in range(count - 1, -1, -1):
        day = today - datetime.timedelta(days=back)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        visit = Visit.objects.create(
            patient=patient,
            clinician=clinician,
            visit_type=follow_up,
            start=start,
            end=start + datetime.timedelta(minutes=follow_up.minutes),
            status="arrived" if back else "booked",
            booked_by=clinician,
        )
        note = notes.note_open(visit=visit, actor=actor)
        if back:
            data = NoteData(interventions=[Delivered(intervention=exercise, minutes=30)])
            notes.note_save(note=note, actor=actor, data=data, revision=note.revision)
            notes.note_sign(note=note, actor=actor)


def questionnaire_with_a_red_flag(patient) -> None:
    intake = IntakeFactory(patient=patient, submitted=True)
    RedFlagAlert.objects.create(
        patient=patient,
        intake=intake,
        kind="general",
        key="night_rest_pain",
        label="Night pain or pain at rest",
        severity="routine",
    )


def past_calls(count: int, clinicians) -> None:
    """One call per clinician at each PAST_CALL_HOURS hour of past weekdays, after the calls
    earlier rounds made (a clinician holds one booked call at a time)."""
    zone = timezone.get_current_timezone()
    taken = set(DiscoveryCall.objects.values_list("clinician_id", "start"))
    day, made = timezone.localdate(), DiscoveryCall.objects.count()
    wanted = made + count
    while made < wanted:
        day -= datetime.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        for hour, clinician in itertools.product(PAST_CALL_HOURS, clinicians):
            start = datetime.datetime.combine(day, datetime.time(hour), zone)
            if made == wanted or (clinician.pk, start) in taken:
                continue
            DiscoveryCallFactory(
                clinician=clinician,
                start=start,
                name=f"Prospect Caller{made}",
                email=f"caller{made}@example.com",
                consent_to_contact_at=start - datetime.timedelta(days=2),
                outcome="follow_up",
            )
            made += 1


def booked_calls(count: int, desk) -> None:
    """Calls booked by phone on free slots of the next three weeks, spread out."""
    free = calls.open_slots()
    clinicians = {user.pk: user for user in User.objects.filter(username__in=CLINICIANS)}
    for slot in free[:: max(1, len(free) // max(count, 1))][:count]:
        DiscoveryCallFactory(
            clinician=clinicians[slot.clinician_id],
            start=slot.start,
            end=slot.end,
            source="phone",
            booked_by=desk,
        )
