"""Outcome measures the patient answers at home before a re-evaluation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import OutcomeLink, OutcomeRequest, Patient
from intake.models.outcome_requests import OUTCOME_LINK_LIFETIME_DAYS

from .intakes import mail_patient_link


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
    token, token_hash = OutcomeLink.new_token()
    link = OutcomeLink.objects.create(
        request=outcome_request,
        token_hash=token_hash,
        created_by=actor.user,
        expires_at=timezone.now() + datetime.timedelta(days=OUTCOME_LINK_LIFETIME_DAYS),
    )
    url = base_url.rstrip("/") + reverse("intake:outcome_link", args=[token])
    audit(actor, AuditAction.CREATED, obj=link, patient=patient, detail="outcome link")
    sent = False
    if email and patient.email:
        sent = mail_patient_link(
            patient=patient,
            url=url,
            expires_at=link.expires_at,
            template="intake/mail/outcome_link.txt",
        )
        if sent:
            link.sent_by_mail = True
            link.save(update_fields=["sent_by_mail"])
            audit(actor, AuditAction.SENT, obj=link, patient=patient, detail="by e-mail")
    return link, url, sent


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
