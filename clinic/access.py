"""Access rules: every view declares exactly one, once, with a decorator from this module.

    @staff()                                   any member of a staff role
    @staff("intake.view_patient")              a staff role holding these permissions
    @public                                    no login (login page, booking page, health)
    @patient_link                              no login; the view checks a signed token
    @second_factor                             password given, second factor pending or not

The decorator stores the rule on the view as ``access_rule`` so that a test can walk every
URL pattern and fail on a view that declares none (clinic/tests/test_access_rules.py).
Object-level checks (this patient, this plan) belong in querysets, not here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views import View


class Role(StrEnum):
    """Staff roles; each is a Django group whose permissions come from a data migration."""

    CLINICIAN = "Clinician"
    FRONT_DESK = "Front desk"
    CLINIC_ADMIN = "Clinic admin"


ROLE_NAMES = frozenset(role.value for role in Role)


def user_roles(user) -> frozenset[str]:
    """The staff roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_clinic_roles"):
        names = user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
        user._clinic_roles = frozenset(names)
    return user._clinic_roles


def is_staff_member(user) -> bool:
    return bool(user_roles(user)) or (user.is_authenticated and user.is_superuser)


@dataclass(frozen=True)
class AccessRule:
    """What a view requires; ``allows`` answers it for a user."""

    kind: str  # "public", "patient_link", "second_factor" or "staff"
    permissions: tuple[str, ...] = ()

    @property
    def requires_login(self) -> bool:
        return self.kind in ("staff", "second_factor")

    def allows(self, user) -> bool:
        if not self.requires_login:
            return True
        if self.kind == "second_factor":
            return is_staff_member(user)
        return is_staff_member(user) and user.has_perms(self.permissions)

    def __str__(self) -> str:
        if self.kind != "staff":
            return self.kind
        return f"staff({', '.join(self.permissions)})"


def _declare(rule: AccessRule, check: Callable[[HttpRequest], HttpResponse | None]):
    """Wrap a function view or a class-based view so that ``check`` runs first."""

    def decorate(view):
        if isinstance(view, type) and issubclass(view, View):
            original = view.dispatch

            @functools.wraps(original)
            def dispatch(self, request, *args, **kwargs):
                return check(request) or original(self, request, *args, **kwargs)

            view.dispatch = dispatch
            view.access_rule = rule
            return view

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return check(request) or view(request, *args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorate


def _no_check(request: HttpRequest) -> None:
    return None


def public(view):
    """No login required: pages for prospects, the login page, the health endpoint."""
    return _declare(AccessRule("public"), _no_check)(view)


def patient_link(view):
    """No login: the view authorises by a random signed token tied to one patient."""
    return _declare(AccessRule("patient_link"), _no_check)(view)


def _login_check(rule: AccessRule):
    def check(request: HttpRequest) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.allows(request.user):
            raise PermissionDenied
        return None

    return check


def second_factor(view):
    """Logged in with a password; the second factor may still be pending (its own pages)."""
    rule = AccessRule("second_factor")
    return _declare(rule, _login_check(rule))(view)


def staff(*permissions: str):
    """Logged-in member of a staff role holding every named permission, else 403."""
    rule = AccessRule("staff", tuple(permissions))
    return _declare(rule, _login_check(rule))


def rule_of(callback) -> AccessRule | None:
    """The rule a URL pattern's callback declares, for function and class-based views."""
    rule = getattr(callback, "access_rule", None)
    view_class = getattr(callback, "view_class", None)
    if rule is None and view_class is not None:
        rule = getattr(view_class, "access_rule", None)
    return rule
