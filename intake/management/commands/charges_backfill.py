"""Make the charge of every signed note that has none (notes signed before charges existed,
or data loaded without the services). Idempotent: a note with a charge is left alone."""

from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.actors import Actor
from intake.models import TreatmentNote
from intake.services.charges import charge_for_note


class Command(BaseCommand):
    help = "Make the missing charges of signed treatment notes."

    def handle(self, *args, **options):
        actor = Actor(label="system (charges backfill)")
        made = 0
        pending = (
            TreatmentNote.objects.signed()
            .filter(charge__isnull=True)
            .select_related("visit__visit_type", "patient")
        )
        for note in pending.order_by("visit__start", "id").iterator():
            with transaction.atomic():
                if TreatmentNote.objects.filter(pk=note.pk, charge__isnull=True).exists():
                    charge_for_note(note=note, actor=actor)
                    made += 1
        self.stdout.write(f"charges made: {made}")
