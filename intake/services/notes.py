"""The daily treatment note: open (copied forward from the last signed note), save (with the
two-tab check), sign (frozen from then on), addenda; and the consents a note needs.

Each function takes the actor and plain data, runs in one transaction and audits. What the
page typed comes in as NoteData (built by intake.forms.notes); every refusal is a
ValidationError in plain words, so the page shows it with what was typed kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import note_context
from intake.models import (
    ConsentKind,
    DeliveredIntervention,
    GoalProgress,
    InterventionType,
    NoteAddendum,
    Patient,
    SignedNoteError,
    TreatmentConsent,
    TreatmentNote,
    Visit,
    VisitStatus,
)
from intake.services import charges
from intake.services.charges import billed  # noqa: F401 (the note pages and tests use it here)

NOTE_FIELDS = (
    "progress_note",
    "pain_now",
    "pain_worst",
    "subjective",
    "retests",
    "cadence",
    "objective",
    "assessment",
    "plan_next",
)
NOT_TREATED = (VisitStatus.CANCELLED, VisitStatus.LATE_CANCEL, VisitStatus.NO_SHOW)


class NoteConflict(ValidationError):
    """The note was saved elsewhere (another tab) since this page was opened."""


class StaleSave(ValidationError):
    """A save of this page that a newer save of the same page overtook."""


@dataclass(frozen=True, kw_only=True)
class Delivered:
    intervention: InterventionType
    minutes: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    carried_over: bool = False


@dataclass(frozen=True, kw_only=True)
class NoteData:
    record: Mapping[str, Any] = field(default_factory=dict)  # NOTE_FIELDS
    interventions: Sequence[Delivered] = ()
    goals: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # goal id: (status, text)

    def __post_init__(self):
        unknown = set(self.record) - set(NOTE_FIELDS)
        if unknown:
            raise ValueError(f"Not a field of the note: {', '.join(sorted(unknown))}")


def visit_minutes(visit: Visit) -> int:
    return int((visit.end - visit.start) / datetime.timedelta(minutes=1))


def _valid_at(start) -> Q:
    """Consents that covered a visit starting at ``start`` (a datetime or an OuterRef): signed
    on or before its day, not withdrawn before it began."""
    if isinstance(start, OuterRef):
        day = TruncDate(ExpressionWrapper(start, output_field=DateTimeField()))
    else:
        day = timezone.localdate(start)
    return Q(signed_on__lte=day) & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=start))


def consent_on_file(kind: str = ConsentKind.DRY_NEEDLING):
    """Annotation of a note: a consent of this kind covered its visit."""
    return Exists(
        TreatmentConsent.objects.filter(
            _valid_at(OuterRef("visit__start")), patient=OuterRef("patient_id"), kind=kind
        )
    )


def has_consent(
    patient: Patient, kind: str = ConsentKind.DRY_NEEDLING, *, visit: Visit | None = None
) -> bool:
    """A consent of this kind is on file now, or covered ``visit`` (a treatment is judged by
    the consent of its day: one withdrawn later does not undo it, one signed later does not
    cover it)."""
    consents = TreatmentConsent.objects.filter(patient=patient, kind=kind)
    if visit is None:
        return consents.filter(withdrawn_at__isnull=True).exists()
    return consents.filter(_valid_at(visit.start)).exists()


def _check_can_write(visit: Visit, actor: Actor) -> None:
    if visit.status in NOT_TREATED:
        raise ValidationError(
            f"This visit was {visit.get_status_display().lower()}: there is no treatment to note."
        )
    if timezone.localdate(visit.start) > timezone.localdate():
        raise ValidationError("This visit is still to come: write its note on the day.")
    if not actor.user.has_perm("intake.add_treatmentnote"):
        raise ValidationError("Only clinicians write treatment notes.")


def last_signed_note(patient: Patient, *, before: TreatmentNote | None = None):
    notes = TreatmentNote.objects.signed().filter(patient=patient)
    if before is not None and before.pk:
        notes = notes.exclude(pk=before.pk)
    return notes.select_related("visit").order_by("-visit__start", "-id").first()


@transaction.atomic
def note_open(*, visit: Visit, actor: Actor, progress_note: bool = False) -> TreatmentNote:
    """The visit's note; a new one starts from the last signed note's interventions and
    parameters (marked as carried over). ``progress_note`` marks a new note as one."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    existing = TreatmentNote.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    _check_can_write(visit, actor)
    source = last_signed_note(visit.patient)
    note = TreatmentNote.objects.create(
        visit=visit,
        patient=visit.patient,
        clinician=actor.user,
        progress_note=progress_note,
        carried_from=source,
        logs_since=note_context.logs_since(visit),
    )
    if source is not None:
        consented = has_consent(visit.patient, visit=visit)
        for order, item in enumerate(source.interventions.select_related("intervention")):
            if not item.intervention.active or (item.intervention.needs_consent and not consented):
                continue  # retired from the catalogue, or its consent was withdrawn
            DeliveredIntervention.objects.create(
                note=note,
                intervention=item.intervention,
                minutes=item.minutes,
                details=item.details,
                carried_over=True,
                order=order,
            )
    audit(actor, AuditAction.CREATED, obj=note, patient=note.patient)
    return note


def _check_interventions(note: TreatmentNote, entries: Sequence[Delivered]) -> None:
    kinds = [e.intervention.pk for e in entries]
    if len(set(kinds)) != len(kinds):
        raise ValidationError("Each intervention once: add up its minutes.")
    length = visit_minutes(note.visit)
    total = 0
    for entry in entries:
        minutes = entry.minutes
        if minutes is not None:
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
                raise ValidationError(f"{entry.intervention.name}: minutes are whole minutes.")
            if minutes > length:
                raise ValidationError(
                    f"{entry.intervention.name}: {minutes} minutes is longer than the "
                    f"{length}-minute visit."
                )
            total += minutes
        if entry.intervention.needs_consent and not has_consent(note.patient, visit=note.visit):
            raise ValidationError(
                f"{entry.intervention.name} needs the patient's signed consent on file, "
                "signed on or before the day of this visit: record the consent first."
            )
    if total > length:
        raise ValidationError(
            f"The interventions add up to {total} minutes, longer than the {length}-minute visit."
        )


@transaction.atomic
def note_save(
    *, note: TreatmentNote, actor: Actor, data: NoteData, revision: int, tab: str = "", seq: int = 0
):
    """Save what the page holds. Refused when signed, and when the note was saved since the
    page's ``revision`` by another page (``tab``: the page's own random id, so that its own
    autosave in between is no conflict): the page then keeps what was typed and says so.
    ``seq`` orders one page's saves (when it sent them): one overtaken by a newer save of the
    same page is refused with StaleSave, so an old autosave never overwrites a newer Save."""
    note = TreatmentNote.objects.select_for_update().select_related("visit").get(pk=note.pk)
    if note.is_signed:
        raise SignedNoteError()
    if note.clinician_id != actor.user.pk:
        raise ValidationError("Only the clinician who started this note can change it.")
    same_page = bool(tab) and tab == note.editor_tab
    if note.revision != revision and same_page and seq <= note.editor_seq:
        raise StaleSave("A newer save from this page came first.")
    if note.revision != revision and not same_page:
        local = timezone.localtime(note.updated_at)
        raise NoteConflict(
            f"This note was saved in another tab at {local:%-I:%M %p}. What you typed is "
            "kept below: open the note again in a new tab to see the saved one, then copy "
            "over what you need."
        )
    if note.visit.status in NOT_TREATED:
        raise ValidationError("This visit was cancelled: its note cannot be changed.")
    _check_interventions(note, data.interventions)
    for name, value in data.record.items():
        setattr(note, name, value)
    note.logs_since = note_context.logs_since(note.visit)  # as of this save; frozen at signing
    note.revision += 1
    note.editor_tab = tab[:32]
    note.editor_seq = seq
    note.full_clean(exclude=["visit", "patient", "clinician", "carried_from", "signed_by"])
    note.save()
    note.interventions.all().delete()
    for order, entry in enumerate(data.interventions):
        DeliveredIntervention.objects.create(
            note=note,
            intervention=entry.intervention,
            minutes=entry.minutes,
            details=dict(entry.details),
            carried_over=entry.carried_over,
            order=order,
        )
    note.goal_progress.all().delete()
    if note.progress_note:
        for goal_id, (status, comment) in data.goals.items():
            GoalProgress.objects.create(note=note, goal_id=goal_id, status=status, comment=comment)
    audit(actor, AuditAction.CHANGED, obj=note, patient=note.patient)
    return note


@transaction.atomic
def note_sign(*, note: TreatmentNote, actor: Actor) -> TreatmentNote:
    """Freeze the note. Only its clinician signs; a cancelled visit, a note with no
    intervention, a timed one without minutes, dry needling without consent, and a progress
    note with a goal left unreviewed are refused."""
    note = TreatmentNote.objects.select_for_update().select_related("visit").get(pk=note.pk)
    if note.is_signed:
        raise SignedNoteError()
    if note.clinician_id != actor.user.pk:
        raise ValidationError("Only the clinician who wrote this note can sign it.")
    if note.visit.status in NOT_TREATED:
        raise ValidationError("This visit was cancelled: there is no treatment to sign.")
    entries = list(note.interventions.select_related("intervention"))
    if not entries:
        raise ValidationError("Add at least one intervention before signing.")
    missing = [e.intervention.name for e in entries if e.intervention.timed and not e.minutes]
    if missing:
        raise ValidationError(f"Minutes are missing for: {', '.join(missing)}.")
    _check_interventions(
        note,
        [Delivered(intervention=e.intervention, minutes=e.minutes) for e in entries],
    )
    if note.progress_note and note.goal_progress.filter(status="open").exists():
        raise ValidationError("A progress note reviews every goal: mark each met, partly or not.")
    note.freeze(by=actor.user)
    if note.visit.status == VisitStatus.BOOKED:  # treated, so the patient came
        Visit.objects.filter(pk=note.visit_id).update(
            status=VisitStatus.ARRIVED, status_changed_at=timezone.now()
        )
        audit(
            actor,
            AuditAction.CHANGED,
            obj=note.visit,
            patient=note.patient,
            detail="arrived (its note was signed)",
        )
    audit(actor, AuditAction.SIGNED, obj=note, patient=note.patient)
    charges.charge_for_note(note=note, actor=actor)
    return note


@transaction.atomic
def note_discard(*, note: TreatmentNote, actor: Actor) -> None:
    """Delete a draft that should not exist (the visit did not take place, the wrong visit):
    only its clinician, only before signing. The audit trail keeps that it was discarded."""
    note = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if note.is_signed:
        raise SignedNoteError()
    if note.clinician_id != actor.user.pk:
        raise ValidationError("Only the clinician who started this note can discard it.")
    audit(actor, AuditAction.DISCARDED, obj=note, patient=note.patient, detail="draft")
    note.interventions.all().delete()
    note.goal_progress.all().delete()
    note.delete()


@transaction.atomic
def note_addendum_add(*, note: TreatmentNote, actor: Actor, text: str) -> NoteAddendum:
    if not note.is_signed:
        raise ValidationError("Change the draft itself: addenda are for signed notes.")
    text = text.replace("\r\n", "\n").strip()  # as the browser counted it for maxlength
    if not text:
        raise ValidationError({"text": "Write the addendum."})
    limit = NoteAddendum._meta.get_field("text").max_length
    if len(text) > limit:
        raise ValidationError({"text": f"An addendum holds {limit} characters at the most."})
    addendum = NoteAddendum.objects.create(note=note, text=text, author=actor.user)
    audit(actor, AuditAction.CREATED, obj=addendum, patient=note.patient)
    return addendum


@transaction.atomic
def consent_record(
    *, patient: Patient, actor: Actor, kind: str, signed_on: datetime.date
) -> TreatmentConsent:
    """A signed consent on file (the paper or form was signed on ``signed_on``)."""
    if kind not in ConsentKind.values:
        raise ValidationError("Not a consent the clinic records.")
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The consent cannot be signed in the future."})
    consent = TreatmentConsent.objects.create(
        patient=patient, kind=kind, signed_on=signed_on, recorded_by=actor.user
    )
    audit(actor, AuditAction.CREATED, obj=consent, patient=patient)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: TreatmentConsent, actor: Actor) -> TreatmentConsent:
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit(actor, AuditAction.REVOKED, obj=consent, patient=consent.patient)
    return consent


@transaction.atomic
def consents_withdraw(
    *, patient: Patient, actor: Actor, kind: str = ConsentKind.DRY_NEEDLING
) -> int:
    """The patient withdrew their consent: every one of this kind on file stops counting
    (a note then refuses the treatment, and copy-forward leaves it out). How many were."""
    consents = list(
        TreatmentConsent.objects.select_for_update().filter(
            patient=patient, kind=kind, withdrawn_at__isnull=True
        )
    )
    if not consents:
        raise ValidationError("No consent of this kind is on file.")
    for consent in consents:
        consent_withdraw(consent=consent, actor=actor)
    return len(consents)
