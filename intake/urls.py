from django.urls import path

from .views import (
    care_plans,
    clinic_statistics,
    discovery_calls,
    evaluations,
    outcome_link,
    patients,
    questionnaires,
    self_intake,
    visits,
)

app_name = "intake"

urlpatterns = [
    path("patients/", patients.patient_list, name="patient_list"),
    path("patients/new/", patients.patient_create, name="patient_create"),
    path("patients/<int:pk>/", patients.patient_detail, name="patient_detail"),
    path("patients/<int:pk>/edit/", patients.patient_edit, name="patient_edit"),
    path(
        "patients/<int:pk>/emergency-access/",
        patients.emergency_access,
        name="emergency_access",
    ),
    path("emergency-access/", patients.emergency_review_list, name="emergency_review_list"),
    path("emergency-access/<int:pk>/review/", patients.emergency_review, name="emergency_review"),
    path("patients/<int:pk>/send-link/", patients.patient_send_link, name="patient_send_link"),
    path("patients/<int:pk>/intake/new/", questionnaires.intake_staff_new, name="intake_staff_new"),
    path(
        "patients/<int:pk>/outcome-request/",
        patients.outcome_request_create,
        name="outcome_request_create",
    ),
    path("links/<int:pk>/revoke/", patients.intake_link_revoke, name="intake_link_revoke"),
    path("intakes/<int:pk>/", questionnaires.intake_review, name="intake_review"),
    path("intakes/<int:pk>/accept/", questionnaires.intake_accept, name="intake_accept"),
    path("intakes/<int:pk>/<slug:step>/", questionnaires.intake_step, name="intake_step"),
    path("red-flags/<int:pk>/", questionnaires.redflag_resolve, name="redflag_resolve"),
    path(
        "patients/<int:pk>/evaluations/new/",
        evaluations.evaluation_create,
        name="evaluation_create",
    ),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", evaluations.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/sign/", evaluations.evaluation_sign, name="evaluation_sign"),
    path("evaluations/<int:pk>/addenda/", evaluations.addendum_create, name="addendum_create"),
    path("evaluations/<int:pk>/media/", evaluations.gait_media_upload, name="gait_media_upload"),
    path(
        "evaluations/outcome-measures/<slug:code>/",
        evaluations.outcome_measure_form,
        name="outcome_measure_form",
    ),
    path("diagnoses/search/", evaluations.diagnosis_search, name="diagnosis_search"),
    path("gait-media/<int:pk>/", evaluations.gait_media_file, name="gait_media_file"),
    path("calendar/", visits.calendar, name="visit_calendar"),
    path("patients/<int:patient_pk>/visits/new/", visits.visit_new, name="visit_new"),
    path("patients/<int:patient_pk>/visits/series/", visits.visit_series, name="visit_series"),
    path(
        "patients/<int:patient_pk>/authorizations/new/",
        care_plans.authorization_new,
        name="authorization_new",
    ),
    path("dashboard/plans-of-care/", care_plans.plans_panel, name="plans_panel"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path(
        "visits/<int:pk>/<slug:action>/",
        visits.visit_status,
        name="visit_status",
    ),
    path("calls/", discovery_calls.call_calendar, name="call_calendar"),
    path("calls/new/", discovery_calls.call_new, name="call_new"),
    path("calls/<int:pk>/", discovery_calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/change/", discovery_calls.call_change, name="call_change"),
    path("calls/<int:pk>/convert/", discovery_calls.call_convert, name="call_convert"),
    # Prospects: the public booking page and the private manage link.
    path("book/", discovery_calls.book, name="book"),
    path("book/done/", discovery_calls.book_done, name="book_done"),
    path("book/m/<str:token>/", discovery_calls.call_manage, name="call_manage"),
    # The patient's side: a private link, no login.
    path("q/<str:token>/", self_intake.self_intake, name="self_intake"),
    path("q/<str:token>/<slug:step>/", self_intake.self_intake_step, name="self_intake_step"),
    path("m/<str:token>/", outcome_link.outcome_link, name="outcome_link"),
    # The clinic admin's statistics: intake data, counted without names.
    path("statistics/", clinic_statistics.clinic_statistics_page, name="clinic_statistics"),
    path(
        "statistics/<slug:report>.csv",
        clinic_statistics.clinic_statistics_csv,
        name="clinic_statistics_csv",
    ),
]
