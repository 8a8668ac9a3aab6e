"""Helpers for data migrations that grant role permissions (used by each app's migrations)."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    # Permissions are normally created after all migrations; a data migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    """Add "app_label.codename" permissions to the named role groups (idempotent)."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
