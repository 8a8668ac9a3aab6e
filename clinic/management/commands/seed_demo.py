"""Demo data for `make run`: the three staff roles and a few patients. Safe to run again."""

import datetime
import os
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.access import Role
from clinic.actors import Actor
from intake.models import (
    CallAvailability,
    CallHours,
    Complaint,
    Diagnosis,
    Evaluation,
    GaitAnalysis,
    IntakeSource,
    Measurement,
    Patient,
    PatientStatus,
    RunnerProfile,
    WorkingHours,
)
from intake.services import intake_start, intake_submit

DEFAULT_DEMO_PASSWORD = "run-clinic-demo"

DEMO_STAFF = [
    # username, first, last, role, may use the Django admin
    ("clinician", "Maya", "Okafor", Role.CLINICIAN, False),
    ("frontdesk", "Sam", "Rivera", Role.FRONT_DESK, False),
    ("admin", "Alex", "Chen", Role.CLINIC_ADMIN, True),
]

DEMO_PATIENTS = [
    # first, last, born, sex, status, e-mail, phone
    (
        "Jordan",
        "Ellis",
        datetime.date(1990, 4, 12),
        "female",
        PatientStatus.PROSPECT,
        "jordan.ellis@example.com",
        "+14155550134",
    ),
    (
        "Priya",
        "Natarajan",
        datetime.date(1985, 9, 3),
        "female",
        PatientStatus.ACTIVE,
        "priya.n@example.com",
        "+14155550178",
    ),
    (
        "Tom",
        "Becker",
        datetime.date(1978, 1, 27),
        "male",
        PatientStatus.PROSPECT,
        "",
        "+15105550112",
    ),
    (
        "Lucía",
        "Fernández",
        datetime.date(2001, 6, 30),
        "female",
        PatientStatus.DISCHARGED,
        "lucia.f@example.com",
        "",
    ),
]


class Command(BaseCommand):
    help = "Create the demo staff (clinician, frontdesk, admin) and demo patients, idempotently."

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        staff = {}
        for username, first, last, role, admin_site in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@clinic.example",
                    "is_staff": admin_site,
                },
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role.value))
            staff[username] = user
        patients = []
        for first, last, dob, sex, status, email, phone in DEMO_PATIENTS:
            patient, _ = Patient.objects.get_or_create(
                legal_first_name=first,
                legal_last_name=last,
                date_of_birth=dob,
                defaults={
                    "sex": sex,
                    "status": status,
                    "email": email,
                    "phone": phone,
                    "primary_clinician": staff["clinician"],
                },
            )
            patients.append(patient)
        if not patients[0].intakes.exists():
            self._submitted_questionnaire(patients[0])
        self._call_hours(staff["clinician"])
        if not patients[1].evaluations.exists():
            self._evaluated_with_plan(patients[1], staff["clinician"])
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _call_hours(self, clinician):
        """The demo clinician takes discovery calls Mon–Fri 8–12 and 13–17 and sees patients
        Mon–Fri 7–12 and 13–19 (runners come before and after work)."""
        availability, created = CallAvailability.objects.get_or_create(clinician=clinician)
        if created:
            for weekday in range(5):
                for start, end in ((8, 12), (13, 17)):
                    CallHours.objects.create(
                        availability=availability,
                        weekday=weekday,
                        start=datetime.time(start),
                        end=datetime.time(end),
                    )
        if not availability.working_hours.exists():
            for weekday in range(5):
                for start, end in ((7, 12), (13, 19)):
                    WorkingHours.objects.create(
                        availability=availability,
                        weekday=weekday,
                        start=datetime.time(start),
                        end=datetime.time(end),
                    )

    def _evaluated_with_plan(self, patient, clinician):
        """A signed evaluation and an issued plan, so the demo shows a PDF being rendered."""
        from plans.services import plan_generate, plan_issue

        evaluation = Evaluation.objects.create(
            patient=patient,
            clinician=clinician,
            kind="initial",
            involved_side="left",
            subjective="Left Achilles pain for 6 weeks after adding hill repeats.",
            assessment="Mid-portion Achilles tendinopathy, irritable in the mornings.",
            visits_per_week=1,
            plan_weeks=8,
            interventions=["therapeutic_exercise", "education"],
        )
        Diagnosis.objects.create(
            evaluation=evaluation,
            code="M76.62",
            description="Achilles tendinitis, left leg",
            condition="achilles_midportion",
            primary=True,
        )
        Measurement.objects.create(
            evaluation=evaluation, key="calf_raises_reps", left="14", right="25"
        )
        GaitAnalysis.objects.create(evaluation=evaluation, setting="treadmill", cadence=164)
        evaluation.sign(by=clinician)
        actor = Actor.of(clinician)
        plan = plan_generate(evaluation=evaluation, phase="strengthen", actor=actor)
        plan_issue(plan=plan, actor=actor)

    def _submitted_questionnaire(self, patient):
        """One questionnaire awaiting review, with a red flag, so the dashboard has work."""
        intake = intake_start(patient=patient, source=IntakeSource.SELF, by=None)
        RunnerProfile.objects.create(
            intake=intake,
            years_running=6,
            runs_per_week=4,
            weekly_distance_km=Decimal("40.23"),
            longest_run_km=Decimal("16.09"),
            easy_pace_sec_per_km=354,
            surfaces=["road"],
            shoe_model="Pegasus 41",
            recent_changes=["volume_jump"],
            goal_race_name="CIM",
        )
        Complaint.objects.create(
            intake=intake,
            region="knee",
            side="left",
            onset_type="gradual",
            pain_now=3,
            pain_best=1,
            pain_worst=6,
            hurts_during_run=True,
            during_run_after_minutes=20,
            aggravating="Stairs and downhill running",
            patient_goals="Run CIM in December",
        )
        intake.red_flag_answers = {"night_rest_pain": True, "fn_groin_pain_activity": False}
        intake.completed_steps = ["profile", "complaint", "history", "screen"]
        intake.save()
        # Nobody sent it: the demo data did (and a self-intake is not accepted on sending).
        intake_submit(intake=intake, actor=Actor.system("demo data (seed_demo)"))
