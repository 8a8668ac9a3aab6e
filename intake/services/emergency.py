"""Emergency ("break the glass") access to a record outside the clinician's care team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import EmergencyAccess, Patient

MIN_REASON_LENGTH = 20  # a sentence, not "x": the admin reviews it


def emergency_access_open(*, patient: Patient, reason: str, actor: Actor) -> EmergencyAccess:
    """Open the record for EMERGENCY_ACCESS_HOURS, audit it and tell the clinic admins."""
    grant = EmergencyAccess.objects.create(
        patient=patient,
        user=actor.user,
        reason=reason.strip(),
        expires_at=timezone.now() + datetime.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    audit(actor, AuditAction.EMERGENCY_ACCESS, obj=patient, detail=f"opened #{grant.pk}")
    transaction.on_commit(lambda: _tell_admins(grant))
    return grant


def _tell_admins(grant: EmergencyAccess) -> None:
    """A mail without patient data: the admin reads the reason inside the app."""
    admins = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename="review_emergencyaccess") | Q(is_superuser=True))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not admins:
        return
    send_mail(
        f"{settings.CLINIC_NAME}: emergency access to a record",
        "A clinician opened a patient record outside their care team with emergency access.\n"
        f"Review it here: {settings.SITE_URL}{reverse('intake:emergency_review_list')}\n",
        None,
        list(admins),
        fail_silently=True,
    )


def emergency_access_review(*, grant: EmergencyAccess, note: str, actor: Actor) -> None:
    grant.reviewed_at, grant.reviewed_by, grant.review_note = timezone.now(), actor.user, note
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit(actor, AuditAction.CHANGED, obj=grant, patient=grant.patient, detail="reviewed")
