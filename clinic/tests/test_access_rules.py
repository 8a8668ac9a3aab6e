"""Every URL of the project declares an access rule, and every role gets what the rule says.

The walk is generated from the URL configuration, so a view added later without a rule fails
here without anyone having to remember to add a test.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

from clinic.access import Role, rule_of

from .factories import UserFactory
from .helpers import walk_urls

SAMPLE_BY_CONVERTER = {
    IntConverter: 987654321,
    UUIDConverter: uuid.UUID(int=1),
    SlugConverter: "sample",
    PathConverter: "sample",
}


@dataclass
class Route:
    name: str
    url: str
    callback: object

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _sample_kwargs(pattern) -> dict:
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        key: SAMPLE_BY_CONVERTER.get(type(conv), "sample") for key, conv in converters.items()
    }
    regex = getattr(pattern.pattern, "_regex", "")
    for group in re.findall(r"\(\?P<(\w+)>", regex):
        kwargs.setdefault(group, "sample")
    return kwargs


def project_routes() -> list[Route]:
    routes = []
    for namespace, pattern in walk_urls(get_resolver().url_patterns):
        if namespace.startswith("admin:") and not pattern.name:
            continue  # the admin's catch-all; the admin site guards it itself
        assert pattern.name, f"URL pattern {pattern.pattern} has no name"
        name = f"{namespace}{pattern.name}"
        try:
            url = reverse(name, kwargs=_sample_kwargs(pattern))
        except Exception:  # admin regex groups with fixed choices (app labels)
            if name.startswith("admin:"):
                continue
            raise
        routes.append(Route(name, url, pattern.callback))
    return routes


ROUTES = project_routes()
APP_ROUTES = [r for r in ROUTES if not r.is_admin]
ADMIN_ROUTES = [r for r in ROUTES if r.is_admin]


def test_the_walk_finds_the_project_routes():
    names = {r.name for r in ROUTES}
    assert {"clinic:dashboard", "login", "health", "admin:index"} <= names


@pytest.mark.parametrize("route", APP_ROUTES, ids=lambda r: r.name)
def test_every_view_declares_an_access_rule(route):
    assert rule_of(route.callback) is not None, (
        f"{route.name} declares no access rule: decorate it with @staff(...), @public "
        f"or @patient_link from clinic.access"
    )


@pytest.fixture
def users_by_role(db):
    users = {None: None}
    for role in Role:
        users[role] = UserFactory(
            username=f"role-{role.name.lower()}",
            role=role,
            is_staff=role is Role.CLINIC_ADMIN,
        )
    users["no-role"] = UserFactory(username="no-role")
    return users


def _is_login_redirect(response, login_path) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_path)


@pytest.mark.django_db
@pytest.mark.parametrize("route", APP_ROUTES, ids=lambda r: r.name)
def test_each_role_gets_what_the_rule_declares(client, users_by_role, route):
    rule = rule_of(route.callback)
    for role, user in users_by_role.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(route.url)
        if not rule.requires_login:
            assert response.status_code not in (401, 403), (route.name, role)
            continue
        if user is None:
            assert _is_login_redirect(response, reverse("login")), (route.name, "anonymous")
        elif rule.allows(user):
            assert response.status_code not in (403,), (route.name, role)
            assert not _is_login_redirect(response, reverse("login")), (route.name, role)
        else:
            assert response.status_code == 403, (route.name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN_ROUTES[:40], ids=lambda r: r.name)
def test_admin_site_is_closed_to_anonymous_and_non_admin_staff(client, users_by_role, route):
    admin_login = reverse("admin:login")
    if route.url.startswith(admin_login) or route.name == "admin:logout":
        return
    for role in (None, Role.CLINICIAN, Role.FRONT_DESK):
        client.logout()
        if users_by_role[role] is not None:
            client.force_login(users_by_role[role])
        response = client.get(route.url)
        assert _is_login_redirect(response, admin_login), (route.name, role)
