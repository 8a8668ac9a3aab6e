"""Lockouts, unlocks and second-factor removals go to the audit trail.

They happen inside django-axes and the Django admin, where no view of ours runs; the
request, when there is one, is the admin's, so the actor is recorded.
"""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit
from .models import AuditAction


@receiver(user_locked_out)
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit(request, AuditAction.LOCKED_OUT, actor_label=str(username or "")[:150])


@receiver(post_delete, sender=AccessAttempt)
def audit_unlock(sender, instance, **kwargs):
    # A success also clears the failures it follows; only a lifted lock is an unlock.
    if instance.failures_since_start >= settings.AXES_FAILURE_LIMIT:
        audit(
            None, AuditAction.UNLOCKED, actor_label=instance.username[:150], detail="lock removed"
        )


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def audit_device_removed(sender, instance, **kwargs):
    audit(
        None,
        AuditAction.SECOND_FACTOR,
        actor_label=instance.user.get_username(),
        detail=f"{instance._meta.verbose_name} removed",
    )
