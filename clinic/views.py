"""Staff dashboard and the health endpoint."""

from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.shortcuts import render
from health_check.views import HealthCheckView

from . import ratelimit
from .access import public, staff, user_roles
from .audit import audit, client_ip
from .dashboard import dashboard_panels
from .models import AuditAction

LOGIN_FAILURES_PER_USER_AND_IP = 10  # then that pair waits LOGIN_LOCK_SECONDS
LOGIN_ATTEMPTS_PER_IP = 50  # per LOGIN_LOCK_SECONDS, whatever the usernames
LOGIN_LOCK_SECONDS = 15 * 60


@public
class ThrottledLoginView(LoginView):
    """Staff login that slows password guessing: per address and username, and per address."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ip = client_ip(request) or "-"
        username = request.POST.get("username", "")[:150].lower()
        key = f"login-fail:{ip}:{username}"
        too_many = (cache.get(key, 0) >= LOGIN_FAILURES_PER_USER_AND_IP) or not ratelimit.allow(
            "login", ip, limit=LOGIN_ATTEMPTS_PER_IP, window_seconds=LOGIN_LOCK_SECONDS
        )
        if too_many:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "Too many login attempts. Please wait 15 minutes and try again.")
            audit(request, AuditAction.LOGIN_FAILED, actor_label=username, detail="throttled")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            cache.add(key, 0, timeout=LOGIN_LOCK_SECONDS)
            cache.incr(key)
        return response


@staff()
def dashboard(request):
    """The day at a glance for any staff role: panels filled by the apps."""
    panels = dashboard_panels(request.user)
    return render(
        request,
        "clinic/dashboard.html",
        {"panels": panels, "roles": sorted(user_roles(request.user))},
    )


@public
class HealthView(HealthCheckView):
    """For monitors: 200 when database, broker and a worker are fine, 503 otherwise."""

    checks = (
        "health_check.checks.Database",
        "clinic.health.Broker",
        "clinic.health.WorkerHeartbeatCheck",
    )

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503  # a failed dependency, not a bug in this view
        return response
