"""Add the exercises and plan rules this release ships; --reset overwrites local edits."""

from django.core.management.base import BaseCommand
from django.db import transaction

from plans.models import Exercise, PlanRuleRow
from plans.seeding import seed_library


class Command(BaseCommand):
    help = "Create missing library exercises and plan rules (with --reset, restore them all)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="overwrite the clinic's edits")

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        exercises, rules = seed_library(Exercise, PlanRuleRow, reset=reset)
        self.stdout.write(f"{exercises} exercises and {rules} rules added.")
