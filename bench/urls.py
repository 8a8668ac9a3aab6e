"""The app's URLs plus the benchmark's floor view and peer (an admin change list).

- /bench/floor/ is the smallest Django view behind the app's whole middleware stack: it
  returns a few bytes and touches nothing but what the middleware touches.
- /bench/admin/ is a separate AdminSite showing the same patients as the app's patient list
  (same columns, same page size, same ordering); intake.Patient is not registered in the
  app's admin, so it is registered here only.
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from clinic.access import public
from intake.models import Patient


@public
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


class BenchPatientAdmin(admin.ModelAdmin):
    list_display = (
        "legal_last_name",
        "legal_first_name",
        "date_of_birth",
        "phone",
        "status",
        "primary_clinician",
    )
    list_select_related = ("primary_clinician",)
    search_fields = ("legal_first_name", "legal_last_name", "preferred_name")
    list_per_page = 25  # intake.views.patients.PAGE_SIZE


bench_admin = admin.AdminSite(name="bench_admin")
bench_admin.register(Patient, BenchPatientAdmin)

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/admin/", bench_admin.urls),
    path("", include("clinic.urls")),
]
