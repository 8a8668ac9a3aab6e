"""The daily note's page: the note's own fields, one row per intervention of the catalogue
(delivered?, minutes, its parameters), the quick re-test and, on a progress note, each goal.

A row not ticked is ignored whatever it holds, so a stray keystroke in a row not delivered
never blocks a save. NoteForms.data() turns the valid forms into the service's NoteData.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from intake import measurements, note_interventions
from intake.models import GoalStatus, InterventionType, TreatmentNote
from intake.services.notes import Delivered, NoteData

NOTE_PAGE_FIELDS = [
    "progress_note",
    "pain_now",
    "pain_worst",
    "subjective",
    "cadence",
    "objective",
    "assessment",
    "plan_next",
]
_NUMBER = {"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}


class NoteForm(forms.ModelForm):
    class Meta:
        model = TreatmentNote
        fields = NOTE_PAGE_FIELDS
        widgets = {
            "pain_now": forms.NumberInput(attrs={**_NUMBER, "min": 0, "max": 10}),
            "pain_worst": forms.NumberInput(attrs={**_NUMBER, "min": 0, "max": 10}),
            "cadence": forms.NumberInput(attrs=_NUMBER),
            "subjective": forms.Textarea(attrs={"rows": 3}),
            "objective": forms.Textarea(attrs={"rows": 2}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "plan_next": forms.Textarea(attrs={"rows": 2}),
        }


class InterventionRowForm(forms.Form):
    """One intervention of the catalogue: ticked when delivered, its minutes (timed codes)
    and the parameters its kind records (intake.note_interventions)."""

    def __init__(self, *args, intervention: InterventionType, visit_minutes: int, **kwargs):
        super().__init__(*args, prefix=f"i-{intervention.key}", **kwargs)
        self.intervention, self.visit_minutes = intervention, visit_minutes
        self.fields["on"] = forms.BooleanField(required=False, label=intervention.name)
        if intervention.timed:
            self.fields["minutes"] = forms.CharField(
                required=False,
                label="Minutes",
                widget=forms.TextInput(attrs={**_NUMBER, "size": 3, "data-minutes": ""}),
            )
        for spec in note_interventions.fields_for(intervention.details_kind):
            self.fields[spec.name] = _detail_field(spec)

    @property
    def detail_fields(self):
        return [self[name] for name in self.fields if name not in ("on", "minutes")]

    def clean(self):
        data = super().clean()
        if not data.get("on"):
            return data
        raw = (data.get("minutes") or "").strip()
        if raw:
            minutes = note_interventions.whole_number(raw)
            if minutes is None:
                self.add_error("minutes", "Whole minutes, e.g. 15.")
            elif minutes > self.visit_minutes:
                self.add_error("minutes", f"Longer than the {self.visit_minutes}-minute visit.")
            else:
                data["minutes_value"] = minutes
        typed = {name: self.data.get(self.add_prefix(name)) for name in self.fields}
        details, errors = note_interventions.clean_details(self.intervention.details_kind, typed)
        for name, message in errors.items():
            self.add_error(name, message)
        data["details_value"] = details
        return data

    def entry(self, carried: dict) -> Delivered | None:
        data = self.cleaned_data
        if not data.get("on"):
            return None
        minutes, details = data.get("minutes_value"), data.get("details_value", {})
        before = carried.get(self.intervention.pk)
        return Delivered(
            intervention=self.intervention,
            minutes=minutes,
            details=details,
            carried_over=before is not None and before == (minutes, details),
        )


def _detail_field(spec: note_interventions.Field) -> forms.Field:
    if spec.kind == "bool":
        return forms.BooleanField(required=False, label=spec.label)
    if spec.kind == "choice":
        return forms.ChoiceField(
            required=False, label=spec.label, choices=[("", "—"), *spec.choices]
        )
    attrs = dict(_NUMBER) if spec.kind == "int" else {"class": "form-control"}
    return forms.CharField(
        required=False,
        label=spec.label,
        max_length=spec.max_length if spec.kind == "text" else 6,
        widget=forms.TextInput(attrs=attrs),
    )


class RetestForm(forms.Form):
    """Left and right of the re-tested grid rows."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, prefix="rt", **kwargs)
        self.rows = rows
        for row in rows:
            for side, label in (("l", "left"), ("r", "right")):
                self.fields[f"{row.defn.key}_{side}"] = forms.CharField(
                    required=False,
                    max_length=10,
                    label=f"{row.defn.label}, {label}",
                    widget=forms.TextInput(
                        attrs={"class": "form-control form-control-sm", "autocomplete": "off"}
                    ),
                )

    def clean(self):
        data = super().clean()
        retests = {}
        for row in self.rows:
            pair = []
            for side in ("l", "r"):
                name = f"{row.defn.key}_{side}"
                value, error = measurements.parse_value(row.defn, data.get(name, ""))
                if error:
                    self.add_error(name, error)
                pair.append("" if value is None else str(value))
            if any(pair):
                retests[row.defn.key] = pair
        data["retests"] = retests
        return data

    def grid(self):
        return [(row, self[f"{row.defn.key}_l"], self[f"{row.defn.key}_r"]) for row in self.rows]


class GoalReviewForm(forms.Form):
    status = forms.ChoiceField(choices=GoalStatus.choices, label="Status")
    comment = forms.CharField(required=False, max_length=300, label="Progress")

    def __init__(self, *args, goal, **kwargs):
        super().__init__(*args, prefix=f"g-{goal.pk}", **kwargs)
        self.goal = goal


class NoteForms:
    """Every form of the page, bound together."""

    def __init__(self, note, *, data=None, catalogue, retest_rows, goals):
        visit_minutes = int((note.visit.end - note.visit.start).total_seconds() // 60)
        saved = {i.intervention_id: i for i in note.interventions.all()}
        self.carried = {pk: (i.minutes, i.details) for pk, i in saved.items() if i.carried_over}
        self.main = NoteForm(data, instance=note)
        self.rows = []
        for intervention in catalogue:
            initial = {}
            if intervention.pk in saved:
                item = saved[intervention.pk]
                initial = {"on": True, "minutes": item.minutes or "", **item.details}
            row = InterventionRowForm(
                data, intervention=intervention, visit_minutes=visit_minutes, initial=initial
            )
            row.carried_over = intervention.pk in self.carried
            self.rows.append(row)
        retest_initial = {}
        for key, (left, right) in note.retests.items():
            retest_initial.update({f"{key}_l": left, f"{key}_r": right})
        self.retest = RetestForm(data, rows=retest_rows, initial=retest_initial)
        reviewed = {g.goal_id: g for g in note.goal_progress.all()}
        self.goals = [
            GoalReviewForm(
                data,
                goal=goal,
                initial={
                    "status": reviewed[goal.pk].status if goal.pk in reviewed else "open",
                    "comment": reviewed[goal.pk].comment if goal.pk in reviewed else "",
                },
            )
            for goal in goals
        ]

    def all(self):
        return [self.main, *self.rows, self.retest, *self.goals]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all()]  # every form, for every error
        return all(results)

    def data(self) -> NoteData:
        record = {name: self.main.cleaned_data[name] for name in NOTE_PAGE_FIELDS}
        record["retests"] = self.retest.cleaned_data["retests"]
        entries = [row.entry(self.carried) for row in self.rows]
        goals = {}
        if record["progress_note"]:
            goals = {
                form.goal.pk: (form.cleaned_data["status"], form.cleaned_data["comment"])
                for form in self.goals
            }
        return NoteData(
            record=record, interventions=[e for e in entries if e is not None], goals=goals
        )


class ConsentForm(forms.Form):
    signed_on = forms.DateField(label="Signed on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The consent cannot be signed in the future.")
        if day < timezone.localdate() - datetime.timedelta(days=3650):
            raise forms.ValidationError("That is more than ten years ago: check the date.")
        return day
