"""The pre-visit questionnaire, one form per step; the same forms serve patients and staff."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from clinic import units
from intake import redflags
from intake.models import Complaint, PriorInjury, RunnerProfile
from intake.models.questionnaires import (
    MAX_LONGEST_RUN_KM,
    MAX_RACE_KM,
    MAX_SHOE_KM,
    MAX_WEEKLY_KM,
    Surface,
    Terrain,
    TrainingChange,
    not_in_past,
)

PRIVACY_NOTICE_VERSION = "2026-11"
TREATMENT_CONSENT_VERSION = "2026-11"

# Paces outside this range are typing errors (2:30 to 20:00 per km), not runners.
FASTEST_PACE_SEC_PER_KM = 150
SLOWEST_PACE_SEC_PER_KM = 1200


class DistanceFieldsMixin:
    """Form fields typed in the clinic's unit (miles or km) for model fields stored in km."""

    distance_fields: dict[
        str, tuple[str, Decimal, str]
    ] = {}  # name -> (model field, max km, label)

    def add_distance_fields(self):
        unit = units.distance_unit()
        for name, (model_field, _max_km, label) in self.distance_fields.items():
            self.fields[name] = forms.DecimalField(
                label=f"{label} ({units.UNIT_LABELS[unit]})",
                required=False,
                min_value=0,
                max_digits=7,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )
            self.initial.setdefault(name, units.from_km(getattr(self.instance, model_field)))

    def clean_distances(self, cleaned):
        unit = units.distance_unit()
        for name, (model_field, max_km, _label) in self.distance_fields.items():
            km = units.to_km(cleaned.get(name))
            if km is not None and km > max_km:
                limit = units.from_km(max_km)
                self.add_error(
                    name, f"That is more than {limit} {units.UNIT_LABELS[unit]}; please check it."
                )
                continue
            setattr(self.instance, model_field, km)


class ProfileForm(DistanceFieldsMixin, forms.ModelForm):
    distance_fields = {
        "weekly_distance": ("weekly_distance_km", MAX_WEEKLY_KM, "Distance in a usual week"),
        "longest_run": ("longest_run_km", MAX_LONGEST_RUN_KM, "Longest run in the last month"),
        "shoe_distance": ("shoe_distance_km", MAX_SHOE_KM, "Distance on your current shoes"),
        "goal_race_distance": ("goal_race_distance_km", MAX_RACE_KM, "Race distance"),
    }
    easy_pace = forms.CharField(
        required=False,
        max_length=6,
        help_text="Minutes:seconds, e.g. 9:30",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "m:ss"}),
    )
    surfaces = forms.MultipleChoiceField(
        choices=Surface.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    terrain = forms.MultipleChoiceField(
        choices=Terrain.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    recent_changes = forms.MultipleChoiceField(
        label="In the last 3 months, did you…",
        choices=TrainingChange.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RunnerProfile
        fields = [
            "years_running",
            "runs_per_week",
            "surfaces",
            "terrain",
            "shoe_model",
            "recent_changes",
            "recent_changes_detail",
            "goal_race_name",
            "goal_race_date",
            "other_sports",
            "strength_sessions_per_week",
            "sleep_hours",
        ]
        labels = {
            "years_running": "How many years have you been running?",
            "runs_per_week": "Runs in a usual week",
            "shoe_model": "Shoes you run in most (brand and model)",
            "recent_changes_detail": "Anything else that changed in your training?",
            "goal_race_name": "Your next goal race",
            "goal_race_date": "Race date",
            "other_sports": "Other sports or activities",
            "strength_sessions_per_week": "Strength sessions in a usual week",
            "sleep_hours": "Hours of sleep on a usual night",
        }
        widgets = {
            "goal_race_date": forms.DateInput(attrs={"type": "date"}),
            "recent_changes_detail": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_distance_fields()
        unit = "mile" if units.distance_unit() == "mi" else "km"
        self.fields["easy_pace"].label = f"Easy-run pace (per {unit})"
        self.initial.setdefault("easy_pace", units.format_pace(self.instance.easy_pace_sec_per_km))
        self.fields["goal_race_date"].validators.append(not_in_past)
        self.order_fields(
            [
                "years_running",
                "runs_per_week",
                "weekly_distance",
                "longest_run",
                "easy_pace",
                "surfaces",
                "terrain",
                "shoe_model",
                "shoe_distance",
                "recent_changes",
                "recent_changes_detail",
                "goal_race_name",
                "goal_race_distance",
                "goal_race_date",
            ]
        )

    def clean_easy_pace(self):
        text = self.cleaned_data["easy_pace"].strip()
        if not text:
            self.instance.easy_pace_sec_per_km = None
            return ""
        seconds = units.parse_pace(text)
        if seconds is None:
            raise forms.ValidationError("Write the pace as minutes:seconds, e.g. 9:30.")
        if not FASTEST_PACE_SEC_PER_KM <= seconds <= SLOWEST_PACE_SEC_PER_KM:
            raise forms.ValidationError("That pace looks mistyped; please check it.")
        self.instance.easy_pace_sec_per_km = seconds
        return text

    def clean(self):
        cleaned = super().clean()
        self.clean_distances(cleaned)
        return cleaned


PAIN_HELP = "0 = no pain, 10 = worst pain imaginable"


class ComplaintForm(DistanceFieldsMixin, forms.ModelForm):
    distance_fields = {
        "during_run_after": ("during_run_after_km", MAX_LONGEST_RUN_KM, "…or after how far"),
    }

    class Meta:
        model = Complaint
        fields = [
            "region",
            "side",
            "onset_date",
            "onset_type",
            "mechanism",
            "pain_now",
            "pain_best",
            "pain_worst",
            "hurts_during_run",
            "during_run_after_minutes",
            "hurts_after_run",
            "hurts_morning",
            "hurts_night",
            "aggravating",
            "easing",
            "patient_goals",
        ]
        labels = {
            "region": "Where is the problem?",
            "side": "Which side?",
            "onset_date": "When did it start? (roughly)",
            "onset_type": "Did it start gradually or suddenly?",
            "pain_now": "Pain right now (0–10)",
            "pain_best": "Pain at its best in the last week (0–10)",
            "pain_worst": "Pain at its worst in the last week (0–10)",
            "hurts_during_run": "It hurts during runs",
            "during_run_after_minutes": "…after how many minutes",
            "hurts_after_run": "It hurts after runs",
            "hurts_morning": "It hurts or is stiff in the morning",
            "hurts_night": "It hurts at night",
        }
        widgets = {
            "onset_date": forms.DateInput(attrs={"type": "date"}),
            "mechanism": forms.Textarea(attrs={"rows": 2}),
            "aggravating": forms.Textarea(attrs={"rows": 2}),
            "easing": forms.Textarea(attrs={"rows": 2}),
            "patient_goals": forms.Textarea(attrs={"rows": 2}),
            "region": forms.RadioSelect,
            "side": forms.RadioSelect,
            "onset_type": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_distance_fields()
        for name in ("pain_now", "pain_best", "pain_worst"):
            field = self.fields[name]
            field.help_text = PAIN_HELP
            field.widget.attrs.update({"min": 0, "max": 10, "inputmode": "numeric"})
        for name in ("region", "side", "onset_type"):  # radios need no empty "-----" choice
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        self.order_fields([*self.Meta.fields[:10], "during_run_after"])


class PriorInjuryForm(forms.ModelForm):
    class Meta:
        model = PriorInjury
        fields = ["region", "diagnosis", "year", "weeks_lost"]
        labels = {"region": "Where", "year": "Year"}


# A plain formset (no row ids): the submitted list replaces the stored one, so a double
# submission or the back button can never duplicate or lose injuries.
PriorInjuryFormSet = forms.formset_factory(
    PriorInjuryForm, extra=2, max_num=6, can_delete=True, validate_max=True
)

YES_NO = [("yes", "Yes"), ("no", "No")]

# Patient wording for the Wells items a patient can answer; the others are examined.
WELLS_PATIENT_QUESTIONS = {
    "wells_active_cancer": "Do you have cancer that is being treated now?",
    "wells_bedridden_or_surgery": "In the last 4 weeks, did you have surgery, or stay in bed "
    "for more than 3 days?",
    "wells_paralysis_immobilisation": "Has your leg recently been in a cast or brace, or unable "
    "to move?",
    "wells_whole_leg_swollen": "Is your whole leg swollen?",
    "wells_calf_swelling_3cm": "Is one calf clearly bigger or more swollen than the other?",
}
WELLS_EXAMINED = {
    "wells_deep_vein_tenderness",
    "wells_pitting_oedema",
    "wells_collateral_veins",
    "wells_alternative_diagnosis",
}


class RedFlagScreenForm(forms.Form):
    """Health questions that screen for red flags (DOMAIN.md section 3, intake/redflags.py)."""

    def __init__(self, *args, include_triad: bool, for_staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections: list[tuple[str, list[str]]] = []
        self._add_section("General health", redflags.GENERAL_FLAGS, for_staff)
        self._add_section("Hip and groin", redflags.FEMORAL_NECK_SIGNS, for_staff)
        self._add_wells(for_staff)
        if include_triad:
            self._add_triad()

    def _yes_no(self, name: str, label: str) -> None:
        self.fields[name] = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect)

    def _add_section(self, title, questions, for_staff) -> None:
        for q in questions:
            self._yes_no(q.key, q.label if for_staff else q.question)
        self.sections.append((title, [q.key for q in questions]))

    def _add_wells(self, for_staff) -> None:
        names = []
        for criterion in redflags.WELLS_CRITERIA:
            if criterion.key in WELLS_PATIENT_QUESTIONS and not for_staff:
                self._yes_no(criterion.key, WELLS_PATIENT_QUESTIONS[criterion.key])
            elif for_staff:
                self._yes_no(criterion.key, f"Wells: {criterion.label}")
            else:
                continue
            names.append(criterion.key)
        self.sections.append(("Leg swelling and clots", names))

    def _add_triad(self) -> None:
        self.fields["triad_dietary_restriction"] = forms.TypedChoiceField(
            label="Do you limit what or how much you eat to control your weight?",
            choices=[(0, "No"), (1, "Sometimes"), (2, "Yes, a lot")],
            coerce=int,
            widget=forms.RadioSelect,
        )
        number = {"required": False, "min_value": 0}
        if units.imperial():  # asked as a US patient knows them; stored in cm and kg
            self.fields["height_ft"] = forms.IntegerField(
                label="Height: feet", max_value=8, **number
            )
            self.fields["height_in"] = forms.IntegerField(
                label="and inches", max_value=11, **number
            )
            self.fields["weight_lb"] = forms.DecimalField(
                label="Weight (pounds)", max_value=660, decimal_places=1, **number
            )
            body = ["height_ft", "height_in", "weight_lb"]
        else:
            self.fields["height_cm"] = forms.DecimalField(
                label="Height (cm)", max_value=250, decimal_places=1, **number
            )
            self.fields["weight_kg"] = forms.DecimalField(
                label="Weight (kg)", max_value=300, decimal_places=1, **number
            )
            body = ["height_cm", "weight_kg"]
        # Half years count: 15.5 scores in the 15 to < 16 band (De Souza 2014).
        self.fields["triad_menarche_age"] = forms.DecimalField(
            label="Age at your first period",
            help_text="In years; a half year is fine, e.g. 15.5",
            max_value=30,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            **number,
        )
        self.fields["triad_menses_per_year"] = forms.IntegerField(
            label="Number of periods in the last 12 months", max_value=20, **number
        )
        self.fields["triad_stress_fractures"] = forms.IntegerField(
            label="Stress fractures you have had (number)", max_value=20, **number
        )
        names = [
            "triad_dietary_restriction",
            *body,
            "triad_menarche_age",
            "triad_menses_per_year",
            "triad_stress_fractures",
        ]
        self.sections.append(("Energy and bone health", names))

    def answers(self) -> dict:
        """Cleaned answers as the flat dict intake.redflags.screen() reads (JSON-safe)."""
        answers = {}
        cleaned = dict(self.cleaned_data)
        if "height_ft" in cleaned:  # US units in, SI stored
            height = units.feet_inches_to_cm(cleaned.pop("height_ft"), cleaned.pop("height_in"))
            cleaned["height_cm"] = height
            cleaned["weight_kg"] = units.pounds_to_kg(cleaned.pop("weight_lb"))
        for name, value in cleaned.items():
            if value in ("yes", "no"):
                answers[name] = value == "yes"
            elif isinstance(value, Decimal):
                answers[name] = float(value)
            elif value is not None:
                answers[name] = value
        height, weight = answers.get("height_cm"), answers.get("weight_kg")
        if height and weight:
            # Rounded only to drop float noise: 18.48 must stay below the 18.5 band edge.
            answers["triad_bmi"] = round(weight / (height / 100) ** 2, 3)
        return answers

    @staticmethod
    def initial_from(answers: dict) -> dict:
        initial = {
            k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in answers.items()
        }
        if units.imperial():
            feet_inches = units.cm_to_feet_inches(answers.get("height_cm"))
            if feet_inches:
                initial["height_ft"], initial["height_in"] = feet_inches
            initial["weight_lb"] = units.kg_to_pounds(answers.get("weight_kg"))
        return initial


class ConsentForm(forms.Form):
    privacy = forms.BooleanField(
        label="I have read the privacy notice and agree that the clinic keeps and uses my "
        "information as it describes."
    )
    treatment = forms.BooleanField(
        label="I agree to be assessed and treated by the clinic's physical therapists."
    )


class SendLinkForm(forms.Form):
    send_mail = forms.BooleanField(
        required=False,
        initial=True,
        label="E-mail the link to the patient",
        help_text="Untick to copy the link yourself (for a text message or a phone call).",
    )


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    intro: str


STEPS = (
    Step("profile", "Your running", "Tell us how you usually train. Rough numbers are fine."),
    Step("complaint", "What's bothering you", "Where it hurts, since when, and what it stops."),
    Step("history", "Past injuries", "Running injuries you have had before, if any."),
    Step(
        "screen",
        "Health questions",
        "A few questions every runner answers. Be as exact as "
        "you can; your physical therapist will go through them with you.",
    ),
    Step("consent", "Consent and send", "Read and agree, then send your answers to the clinic."),
)
