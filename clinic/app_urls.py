from django.urls import path

from .views import audit, home

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("audit/export/", audit.audit_export, name="audit_export"),
    path(
        "audit/export/patients/<int:pk>.csv",
        audit.audit_export_patient,
        name="audit_export_patient",
    ),
    path("audit/export/users/<int:pk>.csv", audit.audit_export_user, name="audit_export_user"),
]
