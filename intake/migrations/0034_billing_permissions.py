from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinic admin": [
        f"intake.{action}_{model}"
        for model in ("practicebilling", "clinicianbilling", "fee")
        for action in ("view", "add", "change")
    ],
    "Front desk": ["intake.view_practicebilling", "intake.view_fee"],
    "Clinician": ["intake.view_practicebilling", "intake.view_fee"],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("intake", "0033_billing_setup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
