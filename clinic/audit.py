"""The one way to write the audit trail: ``audit(request, action, obj=..., patient=...)``."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_HOPS proxies, the entry that the nearest
    trusted proxy appended to X-Forwarded-For (entries further left are client-supplied)."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if hops and len(forwarded) >= hops:
        candidate = forwarded[-hops]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


def audit(
    request: HttpRequest | None,
    action: AuditAction | str,
    *,
    obj: models.Model | None = None,
    patient: models.Model | None = None,
    actor=None,
    actor_label: str = "",
    detail: str = "",
) -> AuditEvent:
    """Record who did what to which object (and whose record it was), from where.

    ``request`` may be None for work done by Celery tasks; pass ``actor_label`` then.
    ``detail`` must never hold patient data: it is for codes and short reasons.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if patient is None and obj is not None:
        patient = obj if obj._meta.label == "intake.Patient" else getattr(obj, "patient", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        patient=patient,
        ip_address=client_ip(request),
        user_agent=(request.headers.get("user-agent", "") if request else "")[:255],
        detail=detail[:255],
    )
