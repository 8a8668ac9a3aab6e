from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinician": [
        "intake.view_evaluation",
        "intake.add_evaluation",
        "intake.change_evaluation",
        "intake.add_addendum",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_signed_evaluations_are_frozen"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
