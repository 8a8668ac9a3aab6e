"""Between visits: the patient's logs through the plan link, reminders, the run decision."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from clinic import ratelimit, units
from clinic.access import patient_link, signed_link, staff
from clinic.actors import Actor
from clinic.audit import audit, client_ip
from clinic.links.pages import link_unavailable
from clinic.models import AuditAction
from clinic.responses import private_file_response
from plans import return_to_run
from plans.access import PLAN_CHANGE, PLAN_VIEW
from plans.forms.logs import ExerciseLogForm, RunDecisionForm, RunFileForm, RunLogForm
from plans.forms.patient import PLAN_CHECK_PAGE
from plans.models import ExerciseLog, PatientPlanLink, Plan, RunFile, RunLog
from plans.services import logs, reminders, run_uploads

LOG_POSTS_PER_HOUR = 60  # per link and address: a phone, a family, never a script
SAVED = {
    "created": "Saved your log for {day}. Thank you!",
    "updated": "Updated your log for {day}: it now shows what you just sent.",
    "unchanged": "Your log for {day} was already saved with these answers; nothing changed.",
}


class Opened:
    """The plan link after its checks: the link, the current version, and whether this
    request carries a log (not the date-of-birth form that just opened the page)."""

    def __init__(self, link, version, posted: bool):
        self.link, self.version, self.posted = link, version, posted


def _open(request, link):
    """(Opened, None) or (None, the page to show instead): the current version, the limit."""
    version = link.plan.current_version()
    if version is None:
        return None, link_unavailable(request, "revoked")
    posted = request.method == "POST" and not link.birth_date_just_checked
    if posted and not ratelimit.allow(
        "plan-log",
        f"{link.pk}-{client_ip(request) or '-'}",
        limit=LOG_POSTS_PER_HOUR,
        window_seconds=3600,
    ):
        return None, render(request, "plans/patient_slow_down.html", status=429)
    return Opened(link, version, posted), None


def _day_asked(request, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today
    return min(day, today)


def _saved(request, saved) -> None:
    messages.success(request, SAVED[saved.outcome].format(day=date_format(saved.log.day, "l, F j")))


def _watch_read(request, run_file: RunFile) -> None:
    figures = [run_file.duration_text]
    if run_file.distance_km is not None:
        figures.append(units.format_distance(run_file.distance_km))
    if run_file.running_cadence_spm is not None:
        figures.append(f"{run_file.running_cadence_spm:.0f} steps/min while running")
    elif run_file.cadence_spm is not None:
        figures.append(f"{run_file.cadence_spm:.0f} steps/min")
    messages.success(request, f"Read the watch file: {', '.join(figures)}.")


def _viewed(request, opened, detail: str) -> None:
    audit(
        request,
        AuditAction.VIEWED,
        obj=opened.version,
        patient=opened.link.plan.patient,
        actor_label=opened.link.ACTOR_LABEL,
        detail=detail,
    )


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_exercise_log(request, link, token: str):
    """Today's exercises ticked, pain and effort rated; past days with missed days marked."""
    opened, page = _open(request, link)
    if page is not None:
        return page
    plan, version, today = opened.link.plan, opened.version, timezone.localdate()
    if opened.posted:
        form = ExerciseLogForm(request.POST, version=version, today=today)
        if form.is_valid():
            saved = logs.exercise_log_save(
                link=opened.link,
                version=version,
                data=form.log_data(),
                actor=Actor.from_request(request, label=opened.link.ACTOR_LABEL),
            )
            _saved(request, saved)
            return redirect("plans:patient_exercise_log", token)
    else:
        day = _day_asked(request, today)
        log = ExerciseLog.objects.filter(version=version, day=day).first()
        initial = ExerciseLogForm.initial_from(log) if log else {"day": day}
        form = ExerciseLogForm(initial=initial, version=version, today=today)
    _viewed(request, opened, "exercise log")
    history = [
        (entry, logs.exercise_counts(entry.log) if entry.log else None)
        for entry in logs.exercise_history(plan, version, today)
    ]
    return render(
        request,
        "plans/patient_exercise_log.html",
        {
            "token": token,
            "form": form,
            "version": version,
            "history": history,
            "today": today,
            "runs": bool(version.snapshot.get("return_to_run")),
            "reminders_on": reminders.reminders_active(plan),
            "reminder_days": reminders.reminder_after_days(),
        },
        status=200,
    )


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_run_log(request, link, token: str):
    """Each run of the current stage, its next morning, and what the rule says next."""
    opened, page = _open(request, link)
    if page is not None:
        return page
    plan, version, today = opened.link.plan, opened.version, timezone.localdate()
    program = version.snapshot.get("return_to_run")
    form = None
    if program and opened.posted:
        form = RunLogForm(request.POST, request.FILES, version=version, today=today)
        if form.is_valid():
            saved, _ = logs.run_log_save(
                link=opened.link,
                version=version,
                data=form.log_data(),
                actor=Actor.from_request(request, label=opened.link.ACTOR_LABEL),
                watch=form.watch,
            )
            if form.watch is None or saved.outcome != "unchanged":
                _saved(request, saved)
            if form.watch is not None:
                _watch_read(request, saved.log.watch_file)
            return redirect("plans:patient_run_log", token)
    elif program:
        day = _day_asked(request, today)
        run = RunLog.objects.filter(plan=plan, day=day).first()
        initial = RunLogForm.initial_from(run) if run else {"day": day}
        form = RunLogForm(initial=initial, version=version, today=today)
    _viewed(request, opened, "run log")
    context = {"token": token, "form": form, "version": version, "program": program}
    if program:
        runs = logs.run_history(plan)
        context.update(
            stage=return_to_run.WALK_RUN_STAGES[plan.run_stage - 1],
            decision=logs.pending_decision(plan),
            runs=runs,
            waiting=[run for run in runs if not run.morning_known and run.day < today],
            pain_guide=return_to_run.pain_guide(logs.plan_bone_stress(plan)),
            decided=logs.last_decided(plan),
        )
    return render(request, "plans/patient_run_log.html", context)


@never_cache
@patient_link(PatientPlanLink, birth_date=PLAN_CHECK_PAGE)
def patient_log_reminders(request, link, token: str):
    """The patient turns reminder mails on or off (a POST; a GET goes to the log page)."""
    opened, page = _open(request, link)
    if page is not None:
        return page
    if opened.posted:
        active = request.POST.get("reminders") == "on"
        plan = opened.link.plan
        if active and not plan.patient.email:
            messages.error(request, "The clinic has no e-mail address for you: please call us.")
        else:
            reminders.reminder_opt_in_set(
                plan=plan,
                active=active,
                actor=Actor.from_request(request, label=opened.link.ACTOR_LABEL),
            )
            messages.success(request, "Reminders are on." if active else "Reminders are off.")
    return redirect("plans:patient_exercise_log", token)


@never_cache
@signed_link
def reminder_stop(request, signed: str):
    """The stop link of a reminder mail: no login, a signed plan id, a button to confirm."""
    plan = reminders.plan_for_stop_token(signed)
    if plan is None:
        return render(request, "plans/reminder_stop.html", {"invalid": True}, status=400)
    stopped = request.method == "POST"
    if stopped:
        reminders.reminder_opt_in_set(
            plan=plan,
            active=False,
            actor=Actor.from_request(request, label="patient (reminder stop link)"),
        )
    return render(request, "plans/reminder_stop.html", {"stopped": stopped})


@staff(*PLAN_CHANGE)
@require_POST
def run_decision(request, pk: int):
    """The clinician confirms or overrides the rule's proposal; only this moves the stage."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("patient"), pk=pk)
    form = RunDecisionForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) + " Nothing was changed.")
        return redirect(plan)
    data = form.cleaned_data
    try:
        decision = logs.run_decision_resolve(
            plan=plan,
            decision_id=data["decision"],
            confirm=data["choice"] == "confirm",
            stage=data["stage"],
            note=data["note"],
            actor=Actor.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(
        request, f"{decision.get_status_display()}: the patient runs stage {decision.final_stage}."
    )
    return redirect(plan)


@staff(*PLAN_CHANGE)
@require_POST
def run_file_upload(request, pk: int):
    """The clinician attaches a watch file to one of the plan's logged runs."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("patient"), pk=pk)
    form = RunFileForm(request.POST, request.FILES, plan=plan)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) + " Nothing was saved.")
        return redirect(plan)
    run_file = run_uploads.run_file_attach(
        run=form.cleaned_data["run"], read=form.watch, actor=Actor.from_request(request)
    )
    _watch_read(request, run_file)
    return redirect(plan)


@staff(*PLAN_VIEW)
@require_GET
def run_file_download(request, pk: int):
    """The original watch file, under a name the server chooses; audited."""
    run_file = get_object_or_404(
        RunFile.objects.visible_to(request.user).select_related("run__patient"),
        pk=pk,
    )
    try:
        handle = run_file.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    audit(request, AuditAction.DOWNLOADED, obj=run_file, patient=run_file.run.patient)
    filename = f"run-{run_file.run.day.isoformat()}.{run_file.source}"
    return private_file_response(handle, filename, "application/octet-stream")
