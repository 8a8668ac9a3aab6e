from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinician": [
        "intake.view_intake",
        "intake.add_intake",
        "intake.change_intake",
        "intake.add_intakelink",
        "intake.change_intakelink",
        "intake.view_redflagalert",
        "intake.change_redflagalert",
    ],
    "Front desk": [
        "intake.add_intake",
        "intake.add_intakelink",
        "intake.change_intakelink",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_intake_questionnaires_and_red_flags"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
