"""Exporting the audit trail as CSV is its own permission, granted to clinic admins."""

from django.db import migrations

from clinic.roles import grant


def grant_export(apps, schema_editor):
    grant(apps, {"Clinic admin": ["clinic.export_audit"]})


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0005_audit_chain"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at", "-id"],
                "permissions": [("export_audit", "Can export the audit trail as CSV")],
            },
        ),
        migrations.RunPython(grant_export, migrations.RunPython.noop),
    ]
