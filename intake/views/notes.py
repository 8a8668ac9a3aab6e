"""The daily treatment note: started from the visit, written on one page with the billing
units shown as the clinician types, saved (also on its own, every few seconds), signed;
addenda after signing; and the dry-needling consent a note needs first."""

from __future__ import annotations

import re
import uuid

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from intake import (
    billing_units,
    care_plans,
    measurements,
    note_context,
    note_interventions,
    progress,
)
from intake.forms.notes import ConsentForm, NoteForms
from intake.models import Charge, InterventionType, Patient, TreatmentNote, Visit
from intake.services import notes as note_services

CLINICAL = "intake.view_clinical"


@staff(CLINICAL, "intake.add_treatmentnote")
@require_POST
def note_start(request, pk: int):
    """Open the visit's note (started, copied forward, the first time)."""
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=pk)
    plan = care_plans.patient_plan_status(visit.patient)
    due = plan is not None and plan.progress_note_visit == visit.pk
    try:
        note = note_services.note_open(
            visit=visit, actor=Actor.from_request(request), progress_note=due
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:visit_detail", pk=visit.pk)
    return redirect("intake:note_edit", pk=note.pk)


def _note_for(request, pk: int) -> TreatmentNote:
    return get_object_or_404(
        TreatmentNote.objects.visible_to(request.user)
        .select_related(
            "visit__visit_type",
            "visit__clinician",
            "patient",
            "clinician",
            "carried_from__visit",
        )
        .annotate(
            consented=note_services.consent_on_file(),
            authorization_json=care_plans.latest_authorization("patient_id"),
            # The home program "Update the home program" opens (intake never imports plans).
            home_plan_pk=Subquery(
                apps.get_model("plans", "Plan")
                .objects.filter(patient=OuterRef("patient_id"))
                .order_by("-created_at")
                .values("pk")[:1]
            ),
        ),
        pk=pk,
    )


def _catalogue(note: TreatmentNote) -> list[InterventionType]:
    """The active catalogue, and any retired intervention this note already holds."""
    held = note.interventions.values_list("intervention_id", flat=True)
    return list(
        InterventionType.objects.filter(active=True) | InterventionType.objects.filter(pk__in=held)
    )


def _forms(note: TreatmentNote, data=None) -> tuple[NoteForms, dict]:
    evaluation = note_context.plan_evaluation(
        note.patient_id, on=timezone.localdate(note.visit.start)
    )
    forms = NoteForms(
        note,
        data=data,
        catalogue=_catalogue(note),
        retest_rows=note_context.retest_rows(note, evaluation),
        goals=note_context.plan_goals(evaluation),
    )
    return forms, {"evaluation": evaluation}


@staff(CLINICAL, "intake.view_treatmentnote")
def note_edit(request, pk: int):
    """The note's page: the editor while it is a draft, the record once signed."""
    note = _note_for(request, pk)
    if note.is_signed or note.clinician_id != request.user.pk:
        return _note_record(request, note)
    data = request.POST if request.method == "POST" else None
    forms, extra = _forms(note, data)
    action = request.POST.get("action", "save")
    if data is not None and forms.is_valid():
        actor = Actor.from_request(request)
        try:
            note = note_services.note_save(
                note=note,
                actor=actor,
                data=forms.data(),
                revision=_revision(request),
                tab=request.POST.get("tab", ""),
                seq=_seq(request),
            )
        except ValidationError as error:  # the page comes back with what was typed
            messages.error(request, " ".join(error.messages))
        else:
            if action != "sign":
                messages.success(request, "Saved.")
                return redirect("intake:note_edit", pk=note.pk)
            try:
                note_services.note_sign(note=note, actor=actor)
            except ValidationError as error:
                messages.error(request, "Saved, not signed: " + " ".join(error.messages))
            else:
                messages.success(request, "Note signed.")
            return redirect("intake:note_edit", pk=note.pk)
    elif data is not None:
        messages.error(request, "Not saved: check the marked fields.")
    audit(request, AuditAction.VIEWED, obj=note, patient=note.patient)
    return render(request, "intake/note_edit.html", _context(note, forms, extra, data))


def _revision(request) -> int:
    value = request.POST.get("revision", "")
    number = note_interventions.whole_number(value)
    return -1 if number is None else number  # a missing one can never match


_SEQ = re.compile(r"[0-9]{1,15}")


def _seq(request) -> int:
    """When the page sent this save (static/js/save-order.js: its clock in ms), 0 without."""
    value = request.POST.get("seq", "").strip()
    return int(value) if _SEQ.fullmatch(value) else 0


def _context(note, forms, extra, data) -> dict:
    plan = care_plans.patient_plan_status(
        note.patient, authorization=care_plans.authorization_from_json(note.authorization_json)
    )
    due_here = plan is not None and plan.progress_note_visit == note.visit_id
    return {
        "note": note,
        "visit": note.visit,
        "patient": note.patient,
        "forms": forms,
        "plan": plan,
        "due_here": due_here,
        "logs": note_context.describe_logs(note.logs_since),
        "billing": _billing(forms.rows, data),
        "consent": note.consented,
        "revision": data.get("revision", note.revision) if data is not None else note.revision,
        "visit_minutes": note_services.visit_minutes(note.visit),
        "tab": (data.get("tab") if data is not None else "") or uuid.uuid4().hex,
        # The figures cost a few queries: only for a progress note (or where one is due).
        "progress": (
            progress.note_progress(note, extra["evaluation"])
            if note.progress_note or due_here
            else None
        ),
        **extra,
    }


def _billing(rows, data) -> str:
    """The one-line billing summary of what the page holds (typed, or saved)."""
    entries = []
    for row in rows:
        intervention = row.intervention
        if data is None:
            on, minutes = bool(row.initial.get("on")), str(row.initial.get("minutes") or "")
        else:
            on = bool(data.get(row.add_prefix("on")))
            minutes = (data.get(row.add_prefix("minutes")) or "").strip()
        if on:
            whole = note_interventions.whole_number(minutes) or 0
            entries.append((intervention.cpt_code, intervention.timed, whole))
    return billing_units.summary(billing_units.bill(billing_units.merged(entries)))


@staff(CLINICAL, "intake.view_treatmentnote")
@require_POST
def note_units(request, pk: int):
    """The billing line for what the page holds now (htmx, as the clinician types); saves
    nothing."""
    note = _note_for(request, pk)
    rows = NoteForms(
        note, data=request.POST, catalogue=_catalogue(note), retest_rows=[], goals=[]
    ).rows
    return TemplateResponse(
        request, "intake/_note_billing.html", {"billing": _billing(rows, request.POST)}
    )


@staff(CLINICAL, "intake.change_treatmentnote")
@require_POST
def note_autosave(request, pk: int):
    """Save the draft as the clinician types (htmx): the answer says saved, or why not, and
    carries the new revision for the page's next save."""
    note = _note_for(request, pk)
    status, revision = "", _revision(request)
    if note.is_signed or note.clinician_id != request.user.pk:
        status = "This note can no longer be changed here."
    else:
        forms, _ = _forms(note, request.POST)
        if not forms.is_valid():
            status = "Not saved yet: check the marked fields when you save."
        else:
            try:
                note = note_services.note_save(
                    note=note,
                    actor=Actor.from_request(request),
                    data=forms.data(),
                    revision=revision,
                    tab=request.POST.get("tab", ""),
                    seq=_seq(request),
                )
            except note_services.StaleSave:
                status = "Not saved: a newer save from this page came first."
            except ValidationError as error:
                status = "Not saved: " + " ".join(error.messages)
            else:
                revision = note.revision
                status = f"Draft saved {timezone.localtime():%-I:%M %p}"
    return TemplateResponse(
        request, "intake/_note_autosave.html", {"status": status, "revision": revision}
    )


def _note_record(request, note, addendum: dict | None = None):
    """The signed note (or another clinician's draft), read only, with its addenda
    (``addendum``: a refused one's text and error, shown again)."""
    audit(request, AuditAction.VIEWED, obj=note, patient=note.patient)
    items = list(note.interventions.select_related("intervention"))
    for item in items:
        item.described = note_interventions.describe(item.intervention.details_kind, item.details)
    return render(
        request,
        "intake/note_record.html",
        {
            "note": note,
            "visit": note.visit,
            "patient": note.patient,
            "items": items,
            "billing": billing_units.summary(note_services.billed(note)),
            "logs": note_context.describe_logs(note.logs_since),
            "goal_progress": note.goal_progress.select_related("goal"),
            "addenda": note.addenda.select_related("author"),
            "retests": _retests(note),
            "addendum": addendum or {},
            "charge": (
                Charge.objects.filter(note=note).prefetch_related("lines").first()
                if request.user.has_perm("intake.view_charge")
                else None
            ),
            "progress": (
                progress.note_progress(
                    note,
                    note_context.plan_evaluation(
                        note.patient_id, on=timezone.localdate(note.visit.start)
                    ),
                )
                if note.progress_note
                else None
            ),
        },
    )


def _retests(note):
    rows = []
    for key, (left, right) in note.retests.items():
        try:
            rows.append((measurements.get(key), left, right))
        except KeyError:
            continue
    return rows


@staff(CLINICAL, "intake.add_noteaddendum")
@require_POST
def note_addendum(request, pk: int):
    note = _note_for(request, pk)
    text = request.POST.get("text", "")
    try:
        note_services.note_addendum_add(note=note, actor=Actor.from_request(request), text=text)
    except ValidationError as error:
        if not note.is_signed:  # a draft is changed in its editor
            messages.error(request, " ".join(error.messages))
            return redirect("intake:note_edit", pk=note.pk)
        # The record comes back with what was typed.
        return _note_record(request, note, {"text": text, "error": " ".join(error.messages)})
    messages.success(request, "Addendum added.")
    return redirect("intake:note_edit", pk=note.pk)


@staff(CLINICAL, "intake.add_treatmentconsent")
def consent_new(request, patient_pk: int):
    """Record a signed dry-needling consent (from the paper or form the patient signed)."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    form = ConsentForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    back = request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        try:
            note_services.consent_record(
                patient=patient,
                actor=Actor.from_request(request),
                kind="dry_needling",
                signed_on=form.cleaned_data["signed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Dry-needling consent recorded.")
            note = (
                TreatmentNote.objects.visible_to(request.user)
                .filter(patient=patient, pk=back)
                .first()
                if note_interventions.whole_number(back) is not None
                else None
            )
            return redirect(
                reverse("intake:note_edit", args=[note.pk]) if note else patient.get_absolute_url()
            )
    audit(request, AuditAction.VIEWED, obj=patient, detail="consent form")
    return render(
        request,
        "intake/consent_new.html",
        {
            "patient": patient,
            "form": form,
            "next": back,
            "on_file": note_context.consents_on_file(patient),
        },
    )


@staff(CLINICAL, "intake.change_treatmentnote")
@require_POST
def note_discard(request, pk: int):
    """Discard the draft (the visit did not take place, or it is the wrong visit)."""
    note = _note_for(request, pk)
    visit = note.visit
    try:
        note_services.note_discard(note=note, actor=Actor.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:note_edit", pk=note.pk)
    messages.success(request, "Draft note discarded.")
    return redirect("intake:visit_detail", pk=visit.pk)


@staff(CLINICAL, "intake.change_treatmentconsent")
@require_POST
def consent_withdraw(request, patient_pk: int):
    """The patient withdrew their dry-needling consent (told the clinic, or in writing)."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    try:
        note_services.consents_withdraw(patient=patient, actor=Actor.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Consent withdrawn: notes now refuse dry needling until a new one is on file."
        )
    return redirect("intake:consent_new", patient_pk=patient.pk)
