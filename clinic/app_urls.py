from django.urls import path

from . import views, views_audit

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/export/", views_audit.audit_export, name="audit_export"),
    path(
        "audit/export/patients/<int:pk>.csv",
        views_audit.audit_export_patient,
        name="audit_export_patient",
    ),
    path(
        "audit/export/users/<int:pk>.csv", views_audit.audit_export_user, name="audit_export_user"
    ),
]
