"""Clinic admins set who takes discovery calls and when, the visit types and the catalogue of
interventions, and what superbills need: the practice's billing details, each clinician's
credentials and NPI, and the fee schedule."""

from django import forms
from django.contrib import admin

from intake import slots

from .models import (
    BlackoutDate,
    CallAvailability,
    CallHours,
    ClinicianBilling,
    Fee,
    InterventionType,
    PracticeBilling,
    VisitType,
    WorkingHours,
)


class CallHoursInline(admin.TabularInline):
    model = CallHours
    extra = 1


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 1


class BlackoutInline(admin.TabularInline):
    model = BlackoutDate
    extra = 1


class CallAvailabilityForm(forms.ModelForm):
    class Meta:
        model = CallAvailability
        fields = [
            "clinician",
            "active",
            "call_minutes",
            "buffer_minutes",
            "horizon_days",
            "min_notice_minutes",
        ]


@admin.register(CallAvailability)
class CallAvailabilityAdmin(admin.ModelAdmin):
    form = CallAvailabilityForm
    inlines = [WorkingHoursInline, CallHoursInline, BlackoutInline]
    list_display = ("clinician", "active", "call_minutes", "buffer_minutes", "horizon_days")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        hours = [slots.WeeklyHours(h.weekday, h.start, h.end) for h in form.instance.hours.all()]
        for problem in slots.validate_hours(hours):
            self.message_user(request, problem, level="warning")
        working = [
            slots.WeeklyHours(h.weekday, h.start, h.end) for h in form.instance.working_hours.all()
        ]
        for problem in slots.validate_hours(working):
            self.message_user(request, f"Working hours: {problem}", level="warning")


@admin.register(BlackoutDate)
class BlackoutDateAdmin(admin.ModelAdmin):
    list_display = ("date", "availability", "note")
    list_filter = ("availability",)


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "minutes", "active", "order")
    list_editable = ("minutes", "active", "order")
    list_filter = ("kind", "active")


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "cpt_code", "timed", "needs_consent", "details_kind", "active", "order")
    list_editable = ("cpt_code", "timed", "active", "order")
    list_filter = ("timed", "active")


@admin.register(PracticeBilling)
class PracticeBillingAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "tax_id", "group_npi", "place_of_service")

    def has_add_permission(self, request):  # one row: edit it
        return super().has_add_permission(request) and not PracticeBilling.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClinicianBilling)
class ClinicianBillingAdmin(admin.ModelAdmin):
    list_display = ("clinician", "credentials", "npi")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    """A price change is a new fee from a later day; an old fee keeps its charges right."""

    list_display = ("cpt_code", "visit_type", "amount", "starts_on")
    list_filter = ("visit_type",)
    search_fields = ("cpt_code",)
    ordering = ("cpt_code", "visit_type", "-starts_on")

    def has_delete_permission(self, request, obj=None):
        return False
