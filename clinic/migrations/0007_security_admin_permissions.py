"""The clinic admin lifts lockouts (django-axes) and resets a lost authenticator (django-otp)."""

from django.db import migrations

from clinic.roles import grant

ROLE_PERMISSIONS = {
    "Clinic admin": [
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0006_audit_export_permission"),
        ("axes", "__latest__"),
        ("otp_totp", "__latest__"),
        ("otp_static", "__latest__"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
