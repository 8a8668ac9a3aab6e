from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinician": [
        "plans.view_exercise",
        "plans.view_plan",
        "plans.add_plan",
        "plans.change_plan",
        "plans.view_planversion",
        "plans.add_planversion",
    ],
    "Clinic admin": [
        "plans.view_exercise",
        "plans.add_exercise",
        "plans.change_exercise",
        "plans.view_planrulerow",
        "plans.add_planrulerow",
        "plans.change_planrulerow",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("clinic", "0002_staff_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
