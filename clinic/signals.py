"""Login, logout and failed logins go to the audit trail (Django's auth signals)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit
from .models import AuditAction


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
