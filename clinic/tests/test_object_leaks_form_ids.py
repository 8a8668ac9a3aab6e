"""No object leaks through ids in a request: an id sent in a form body or a query string
never wins over the object of the URL, and no form takes a patient's record by id."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.forms import BaseForm, HiddenInput, ModelChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import intake.forms
import plans.forms.alerts
import plans.forms.coach
import plans.forms.documents
import plans.forms.plans
from clinic.models import AuditEvent
from intake.models import (
    Addendum,
    DiscoveryCall,
    Evaluation,
    GoalReview,
    Intake,
    IntakeLink,
    OutcomeRequest,
    Patient,
    RedFlagAlert,
    RunnerProfile,
)
from intake.tests.helpers import PROFILE
from plans.models import Exercise, Plan, PlanItem

from .helpers import client_for, formset
from .leak_routes import body, last_audit_id, target_of
from .leak_world import World

# ------------------------------------------------ ids in a form body or a query string


def poison(world: World) -> dict:
    """Every id a form could be tempted to trust, each naming one of ``world``'s records."""
    return {
        **dict.fromkeys(("patient", "patient_id", "pk", "id"), world.patient.pk),
        "evaluation": world.signed.pk,
        "plan": world.plan.pk,
        "intake": world.intake.pk,
        "call": world.call.pk,
    }


def footprint(patient) -> dict:
    """Everything a write could attach to the patient, to compare before and after."""
    evaluations = Evaluation.objects.filter(patient=patient)
    return {
        "patient": Patient.objects.filter(pk=patient.pk).values().get(),
        "evaluations": list(evaluations.values()),
        "addenda": Addendum.objects.filter(evaluation__in=evaluations).count(),
        "goal_reviews": GoalReview.objects.filter(goal__evaluation__in=evaluations).count(),
        "intakes": list(Intake.objects.filter(patient=patient).values()),
        "profiles": RunnerProfile.objects.filter(intake__patient=patient).count(),
        "intake_links": list(IntakeLink.objects.filter(intake__patient=patient).values()),
        "alerts": list(RedFlagAlert.objects.filter(patient=patient).values()),
        "outcomes": list(OutcomeRequest.objects.filter(patient=patient).values()),
        "plans": list(Plan.objects.filter(patient=patient).values()),
        "items": list(PlanItem.objects.filter(plan__patient=patient).values()),
        "calls": list(DiscoveryCall.objects.filter(patient=patient).values()),
    }


def patient_form(patient, **changes) -> dict:
    fields = ("legal_first_name", "legal_last_name", "email", "sex", "status")
    data = {name: getattr(patient, name) for name in fields}
    return {**data, "date_of_birth": patient.date_of_birth.isoformat(), **changes}


def item_form(item, **changes) -> dict:
    data = {
        name: value
        for name, value in plans.forms.PlanItemForm(instance=item).initial.items()
        if value not in (None, False)
    }
    return {f"item-{item.pk}-{name}": value for name, value in {**data, **changes}.items()}


def evaluation_page(a: World, b: World) -> dict:
    """A valid editor page of A's draft that also reviews B's goal, by its id in a name."""
    return {
        "kind": "re_evaluation",
        "date": timezone.localdate().isoformat(),
        "involved_side": "left",
        "force_unit": "kg",
        **formset("dx", 8, {"code": "M22.2X2", "primary": "on"}),
        **formset("goals", 10, {"term": "short", "text": "Run 10 km"}),
        f"review-goal_{a.goal.pk}": "met",
        f"review-goal_{b.goal.pk}": "met",
    }


def new_exercise(plan) -> Exercise:
    """An active exercise not in the plan yet, with no contraindication to confirm."""
    library = Exercise.objects.filter(active=True, contraindicated_conditions=[])
    return library.exclude(pk__in=plan.items.values("exercise")).order_by("key").first()


@dataclass(frozen=True)
class Write:
    """A form post for A's object (as ``actor``), with what must then be true of A."""

    route: str
    actor: str  # "clinician", "desk" or "" for a patient link
    data: Callable[[World, World], dict]
    landed: Callable[[World], bool]


WRITES = [
    Write(
        "intake:patient_edit",
        "desk",
        lambda a, b: patient_form(
            a.patient, preferred_name="Ave", primary_clinician=a.patient.primary_clinician_id
        ),
        lambda a: Patient.objects.get(pk=a.patient.pk).preferred_name == "Ave",
    ),
    Write(
        "intake:evaluation_create",
        "clinician",
        lambda a, b: {"kind": "re_evaluation"},
        lambda a: a.patient.evaluations.count() == 3,
    ),
    Write(
        "intake:evaluation_edit",
        "clinician",
        evaluation_page,
        lambda a: GoalReview.objects.filter(evaluation=a.draft, goal=a.goal).exists(),
    ),
    Write(
        "intake:addendum_create",
        "clinician",
        lambda a, b: {"text": "Seen again."},
        lambda a: a.signed.addenda.exists(),
    ),
    Write(
        "intake:redflag_resolve",
        "clinician",
        lambda a, b: {"decision": "treat", "reason": "Mechanical pain."},
        lambda a: RedFlagAlert.objects.get(pk=a.alert.pk).resolved_at is not None,
    ),
    Write(
        "intake:outcome_request_create",
        "clinician",
        lambda a, b: {"outcome-measures": ["NPRS"]},
        lambda a: a.patient.outcome_requests.count() == 2,
    ),
    Write(
        "intake:patient_send_link",
        "desk",
        lambda a, b: {},
        lambda a: IntakeLink.objects.filter(intake__patient=a.patient).count() == 2,
    ),
    Write(
        "intake:intake_step",
        "clinician",
        lambda a, b: PROFILE,
        lambda a: RunnerProfile.objects.filter(intake=a.intake).exists(),
    ),
    Write(
        "intake:self_intake_step",
        "",
        lambda a, b: PROFILE,
        lambda a: RunnerProfile.objects.filter(intake=a.intake).exists(),
    ),
    Write(
        "intake:outcome_link",
        "",
        lambda a, b: {"NPRS-1": "4"},
        lambda a: a.patient.outcome_requests.get().submitted_at is not None,
    ),
    Write(
        "intake:call_detail",
        "desk",
        lambda a, b: {"outcome": "follow_up", "notes": "Call back in May."},
        lambda a: DiscoveryCall.objects.get(pk=a.call.pk).notes == "Call back in May.",
    ),
    Write(
        "plans:plan_item_add",
        "clinician",
        lambda a, b: {"exercise": new_exercise(a.plan).pk},
        lambda a: a.plan.items.count() == len(a.version.snapshot["items"]) + 1,
    ),
    Write(
        "plans:plan_item_update",
        "clinician",
        lambda a, b: {**item_form(a.item, notes="Slowly."), **item_form(b.item, notes="Hacked")},
        lambda a: PlanItem.objects.get(pk=a.item.pk).notes == "Slowly.",
    ),
    Write(
        "plans:plan_settings",
        "clinician",
        lambda a, b: {"notes": "Easy week.", "run_stage": "1"},
        lambda a: Plan.objects.get(pk=a.plan.pk).notes == "Easy week.",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.route)
def test_an_id_in_the_form_body_never_moves_a_write_to_another_patient(clinic, write):
    a, b = clinic.a, clinic.b
    client = client_for({"clinician": clinic.clinician, "desk": clinic.desk}.get(write.actor))
    before, mark = footprint(b.patient), last_audit_id()
    url = reverse(write.route, kwargs=target_of(write.route).kwargs(a))
    response = client.post(f"{url}?{urlencode(poison(b))}", {**write.data(a, b), **poison(b)})
    assert response.status_code in (200, 302), response.status_code
    assert b.patient.legal_last_name not in body(response)
    assert write.landed(a), "the write did not reach the URL's object (the test proves nothing)"
    assert footprint(b.patient) == before, "patient B's records changed"
    assert not AuditEvent.objects.filter(pk__gt=mark, patient=b.patient).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "client_of"),
    [
        ("intake:call_change", lambda c: client_for(c.desk)),
        ("intake:call_manage", lambda c: Client()),
    ],
    ids=["call_change", "call_manage"],
)
def test_a_call_is_never_moved_to_another_clinicians_slot(clinic, route, client_of):
    """The slot key carries a clinician id: only the call's own clinician is accepted."""
    call = clinic.a.call
    start = int((call.start + datetime.timedelta(days=1)).timestamp())
    url = reverse(route, kwargs=target_of(route).kwargs(clinic.a))
    client_of(clinic).post(url, {"slot": f"{clinic.outsider.pk}-{start}"})
    moved = DiscoveryCall.objects.get(pk=call.pk)
    assert (moved.clinician_id, moved.start) == (call.clinician_id, call.start)


FORM_MODULES = [
    intake.forms.discovery_calls,
    intake.forms.evaluations,
    intake.forms.outcome_requests,
    intake.forms.patients,
    intake.forms.questionnaires,
    intake.forms.redflags,
    plans.forms.plans,
    plans.forms.alerts,
    plans.forms.coach,
    plans.forms.documents,
]
# Models a form may offer as a choice by id: none is a patient's record.
CHOICE_MODELS = {"auth.User", "plans.Exercise"}
# Hidden fields, and why their value is not trusted.
HIDDEN_FIELDS = {
    "slot": "a clinician id and a time, checked against the free slots",
    "kind": "an alert kind; with the key, checked against the URL patient's open alerts",
    "key": "an alert instance; checked against the URL patient's open alerts",
    "back": "where to go back to: the dashboard or the chart, nothing else",
}


def test_no_form_takes_a_patients_record_by_id():
    for module in FORM_MODULES:
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, BaseForm)):
                continue
            for name, form_field in form.base_fields.items():
                if isinstance(form_field, ModelChoiceField):
                    label = form_field.queryset.model._meta.label
                    assert label in CHOICE_MODELS, f"{form.__name__}.{name} takes a {label} id"
                if isinstance(form_field.widget, HiddenInput):
                    assert name in HIDDEN_FIELDS, f"{form.__name__}.{name} is hidden: why?"
