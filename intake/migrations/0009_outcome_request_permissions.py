from django.db import migrations

from clinic.roles import grant


def forwards(apps, schema_editor):
    grant(apps, {"Clinician": ["intake.add_outcomerequest", "intake.view_outcomerequest"]})


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_outcome_requests"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
