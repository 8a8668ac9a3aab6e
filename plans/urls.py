from django.urls import path

from . import views, views_patient

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
    path("plan-links/<int:pk>/revoke/", views.plan_link_revoke, name="plan_link_revoke"),
    path("exercises/<slug:key>/photo/", views.exercise_photo, name="exercise_photo"),
    # The patient's side: a private link and a date-of-birth check, no login.
    path("p/<str:token>/", views_patient.patient_plan, name="patient_plan"),
    path("p/<str:token>/pdf/", views_patient.patient_plan_pdf, name="patient_plan_pdf"),
    path(
        "p/<str:token>/photos/<slug:key>/",
        views_patient.patient_exercise_photo,
        name="patient_exercise_photo",
    ),
]
