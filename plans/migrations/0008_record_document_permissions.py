"""Who may make letters and patient copies (plans.RecordDocument's own permissions).

Clinicians make letters and patient copies for their care team; clinic admins make and
release patient copies (plans/documents.py limits them to those). Front desk: none.
"""

from django.db import migrations

from clinic.roles import grant

DOCUMENT_PERMISSIONS = [
    "plans.add_recorddocument",
    "plans.view_recorddocument",
    "plans.change_recorddocument",
]
ROLE_PERMISSIONS = {
    "Clinician": DOCUMENT_PERMISSIONS,
    "Clinic admin": DOCUMENT_PERMISSIONS,
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_record_documents"),
        ("clinic", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
