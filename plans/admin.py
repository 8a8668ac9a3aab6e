"""Clinic admins edit the exercise library and the plan-rule table here."""

from django import forms
from django.contrib import admin

from . import rules
from .models import Exercise, PlanRuleRow


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "phase", "kind", "difficulty", "impact", "active")
    list_filter = ("region", "phase", "kind", "impact", "active")
    search_fields = ("name", "key", "instructions")
    filter_horizontal = ("progressions",)
    readonly_fields = ("key",)

    def get_readonly_fields(self, request, obj=None):
        # The key ties an exercise to its drawing and to rules: fixed once created.
        return ("key",) if obj else ()


class PlanRuleForm(forms.ModelForm):
    class Meta:
        model = PlanRuleRow
        fields = [
            "key",
            "exercise_key",
            "when_conditions",
            "when_flags",
            "phases",
            "priority",
            "reason",
            "dosage_overrides",
            "lsi_area",
            "source",
            "active",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            rule = rules.Rule(
                key=cleaned["key"],
                exercise=cleaned["exercise_key"],
                reason=cleaned["reason"],
                source=cleaned.get("source") or "",
                when_conditions=frozenset(cleaned.get("when_conditions") or []),
                when_flags=frozenset(cleaned.get("when_flags") or []),
                phases=frozenset(cleaned.get("phases") or []),
                priority=cleaned["priority"],
                dosage_overrides=cleaned.get("dosage_overrides") or {},
                lsi_area=cleaned.get("lsi_area") or None,
            )
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(str(error)) from error
        keys = Exercise.objects.values_list("key", flat=True)
        problems = rules.validate_rules([rule], set(keys))
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


@admin.register(PlanRuleRow)
class PlanRuleAdmin(admin.ModelAdmin):
    form = PlanRuleForm
    list_display = ("key", "exercise_key", "priority", "active", "source")
    list_filter = ("active",)
    search_fields = ("key", "exercise_key", "reason")
