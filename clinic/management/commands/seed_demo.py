"""Demo data for `make run`: the three staff roles and a few patients. Safe to run again."""

import datetime
import os

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.access import Role
from intake.models import Patient, PatientStatus

DEFAULT_DEMO_PASSWORD = "run-clinic-demo"

DEMO_STAFF = [
    # username, first, last, role, may use the Django admin
    ("clinician", "Maya", "Okafor", Role.CLINICIAN, False),
    ("frontdesk", "Sam", "Rivera", Role.FRONT_DESK, False),
    ("admin", "Alex", "Chen", Role.CLINIC_ADMIN, True),
]

DEMO_PATIENTS = [
    ("Jordan", "Ellis", datetime.date(1990, 4, 12), PatientStatus.ACTIVE),
    ("Priya", "Natarajan", datetime.date(1985, 9, 3), PatientStatus.ACTIVE),
    ("Tom", "Becker", datetime.date(1978, 1, 27), PatientStatus.PROSPECT),
    ("Lucía", "Fernández", datetime.date(2001, 6, 30), PatientStatus.DISCHARGED),
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
        for first, last, dob, status in DEMO_PATIENTS:
            Patient.objects.get_or_create(
                legal_first_name=first,
                legal_last_name=last,
                date_of_birth=dob,
                defaults={"status": status, "primary_clinician": staff["clinician"]},
            )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
