"""The coach's link: made with the patient's recorded consent, shown once
to the clinician to pass on (we never mail a coach), read-only, revocable, expiring.

The coach sees only the runner's week: the current walk-run stage and its rules, the
exercises with their dosage, the cadence target — and the diagnosis only when the patient
allowed it. Never a surname, a date of birth, a finding or a clinician's note.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from plans.letters import coach_program, current_version
from plans.models import CoachLink, Plan


@transaction.atomic
def coach_link_create(
    *, plan: Plan, show_diagnosis: bool, base_url: str, actor: Actor, coach_name: str = ""
) -> tuple[CoachLink, str]:
    """(link, its URL): the URL is shown once to the clinician and never stored. ``base_url``
    is the scheme and host the URL starts with (the view passes the request's)."""
    if not plan.versions.exists():
        raise ValidationError("Issue the plan first: the coach sees the issued plan.")
    now = timezone.now()
    link, token = CoachLink.issue(
        plan=plan,
        created_by=actor.user,
        consent_recorded_at=now,
        consent_recorded_by=actor.user,
        show_diagnosis=show_diagnosis,
        coach_name=coach_name.strip(),
    )
    detail = "coach link, diagnosis allowed" if show_diagnosis else "coach link"
    audit(actor, AuditAction.CREATED, obj=link, patient=plan.patient, detail=detail)
    return link, base_url.rstrip("/") + reverse("plans:coach_page", args=[token])


def coach_link_revoke(*, link: CoachLink, actor: Actor) -> None:
    """The link stops working at once; revoking twice changes nothing."""
    link.revoke(actor=actor)


def live_coach_links(plan: Plan) -> list[CoachLink]:
    """The plan's coach links that still open, newest first (the plan editor's card)."""
    return list(CoachLink.objects.active().filter(plan=plan))


def coach_view(link: CoachLink) -> dict | None:
    """What the coach's page shows, from the patient's current issued plan; None before any."""
    patient = link.plan.patient
    version = current_version(patient)
    if version is None:
        return None
    program, cadence = coach_program(version, version.plan.evaluation)
    return {
        "runner": patient.preferred_name or patient.legal_first_name,
        "coach_name": link.coach_name,
        "program": program,
        "cadence": cadence,
        "diagnoses": version.snapshot.get("diagnoses", []) if link.show_diagnosis else [],
        "expires_at": link.expires_at,
        "version": version,
    }
