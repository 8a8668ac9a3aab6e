"""E-mailing a patient their private link, after the request commits.

A service calls :func:`link_mail_queue` inside its transaction: the link is marked "queued"
and a worker task is queued on commit, so a rollback leaves neither a mail nor a dead link in
the patient's inbox. The worker (:func:`link_mail_send`) derives the URL again from the link's
nonce (only the link's model and id travel through the broker, never its token), claims the
row so that a redelivered task cannot mail twice, and records the outcome on the link for the
staff pages. SMTP errors are retried by the task; after the last try the link says "failed"
and staff copy it by hand.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction

from .models import MailStatus, PrivateLink

logger = logging.getLogger(__name__)
WORKER_LABEL = "link mail (worker)"  # who sent the mail, in the audit trail


def link_mail_queue(*, link: PrivateLink, base_url: str, actor: Actor) -> bool:
    """Queue the mail of ``link`` to its patient, sent once the caller's transaction commits;
    False (nothing queued) when the patient has no e-mail address."""
    if not type(link).MAIL_TEMPLATE:
        raise ValueError(f"{type(link).__name__} links are not e-mailed.")
    patient = link.patient
    if not patient.email:
        return False
    type(link).objects.filter(pk=link.pk).update(mail_status=MailStatus.QUEUED)
    link.mail_status = MailStatus.QUEUED
    audit(actor, AuditAction.CHANGED, obj=link, patient=patient, detail="e-mail queued")
    label, pk = link._meta.label, link.pk
    transaction.on_commit(lambda: _enqueue(label, pk, base_url))
    return True


def _enqueue(label: str, pk: int, base_url: str) -> None:
    from clinic.tasks import link_mail_task

    link_mail_task.delay(label, pk, base_url)


def link_mail_send(label: str, pk: int, base_url: str) -> str:
    """The worker's half: send the queued mail once; the link's new mail status.

    OSError (the SMTP server down or refusing) propagates with the row put back to "queued",
    for the task to retry."""
    model = apps.get_model(label)
    claimed = model.objects.filter(pk=pk, mail_status=MailStatus.QUEUED).update(
        mail_status=MailStatus.SENDING
    )
    if not claimed:  # sent already (a redelivered task), or no longer wanted
        return model.objects.filter(pk=pk).values_list("mail_status", flat=True).first() or ""
    link = model.objects.select_related(*model.FIND_RELATED).get(pk=pk)
    url = link.url(base_url)
    if link.state != "active" or url is None:  # revoked, used or expired while queued
        return _mark(link, MailStatus.SKIPPED)
    patient = link.patient
    context = {
        "patient": patient,
        "url": url,
        "expires_at": link.expires_at,
        "clinic_name": settings.CLINIC_NAME,
    }
    try:
        send_mail(
            subject=model.MAIL_SUBJECT.format(clinic=settings.CLINIC_NAME),
            message=render_to_string(model.MAIL_TEMPLATE, context),
            from_email=None,
            recipient_list=[patient.email],
        )
    except OSError:
        _mark(link, MailStatus.QUEUED)
        raise
    _mark(link, MailStatus.SENT)
    audit(
        Actor.system(WORKER_LABEL), AuditAction.SENT, obj=link, patient=patient, detail="by e-mail"
    )
    return MailStatus.SENT


def link_mail_failed(label: str, pk: int) -> None:
    """The last try failed: the staff pages say so, and staff copy the link by hand."""
    model = apps.get_model(label)
    model.objects.filter(pk=pk, mail_status=MailStatus.QUEUED).update(mail_status=MailStatus.FAILED)
    logger.warning("A patient link mail failed after its last try (%s %s)", label, pk)


def _mark(link: PrivateLink, status: str) -> str:
    type(link).objects.filter(pk=link.pk).update(mail_status=status)
    link.mail_status = status
    return status
