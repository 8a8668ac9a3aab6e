"""Outcome measures the patient answers at home before a re-evaluation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.links.mail import link_mail_queue
from clinic.models import AuditAction
from intake.models import OutcomeLink, OutcomeRequest, Patient
from intake.models.outcome_requests import OUTCOME_LINK_LIFETIME_DAYS


@transaction.atomic
def outcome_request_create(
    *, patient: Patient, measures: list[str], actor: Actor, base_url: str, email: bool
) -> tuple[OutcomeLink, str, bool]:
    """A new request with its link; earlier unanswered requests' links stop working.
    ``base_url`` is the site's address as the staff member reached it (scheme and host)."""
    for old in OutcomeLink.objects.active().filter(request__patient=patient):
        old.revoke(actor=actor)
    outcome_request = OutcomeRequest.objects.create(
        patient=patient, measures=measures, created_by=actor.user
    )
    link, _token = OutcomeLink.issue(
        request=outcome_request,
        created_by=actor.user,
        expires_at=timezone.now() + datetime.timedelta(days=OUTCOME_LINK_LIFETIME_DAYS),
    )
    audit(actor, AuditAction.CREATED, obj=link, patient=patient, detail="outcome link")
    queued = email and link_mail_queue(link=link, base_url=base_url, actor=actor)
    return link, link.url(base_url), queued


@transaction.atomic
def outcome_request_submit(*, link: OutcomeLink, answers: dict, actor: Actor) -> bool:
    """Store the patient's answers once; a second submission changes nothing. ``actor``
    is the patient behind the link (labelled with the link's ACTOR_LABEL)."""
    link = OutcomeLink.objects.select_for_update().get(pk=link.pk)
    if link.state != "active":
        return False
    now = timezone.now()
    outcome_request = link.request
    outcome_request.answers, outcome_request.submitted_at = answers, now
    outcome_request.save(update_fields=["answers", "submitted_at"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    audit(
        actor,
        AuditAction.CREATED,
        obj=outcome_request,
        detail="outcome measures answered",
    )
    return True


def pending_answers(patient: Patient) -> OutcomeRequest | None:
    """The latest answered request that no evaluation has taken over yet."""
    return (
        OutcomeRequest.objects.filter(
            patient=patient, submitted_at__isnull=False, evaluation__isnull=True
        )
        .order_by("-submitted_at")
        .first()
    )
