"""Access rules: every view declares exactly one, once, with a decorator from this module.

    @staff()                                   any member of a staff role
    @staff("intake.view_patient")              a staff role holding these permissions
    @public                                    no login (login page, booking page, health)
    @patient_link(IntakeLink, ...)             no login; opens through a private link
    @signed_link                               no login; the view checks a signed value
    @second_factor                             password given, second factor pending or not

The decorator stores the rule on the view as ``access_rule`` so that a test can walk every
URL pattern and fail on a view that declares none (clinic/tests/test_access_rules.py).
Object-level checks (this patient, this plan) belong in querysets, not here.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth.models import Permission
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View


class Role(StrEnum):
    """Staff roles; each is a Django group whose permissions come from a data migration."""

    CLINICIAN = "Clinician"
    FRONT_DESK = "Front desk"
    CLINIC_ADMIN = "Clinic admin"


ROLE_NAMES = frozenset(role.value for role in Role)


# Roles and permissions are read on every staff request; they are kept in the shared cache
# per user, stamped with a version that clinic.signals renews whenever a user's groups or
# permissions, or a group's permissions, change, so that a change applies on the next request.
# The timeout bounds how stale a per-process cache (locmem, without Redis) can get.
ACCESS_VERSION_KEY = "clinic:access:version"
ACCESS_TIMEOUT = 60


@dataclass(frozen=True)
class Access:
    roles: frozenset[str]
    permissions: frozenset[str]


def access_changed() -> None:
    """Invalidate every user's cached roles and permissions."""
    cache.set(ACCESS_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _access_key(user) -> str:
    return f"clinic:access:user:{user.pk}:{int(user.is_superuser)}"


def _access_load(user) -> Access:
    roles = user.groups.filter(name__in=ROLE_NAMES).values_list("name", flat=True)
    if user.is_superuser:
        perms = Permission.objects.all()
    else:
        perms = Permission.objects.filter(Q(user=user) | Q(group__user=user)).distinct()
    perms = perms.values_list("content_type__app_label", "codename")
    return Access(frozenset(roles), frozenset(f"{app}.{codename}" for app, codename in perms))


def user_access(user) -> Access:
    """The user's roles and permissions: from the user object, the cache, else the database."""
    if not hasattr(user, "_clinic_access"):
        key = _access_key(user)
        found = cache.get_many([ACCESS_VERSION_KEY, key])
        version = found.get(ACCESS_VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(ACCESS_VERSION_KEY, version, timeout=None):
                version = cache.get(ACCESS_VERSION_KEY, version)
        cached = found.get(key)
        if cached is not None and cached[0] == version:
            access = cached[1]
        else:
            access = _access_load(user)
            cache.set(key, (version, access), timeout=ACCESS_TIMEOUT)
        user._clinic_access = access
    return user._clinic_access


def user_roles(user) -> frozenset[str]:
    """The staff roles a user holds."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return user_access(user).roles


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


def patient_link(
    model,
    *,
    url_kwarg: str = "token",
    done=None,
    birth_date: dict | None = None,
    asset: bool = False,
    before=None,
):
    """No login: the view opens only through a private link of ``model`` (a
    clinic.links.PrivateLink), found from the URL keyword ``url_kwarg``. An unusable link gets
    the one "unavailable" page (its refusal audited), never the view; the view is called as
    ``view(request, link, **url_kwargs)``. The options (clinic/links/opener.py):

        done=page(request, link)   what shows once the link's work is done (a sent
                                   questionnaire's thank-you page), or None to go on
        birth_date={...}           the date-of-birth check first, with these page words
        asset=True                 a file inside a page: a bare 404 for every refusal
        before=page(request)       runs before the token is looked up (a rate limit)
    """
    # Here, not at the top: the opener imports the apps' models and forms, whose modules
    # import this one.
    from clinic.links.opener import Opening, open_link

    opening = Opening(model, url_kwarg, done, birth_date, asset, before)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            link = open_link(request, opening, kwargs[opening.url_kwarg])
            if isinstance(link, HttpResponse):
                return link
            return view(request, link, *args, **kwargs)

        wrapper.access_rule = AccessRule("patient_link")
        wrapper.link_opening = opening
        return wrapper

    return decorate


def signed_link(view):
    """No login: the view checks a signed value of its own that is not a private link (the
    reminder mail's stop link); it reads nothing else."""
    return _declare(AccessRule("patient_link"), _no_check)(view)


def return_path(request: HttpRequest) -> str:
    """Where to come back to after logging in: the page asked for, or for a form sent after
    the session ended the page the form was on (a same-site Referer), not the address it was
    posted to (which may take POST only)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.path.startswith("/") and url_has_allowed_host_and_scheme(
        request.headers.get("Referer", ""),
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return urlunsplit(("", "", referer.path, referer.query, ""))
    return request.path


def _to_login(request: HttpRequest) -> HttpResponse:
    """The login page; for an htmx request a full page load (HX-Redirect) back to the page
    the user was on, or htmx would put the login form inside the part it was filling."""
    if not request.htmx:
        return redirect_to_login(return_path(request))
    current = urlsplit(request.htmx.current_url or "")
    back = urlunsplit(("", "", current.path or "/", current.query, ""))
    response = HttpResponse(status=204)
    response["HX-Redirect"] = redirect_to_login(back)["Location"]
    return response


def _login_check(rule: AccessRule):
    def check(request: HttpRequest) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return _to_login(request)
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
