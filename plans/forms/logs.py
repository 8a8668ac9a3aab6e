"""Forms of the patient's logs (through the plan link) and of the clinician's run decision."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from plans import return_to_run
from plans.models import ExerciseStatus, RunLog
from plans.run_files import RunFileError
from plans.services import run_uploads

PAIN_HELP = "0 = no pain, 10 = the worst pain you can imagine."
PAIN_ERRORS = {
    "min_value": "Pain is a number from 0 to 10.",
    "max_value": "Pain is a number from 0 to 10.",
    "invalid": "Pain is a number from 0 to 10.",
}
EFFORT_ERRORS = dict.fromkeys(PAIN_ERRORS, "Effort is a number from 0 to 10.")
YES_NO = [("yes", "Yes"), ("no", "No")]
WATCH_FILE_HELP = "From your watch or its app: a .fit, .gpx or .tcx file of this run, up to 1 MB."


def _scale(label: str, *, required: bool = True, errors=None, help_text=PAIN_HELP):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        required=required,
        help_text=help_text,
        error_messages=errors or PAIN_ERRORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "inputmode": "numeric"}),
    )


def _yes_no(label: str, *, required: bool = True):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class DailyLogForm(forms.Form):
    """A day's log for the version the patient was shown; no future day, no older version."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, version, today: datetime.date, **kwargs):
        self.plan_version, self.today = version, today
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["max"] = today.isoformat()

    def clean_version(self):
        number = self.cleaned_data["version"]
        if number != self.plan_version.number:
            raise forms.ValidationError(
                "Your clinician has updated your plan since you opened this page. This is the "
                "new version: please check your entries and send them again."
            )
        return number

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError("That day has not come yet: you can log today or before.")
        issued = timezone.localdate(self.plan_version.issued_at)
        if day < issued:
            raise forms.ValidationError(
                f"Your current plan started on {date_format(issued, 'F j')}: "
                "you can log from that day on."
            )
        return day


class ExerciseLogForm(DailyLogForm):
    pain_during = _scale("Pain during the exercises (0–10)")
    pain_next_morning = _scale(
        "Pain the next morning (0–10)",
        required=False,
        help_text="Fill this in the morning after; leave it empty until then.",
    )
    effort = _scale(
        "Effort (RPE 0–10)",
        errors=EFFORT_ERRORS,
        help_text="0 = rest, 10 = the hardest effort you can make.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = self.plan_version.snapshot["items"]
        for item in self.items:
            self.fields[f"ex_{item['key']}"] = forms.ChoiceField(
                label=item["name"],
                choices=ExerciseStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Tick done, partly or not done."},
            )
        self.order_fields(["version", "day", *(f"ex_{i['key']}" for i in self.items)])

    def exercise_fields(self):
        return [self[f"ex_{item['key']}"] for item in self.items]

    def log_data(self) -> dict:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "exercises": {item["key"]: data[f"ex_{item['key']}"] for item in self.items},
            "pain_during": data["pain_during"],
            "pain_next_morning": data["pain_next_morning"],
            "effort": data["effort"],
        }

    @staticmethod
    def initial_from(log) -> dict:
        return {
            "day": log.day,
            "pain_during": log.pain_during,
            "pain_next_morning": log.pain_next_morning,
            "effort": log.effort,
            **{f"ex_{key}": status for key, status in log.exercises.items()},
        }


def _watch_file(*, required: bool):
    return forms.FileField(
        label="File from your watch (optional)" if not required else "File from the watch",
        required=required,
        help_text=WATCH_FILE_HELP,
        error_messages={"required": "Choose the run's file.", "empty": "This file is empty."},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".fit,.gpx,.tcx", "class": "form-control"}
        ),
    )


class WatchFileMixin:
    """Reads the uploaded watch file in ``clean_watch_file``: ``self.watch`` holds the result."""

    watch = None

    def clean_watch_file(self):
        upload = self.cleaned_data.get("watch_file")
        if upload:
            try:
                self.watch = run_uploads.run_upload_read(upload)
            except RunFileError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def check_watch_day(self, day) -> None:
        if self.watch is not None and day is not None:
            message = run_uploads.run_day_error(self.watch.summary, day)
            if message:
                self.add_error("watch_file", message)


class RunLogForm(WatchFileMixin, DailyLogForm):
    as_prescribed = _yes_no("Did you do the run as prescribed, to the end?")
    pain_during = _scale("Worst pain during the run (0–10)")
    bone_pain = _yes_no("Did you feel pain in a bone?")
    pain_next_morning = _scale(
        "Pain the next morning (0–10)",
        required=False,
        help_text="Fill this in the morning after the run; leave it empty until then.",
    )
    next_morning_worse = _yes_no(
        "The next morning, is the pain or stiffness worse than before the run?", required=False
    )
    watch_file = _watch_file(required=False)

    def clean(self):
        data = super().clean()
        self.check_watch_day(data.get("day"))
        morning = (data.get("pain_next_morning"), data.get("next_morning_worse"))
        if morning == (None, None):
            return data
        if None in morning:
            self.add_error(
                "next_morning_worse" if morning[1] is None else "pain_next_morning",
                "Please answer both next-morning questions.",
            )
        if data.get("day") is not None and data["day"] >= self.today:
            self.add_error(
                "pain_next_morning",
                "The next-morning answers can be given from the morning after the run.",
            )
        return data

    def log_data(self) -> dict:
        names = ("day", "as_prescribed", "pain_during", "bone_pain", "pain_next_morning")
        return {
            **{name: self.cleaned_data[name] for name in names},
            "next_morning_worse": self.cleaned_data["next_morning_worse"],
        }

    @staticmethod
    def initial_from(run) -> dict:
        def yes_no(value):
            return None if value is None else ("yes" if value else "no")

        return {
            "day": run.day,
            "as_prescribed": yes_no(run.as_prescribed),
            "pain_during": run.pain_during,
            "bone_pain": yes_no(run.bone_pain),
            "pain_next_morning": run.pain_next_morning,
            "next_morning_worse": yes_no(run.next_morning_worse),
        }


class RunFileForm(WatchFileMixin, forms.Form):
    """The clinician attaches a watch file to one of this plan's logged runs."""

    run = forms.ModelChoiceField(
        queryset=RunLog.objects.none(),
        label="Run",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this plan's logged runs."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    watch_file = _watch_file(required=True)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = RunLog.objects.filter(plan=plan).order_by("-day")
        self.fields["run"].label_from_instance = lambda run: date_format(run.day, "D, M j")

    def clean(self):
        data = super().clean()
        run = data.get("run")
        self.check_watch_day(run.day if run else None)
        return data


class RunDecisionForm(forms.Form):
    """The clinician confirms the rule's proposal, or overrides it with a stage and a note."""

    decision = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("override", "Override")], widget=forms.HiddenInput
    )
    stage = forms.IntegerField(
        label="Stage instead",
        required=False,
        min_value=1,
        max_value=len(return_to_run.WALK_RUN_STAGES),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("choice") == "override":
            if data.get("stage") is None:
                self.add_error("stage", "Choose the stage the patient should run instead.")
            if not (data.get("note") or "").strip():
                self.add_error("note", "Say in a note why you override the rule.")
        return data
