"""Ending a user's sessions on the server: at logout, deactivation and password change.

Sessions live in the database (django.contrib.sessions); a user's sessions are found by the
user id stored inside them. The table holds only unexpired sessions of a small clinic's staff
and patients (``clearsessions`` runs daily), so a scan is cheap.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone


def end_sessions(user, *, keep: str | None = None) -> int:
    """Delete every live session of ``user`` except the one keyed ``keep``; return how many."""
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.session_key != keep and session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


@receiver(pre_save, sender="auth.User")
def end_sessions_of_deactivated_users(sender, instance, **kwargs):
    if instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        end_sessions(instance)
