"""Request-wide rules that every view relies on.

- Pages with patient data are never kept by browsers or proxies (``no-store``).
- Staff sessions end after SESSION_IDLE_SECONDS without activity and after SESSION_COOKIE_AGE
  whatever the activity.
- Between password and second factor, only the second-factor pages, logout and public pages
  answer: no patient data and no admin page.
- A request for an object or a private link that is refused (403/404) is audited.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .access import return_path, rule_of
from .audit import audit
from .models import AuditAction
from .two_factor import has_device, needs_second_factor

AUTH_AT = "clinic:auth_at"
LAST_SEEN = "clinic:last_seen"
# Sent by requests the page makes by itself (status polling): they do not count as activity.
BACKGROUND_HEADER = "X-Clinic-Background"
LAST_SEEN_RESOLUTION = 30  # seconds


def _redirect(request, url: str) -> HttpResponse:
    """A redirect that htmx follows with a full page load."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class NoStoreForPatientDataMiddleware:
    """Staff pages and patient-link pages: no-cache, no-store, must-revalidate, private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        rule = getattr(request, "clinic_rule", None)
        if (user is not None and user.is_authenticated) or (rule and rule.kind == "patient_link"):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.clinic_rule = rule_of(view_func)


class SessionLimitsMiddleware:
    """Idle logoff and an absolute session lifetime for logged-in staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request)
            if ended:
                logout(request)
                messages.info(request, ended)
                return _redirect_to_login(request)
            now = int(time.time())
            # Written at most every LAST_SEEN_RESOLUTION seconds: not a session save per click.
            if not request.headers.get(BACKGROUND_HEADER) and (
                now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION
            ):
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _ended(request) -> str:
        now = int(time.time())
        session = request.session
        auth_at = session.get(AUTH_AT) or session.setdefault(AUTH_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if now - auth_at > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return (
                f"You were logged out: a session lasts at most {hours} hours. Please log in again."
            )
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            minutes = settings.SESSION_IDLE_SECONDS // 60
            return (
                f"You were logged out after {minutes} minutes without activity, "
                f"to keep patient records private. Please log in again."
            )
        return ""


def _redirect_to_login(request) -> HttpResponse:
    if request.htmx:
        return _redirect(request, redirect_to_login("/").url)
    # A form sent after the idle logoff comes back to its page after the login.
    return redirect_to_login(return_path(request))


class SecondFactorMiddleware:
    """After the password, only the second-factor pages until the code is given."""

    PENDING_ALLOWED = frozenset({"public", "patient_link", "second_factor"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        rule = rule_of(view_func)
        if rule is not None and rule.kind in self.PENDING_ALLOWED:
            return None
        if not needs_second_factor(user, request.session):
            return None
        name = "two_factor_verify" if has_device(user, request.session) else "two_factor_setup"
        return _redirect(request, reverse(name))


class AuditDeniedObjectAccessMiddleware:
    """A refused request for an object id or a private link goes to the audit trail.

    Only the route's name and status are kept: ids are not patient data, and tokens are
    never written anywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code in (403, 404)
            and match is not None
            and match.kwargs
            and not getattr(request, "clinic_denial_audited", False)
        ):
            kwargs = {
                key: ("…" if key in ("token", "uidb64") else value)
                for key, value in match.kwargs.items()
            }
            shown = " ".join(f"{key}={value}" for key, value in sorted(kwargs.items()))
            audit(
                request,
                AuditAction.DENIED,
                actor_label="" if request.user.is_authenticated else "anonymous",
                detail=f"{match.view_name} {shown} → {response.status_code}",
            )
        return response
