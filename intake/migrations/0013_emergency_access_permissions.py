from django.db import migrations

from clinic.roles import grant


def forwards(apps, schema_editor):
    grant(apps, {"Clinic admin": ["intake.review_emergencyaccess", "intake.view_emergencyaccess"]})


class Migration(migrations.Migration):
    dependencies = [("intake", "0012_emergency_access")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
