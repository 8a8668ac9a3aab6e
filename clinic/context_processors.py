"""What the base layout needs on every page: the clinic's name and the user's navigation."""

from django.conf import settings
from django.urls import reverse

from .access import is_staff_member, user_roles
from .two_factor import needs_second_factor

# (label, icon, url name, permission needed or None for any staff member)
NAVIGATION = [
    ("Dashboard", "speedometer2", "clinic:dashboard", None),
    ("Patients", "people", "intake:patient_list", "intake.view_patient"),
    ("Calendar", "calendar-week", "intake:visit_calendar", "intake.view_visit"),
    ("Calls", "telephone", "intake:call_calendar", "intake.view_discoverycall"),
    (
        "Emergency access",
        "shield-exclamation",
        "intake:emergency_review_list",
        "intake.review_emergencyaccess",
    ),
    ("Statistics", "bar-chart", "intake:clinic_statistics", "intake.export_statistics"),
]


def _nav_items(user, request):
    if not is_staff_member(user):
        return []
    if not user.is_verified() and needs_second_factor(user, request.session):
        return []  # between password and code: nothing to go to
    items = [
        {"label": label, "icon": icon, "url": reverse(url_name), "url_name": url_name}
        for label, icon, url_name, perm in NAVIGATION
        if perm is None or user.has_perm(perm)
    ]
    if user.has_perm("clinic.view_auditevent"):
        url = reverse("admin:clinic_auditevent_changelist")
        items.append({"label": "Audit trail", "icon": "shield-check", "url": url})
    if user.is_staff:
        url = reverse("admin:index")
        items.append({"label": "Clinic admin", "icon": "gear", "url": url})
    return items


def phone_tel(number: str) -> str:
    """The tel: form of a displayed phone number: its digits, with a leading + kept."""
    digits = "".join(c for c in number if c.isdigit())
    return f"+{digits}" if number.strip().startswith("+") else digits


def clinic(request):
    user = getattr(request, "user", None)
    return {
        "CLINIC_NAME": settings.CLINIC_NAME,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
        "CLINIC_PHONE_TEL": phone_tel(settings.CLINIC_PHONE),
        "CLINIC_EMAIL": settings.CLINIC_EMAIL,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        "SESSION_IDLE_WARNING_SECONDS": settings.SESSION_IDLE_WARNING_SECONDS,
        "nav_items": _nav_items(user, request) if user is not None else [],
        "user_roles": sorted(user_roles(user)) if user is not None else [],
    }
