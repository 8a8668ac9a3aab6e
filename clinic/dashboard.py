"""Dashboard panels. Each panel says what it shows and what an empty day looks like."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from intake.models import (
    DiscoveryCall,
    EmergencyAccess,
    Intake,
    Patient,
    RedFlagAlert,
    Visit,
    VisitStatus,
)
from intake.models.visits import HOLDS_TIME

PANEL_ROWS = 10


@dataclass
class Panel:
    key: str
    title: str
    icon: str
    empty_text: str
    rows: list = field(default_factory=list)
    template: str = ""
    visible: bool = True
    # Loaded by htmx from this URL after the page: its queries do not weigh on the dashboard.
    url: str = ""


def _today():
    tz = timezone.get_current_timezone()
    day = timezone.localdate()
    return (
        datetime.datetime.combine(day, datetime.time.min, tz),
        datetime.datetime.combine(day, datetime.time.max, tz),
    )


def dashboard_panels(user) -> list[Panel]:
    """The panels for this user; clinical panels only for roles that may see clinical data."""
    clinical = user.has_perm("intake.view_clinical")
    patients = Patient.objects.visible_to(user)
    panels = [
        Panel(
            key="visits",
            title="Today's visits",
            icon="calendar-check",
            empty_text="No visits booked for today.",
            visible=user.has_perm("intake.view_visit"),
            template="clinic/panels/visits.html",
        ),
        Panel(
            key="calls",
            title="Today's discovery calls",
            icon="telephone",
            empty_text="No discovery calls booked for today.",
            visible=user.has_perm("intake.view_discoverycall"),
            template="clinic/panels/calls.html",
        ),
        Panel(
            key="review",
            title="Questionnaires awaiting review",
            icon="clipboard-check",
            empty_text="No questionnaires are waiting for review.",
            visible=user.has_perm("intake.view_patient"),
            template="clinic/panels/review.html",
        ),
        Panel(
            key="red_flags",
            title="Open red flags",
            icon="exclamation-triangle",
            empty_text="No open red flags.",
            visible=clinical,
            template="clinic/panels/red_flags.html",
        ),
        Panel(
            key="emergency",
            title="Emergency access to review",
            icon="shield-exclamation",
            empty_text="No emergency access is waiting for review.",
            visible=user.has_perm("intake.review_emergencyaccess"),
            template="clinic/panels/emergency.html",
        ),
        Panel(
            key="plans_of_care",
            title="Plans of care",
            icon="clipboard2-pulse",
            empty_text="",
            visible=clinical,
            url=reverse("intake:plans_panel"),  # intake/care_plans.py: progress note due, ...
        ),
        Panel(
            key="between_visits",
            title="Alerts between visits",
            icon="activity",
            empty_text="",
            visible=clinical,
            url=reverse("plans:alerts_panel"),  # plans/services/alerts.py: pain, silence, progress
        ),
    ]
    for panel in panels:
        if not panel.visible:
            continue
        if panel.key == "visits":
            visits = Visit.objects.visible_to(user).filter(
                start__range=_today(), status__in=HOLDS_TIME + (VisitStatus.NO_SHOW,)
            )
            if clinical:  # a clinician's own day; the front desk sees the clinic's
                visits = visits.filter(clinician=user)
            panel.rows = list(
                visits.select_related("patient", "visit_type", "clinician").order_by("start")[
                    :PANEL_ROWS
                ]
            )
        elif panel.key == "calls":
            panel.rows = list(
                DiscoveryCall.objects.visible_to(user)
                .booked()
                .filter(start__range=_today())
                .select_related("clinician")[:PANEL_ROWS]
            )
        elif panel.key == "review":
            panel.rows = list(
                Intake.objects.awaiting_review()
                .filter(patient__in=patients)
                .select_related("patient")
                .order_by("submitted_at")[:PANEL_ROWS]
            )
        elif panel.key == "red_flags":
            panel.rows = list(
                RedFlagAlert.objects.open()
                .filter(patient__in=patients)
                .select_related("patient")[:PANEL_ROWS]
            )
        elif panel.key == "emergency":
            panel.rows = list(
                EmergencyAccess.objects.unreviewed().select_related("user")[:PANEL_ROWS]
            )
    return panels
