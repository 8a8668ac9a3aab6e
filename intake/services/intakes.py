"""Writes across intake models with their side effects (audit, mail). Views call these."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from clinic.access import Role
from clinic.actors import Actor
from clinic.audit import audit
from clinic.links.mail import link_mail_queue
from clinic.models import AuditAction
from intake import redflags
from intake.forms.questionnaires import PRIVACY_NOTICE_VERSION, STEPS, TREATMENT_CONSENT_VERSION
from intake.models import (
    Complaint,
    Intake,
    IntakeLink,
    IntakeSource,
    IntakeStatus,
    Patient,
    PatientStatus,
    PriorInjury,
    RedFlagAlert,
    RunnerProfile,
)
from intake.models.questionnaires import INTAKE_LINK_LIFETIME_DAYS
from intake.summaries import intake_summary

logger = logging.getLogger(__name__)
# Who mails the clinicians about a flag that cannot wait, in the audit trail.
NOTICE_LABEL = "red-flag notice (worker)"


def intake_start(*, patient: Patient, source: str, by) -> Intake:
    return Intake.objects.create(patient=patient, source=source, created_by=by)


@transaction.atomic
def intake_link_create(
    *, patient: Patient, actor: Actor, base_url: str, email: bool
) -> tuple[IntakeLink, str, bool]:
    """A new questionnaire link for the patient's open self-intake (started if none).

    Any earlier active link for that intake is revoked: one live link at a time.
    ``base_url`` is the site's address as the staff member reached it (scheme and host).
    Returns the link, its absolute URL (shown once to staff), and whether a mail was queued
    (sent by a worker once this commits; the link's mail_status follows it).
    """
    intake = patient.intakes.filter(source=IntakeSource.SELF, status=IntakeStatus.DRAFT).first()
    if intake is None:
        intake = intake_start(patient=patient, source=IntakeSource.SELF, by=actor.user)
    for old in intake.links.active():
        intake_link_revoke(link=old, actor=actor)
    link, _token = IntakeLink.issue(
        intake=intake,
        created_by=actor.user,
        expires_at=timezone.now() + datetime.timedelta(days=INTAKE_LINK_LIFETIME_DAYS),
    )
    audit(actor, AuditAction.CREATED, obj=link, patient=patient, detail="questionnaire link")
    queued = email and link_mail_queue(link=link, base_url=base_url, actor=actor)
    return link, link.url(base_url), queued


def intake_link_revoke(*, link: IntakeLink, actor: Actor) -> None:
    link.revoke(actor=actor)


def intake_step_keep_draft(*, intake: Intake, step: str, data: MultiValueDict) -> None:
    """Keep exactly what was typed on a step that did not validate, so nothing is lost."""
    raw = {k: data.getlist(k) for k in data if k != "csrfmiddlewaretoken"}
    intake.step_drafts = {**intake.step_drafts, step: raw}
    intake.save(update_fields=["step_drafts"])


# The steps that fill in one record of their own; "screen" keeps its answers on the intake,
# "history" is a list of past injuries, "consent" is recorded when the intake is submitted.
STEP_MODELS = {"profile": RunnerProfile, "complaint": Complaint}
PRIOR_INJURY_FIELDS = ("region", "diagnosis", "year", "weeks_lost")


def step_fields(model) -> tuple[str, ...]:
    """The fields of a step's record that the questionnaire fills in (all but its keys)."""
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "intake"
    )


@transaction.atomic
def intake_step_save(*, intake: Intake, step: str, data, actor: Actor) -> Intake:
    """Save one step's validated values (questionnaire_steps.step_data): the record's fields
    for profile and complaint, the answers for screen, a list of past injuries for history,
    nothing for consent. The step's draft is dropped and the step marked complete; a key the
    step does not have is refused."""
    # Lock the intake: two taps on the same step must update one row, not insert two.
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if step in STEP_MODELS:
        model = STEP_MODELS[step]
        unknown = set(data) - set(step_fields(model))
        if unknown:
            raise ValueError(f"Not a field of the {step} step: {', '.join(sorted(unknown))}")
        row = model.objects.filter(intake=intake).first() or model(intake=intake)
        for name, value in data.items():
            setattr(row, name, value)
        row.save()
    elif step == "screen":
        intake.red_flag_answers = dict(data)
    elif step == "history":
        _replace_prior_injuries(intake, data)
    elif step != "consent":
        raise ValueError(f"No questionnaire step {step!r}.")
    drafts = dict(intake.step_drafts)
    drafts.pop(step, None)
    intake.step_drafts = drafts
    if step not in intake.completed_steps:
        intake.completed_steps = [*intake.completed_steps, step]
    intake.save(update_fields=["step_drafts", "completed_steps", "red_flag_answers"])
    audit(
        actor,
        AuditAction.CHANGED,
        obj=intake,
        patient=intake.patient,
        detail=f"questionnaire step {step}",
    )
    return intake


def _replace_prior_injuries(intake: Intake, rows) -> None:
    """The submitted list replaces the stored one, so sending the same step twice is harmless."""
    for row in rows:
        unknown = set(row) - set(PRIOR_INJURY_FIELDS)
        if unknown:
            raise ValueError(f"Not a field of a past injury: {', '.join(sorted(unknown))}")
    intake.prior_injuries.all().delete()
    PriorInjury.objects.bulk_create(PriorInjury(intake=intake, **row) for row in rows)


def missing_steps(intake: Intake) -> list[str]:
    return [s.key for s in STEPS if s.key != "consent" and s.key not in intake.completed_steps]


@transaction.atomic
def intake_submit(
    *, intake: Intake, actor: Actor, link: IntakeLink | None = None
) -> list[RedFlagAlert]:
    """The patient sends the questionnaire: consent is recorded, the original is kept,
    the link stops working and every positive red-flag answer raises an alert."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != IntakeStatus.DRAFT:
        return []  # the same submission twice (double click, back button) changes nothing
    now = timezone.now()
    intake.privacy_notice_version, intake.privacy_accepted_at = PRIVACY_NOTICE_VERSION, now
    intake.treatment_consent_version, intake.treatment_consent_at = TREATMENT_CONSENT_VERSION, now
    intake.submitted_at = now
    intake.submitted_answers = intake_summary(intake)
    intake.status = IntakeStatus.AWAITING_REVIEW
    intake.save()
    if link is not None:
        IntakeLink.objects.filter(pk=link.pk).update(used_at=now)
    audit(actor, AuditAction.CREATED, obj=intake, detail="submitted")
    alerts = redflag_alerts_raise(intake=intake, actor=actor)
    _notify_clinicians_after_commit([a for a in alerts if a.needs_action_now])
    if intake.source == IntakeSource.STAFF and actor.user is not None:
        _accept(intake, actor)  # a clinician entered it: it is reviewed as it is sent
    return alerts


def redflag_alerts_raise(*, intake: Intake, actor: Actor) -> list[RedFlagAlert]:
    raised = []
    for flag in redflags.screen(intake.red_flag_answers):
        alert, created = RedFlagAlert.objects.get_or_create(
            intake=intake,
            key=flag.key,
            defaults={
                "patient": intake.patient,
                "kind": flag.kind,
                "label": flag.label,
                "severity": flag.severity,
                "hard_stop": flag.hard_stop,
                "detail": flag.detail,
            },
        )
        if created:
            raised.append(alert)
            audit(
                actor,
                AuditAction.CREATED,
                obj=alert,
                patient=intake.patient,
                detail=f"red flag {flag.key}",
            )
    return raised


def _notify_clinicians_after_commit(alerts: list[RedFlagAlert]) -> None:
    if not alerts:
        return
    from intake.tasks import redflag_notice_task

    transaction.on_commit(partial(redflag_notice_task.delay, [a.pk for a in alerts]))


def redflag_notice_send(alert_ids: list[int], *, actor: Actor) -> int:
    """Mail every active clinician that a questionnaire raised flags that cannot wait (in the
    worker), or the clinic's address when no clinician has one. The subject and body name no
    patient: the link opens the chart after sign-in."""
    alerts = list(
        RedFlagAlert.objects.select_related("patient").filter(pk__in=alert_ids).open().by_urgency()
    )
    if not alerts:
        return 0  # decided before the mail went out
    recipients = sorted(
        User.objects.filter(is_active=True, groups__name=Role.CLINICIAN)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients and settings.CLINIC_EMAIL:
        # Nobody to tell would leave the flag unseen until someone opens the chart: the
        # clinic's own address gets it instead.
        logger.warning("Red-flag notice: no active clinician has an e-mail address")
        recipients = [settings.CLINIC_EMAIL]
    if not recipients:
        logger.error("Red-flag notice: no clinician e-mail and no CLINIC_EMAIL; nobody told")
        return 0
    patient_id = alerts[0].patient_id
    context = {
        "alerts": alerts,
        "emergency": any(a.severity == redflags.EMERGENCY for a in alerts),
        "clinic_name": settings.CLINIC_NAME,
        "chart_url": settings.SITE_URL.rstrip("/")
        + reverse("intake:patient_detail", args=[patient_id]),
    }
    send_mail(
        subject=f"Red flag needs a decision today: a new questionnaire at {settings.CLINIC_NAME}",
        message=render_to_string("intake/mail/redflag_notice.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    for alert in alerts:
        audit(
            actor,
            AuditAction.SENT,
            obj=alert,
            patient=alert.patient,
            detail=f"clinicians mailed: {len(recipients)}",
        )
    return len(recipients)


@transaction.atomic
def intake_accept(*, intake: Intake, actor: Actor) -> bool:
    """The clinician has reviewed (and corrected) the answers and takes them into the record.

    False when there was nothing to accept (not sent yet, or accepted already).
    """
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status != IntakeStatus.AWAITING_REVIEW:
        return False
    _accept(intake, actor)
    return True


def _accept(intake: Intake, actor: Actor) -> None:
    intake.status = IntakeStatus.ACCEPTED
    intake.accepted_at, intake.accepted_by = timezone.now(), actor.user
    intake.save(update_fields=["status", "accepted_at", "accepted_by"])
    redflag_alerts_raise(intake=intake, actor=actor)  # corrections may add flags
    patient = intake.patient
    if patient.status == PatientStatus.PROSPECT:
        patient.status = PatientStatus.ACTIVE
        patient.save(update_fields=["status", "updated_at"])
    audit(actor, AuditAction.CHANGED, obj=intake, detail="accepted into the record")


@transaction.atomic
def redflag_resolve(*, alert: RedFlagAlert, decision: str, reason: str, actor: Actor) -> None:
    alert = RedFlagAlert.objects.select_for_update().get(pk=alert.pk)
    alert.resolve(by=actor.user, decision=decision, reason=reason)
    audit(actor, AuditAction.CHANGED, obj=alert, patient=alert.patient, detail=decision)
