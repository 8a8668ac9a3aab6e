"""Clinic admins set who takes discovery calls and when, the visit types and the catalogue of
interventions."""

from django import forms
from django.contrib import admin

from intake import slots

from .models import (
    BlackoutDate,
    CallAvailability,
    CallHours,
    InterventionType,
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
