"""No object leaks: a record answers only those who may see it.

Generated from the URL configuration: every route that takes an object id or a private-link
token is requested for a real object of patient A — anonymously, as each role, and as a
clinician outside A's care team. A refusal must be a 403 or 404 that reaches the audit trail
and never shows A's name. TARGETS says how to build each route's object; a new route with an
id or a token that it does not know fails the first test, so no route slips through.

The routes, their objects and the checks are in leak_routes.py, the two patients' records in
leak_world.py. Ids in a form body or a query string: test_object_leaks_form_ids.py; lists,
search, the dashboard, the call calendar and the exports: test_object_leaks_lists.py.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.access import rule_of
from intake.models import EmergencyAccess

from .factories import forged_token
from .helpers import client_for
from .leak_routes import (
    BREAK_THE_GLASS,
    LINK_MODELS,
    LINK_ROUTES,
    METHODS,
    NOT_A_PATIENT_OBJECT,
    OBJECT_ROUTES,
    ROUTES,
    STAFF_ROUTES,
    TARGETS,
    assert_allowed,
    assert_refused,
    body,
    login_redirect,
    takes_an_id_or_a_token,
    target_of,
    unlock,
)


def test_every_route_with_an_id_or_a_token_has_a_target():
    with_ids = {name for name, pattern in ROUTES.items() if takes_an_id_or_a_token(pattern)}
    missing = with_ids - set(TARGETS) - set(NOT_A_PATIENT_OBJECT)
    assert not missing, f"Routes with an id or a token and no entry in TARGETS: {missing}"
    unknown = set(ROUTES) - set(TARGETS) - set(NOT_A_PATIENT_OBJECT)
    assert not unknown, f"Routes with URL arguments, in neither TARGETS nor NOT_A_..: {unknown}"
    stale = (set(TARGETS) | set(NOT_A_PATIENT_OBJECT)) - set(ROUTES)
    assert not stale, f"No longer routes with URL arguments: {stale}"
    assert set(STAFF_ROUTES) | set(LINK_ROUTES) == set(OBJECT_ROUTES), "a rule not handled here"


# Models whose rows the Django admin may show to a clinic admin: none holds patient data.
ADMIN_MODELS = {
    "auth.Group",
    "auth.User",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "clinic.AuditEvent",  # ids and codes only: the audit trail never holds patient data
    "intake.BlackoutDate",
    "intake.CallAvailability",
    "intake.ClinicianBilling",  # a clinician's credentials and NPI: no patient data
    "intake.Fee",  # the fee schedule: no patient data
    "intake.InterventionType",  # the clinic's catalogue: no patient data
    "intake.PracticeBilling",  # the practice's address and tax ID: no patient data
    "intake.VisitType",  # the clinic's visit lengths: no patient data
    "otp_static.StaticDevice",
    "otp_totp.TOTPDevice",
    "plans.Exercise",
    "plans.PlanRuleRow",
}


def test_the_admin_site_registers_no_patient_record():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered <= ADMIN_MODELS, f"New in the admin: {registered - ADMIN_MODELS}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_ROUTES)
def test_a_record_is_refused_to_whoever_may_not_see_it(clinic, name):
    rule, a = rule_of(ROUTES[name].callback), clinic.a
    url = reverse(name, kwargs=target_of(name).kwargs(a))
    for method in METHODS:
        assert login_redirect(getattr(Client(), method)(url)), (name, "anonymous", method)
    outsider = client_for(clinic.outsider)
    if name == BREAK_THE_GLASS:
        assert_break_the_glass_shows_name_and_birth_date_only(outsider, url, a)
    else:
        status = 404 if rule.allows(clinic.outsider) else 403
        assert_refused(outsider, url, status, a.patient, (name, "outsider"))
    # Refused roles first: an allowed POST may change the object.
    for role, user in sorted(clinic.roles.items(), key=lambda item: rule.allows(item[1])):
        if rule.allows(user):
            assert_allowed(client_for(user), url, (name, role))
        else:
            assert_refused(client_for(user), url, 403, a.patient, (name, role))


def assert_break_the_glass_shows_name_and_birth_date_only(client, url, world) -> None:
    for method in METHODS:
        page = body(response := getattr(client, method)(url))
        assert response.status_code == 200, method
        assert world.patient.email not in page and world.alert.label not in page
        assert f'href="{world.patient.get_absolute_url()}"' not in page
    assert not EmergencyAccess.objects.filter(user__username="leak-outsider").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", LINK_ROUTES)
def test_a_private_link_opens_only_its_own_patients_record(clinic, name):
    target, a, b = target_of(name), clinic.a, clinic.b

    def url(world, token):
        return reverse(name, kwargs={**target.kwargs(world), "token": token})

    for user in (None, *clinic.roles.values()):  # the rule: whoever holds the link
        holder = client_for(user)
        unlock(holder, target.link, a)
        assert_allowed(holder, url(a, a.tokens[target.link]), (name, user))
    wrong = {
        "garbage": "not-a-token",
        "forged": forged_token(LINK_MODELS[target.link]),  # signed, but never issued
        **{f"{kind} link": t for kind, t in a.tokens.items() if kind != target.link},
    }
    for label, bad in wrong.items():
        assert_refused(Client(), url(a, bad), 404, a.patient, (name, label))
    patient_b = Client()
    unlock(patient_b, target.link, b)
    for method in METHODS:
        response = getattr(patient_b, method)(url(b, b.tokens[target.link]))
        assert a.patient.legal_last_name not in body(response), (name, method)
        assert response.status_code in (200, 302), (name, method, response.status_code)


@pytest.mark.django_db
def test_a_browser_that_opened_one_plan_link_must_check_the_birth_date_of_another(clinic):
    browser = Client()
    unlock(browser, "plan", clinic.b)
    page = body(browser.get(reverse("plans:patient_plan", args=[clinic.a.tokens["plan"]])))
    assert 'name="date_of_birth"' in page and clinic.a.patient.legal_last_name not in page
    photo = reverse(
        "plans:patient_exercise_photo", args=[clinic.a.tokens["plan"], clinic.a.photo_key]
    )
    assert browser.get(photo).status_code == 404


@pytest.mark.django_db
def test_a_password_reset_link_opens_only_with_its_own_users_token(clinic):
    """Django's own check; a refused link shows its "invalid link" page (200), not a form."""
    user, other = clinic.clinician, clinic.outsider
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    for bad in ("not-a-token", default_token_generator.make_token(other), clinic.a.tokens["plan"]):
        page = body(Client().get(reverse("password_reset_confirm", args=[uid, bad])))
        assert 'name="new_password1"' not in page and user.email not in page
    good = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    good = Client().get(good)
    assert good.status_code == 302 and good["Location"].endswith("/set-password/")
