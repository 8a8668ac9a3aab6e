"""Who may make and revoke coach links (plans.CoachLink's own permissions).

Clinicians, for their care team's plans (plans/views_coach.py). Front desk and clinic
admins: none, as for every other clinical record.
"""

from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinician": [
        "plans.add_coachlink",
        "plans.view_coachlink",
        "plans.change_coachlink",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0010_coach_links"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
