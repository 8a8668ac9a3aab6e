"""Demo data for `make run`: the three staff roles and a few patients. Safe to run again."""

import datetime
import os
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.access import Role
from intake.models import Complaint, IntakeSource, Patient, PatientStatus, RunnerProfile
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
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

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
        intake_submit(intake=intake, request=None)
