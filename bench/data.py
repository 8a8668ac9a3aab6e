"""Clinic-scale data for the performance benchmark (bench/run.py), made with bulk_create.

Defaults: 5 clinicians with 3 weeks of discovery-call hours, 10,000 patients, 50,000
evaluations (measurements, special tests, gait, LEFS and NPRS scored with intake.scoring,
diagnosis, goals, goal reviews), 20,000 issued plan versions (with items and a ready PDF
render job each), 10,000 past discovery calls, a few intakes and open red flags.

    python -m bench.make_data                     # full scale, a few minutes
    python -m bench.make_data --patients 50 --evaluations 200 --plan-versions 40 --calls 60

A management command's class outside any app: bench/make_data.py runs it from the command
line after setting Django up, and the tests call it with ``call_command(BenchData(), ...)``.

It adds to what the database holds (running it twice doubles the patients) and refuses to
run on a database whose name does not contain "bench" or start with "test" (``--force``
overrides): it is never meant for a clinic's real database.

Signed evaluations: PostgreSQL triggers (intake migration 0006) refuse rows inserted into an
already-signed evaluation, so evaluations are inserted unsigned, then their parts, then signed
with one UPDATE. Every issued version stores one realistic snapshot built once with
``plans.snapshots.plan_snapshot`` (only the version number differs); every render job points
at one real PDF rendered once from that snapshot (``--no-pdf`` skips the render and marks the
jobs failed, so no worker or sweep ever picks them up).
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from clinic.access import Role
from intake import diagnoses, scoring
from intake.models import (
    CallAvailability,
    CallHours,
    Diagnosis,
    DiscoveryCall,
    Evaluation,
    GaitAnalysis,
    Goal,
    GoalReview,
    Intake,
    Measurement,
    OutcomeResponse,
    Patient,
    RedFlagAlert,
    SpecialTest,
)
from intake.services import discovery_calls as calls
from plans import pdf
from plans.models import Exercise, Plan, PlanItem, PlanVersion, RenderJob
from plans.snapshots import plan_snapshot

from .visit_data import make_visits

BATCH = 2000
PREFIX = "bench"  # usernames: bench-clinician-1 … bench-frontdesk, bench-admin
SHARED_PDF_NAME = "plans/bench/bench-shared-plan.pdf"

FIRST_NAMES = [
    "Aaliyah",
    "Aiden",
    "Amara",
    "Ana",
    "Andre",
    "Ava",
    "Ben",
    "Bianca",
    "Carlos",
    "Chloe",
    "Daniel",
    "Deja",
    "Diego",
    "Elena",
    "Eli",
    "Emma",
    "Ethan",
    "Fatima",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Imani",
    "Isaac",
    "Jada",
    "James",
    "Jin",
    "Julia",
    "Kai",
    "Kavya",
    "Leah",
    "Leo",
    "Lina",
    "Lucas",
    "Maya",
    "Mateo",
    "Mia",
    "Miguel",
    "Nadia",
    "Noah",
    "Nora",
    "Omar",
    "Olivia",
    "Owen",
    "Priya",
    "Quinn",
    "Rafael",
    "Rosa",
    "Ryan",
    "Sam",
    "Sara",
    "Sofia",
    "Tariq",
    "Theo",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Baker",
    "Banerjee",
    "Becker",
    "Bennett",
    "Brooks",
    "Campbell",
    "Castillo",
    "Chen",
    "Cohen",
    "Costa",
    "Diaz",
    "Dubois",
    "Ellis",
    "Evans",
    "Fernandez",
    "Fischer",
    "Foster",
    "Garcia",
    "Gomez",
    "Gupta",
    "Hall",
    "Hansen",
    "Harris",
    "Hernandez",
    "Hughes",
    "Ibrahim",
    "Ito",
    "Jensen",
    "Johnson",
    "Kaur",
    "Kelly",
    "Khan",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Miller",
    "Moreno",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Perez",
    "Petrov",
    "Quinn",
    "Ramirez",
    "Reyes",
    "Rivera",
    "Robinson",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Sullivan",
    "Tanaka",
    "Taylor",
    "Thompson",
    "Torres",
    "Tran",
    "Turner",
    "Walker",
    "Wang",
    "Weber",
    "Williams",
    "Wilson",
    "Wong",
    "Young",
    "Zhang",
]
STATUSES = ("active",) * 6 + ("discharged",) * 3 + ("prospect",)
SEXES = ("female", "male", "female", "male", "undisclosed")
REFERRALS = ("discovery_call", "physician", "coach", "friend", "web", "race_event")
# Measurement rows stored for every evaluation: (key, uninvolved low, high, involved factor).
MEASURED = (
    ("rom_hip_flexion", 105, 125, 0.95),
    ("rom_ankle_dorsiflexion", 12, 20, 0.85),
    ("hhd_hip_abductors", 14, 22, 0.85),
    ("hhd_quadriceps", 25, 40, 0.9),
    ("calf_raises_reps", 20, 30, 0.7),
    ("hop_single_distance", 110, 160, 0.85),
)
SPECIAL = (("single_leg_stance_30s", "negative"), ("hop_test", "negative"), ("thomas", "negative"))
GOALS = (
    ("short", "Walk and climb stairs without pain"),
    ("long", "Run 10 km pain-free at easy pace"),
)
INTERVENTIONS = ["therapeutic_exercise", "education", "load_management"]
# Mon–Fri 8–12 and 13–17, 15-minute calls (the demo clinician's hours, seed_demo).
CALL_HOURS = [(day, 8, 12) for day in range(5)] + [(day, 13, 17) for day in range(5)]
PAST_CALL_HOURS = (9, 10, 11, 14, 15)  # one past call per clinician at each of these hours


def _valid(exercise) -> bool:
    try:
        exercise.clean()
    except ValidationError:
        return False
    return True


class BenchData(BaseCommand):
    help = "Fill the database with clinic-scale data for bench/run.py (bulk_create)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=10_000)
        parser.add_argument("--evaluations", type=int, default=50_000)
        parser.add_argument("--plan-versions", type=int, default=20_000)
        parser.add_argument("--versions-per-plan", type=int, default=2)
        parser.add_argument("--items-per-plan", type=int, default=8)
        parser.add_argument("--clinicians", type=int, default=5)
        parser.add_argument("--calls", type=int, default=10_000, help="past discovery calls")
        parser.add_argument("--upcoming-calls", type=int, default=20)
        parser.add_argument("--visits", type=int, default=40_000, help="treatment visits")
        parser.add_argument(
            "--note-share", type=float, default=0.25, help="attended visits with a signed note"
        )
        parser.add_argument(
            "--drafts",
            type=float,
            default=0.1,
            help="share of patients whose latest evaluation is an unsigned draft",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-pdf", action="store_true", help="do not render the shared PDF")
        parser.add_argument("--force", action="store_true", help="any database name")

    def handle(self, *args, **o):
        name = str(connection.settings_dict.get("NAME") or "")
        short = name.rsplit("/", 1)[-1]
        if not o["force"] and "bench" not in short and not short.startswith("test"):
            raise CommandError(
                f"Refusing to add benchmark data to database {short!r}: use a database "
                f"named *bench* (e.g. clinic_bench) or pass --force."
            )
        if o["plan_versions"] and o["evaluations"] < o["patients"]:
            raise CommandError("--evaluations must be at least --patients")
        self.rng = random.Random(o["seed"])  # noqa: S311 (fake data, not secrets)
        self.started = time.monotonic()
        with transaction.atomic():
            staff = self._staff(o["clinicians"])
            self._availability(staff["clinicians"])
            patients = self._patients(o["patients"], staff["clinicians"])
            latest_signed = self._evaluations(patients, o["evaluations"], o["drafts"])
            self._plans(latest_signed, o, staff)
            self._intakes_and_flags(patients, staff)
            self._past_calls(o["calls"], staff["clinicians"], patients)
            make_visits(
                self,
                clinicians=staff["clinicians"],
                patients=patients,
                total=o["visits"],
                note_share=o["note_share"],
                booked_by=staff["frontdesk"],
            )
        with transaction.atomic():
            self._upcoming_calls(o["upcoming_calls"], staff["frontdesk"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._say("done")

    # ----------------------------------------------------------------------------- helpers

    def _say(self, what: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {what}")

    def _bulk(self, model, rows):
        created = model.objects.bulk_create(rows, batch_size=BATCH)
        return created

    # ------------------------------------------------------------------------------- staff

    def _staff(self, count: int) -> dict:
        password = make_password(None)  # unusable: bench sessions are made through the ORM
        clinician_group = Group.objects.get(name=Role.CLINICIAN.value)
        clinicians = []
        for number in range(1, count + 1):
            user, _ = User.objects.get_or_create(
                username=f"{PREFIX}-clinician-{number}",
                defaults={
                    "first_name": FIRST_NAMES[number * 7 % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[number * 11 % len(LAST_NAMES)],
                    "email": f"{PREFIX}-clinician-{number}@clinic.example",
                    "password": password,
                },
            )
            user.groups.add(clinician_group)
            clinicians.append(user)
        frontdesk, _ = User.objects.get_or_create(
            username=f"{PREFIX}-frontdesk",
            defaults={"first_name": "Sam", "last_name": "Desk", "password": password},
        )
        frontdesk.groups.add(Group.objects.get(name=Role.FRONT_DESK.value))
        admin, _ = User.objects.get_or_create(
            username=f"{PREFIX}-admin",
            defaults={
                "first_name": "Ada",
                "last_name": "Admin",
                "password": password,
                "is_staff": True,
                "is_superuser": True,
            },
        )
        self._say(f"staff: {len(clinicians)} clinicians, front desk, superuser")
        return {"clinicians": clinicians, "frontdesk": frontdesk, "admin": admin}

    def _availability(self, clinicians) -> None:
        for clinician in clinicians:
            availability, created = CallAvailability.objects.get_or_create(
                clinician=clinician, defaults={"horizon_days": 21}
            )
            if created:
                CallHours.objects.bulk_create(
                    CallHours(
                        availability=availability,
                        weekday=day,
                        start=datetime.time(start),
                        end=datetime.time(end),
                    )
                    for day, start, end in CALL_HOURS
                )

    # ---------------------------------------------------------------------------- patients

    def _patients(self, count: int, clinicians) -> list[Patient]:
        rng = self.rng
        today = timezone.localdate()
        rows = []
        for _ in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = today - datetime.timedelta(days=rng.randint(16 * 365, 70 * 365))
            rows.append(
                Patient(
                    legal_first_name=first,
                    legal_last_name=last,
                    preferred_name=rng.choice(("", "", "", first[:3])),
                    date_of_birth=born,
                    sex=rng.choice(SEXES),
                    email=f"{first}.{last}.{rng.randint(1, 99999)}@example.com".lower(),
                    phone=f"+1415555{rng.randint(100, 199):04d}",
                    emergency_contact_name=f"{rng.choice(FIRST_NAMES)} {last}",
                    emergency_contact_relationship="partner",
                    emergency_contact_phone=f"+1510555{rng.randint(100, 199):04d}",
                    referral_source=rng.choice(REFERRALS),
                    status=rng.choice(STATUSES),
                    primary_clinician=rng.choice(clinicians),
                )
            )
        patients = self._bulk(Patient, rows)
        self._say(f"patients: {len(patients)}")
        return patients

    # ------------------------------------------------------------------------- evaluations

    def _evaluations(self, patients, total: int, drafts: float) -> dict[int, Evaluation]:
        """Evaluations with their parts; returns each patient's latest signed evaluation."""
        rng = self.rng
        today = timezone.localdate()
        per_patient = [total // len(patients)] * len(patients) if patients else []
        for index in rng.sample(range(len(patients)), total - sum(per_patient)):
            per_patient[index] += 1
        conditions = [c for c in diagnoses.CURATED if not c.key.startswith("bone_stress")]
        rows, plan_for = [], []  # plan_for[i]: (patient, number within patient, count, code)
        for patient, count in zip(patients, per_patient, strict=True):
            if not count:
                continue
            side = rng.choice(("left", "right"))
            condition = rng.choice(conditions)
            code = next((c for c in condition.codes if c.side == side), condition.codes[0])
            first_day = today - datetime.timedelta(days=rng.randint(30, 700))
            step = max(7, (today - first_day).days // max(count, 1))
            for number in range(count):
                kind = "initial" if number == 0 else "re_evaluation"
                if number == count - 1 and count > 2 and patient.status == "discharged":
                    kind = "discharge"
                rows.append(
                    Evaluation(
                        patient=patient,
                        clinician_id=patient.primary_clinician_id,
                        kind=kind,
                        date=min(today, first_day + datetime.timedelta(days=step * number)),
                        involved_side=side,
                        subjective=f"{condition.name}: {rng.choice(('better', 'same', 'worse'))}"
                        " since the last visit; running 3 times a week.",
                        objective_notes="See the measurement grid.",
                        assessment=f"{condition.name}, improving with loading.",
                        visits_per_week=rng.choice((1, 2)),
                        plan_weeks=rng.choice((6, 8, 12)),
                        interventions=INTERVENTIONS,
                        plan_notes="Progress loading weekly; walk-run when criteria are met.",
                    )
                )
                plan_for.append((patient, number, count, code))
        evaluations = self._bulk(Evaluation, rows)
        self._say(f"evaluations: {len(evaluations)} (unsigned)")

        draft_patients = {p.pk for p in rng.sample(patients, int(len(patients) * drafts))}
        measurements, specials, gaits, outcomes, dx, goals = [], [], [], [], [], []
        signed_ids, latest_signed, goal_owner = [], {}, []
        for evaluation, (patient, number, count, code) in zip(evaluations, plan_for, strict=True):
            progress = (number + 1) / count  # 0..1: later evaluations look better
            involved = evaluation.involved_side
            for key, low, high, factor in MEASURED:
                healthy = rng.randint(low, high)
                hurt = round(healthy * (factor + (1 - factor) * progress))
                left, right = (hurt, healthy) if involved == "left" else (healthy, hurt)
                measurements.append(
                    Measurement(evaluation=evaluation, key=key, left=str(left), right=str(right))
                )
            for key, result in SPECIAL[: 1 + number % 3]:
                specials.append(
                    SpecialTest(evaluation=evaluation, key=key, side=involved, result=result)
                )
            if number % 2 == 0:
                gaits.append(
                    GaitAnalysis(
                        evaluation=evaluation,
                        setting="treadmill",
                        speed_kmh=Decimal("10.5"),
                        footwear="Neutral daily trainer",
                        cadence=rng.randint(158, 176),
                        foot_strike=rng.choice(("rearfoot", "midfoot")),
                        overstriding=rng.choice(("none", "mild")),
                        pelvic_drop=rng.choice(("none", "mild", "marked")),
                    )
                )
            outcomes += self._outcomes(evaluation, progress)
            dx.append(
                Diagnosis(
                    evaluation=evaluation,
                    code=code.code,
                    description=code.description,
                    condition=condition.key,
                    primary=True,
                )
            )
            for term, text in GOALS:
                goals.append(
                    Goal(
                        evaluation=evaluation,
                        term=term,
                        text=text,
                        target_date=evaluation.date + datetime.timedelta(weeks=6),
                    )
                )
                goal_owner.append((evaluation, patient.pk, number))
            is_draft = number == count - 1 and patient.pk in draft_patients
            if not is_draft:
                signed_ids.append(evaluation.pk)
                latest_signed[patient.pk] = evaluation
        for model, batch in (
            (Measurement, measurements),
            (SpecialTest, specials),
            (GaitAnalysis, gaits),
            (OutcomeResponse, outcomes),
            (Diagnosis, dx),
        ):
            self._bulk(model, batch)
        goals = self._bulk(Goal, goals)
        # A re-evaluation reviews the goals of the evaluation before it.
        reviews, previous = [], {}
        for goal, (evaluation, patient_id, number) in zip(goals, goal_owner, strict=True):
            earlier = previous.get((patient_id, number - 1), [])
            if goal.term == "short":
                for old in earlier:
                    reviews.append(
                        GoalReview(
                            evaluation=evaluation,
                            goal=old,
                            status=rng.choice(("met", "partly", "not_met")),
                        )
                    )
            previous.setdefault((patient_id, number), []).append(goal)
        self._bulk(GoalReview, reviews)
        self._say(
            f"parts: {len(measurements)} measurements, {len(specials)} special tests, "
            f"{len(gaits)} gait, {len(outcomes)} outcome scores, {len(dx)} diagnoses, "
            f"{len(goals)} goals, {len(reviews)} goal reviews"
        )
        self._sign(signed_ids)
        self._say(f"signed {len(signed_ids)} evaluations with one UPDATE")
        for evaluation in latest_signed.values():
            evaluation.signed_at = timezone.now()  # in memory only; the UPDATE set it
        return latest_signed

    def _outcomes(self, evaluation, progress: float) -> list[OutcomeResponse]:
        lefs_points = min(4, 1 + round(3 * progress))
        answers = {
            item: lefs_points - (int(item) % 2 if lefs_points > 0 else 0)
            for item in scoring.LEFS.items
        }
        nprs = {"1": max(0, 7 - round(6 * progress))}
        rows = []
        for code, given in (("LEFS", answers), ("NPRS", nprs)):
            result = scoring.score(code, given)
            rows.append(
                OutcomeResponse(
                    evaluation=evaluation,
                    measure=code,
                    answers=given,
                    total=result.total,
                    percent=result.percent,
                    complete=result.complete,
                    problems=list(result.problems),
                )
            )
        return rows

    def _sign(self, ids: list[int]) -> None:
        """One UPDATE: the BEFORE UPDATE trigger allows it because the rows were unsigned."""
        if not ids:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE intake_evaluation SET signed_at = "
                    "(date::timestamp + interval '18 hours') AT TIME ZONE %s, "
                    "signed_by_id = clinician_id, updated_at = now() "
                    "WHERE signed_at IS NULL AND id = ANY(%s)",
                    [settings.TIME_ZONE, ids],
                )
            return
        from django.db.models import F

        Evaluation.objects.filter(pk__in=ids, signed_at__isnull=True).update(
            signed_at=timezone.now(), signed_by=F("clinician")
        )

    # ------------------------------------------------------------------------------- plans

    def _plans(self, latest_signed: dict[int, Evaluation], o: dict, staff: dict) -> None:
        versions_wanted = o["plan_versions"]
        per_plan = max(1, o["versions_per_plan"])
        plan_count = -(-versions_wanted // per_plan) if versions_wanted else 0
        if plan_count > len(latest_signed):
            raise CommandError(
                f"{plan_count} plans need as many patients with a signed evaluation; "
                f"only {len(latest_signed)} have one."
            )
        if not plan_count:
            return
        rng = self.rng
        # Only exercises whose library dosage passes Dosage.clean(): plan_issue() full_cleans
        # every item, so any other would make the plan impossible to issue (until
        # 2026-11-26 the library's short_foot, 10 reps with a 5 s hold, was one).
        exercises = [e for e in Exercise.objects.filter(active=True).order_by("key") if _valid(e)]
        owners = rng.sample(sorted(latest_signed), plan_count)
        plans = self._bulk(
            Plan,
            [
                Plan(
                    patient_id=patient_id,
                    evaluation=latest_signed[patient_id],
                    phase=rng.choice(("strengthen", "strengthen", "return_to_run", "protect")),
                    notes="Ice is optional; keep the walk-run days apart.",
                    return_to_run=False,
                    created_by_id=latest_signed[patient_id].clinician_id,
                )
                for patient_id in owners
            ],
        )
        items = []
        for plan in plans:
            for order, exercise in enumerate(rng.sample(exercises, o["items_per_plan"]), 1):
                items.append(
                    PlanItem(
                        plan=plan,
                        exercise=exercise,
                        order=order,
                        reasons=["Loads the injured tissue progressively (bench data)."],
                        **exercise.dosage(),
                    )
                )
        self._bulk(PlanItem, items)
        self._say(f"plans: {len(plans)} with {len(items)} items")

        # One realistic snapshot, built once through the app's own code.
        sample = Plan.objects.select_related("patient", "evaluation").get(pk=plans[0].pk)
        sample_items = list(sample.items.select_related("exercise"))
        clinician = User.objects.get(pk=sample.created_by_id)
        base = plan_snapshot(sample, sample_items, number=1, issued_by=clinician)
        snapshots = {n: {**base, "version": n} for n in range(1, per_plan + 1)}
        hashes = {n: pdf.content_hash(s) for n, s in snapshots.items()}
        versions = []
        for plan in plans:
            for number in range(1, per_plan + 1):
                if len(versions) == versions_wanted:
                    break
                versions.append(
                    PlanVersion(
                        plan=plan,
                        number=number,
                        issued_by_id=plan.created_by_id,
                        snapshot=snapshots[number],
                    )
                )
        versions = self._bulk(PlanVersion, versions)
        self._say(f"plan versions: {len(versions)} (snapshot {len(str(base)) // 1024} KiB)")
        self._render_jobs(versions, hashes, base, o["no_pdf"])

    def _render_jobs(self, versions, hashes, snapshot, no_pdf: bool) -> None:
        now = timezone.now()
        if no_pdf:
            fields = {"status": "failed", "error": "bench data --no-pdf: never rendered"}
        else:
            if not default_storage.exists(SHARED_PDF_NAME):
                document = pdf.render_pdf(pdf.plan_html(snapshot))
                default_storage.save(SHARED_PDF_NAME, ContentFile(document))
            with default_storage.open(SHARED_PDF_NAME, "rb") as handle:
                checksum = hashlib.sha256(handle.read()).hexdigest()
            fields = {"status": "ready", "file": SHARED_PDF_NAME, "checksum": checksum}
        self._bulk(
            RenderJob,
            [
                RenderJob(
                    version=version,
                    content_hash=hashes[version.number],
                    attempts=1,
                    enqueued_at=now,
                    started_at=now,
                    finished_at=now,
                    **fields,
                )
                for version in versions
            ],
        )
        self._say(f"render jobs: {len(versions)} ({fields['status']})")

    # ------------------------------------------------------------------ intakes, red flags

    def _intakes_and_flags(self, patients, staff) -> None:
        """Some accepted questionnaires, 40 awaiting review and 30 open red flags."""
        rng = self.rng
        now = timezone.now()
        chosen = rng.sample(patients, min(len(patients), max(1, len(patients) // 5)))
        rows = []
        for index, patient in enumerate(chosen):
            waiting = index < 40
            rows.append(
                Intake(
                    patient=patient,
                    source="self",
                    status="awaiting_review" if waiting else "accepted",
                    submitted_at=now - datetime.timedelta(hours=index),
                    submitted_answers={"profile": {}, "complaint": {}},
                    completed_steps=["profile", "complaint", "history", "screen"],
                    accepted_at=None if waiting else now,
                    accepted_by=None if waiting else patient.primary_clinician,
                )
            )
        intakes = self._bulk(Intake, rows)
        flags = [
            RedFlagAlert(
                patient=intake.patient,
                intake=intake,
                kind="general",
                key="night_rest_pain",
                label="Night pain or pain at rest",
                severity="routine",
                hard_stop=False,
            )
            for intake in intakes[:30]
        ]
        self._bulk(RedFlagAlert, flags)
        self._say(f"intakes: {len(intakes)}, open red flags: {len(flags)}")

    # ------------------------------------------------------------------------------- calls

    def _past_calls(self, count: int, clinicians, patients) -> None:
        """Past calls: per clinician one call at each PAST_CALL_HOURS hour on past weekdays,
        after whatever earlier runs left (so the booked-slot unique constraint holds)."""
        if not count or not clinicians:
            return
        rng = self.rng
        zone = timezone.get_current_timezone()
        taken = defaultdict(set)
        for clinician_id, start in DiscoveryCall.objects.values_list("clinician_id", "start"):
            taken[clinician_id].add(start)
        starts = []
        day = timezone.localdate() - datetime.timedelta(days=1)
        while len(starts) < count:
            if day.weekday() < 5:
                for hour in PAST_CALL_HOURS:
                    for clinician in clinicians:
                        start = datetime.datetime.combine(day, datetime.time(hour), zone)
                        if start not in taken[clinician.pk]:
                            starts.append((clinician, start))
            day -= datetime.timedelta(days=1)
        rows = []
        first_number = DiscoveryCall.objects.count()  # runs add up: numbers never repeat
        for number, (clinician, start) in enumerate(starts[:count], start=first_number):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            converted = rng.random() < 0.3
            rows.append(
                DiscoveryCall(
                    clinician=clinician,
                    start=start,
                    end=start + datetime.timedelta(minutes=15),
                    status="booked" if rng.random() < 0.9 else "cancelled",
                    call_type=rng.choice(("phone", "video")),
                    name=f"{first} {last}",
                    # One person per call: one prospect never holds two calls at one time.
                    email=f"{first}.{last}.{number}@example.com".lower(),
                    phone=f"+1415555{rng.randint(100, 199):04d}",
                    area=rng.choice(("knee", "hip", "heel_foot", "shin", "achilles", "")),
                    how_long="A few weeks",
                    story="Knee pain on long runs.",
                    heard_from=rng.choice(REFERRALS),
                    consent_to_contact_at=start - datetime.timedelta(days=2),
                    source=rng.choice(("online", "phone")),
                    reminder_sent_at=start - datetime.timedelta(hours=24),
                    outcome=rng.choice(("evaluation_booked", "not_a_fit", "no_show", "follow_up")),
                    notes="",
                    patient=rng.choice(patients) if converted and patients else None,
                )
            )
        self._bulk(DiscoveryCall, rows)
        self._say(f"past discovery calls: {len(rows)}")

    def _upcoming_calls(self, count: int, booked_by) -> None:
        """Booked calls on real free slots in the next three weeks (spread out)."""
        if not count:
            return
        free = calls.open_slots()
        if not free:
            return
        chosen = free[:: max(1, len(free) // count)][:count]
        now = timezone.now()
        rows = [
            DiscoveryCall(
                clinician_id=slot.clinician_id,
                start=slot.start,
                end=slot.end,
                call_type="phone",
                name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                email=f"prospect{number}@example.com",
                phone="+14155550142",
                area="knee",
                consent_to_contact_at=now,
                source="phone",
                booked_by=booked_by,
            )
            for number, slot in enumerate(chosen, start=DiscoveryCall.objects.count())
        ]
        self._bulk(DiscoveryCall, rows)
        self._say(f"upcoming discovery calls: {len(rows)} (of {len(free)} free slots)")
