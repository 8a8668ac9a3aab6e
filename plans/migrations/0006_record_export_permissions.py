"""Exporting records is its own pair of permissions.

intake.export_record (a patient's record as FHIR) for clinicians and clinic admins;
intake.export_statistics (the clinic's statistics CSVs) for clinic admins only. They hang on
the Patient content type but are created here, so that intake's models need no change.
"""

from django.db import migrations

from clinic.roles import ensure_permissions, grant

PERMISSIONS = {
    "export_record": "Can export a patient's record (FHIR)",
    "export_statistics": "Can export the clinic's statistics (CSV)",
}
ROLE_PERMISSIONS = {
    "Clinician": ["intake.export_record"],
    "Clinic admin": ["intake.export_record", "intake.export_statistics"],
}


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    patient_type = ContentType.objects.get(app_label="intake", model="patient")
    for codename, name in PERMISSIONS.items():
        Permission.objects.get_or_create(
            content_type=patient_type, codename=codename, defaults={"name": name}
        )
    grant(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="intake", codename__in=PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_patient_plan_links"),
        ("intake", "0001_initial"),
        ("clinic", "0002_staff_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
