"""Visits booked before 0025 get their own calendar-invite UID, then the UID is unique (its
own migration: the rows are written before the unique index is built)."""

import uuid

from django.db import migrations, models


def give_each_visit_its_uid(apps, schema_editor):
    Visit = apps.get_model("intake", "Visit")
    # AddField gave every existing row one same default UUID: give each its own.
    for visit in Visit.objects.only("pk").iterator():
        Visit.objects.filter(pk=visit.pk).update(uid=uuid.uuid4())



class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0025_working_hours_and_visit_mail"),
    ]

    operations = [
        migrations.RunPython(give_each_visit_its_uid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visit",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, unique=True),
        ),
    ]
