from django.urls import path

from .views import alerts, coach, documents, logs, patient, plans, records

app_name = "plans"

urlpatterns = [
    path("evaluations/<int:pk>/plan/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", plans.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/settings/", plans.plan_settings, name="plan_settings"),
    path("plans/<int:pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("plans/<int:pk>/preview/", plans.plan_preview, name="plan_preview"),
    path("plan-items/<int:pk>/", plans.plan_item_update, name="plan_item_update"),
    path("plan-items/<int:pk>/remove/", plans.plan_item_remove, name="plan_item_remove"),
    path("plan-items/<int:pk>/move/<str:direction>/", plans.plan_item_move, name="plan_item_move"),
    path("plan-versions/<int:pk>/", plans.version_detail, name="version_detail"),
    path("plan-versions/<int:pk>/pdf/", plans.version_pdf, name="version_pdf"),
    path("plan-versions/<int:pk>/pdf/status/", plans.render_status, name="render_status"),
    path("plan-versions/<int:pk>/pdf/retry/", plans.render_retry, name="render_retry"),
    path("plans/<int:pk>/send-link/", plans.plan_link_send, name="plan_link_send"),
    path("plans/<int:pk>/run-decision/", logs.run_decision, name="run_decision"),
    path("plans/<int:pk>/run-files/", logs.run_file_upload, name="run_file_upload"),
    path("run-files/<int:pk>/", logs.run_file_download, name="run_file_download"),
    path("plan-links/<int:pk>/revoke/", plans.plan_link_revoke, name="plan_link_revoke"),
    # The coach's read-only link.
    path(
        "plans/<int:pk>/coach-links/new/",
        coach.coach_link_create,
        name="coach_link_create",
    ),
    path("coach-links/<int:pk>/revoke/", coach.coach_link_revoke, name="coach_link_revoke"),
    # The clinician's view between visits.
    path(
        "patients/<int:pk>/between-visits/",
        alerts.between_visits,
        name="between_visits",
    ),
    path("patients/<int:pk>/alerts/ack/", alerts.alert_ack, name="alert_ack"),
    path("alerts/", alerts.alerts_panel, name="alerts_panel"),
    path("exercises/<slug:key>/photo/", plans.exercise_photo, name="exercise_photo"),
    # A record that leaves the clinic: the FHIR export.
    path(
        "patients/<int:pk>/fhir/",
        records.patient_fhir_export,
        name="patient_fhir_export",
    ),
    # Letters and the patient's copy of the record (plans/services/documents.py).
    path(
        "patients/<int:pk>/records/",
        documents.record_documents,
        name="record_documents",
    ),
    path(
        "evaluations/<int:pk>/letters/new/",
        documents.letter_request,
        name="letter_request",
    ),
    path("letters/<int:pk>/", documents.letter_download, name="letter_download"),
    path("letters/<int:pk>/status/", documents.letter_status, name="letter_status"),
    path("letters/<int:pk>/retry/", documents.letter_retry, name="letter_retry"),
    path(
        "patients/<int:pk>/patient-copies/new/",
        documents.patient_copy_request,
        name="patient_copy_request",
    ),
    path(
        "patient-copies/<int:pk>/",
        documents.patient_copy_download,
        name="patient_copy_download",
    ),
    path(
        "patient-copies/<int:pk>/status/",
        documents.patient_copy_status,
        name="patient_copy_status",
    ),
    path(
        "patient-copies/<int:pk>/retry/",
        documents.patient_copy_retry,
        name="patient_copy_retry",
    ),
    path(
        "patient-copies/<int:pk>/release/",
        documents.patient_copy_release,
        name="patient_copy_release",
    ),
    path(
        "patient-copy-links/<int:pk>/revoke/",
        documents.record_link_revoke,
        name="record_link_revoke",
    ),
    # The patient's side: a private link and a date-of-birth check, no login.
    path("p/<str:token>/", patient.patient_plan, name="patient_plan"),
    path("p/<str:token>/pdf/", patient.patient_plan_pdf, name="patient_plan_pdf"),
    path(
        "p/<str:token>/visits/<int:pk>/cancel/",
        patient.patient_visit_cancel,
        name="patient_visit_cancel",
    ),
    path(
        "p/<str:token>/photos/<slug:key>/",
        patient.patient_exercise_photo,
        name="patient_exercise_photo",
    ),
    # Between visits: the patient's logs and reminders through the same link.
    path("p/<str:token>/log/", logs.patient_exercise_log, name="patient_exercise_log"),
    path("p/<str:token>/runs/", logs.patient_run_log, name="patient_run_log"),
    path(
        "p/<str:token>/reminders/",
        logs.patient_log_reminders,
        name="patient_log_reminders",
    ),
    path("reminders/stop/<str:signed>/", logs.reminder_stop, name="reminder_stop"),
    path("c/<str:token>/", coach.coach_page, name="coach_page"),
    path("r/<str:token>/", patient.patient_copy, name="patient_copy"),
    path("r/<str:token>/zip/", patient.patient_copy_zip, name="patient_copy_zip"),
]
