"""Who books and changes visits, and who edits the clinicians' working hours."""

from django.db import migrations

from clinic.roles import grant

VISITS = ["intake.view_visit", "intake.add_visit", "intake.change_visit"]
ROLE_PERMISSIONS = {
    "Front desk": VISITS,
    "Clinician": VISITS,
    # The clinic admin sets the schedules; booking is the front desk's (it sees the patients).
    "Clinic admin": [
        "intake.view_workinghours",
        "intake.add_workinghours",
        "intake.change_workinghours",
        "intake.delete_workinghours",
    ],
}


def grant_permissions(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0026_each_visit_has_its_own_invite_uid"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
