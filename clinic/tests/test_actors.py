"""Services take an Actor: a user or a label, with the address and browser of the request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction

from .factories import PatientFactory, UserFactory


def request_from(user, **meta):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="Safari", **meta)
    request.user = user
    return request


@pytest.mark.django_db
def test_an_actor_from_a_request_carries_the_user_address_and_browser():
    user = UserFactory(username="maya")
    actor = Actor.from_request(request_from(user))
    assert (actor.user, actor.label, actor.ip_address, actor.user_agent) == (
        user,
        "",
        "10.0.0.9",
        "Safari",
    )
    assert str(actor) == "maya"


def test_a_patient_link_actor_has_its_label_and_no_user():
    actor = Actor.from_request(request_from(AnonymousUser()), label="patient (plan link)")
    assert actor.user is None and actor.label == "patient (plan link)"
    assert Actor.from_request(request_from(AnonymousUser())).label == "anonymous"


def test_an_actor_is_somebody_and_holds_no_control_characters():
    with pytest.raises(ValueError):
        Actor()
    actor = Actor(label="sys\x00tem", user_agent="a\nb" + "x" * 400)
    assert actor.label == "sys\ufffdtem"
    assert "\n" not in actor.user_agent and len(actor.user_agent) == 255


@pytest.mark.django_db
def test_audit_from_an_actor_writes_what_the_request_would():
    user = UserFactory()
    patient = PatientFactory()
    request = request_from(user)
    by_request = audit(request, AuditAction.VIEWED, obj=patient, detail="chart")
    by_actor = audit(Actor.from_request(request), AuditAction.VIEWED, obj=patient, detail="chart")
    fields = ("actor", "actor_label", "action", "object_id", "patient", "ip_address", "user_agent")
    assert [getattr(by_actor, f) for f in fields] == [getattr(by_request, f) for f in fields]

    task = audit(Actor.system("reminder (worker)"), AuditAction.SENT, obj=patient)
    assert (task.actor, task.actor_label, task.ip_address) == (None, "reminder (worker)", None)


def test_an_actor_can_name_the_account_when_nobody_is_signed_in():
    """A password reset by an e-mailed link: the request is anonymous, the account known."""
    account = object()
    actor = Actor.from_request(request_from(AnonymousUser()), user=account)
    assert actor.user is account and actor.label == "" and actor.ip_address == "10.0.0.9"
