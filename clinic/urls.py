from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .access import public, staff
from .views import accounts, home, two_factor

# Django's own account views, each with its declared rule.
account_patterns = [
    path(
        "login/",
        accounts.ThrottledLoginView.as_view(),
        name="login",
    ),
    path("logout/", public(accounts.LogoutView.as_view()), name="logout"),
    path("two-factor/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("security/", two_factor.security, name="two_factor_security"),
    path("security/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("session/", accounts.session_status, name="session_status"),
    path(
        "password/change/",
        staff()(accounts.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        staff()(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        public(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(accounts.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include(("clinic.app_urls", "clinic"))),
    path("", include("intake.urls")),
    path("", include("plans.urls")),
    path("accounts/", include(account_patterns)),
    path("health/", home.HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
]
