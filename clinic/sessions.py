"""Ending a user's sessions on the server: at logout, deactivation and password change.

Sessions live in the database (clinic.ClinicSession, Django's session with the user's id in
an indexed column): a user's sessions are found by that column, not by decoding every one.
"""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .actors import Actor
from .audit import audit
from .models import AuditAction, ClinicSession


def end_sessions(user, *, keep: str | None = None) -> int:
    """Delete every live session of ``user`` except the one keyed ``keep``; return how many."""
    doomed = ClinicSession.objects.filter(user_id=user.pk)
    if keep:
        doomed = doomed.exclude(session_key=keep)
    deleted, _ = doomed.delete()
    return deleted


def password_changed(*, user, actor: Actor, keep: str | None = None, detail: str) -> None:
    """After a new password (Django's form has saved it): end the user's other sessions, or
    all of them, and record the change."""
    end_sessions(user, keep=keep)
    audit(actor, AuditAction.CHANGED, detail=detail)


@receiver(pre_save, sender="auth.User")
def end_sessions_of_deactivated_users(sender, instance, **kwargs):
    if instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        end_sessions(instance)
