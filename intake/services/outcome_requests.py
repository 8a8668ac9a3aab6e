"""Outcome measures the patient answers at home before a re-evaluation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clinic.audit import audit
from clinic.models import AuditAction
from intake.models import OutcomeLink, OutcomeRequest, Patient
from intake.models.outcome_requests import OUTCOME_LINK_LIFETIME_DAYS

from .intakes import PATIENT_LINK_ACTOR, mail_patient_link


@transaction.atomic
def outcome_request_create(
    *, patient: Patient, measures: list[str], request: HttpRequest, email: bool
) -> tuple[OutcomeLink, str, bool]:
    """A new request with its link; earlier unanswered requests' links stop working."""
    for old in OutcomeLink.objects.active().filter(request__patient=patient):
        old.revoke(actor=request)
    outcome_request = OutcomeRequest.objects.create(
        patient=patient, measures=measures, created_by=request.user
    )
    token, token_hash = OutcomeLink.new_token()
    link = OutcomeLink.objects.create(
        request=outcome_request,
        token_hash=token_hash,
        created_by=request.user,
        expires_at=timezone.now() + datetime.timedelta(days=OUTCOME_LINK_LIFETIME_DAYS),
    )
    url = request.build_absolute_uri(reverse("intake:outcome_link", args=[token]))
    audit(request, AuditAction.CREATED, obj=link, patient=patient, detail="outcome link")
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
            audit(request, AuditAction.SENT, obj=link, patient=patient, detail="by e-mail")
    return link, url, sent


@transaction.atomic
def outcome_request_submit(*, link: OutcomeLink, answers: dict, request: HttpRequest) -> bool:
    """Store the patient's answers once; a second submission changes nothing."""
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
        request,
        AuditAction.CREATED,
        obj=outcome_request,
        actor_label=PATIENT_LINK_ACTOR,
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
