from django.urls import path

from . import (
    views,
    views_alerts,
    views_coach,
    views_documents,
    views_logs,
    views_patient,
    views_records,
)

app_name = "plans"

urlpatterns = [
    path("evaluations/<int:pk>/plan/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/settings/", views.plan_settings, name="plan_settings"),
    path("plans/<int:pk>/issue/", views.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/preview/", views.plan_preview, name="plan_preview"),
    path("plan-items/<int:pk>/", views.plan_item_update, name="plan_item_update"),
    path("plan-items/<int:pk>/remove/", views.plan_item_remove, name="plan_item_remove"),
    path("plan-items/<int:pk>/move/<str:direction>/", views.plan_item_move, name="plan_item_move"),
    path("plan-versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("plan-versions/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("plan-versions/<int:pk>/pdf/status/", views.render_status, name="render_status"),
    path("plan-versions/<int:pk>/pdf/retry/", views.render_retry, name="render_retry"),
    path("plans/<int:pk>/send-link/", views.plan_link_send, name="plan_link_send"),
    path("plans/<int:pk>/run-decision/", views_logs.run_decision, name="run_decision"),
    path("plans/<int:pk>/run-files/", views_logs.run_file_upload, name="run_file_upload"),
    path("run-files/<int:pk>/", views_logs.run_file_download, name="run_file_download"),
    path("plan-links/<int:pk>/revoke/", views.plan_link_revoke, name="plan_link_revoke"),
    # The coach's read-only link (issue #11, part 5).
    path(
        "plans/<int:pk>/coach-links/new/",
        views_coach.coach_link_create,
        name="coach_link_create",
    ),
    path("coach-links/<int:pk>/revoke/", views_coach.coach_link_revoke, name="coach_link_revoke"),
    # The clinician's view between visits (issue #11, part 4).
    path(
        "patients/<int:pk>/between-visits/",
        views_alerts.between_visits,
        name="between_visits",
    ),
    path("patients/<int:pk>/alerts/ack/", views_alerts.alert_ack, name="alert_ack"),
    path("alerts/", views_alerts.alerts_panel, name="alerts_panel"),
    path("exercises/<slug:key>/photo/", views.exercise_photo, name="exercise_photo"),
    # Records that leave the clinic: FHIR export, the clinic admin's statistics.
    path(
        "patients/<int:pk>/fhir/",
        views_records.patient_fhir_export,
        name="patient_fhir_export",
    ),
    # Letters and the patient's copy of the record (plans/documents.py).
    path(
        "patients/<int:pk>/records/",
        views_documents.record_documents,
        name="record_documents",
    ),
    path(
        "evaluations/<int:pk>/letters/new/",
        views_documents.letter_request,
        name="letter_request",
    ),
    path("letters/<int:pk>/", views_documents.letter_download, name="letter_download"),
    path("letters/<int:pk>/status/", views_documents.letter_status, name="letter_status"),
    path("letters/<int:pk>/retry/", views_documents.letter_retry, name="letter_retry"),
    path(
        "patients/<int:pk>/patient-copies/new/",
        views_documents.patient_copy_request,
        name="patient_copy_request",
    ),
    path(
        "patient-copies/<int:pk>/",
        views_documents.patient_copy_download,
        name="patient_copy_download",
    ),
    path(
        "patient-copies/<int:pk>/status/",
        views_documents.patient_copy_status,
        name="patient_copy_status",
    ),
    path(
        "patient-copies/<int:pk>/retry/",
        views_documents.patient_copy_retry,
        name="patient_copy_retry",
    ),
    path(
        "patient-copies/<int:pk>/release/",
        views_documents.patient_copy_release,
        name="patient_copy_release",
    ),
    path(
        "patient-copy-links/<int:pk>/revoke/",
        views_documents.record_link_revoke,
        name="record_link_revoke",
    ),
    path("statistics/", views_records.clinic_statistics, name="clinic_statistics"),
    path(
        "statistics/<slug:report>.csv",
        views_records.clinic_statistics_csv,
        name="clinic_statistics_csv",
    ),
    # The patient's side: a private link and a date-of-birth check, no login.
    path("p/<str:token>/", views_patient.patient_plan, name="patient_plan"),
    path("p/<str:token>/pdf/", views_patient.patient_plan_pdf, name="patient_plan_pdf"),
    path(
        "p/<str:token>/photos/<slug:key>/",
        views_patient.patient_exercise_photo,
        name="patient_exercise_photo",
    ),
    # Between visits: the patient's logs and reminders through the same link (issue #11).
    path("p/<str:token>/log/", views_logs.patient_exercise_log, name="patient_exercise_log"),
    path("p/<str:token>/runs/", views_logs.patient_run_log, name="patient_run_log"),
    path(
        "p/<str:token>/reminders/",
        views_logs.patient_log_reminders,
        name="patient_log_reminders",
    ),
    path("reminders/stop/<str:signed>/", views_logs.reminder_stop, name="reminder_stop"),
    path("c/<str:token>/", views_coach.coach_page, name="coach_page"),
    path("r/<str:token>/", views_patient.patient_copy, name="patient_copy"),
    path("r/<str:token>/zip/", views_patient.patient_copy_zip, name="patient_copy_zip"),
]
