"""Discovery calls hold the clinician's time in the same slot table as visits, so the database
refuses a visit over a call as it refuses a visit over a visit (the calls' slots: 0024)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0022_red_flag_detail_holds_every_wells_criterion"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="visitslot", name="one_visit_per_clinician_and_slot"
        ),
        migrations.RenameModel(old_name="VisitSlot", new_name="BookedSlot"),
        migrations.AlterField(
            model_name="bookedslot",
            name="visit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="slots",
                to="intake.visit",
            ),
        ),
        migrations.AddField(
            model_name="bookedslot",
            name="call",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="slots",
                to="intake.discoverycall",
            ),
        ),
        migrations.AddConstraint(
            model_name="bookedslot",
            constraint=models.UniqueConstraint(
                fields=("clinician", "start"), name="one_booking_per_clinician_and_slot"
            ),
        ),
        migrations.AddConstraint(
            model_name="bookedslot",
            constraint=models.CheckConstraint(
                condition=models.Q(("call__isnull", True), ("visit__isnull", False))
                | models.Q(("call__isnull", False), ("visit__isnull", True)),
                name="slot_held_by_a_visit_or_a_call",
            ),
        ),
    ]
