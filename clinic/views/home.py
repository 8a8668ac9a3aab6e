"""The staff dashboard and the health endpoint for monitors."""

from django.shortcuts import render
from health_check.views import HealthCheckView

from clinic.access import public, staff, user_roles
from clinic.dashboard import dashboard_panels


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
