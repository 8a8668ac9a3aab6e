"""Audit receivers: logins and failed logins (Django's auth signals), and changes of a user's
roles or account flags (model signals, so the admin, the shell and commands are all covered).
The same model signals invalidate the cached roles and permissions (clinic.access).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from .access import access_changed
from .audit import audit, current_request
from .models import AuditAction

User = get_user_model()
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(request, AuditAction.LOGIN, actor=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit(request, AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The username typed is kept (it identifies staff, not patients); never the password.
    audit(request, AuditAction.LOGIN_FAILED, actor_label=str(credentials.get("username", "")))


def _audit_account_change(user, detail: str) -> None:
    # The admin wraps its forms in clinic.audit.acting_request; elsewhere nobody is known.
    request = current_request()
    audit(
        request,
        AuditAction.ROLE_CHANGED,
        obj=user,
        actor_label="" if request is not None else "system",
        detail=detail,
    )


@receiver(pre_save, sender=User)
def remember_account_flags(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._audit_flags_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(ACCOUNT_FLAGS):
        return  # e.g. the last_login update of every login: no query
    instance._audit_flags_before = (
        User.objects.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first()
    )


@receiver(post_save, sender=User)
def audit_account_flags(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        flags = [f"{flag}={getattr(instance, flag)}" for flag in ACCOUNT_FLAGS]
        _audit_account_change(instance, "account created, " + ", ".join(flags))
        return
    before = getattr(instance, "_audit_flags_before", None) or {}
    changes = [
        f"{flag}={getattr(instance, flag)}"
        for flag, old in before.items()
        if getattr(instance, flag) != old
    ]
    if changes:
        _audit_account_change(instance, ", ".join(changes))


@receiver(m2m_changed, sender=User.groups.through)
def audit_group_membership(sender, instance, action, reverse, pk_set, **kwargs):
    # Forward: user.groups.add(group); reverse: group.user_set.add(user). A clear() sends no
    # pk_set, so pre_clear notes who is in before the rows go.
    if action == "pre_clear":
        related = instance.user_set if reverse else instance.groups
        instance._audit_cleared = set(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = instance._audit_cleared
    if not pk_set:
        return
    sign = "+=" if action == "post_add" else "-="
    if reverse:
        for user in User.objects.filter(pk__in=pk_set).order_by("pk"):
            _audit_account_change(user, f"groups{sign}{instance.name}")
    else:
        names = Group.objects.filter(pk__in=pk_set).order_by("name").values_list("name", flat=True)
        _audit_account_change(instance, f"groups{sign}{', '.join(names)}")


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(post_save, sender=Group)  # a renamed group is a different role
@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)
def renew_access_version(sender, action="post_", **kwargs):
    # Now, so that this process's next request sees the change, and again after the commit:
    # another request reading the old rows before then would cache them under the new version.
    if action.startswith("post_"):
        access_changed()
        transaction.on_commit(access_changed)
