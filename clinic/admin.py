from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .audit import acting_request
from .models import AuditEvent

admin.site.site_header = "Clinic administration"
admin.site.site_title = "Clinic administration"
admin.site.index_title = "Staff, library and audit"


class PatientFilter(admin.SimpleListFilter):
    """Filter by one patient id (linked from the chart); never lists every patient's name."""

    title = "patient"
    parameter_name = "patient"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isascii() and value.isdigit()):
            return []
        return [(value, f"Patient #{value}")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(patient_id=int(value))
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: clinic admins browse and filter; nobody adds, changes or deletes."""

    list_display = ("at", "actor_display", "action", "content_type", "object_id", "patient")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter), PatientFilter, "at")
    list_select_related = ("actor", "content_type", "patient")
    # No search by patient name here: it would put the name in the URL (?q=). Patients are
    # found by name, date of birth, phone or e-mail on the audit page (a POST), which links
    # back to this list filtered by patient number; see change_list.html.
    search_fields = ("actor__username", "actor_label")
    search_help_text = (
        "Searches staff usernames and failed-login names. To find a patient by name or date of "
        "birth, use “Find a patient’s events” above."
    )
    raw_id_fields = ("patient",)
    date_hierarchy = "at"
    list_per_page = 100

    @admin.display(description="Who", ordering="actor__username")
    def actor_display(self, event):
        return event.actor.get_username() if event.actor else event.actor_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Clinic admins manage staff and roles but cannot make anyone a superuser."""

    def changeform_view(self, request, *args, **kwargs):
        # Role and account-flag changes are audited by signals; this names who made them.
        with acting_request(request):
            return super().changeform_view(request, *args, **kwargs)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # nor its password: user_change_password checks this too
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, "is_superuser", "user_permissions", "last_login", "date_joined")
