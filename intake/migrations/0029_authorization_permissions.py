"""Who records a payer's visit authorization: the front desk and the clinicians."""

from django.db import migrations

from clinic.roles import grant

AUTHORIZATIONS = ["intake.view_visitauthorization", "intake.add_visitauthorization"]
ROLE_PERMISSIONS = {"Front desk": AUTHORIZATIONS, "Clinician": AUTHORIZATIONS}


def grant_permissions(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0028_plan_of_care_authorization_and_certification"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
