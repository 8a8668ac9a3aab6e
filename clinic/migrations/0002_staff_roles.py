"""Staff roles as groups with their permissions.

Later migrations grant the permissions that later features add; a role's permissions
can also be adjusted by a clinic admin in the Django admin.
"""

from django.db import migrations

from clinic.roles import ensure_permissions

ROLE_PERMISSIONS = {
    "Clinician": [
        ("intake", "view_patient"),
        ("intake", "add_patient"),
        ("intake", "change_patient"),
        ("intake", "view_clinical"),
    ],
    "Front desk": [
        ("intake", "view_patient"),
        ("intake", "add_patient"),
        ("intake", "change_patient"),
    ],
    "Clinic admin": [
        ("clinic", "view_auditevent"),
        ("auth", "view_user"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_group"),
    ],
}


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
