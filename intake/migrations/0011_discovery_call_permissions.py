from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Front desk": [
        "intake.view_discoverycall",
        "intake.add_discoverycall",
        "intake.change_discoverycall",
        "intake.manage_calls",
    ],
    "Clinician": ["intake.view_discoverycall", "intake.change_discoverycall"],
    "Clinic admin": [
        "intake.view_callavailability",
        "intake.add_callavailability",
        "intake.change_callavailability",
        "intake.view_callhours",
        "intake.add_callhours",
        "intake.change_callhours",
        "intake.delete_callhours",
        "intake.view_blackoutdate",
        "intake.add_blackoutdate",
        "intake.change_blackoutdate",
        "intake.delete_blackoutdate",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("intake", "0010_discovery_calls"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
