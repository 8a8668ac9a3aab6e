"""Staff accounts: login with its throttle, logout, password change and reset, the idle
timer's session status."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from clinic import ratelimit
from clinic.access import public, staff
from clinic.actors import Actor
from clinic.audit import audit, client_ip
from clinic.middleware import AUTH_AT, LAST_SEEN
from clinic.models import AuditAction
from clinic.sessions import end_sessions, password_changed
from clinic.two_factor import HAS_DEVICE, has_device, needs_second_factor

LOGIN_ATTEMPTS_PER_IP = 50  # per LOGIN_WINDOW_SECONDS, whatever the usernames
LOGIN_WINDOW_SECONDS = 15 * 60


@public
class ThrottledLoginView(LoginView):
    """Staff login. django-axes locks a username at one address after AXES_FAILURE_LIMIT
    failures; this caps one address's attempts across usernames. With a second factor, the
    password leads to the code page, not to the app."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ip = client_ip(request) or "-"
        if not ratelimit.allow(
            "login", ip, limit=LOGIN_ATTEMPTS_PER_IP, window_seconds=LOGIN_WINDOW_SECONDS
        ):
            username = request.POST.get("username", "")[:150]
            audit(request, AuditAction.LOGIN_FAILED, actor_label=username, detail="throttled")
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        session = self.request.session
        session[AUTH_AT] = session[LAST_SEEN] = int(time.time())
        session.pop(HAS_DEVICE, None)  # asked afresh at each login
        if needs_second_factor(self.request.user, session):
            url = reverse("two_factor_verify")
            if not has_device(self.request.user, session):
                url = reverse("two_factor_setup")
            return redirect(f"{url}?{urlencode({'next': self.get_success_url()})}")
        return response


@public
class LogoutView(auth_views.LogoutView):
    """Logging out ends every session of the user, on every device."""

    def post(self, request, *args, **kwargs):
        user = request.user if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if user is not None:
            end_sessions(user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password ends the user's other sessions; this one continues."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(
            user=self.request.user,
            actor=Actor.from_request(self.request),
            keep=self.request.session.session_key,
            detail="password changed",
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset by e-mailed link; a refused link and a new password are audited, and
    the new password ends every session of the user."""

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:  # the "link refused" page
            # Whoever opened it is not signed in: like a failed login, the account it names
            # is kept as the label, not as the actor (anyone can craft such a link).
            audit(
                self.request,
                AuditAction.LOGIN_FAILED,
                actor_label=self.user.get_username() if self.user else "",
                detail="password reset link refused (invalid, used or expired)",
            )
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        # Not signed in: the account the link named is the actor.
        actor = Actor.from_request(self.request, user=form.user)
        if self.request.user.pk == form.user.pk:
            logout(self.request)  # this session is one of them: end it here, not under Django
        password_changed(user=form.user, actor=actor, detail="password reset by link")
        return response


@staff()
def session_status(request):
    """For the page's idle timer: seconds left (GET, sent as background), or stay (POST)."""
    if request.method == "POST":
        request.session[LAST_SEEN] = int(time.time())
    left = settings.SESSION_IDLE_SECONDS - (int(time.time()) - request.session.get(LAST_SEEN, 0))
    return JsonResponse({"idle_seconds_left": max(left, 0)})
