"""Escaping everywhere: text users type is shown as text, never run as markup.

XSS canaries go into every free-text field through the app's own forms and services, then
every page that shows the field is fetched as the role that sees it. A page passes when no
canary appears raw and each field's escaped form does appear (so a page that stops showing
the data fails too). The PDF, the plain-text mails and the .ics invite must carry the
canary literally, as text. A model text field that is neither covered here nor declared
not typed by a user fails the last test, so a new field cannot slip through. The field table
is in xss_fields.py, the day that fills the fields and fetches the pages in xss_scenario.py.
"""

import icalendar
import pytest
import time_machine
from django.apps import apps
from django.db import models

from clinic.access import Role
from clinic.tests import tools
from intake.models import Goal
from plans.models import RenderJob
from plans.services import rendering

from .factories import (
    EvaluationFactory,
    PatientFactory,
    PlanFactory,
    PlanVersionFactory,
    UserFactory,
)
from .xss_fields import CANARIES, NOT_USER_TEXT, SHOWN_ON, page_problems, payload
from .xss_scenario import NOW, Scenario, library


@pytest.fixture
def team(db, settings, tmp_path):
    # Uploads and PDFs go to a temporary folder: STORAGES pins the folder, not MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.TWO_FACTOR_REQUIRED = False
    return {
        "desk": UserFactory(username="x-desk", role=Role.FRONT_DESK),
        "admin": UserFactory(username="x-admin", role=Role.CLINIC_ADMIN, is_staff=True),
        "other": UserFactory(username="x-other", role=Role.CLINICIAN),
    }


def mail_problems(scenario: Scenario, mails: list) -> list[str]:
    """Mails are text/plain: the canary must be there verbatim, not HTML-escaped."""
    problems = []
    patient, call = scenario.patient, scenario.call
    name = scenario.p("intake.Patient.preferred_name")
    to_patient = [m for m in mails if m.to == [patient.email]]
    (to_prospect,) = [m for m in mails if m.to == [call.email]]
    if len(to_patient) != 2:
        problems.append(f"{len(to_patient)} mails to the patient, not 2 (questionnaire, plan)")
    for mail, text in [*((m, name) for m in to_patient), (to_prospect, call.name)]:
        if f"Hello {text}," not in mail.body or "&lt;" in mail.body or "&quot;" in mail.body:
            problems.append(f"mail {mail.subject!r} does not greet {text!r} verbatim")
        if mail.content_subtype != "plain" or getattr(mail, "alternatives", None):
            problems.append(f"mail {mail.subject!r} is not plain text only")
    (attachment,) = to_prospect.attachments
    (event,) = icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")
    attendee = event["ATTENDEE"]
    if isinstance(attendee, list) or attendee.params["CN"] != call.name:
        problems.append("invite: the name is not one attendee's CN, verbatim")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("canary", CANARIES)
def test_every_page_escapes_what_users_typed_and_mails_keep_it_verbatim(canary, team, mailoutbox):
    with time_machine.travel(NOW, tick=True):
        scenario = Scenario(CANARIES[canary], team).run()
    pages = scenario.pages
    expected = {name: {f for f, names in SHOWN_ON.items() if name in names} for name in pages}
    assert not set().union(*SHOWN_ON.values()) - set(pages), "a page in SHOWN_ON was not fetched"
    problems = mail_problems(scenario, list(mailoutbox))
    for name, html in pages.items():
        problems += page_problems(name, html, CANARIES[canary], expected[name])
    assert not problems, "\n".join(problems)


def pdf_text(data: bytes) -> str:
    return tools.pdf_text(data, layout=False).replace(" ", "")


@pytest.mark.django_db
@pytest.mark.parametrize("canary", CANARIES)
def test_the_printed_plan_shows_what_users_typed_as_text(canary, team):
    """WeasyPrint renders for real; the text layer must hold the canary literally."""
    p = lambda field: payload(field, CANARIES[canary])  # noqa: E731
    clinician = UserFactory(
        username="x-pdf", last_name=p("auth.User.last_name"), role=Role.CLINICIAN
    )
    patient = PatientFactory(
        legal_first_name=p("intake.Patient.legal_first_name"),
        legal_last_name=p("intake.Patient.legal_last_name"),
    )
    exercise, _ = library(CANARIES[canary])
    evaluation = EvaluationFactory(patient=patient, clinician=clinician, diagnosis="M22.2X2")
    Goal.objects.create(evaluation=evaluation, term="short", text=p("intake.Goal.text"))
    evaluation.sign(by=clinician)
    plan = PlanFactory(evaluation=evaluation, notes=p("plans.Plan.notes"))
    plan.items.update(notes=p("plans.PlanItem.notes"))
    version = PlanVersionFactory(plan=plan)
    assert rendering.render_job_run(version.render.pk) == "ready"
    text = pdf_text(RenderJob.objects.get(pk=version.render.pk).file.read())
    for field in (
        "intake.Patient.legal_last_name",
        "intake.Patient.legal_first_name",
        "intake.Goal.text",
        "auth.User.last_name",
        "plans.Plan.notes",
        "plans.PlanItem.notes",
        "plans.Exercise.name",
        "plans.Exercise.instructions",
        "plans.Exercise.dosage_notes",  # in the dosage sentence of the item
        "plans.Exercise.load_value",
    ):
        assert "".join(p(field).split()) in text, field
    assert "&lt;" not in text and "&quot;" not in text and "&amp;" not in text
    assert exercise.name in version.snapshot["items"][0]["name"]


def model_text_fields() -> set[str]:
    found = set()
    for label in ("intake", "plans", "clinic"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_model_text_field_is_covered_or_declared_not_typed_by_users():
    fields = model_text_fields()
    covered = {f for f in SHOWN_ON if not f.startswith("auth.")}
    missing = fields - covered - set(NOT_USER_TEXT)
    assert not missing, (
        "Text fields with no XSS coverage: add them to SHOWN_ON (with the pages that show "
        f"them) or, if no user can type them, to NOT_USER_TEXT: {sorted(missing)}"
    )
    stale = (covered | set(NOT_USER_TEXT)) - fields
    assert not stale, f"Listed but no longer a free-text model field: {sorted(stale)}"
    assert not covered & set(NOT_USER_TEXT)
