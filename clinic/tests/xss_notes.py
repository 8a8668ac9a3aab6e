"""The XSS scenario's treatment-note step (not a test module): a visit of today, its note
written with every text field a clinician types, saved, signed, with an addendum."""

import datetime

from django.urls import reverse
from django.utils import timezone

from intake.models import TreatmentNote, Visit, VisitType


def treatment_note(scenario) -> None:
    p, doctor = scenario.p, scenario.doctor
    visit_type = VisitType.objects.get(key="follow_up")
    # Today, the evaluation's day: a note follows the plan evaluation of its own day.
    start = timezone.now().replace(microsecond=0)
    visit = Visit.objects.create(
        patient=scenario.patient,
        clinician=scenario.clinician,
        visit_type=visit_type,
        start=start,
        end=start + datetime.timedelta(minutes=visit_type.minutes),
        status="arrived",
        booked_by=scenario.clinician,
    )
    assert doctor.post(reverse("intake:note_start", args=[visit.pk])).status_code == 302
    note = TreatmentNote.objects.get(visit=visit)
    edit = reverse("intake:note_edit", args=[note.pk])
    goal = scenario.signed.goals.first()
    data = {
        "revision": "0",
        "tab": "xss",
        "action": "save",
        "subjective": p("intake.TreatmentNote.subjective"),
        "objective": p("intake.TreatmentNote.objective"),
        "assessment": p("intake.TreatmentNote.assessment"),
        "plan_next": p("intake.TreatmentNote.plan_next"),
        "progress_note": "on",
        f"g-{goal.pk}-status": "partly",
        f"g-{goal.pk}-comment": p("intake.GoalProgress.comment"),
        "i-therapeutic_exercise-on": "on",
        "i-therapeutic_exercise-minutes": "20",
    }
    response = doctor.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario.get("note_edit", doctor, edit)
    assert doctor.post(edit, {**data, "revision": "1", "action": "sign"}).status_code == 302
    assert TreatmentNote.objects.get(pk=note.pk).is_signed
    addendum = {"text": p("intake.NoteAddendum.text")}
    doctor.post(reverse("intake:note_addendum", args=[note.pk]), addendum)
    scenario.get("note_record", doctor, edit)
