"""Forms of the evaluation page: notes, the measurement grid, special tests, gait, outcome
measures, diagnoses and goals. Each validates on its own; the page saves them together."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from clinic import units
from intake import diagnoses, measurements, plan_of_care, scoring, uploads
from intake.models import (
    Evaluation,
    GaitAnalysis,
    Goal,
    GoalStatus,
    Intervention,
    SpecialTestResult,
)
from intake.models.assessments import MAX_GAIT_KMH, MIN_GAIT_KMH
from intake.models.questionnaires import Side
from intake.services.evaluations import (
    DIAGNOSIS_FIELDS,
    EVALUATION_FIELDS,
    GAIT_FIELDS,
    GOAL_FIELDS,
    EvaluationData,
)

MEASURE_CODES = tuple(scoring.MEASURES)


class EvaluationForm(forms.ModelForm):
    interventions = forms.MultipleChoiceField(
        choices=Intervention.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Evaluation
        fields = list(EVALUATION_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "subjective": forms.Textarea(attrs={"rows": 5}),
            "objective_notes": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "plan_notes": forms.Textarea(attrs={"rows": 2}),
            "certified_until": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        day, until = data.get("date"), data.get("certified_until")
        problem = day and until and plan_of_care.certification_problem(day, until)
        if problem:
            self.add_error("certified_until", problem)
        return data


def _grid_name(key: str, side: str) -> str:
    return f"m_{key}_{side}"


class MeasurementGridForm(forms.Form):
    """Left and right value of every measurement; the tab order runs left → right, row by row."""

    def __init__(self, *args, rows: dict[str, tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = rows or {}
        for defn in measurements.MEASUREMENTS:
            for index, side in enumerate(("l", "r")):
                name = _grid_name(defn.key, side)
                self.fields[name] = forms.CharField(
                    required=False,
                    max_length=10,
                    label=f"{defn.label}, {'left' if side == 'l' else 'right'}",
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm grid-input",
                            "inputmode": "decimal" if defn.kind == "number" else "text",
                            "autocomplete": "off",
                        }
                    ),
                )
                self.initial.setdefault(name, rows.get(defn.key, ("", ""))[index])

    def clean(self):
        cleaned = super().clean()
        for defn in measurements.MEASUREMENTS:
            for side in ("l", "r"):
                name = _grid_name(defn.key, side)
                value, error = measurements.parse_value(defn, cleaned.get(name, ""))
                if error:
                    self.add_error(name, error)
                else:
                    cleaned[name] = "" if value is None else str(value)
        return cleaned

    def rows(self) -> dict[str, tuple[str, str]]:
        """{key: (left, right)} for the rows with at least one value."""
        out = {}
        for defn in measurements.MEASUREMENTS:
            left = self.cleaned_data.get(_grid_name(defn.key, "l"), "")
            right = self.cleaned_data.get(_grid_name(defn.key, "r"), "")
            if left or right:
                out[defn.key] = (left, right)
        return out

    def grid(self):
        """Rows grouped for the template: [(group label, [(defn, left field, right field)])]."""
        groups: dict[str, list] = {}
        for defn in measurements.MEASUREMENTS:
            groups.setdefault(defn.group, []).append(
                (defn, self[_grid_name(defn.key, "l")], self[_grid_name(defn.key, "r")])
            )
        return [(measurements.GROUP_LABELS[g], rows) for g, rows in groups.items()]


SPECIAL_TEST_CHOICES = [("", "—"), *SpecialTestResult.choices[:2]]


class SpecialTestsForm(forms.Form):
    """Positive / negative per side for the catalogue's tests; blank means not tested."""

    def __init__(self, *args, results: dict[tuple[str, str], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        results = results or {}
        for key, label in measurements.ALL_SPECIAL_TESTS:
            for side in (Side.LEFT, Side.RIGHT):
                name = f"st_{key}_{side}"
                self.fields[name] = forms.ChoiceField(
                    choices=SPECIAL_TEST_CHOICES,
                    required=False,
                    label=f"{label}, {side}",
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.initial.setdefault(name, results.get((key, side), ""))

    def results(self) -> dict[tuple[str, str], str]:
        out = {}
        for name, value in self.cleaned_data.items():
            if value:
                _, key_side = name.split("_", 1)
                key, side = key_side.rsplit("_", 1)
                out[(key, side)] = value
        return out

    def table(self, regions):
        """[(label, left field, right field, relevant to the complaint's region)]."""
        relevant = {key for key, _ in measurements.special_tests_for(regions)}
        rows = [
            (label, self[f"st_{key}_left"], self[f"st_{key}_right"], key in relevant)
            for key, label in measurements.ALL_SPECIAL_TESTS
        ]
        return sorted(rows, key=lambda row: not row[3])


class GaitForm(forms.ModelForm):
    """The running-gait section; the speed is typed in the clinic's unit and stored in km/h."""

    speed = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )

    class Meta:
        model = GaitAnalysis
        fields = [
            "setting",
            "speed",
            "footwear",
            "cadence",
            "foot_strike",
            "overstriding",
            "pelvic_drop",
            "knee_valgus",
            "trunk_lean",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speed"].label = f"Speed ({units.speed_label()})"
        self.initial.setdefault("speed", units.speed_from_kmh(self.instance.speed_kmh))

    def clean_speed(self):
        kmh = units.speed_to_kmh(self.cleaned_data.get("speed"))
        if kmh is not None and not MIN_GAIT_KMH <= kmh <= MAX_GAIT_KMH:
            low, high = (units.speed_from_kmh(Decimal(v)) for v in (MIN_GAIT_KMH, MAX_GAIT_KMH))
            raise forms.ValidationError(
                f"A running speed is between {low} and {high} {units.speed_label()}; "
                "please check it."
            )
        self.instance.speed_kmh = kmh
        return self.cleaned_data.get("speed")

    def has_content(self) -> bool:
        return any(v not in (None, "") for v in self.cleaned_data.values())


class GaitMediaForm(forms.Form):
    # Not marked required: the editor it sits in saves without one; only uploading needs it.
    file = forms.FileField(label="Photo or short video", required=False)
    caption = forms.CharField(max_length=120, required=False)

    def clean_file(self):
        """The type is read from the file's first bytes; its name is never trusted."""
        upload = self.cleaned_data["file"]
        if not upload:
            raise forms.ValidationError("Choose a photo or video to upload.")
        head = upload.read(64)
        upload.seek(0)
        content_type, error = uploads.check_upload(upload.name, upload.size, head)
        if error:
            raise forms.ValidationError(error)
        self.content_type = content_type
        return upload


class OutcomeForm(forms.Form):
    """Item-by-item answers of one outcome measure; scored by intake/scoring."""

    def __init__(self, *args, measure: str, answers: dict | None = None, **kwargs):
        super().__init__(*args, prefix=f"om-{measure}", **kwargs)
        self.measure = scoring.get_measure(measure)
        choices = scoring.item_choices(measure) or {}
        labels = scoring.item_labels(measure)
        for item in self.measure.items:
            label = f"{item}. {labels.get(item, '')}".strip()
            if item in choices:
                options = [("", "—"), *((str(v), str(v)) for v in choices[item])]
                field = forms.ChoiceField(choices=options, required=False, label=label)
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field = forms.IntegerField(required=False, label=label)
                field.widget.attrs.update({"class": "form-control form-control-sm"})
            self.fields[item] = field
        for item, value in (answers or {}).items():
            self.initial.setdefault(item, value)

    def answers(self) -> dict[str, int | None]:
        return {
            item: (int(value) if value not in (None, "") else None)
            for item, value in self.cleaned_data.items()
        }

    def is_filled(self) -> bool:
        return any(v is not None for v in self.answers().values())

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.is_filled():
            return cleaned  # an empty measure is simply not recorded
        result = scoring.score(self.measure.code, self.answers())
        # Missing items leave the measure unscored (saved, shown as incomplete);
        # impossible values are an input error and keep the page from saving.
        for problem in result.problems:
            if "missing" not in problem.lower() and "unanswered" not in problem.lower():
                self.add_error(None, problem)
        return cleaned


class DiagnosisForm(forms.Form):
    code = forms.CharField(
        label="ICD-10-CM code",
        max_length=10,
        widget=forms.TextInput(attrs={"list": "icd-curated", "autocomplete": "off"}),
    )
    condition = forms.ChoiceField(
        label="Condition",
        required=False,
        choices=[("", "From the code")] + list(diagnoses.CONDITION_CHOICES),
    )
    primary = forms.BooleanField(required=False)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not diagnoses.is_billable(code):
            raise forms.ValidationError(
                f"“{code}” is not a billable ICD-10-CM code; pick one from the list or search."
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code"):
            try:
                cleaned["condition"] = diagnoses.condition_for(
                    cleaned["code"], cleaned.get("condition", "")
                )
            except ValueError as error:
                self.add_error("condition", str(error))
        return cleaned


DiagnosisFormSet = forms.formset_factory(DiagnosisForm, extra=1, max_num=8, validate_max=True)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = list(GOAL_FIELDS)
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}


GoalFormSet = forms.formset_factory(GoalForm, extra=1, max_num=10, validate_max=True)


class GoalReviewForm(forms.Form):
    """How far each goal of the patient's earlier signed evaluations was met."""

    def __init__(self, *args, goals=(), statuses: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, prefix="review", **kwargs)
        self.goals = list(goals)
        statuses = statuses or {}
        for goal in self.goals:
            name = f"goal_{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=goal.text,
                choices=[("", "—"), *GoalStatus.choices[1:]],
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.initial.setdefault(name, statuses.get(goal.pk, ""))

    def statuses(self) -> dict:
        """{goal: status} for the goals given a status."""
        return {
            goal: self.cleaned_data[f"goal_{goal.pk}"]
            for goal in self.goals
            if self.cleaned_data.get(f"goal_{goal.pk}")
        }

    def rows(self):
        return [(goal, self[f"goal_{goal.pk}"]) for goal in self.goals]


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


def evaluation_data(forms: dict) -> EvaluationData:
    """The plain values of the evaluation page's valid forms, for services.evaluation_save."""
    main, gait = forms["main"], forms["gait"]
    gait_values = None
    if gait.has_content():
        # The speed is typed in the clinic's unit; clean_speed put it in km/h on the instance.
        gait_values = {
            name: gait.instance.speed_kmh if name == "speed_kmh" else gait.cleaned_data[name]
            for name in GAIT_FIELDS
        }
    return EvaluationData(
        record={name: main.cleaned_data[name] for name in EVALUATION_FIELDS},
        measurements=forms["grid"].rows(),
        special_tests=forms["special"].results(),
        gait=gait_values,
        outcomes={f.measure.code: f.answers() for f in forms["outcomes"] if f.is_filled()},
        diagnoses=[
            {name: row.get(name) for name in DIAGNOSIS_FIELDS}
            for row in _filled_rows(forms["diagnoses"], "code")
        ],
        goals=[
            {name: row.get(name) for name in GOAL_FIELDS}
            for row in _filled_rows(forms["goals"], "text")
        ],
        goal_reviews={goal.pk: status for goal, status in forms["goal_reviews"].statuses().items()},
    )


def _filled_rows(formset, required: str) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get(required)
    ]
