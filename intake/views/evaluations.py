"""Clinician screens for evaluations: start, the one-page editor, read view, sign, addenda,
and the authorised stream of gait photos and videos."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import staff
from clinic.actors import Actor
from clinic.audit import audit
from clinic.models import AuditAction
from clinic.responses import private_file_response
from intake import diagnoses, measurements
from intake.forms.evaluations import (
    MEASURE_CODES,
    AddendumForm,
    DiagnosisFormSet,
    EvaluationForm,
    GaitForm,
    GaitMediaForm,
    GoalFormSet,
    GoalReviewForm,
    MeasurementGridForm,
    OutcomeForm,
    SpecialTestsForm,
    evaluation_data,
)
from intake.models import (
    Evaluation,
    GaitAnalysis,
    GaitMedia,
    Goal,
    Patient,
    RedFlagAlert,
    SignedRecordError,
)
from intake.progress import evaluation_findings
from intake.services import evaluations as services
from intake.services.outcome_requests import pending_answers

VIEW = ("intake.view_clinical", "intake.view_evaluation")
PLAN_PHASES = [
    ("protect", "Protect"),
    ("strengthen", "Strengthen"),
    ("return_to_run", "Return to run"),
    ("perform", "Perform"),
]
CHANGE = ("intake.view_clinical", "intake.change_evaluation")


def with_urgent_flags(evaluations):
    """Whether the patient has open red flags that cannot wait, in the evaluation's own query:
    the banner costs a query only when there is something to show."""
    flags = RedFlagAlert.objects.needing_action().filter(patient=OuterRef("patient"))
    return evaluations.annotate(has_urgent_flags=Exists(flags))


def urgent_alerts(evaluation) -> list:
    return evaluation.patient.alerts_needing_action() if evaluation.has_urgent_flags else []


def _complaint_regions(evaluation) -> list[str]:
    complaint = getattr(evaluation.intake, "complaint", None) if evaluation.intake else None
    return [complaint.region] if complaint else []


def evaluation_forms(evaluation: Evaluation, data=None, home_answers=None) -> dict:
    """Every form of the evaluation page, bound to ``data`` or filled from the stored rows
    (outcome measures from the patient's answers at home while none are stored)."""
    gait = getattr(evaluation, "gait", None)  # select_related by the editor
    outcomes = {o.measure: o.answers for o in evaluation.outcomes.all()} or home_answers or {}
    if data is not None:
        data = _with_unloaded_outcomes(data, outcomes)
    diagnoses = [
        {"code": d.code, "condition": d.condition, "primary": d.primary}
        for d in evaluation.diagnoses.all()
    ]
    goal_fields = ["term", "text", "target_date", "linked_to_race"]
    goals = [model_to_dict(g, fields=goal_fields) for g in evaluation.goals.all()]
    return {
        "main": EvaluationForm(data, instance=evaluation),
        "grid": MeasurementGridForm(
            data, rows={m.key: (m.left, m.right) for m in evaluation.measurements.all()}
        ),
        "special": SpecialTestsForm(
            data, results={(t.key, t.side): t.result for t in evaluation.special_tests.all()}
        ),
        "gait": GaitForm(data, instance=gait or GaitAnalysis(evaluation=evaluation), prefix="gait"),
        "outcomes": [
            OutcomeForm(data, measure=code, answers=outcomes.get(code)) for code in MEASURE_CODES
        ],
        "diagnoses": DiagnosisFormSet(data, initial=None if data else diagnoses, prefix="dx"),
        "goals": GoalFormSet(data, initial=None if data else goals, prefix="goals"),
        "goal_reviews": GoalReviewForm(
            data,
            goals=Goal.objects.filter(
                evaluation__patient_id=evaluation.patient_id,
                evaluation__signed_at__isnull=False,
                evaluation__date__lte=evaluation.date,
            )
            .exclude(evaluation=evaluation)
            .select_related("evaluation"),
            statuses={r.goal_id: r.status for r in evaluation.goal_reviews.all()},
        ),
    }


def _with_unloaded_outcomes(data, outcomes: dict):
    """The posted data plus the stored answers of every measure the page did not send.

    The editor draws a measure's fields only once it is opened (``outcome_measure_form``), so
    a measure nobody opened is absent from the POST; saving must keep it, not clear it.
    Measures with answers are always drawn, so this only matters if a page was tampered with
    or built by an older release. It works per measure: a measure with any item posted is
    taken as posted (the page always sends all of a drawn measure's items).
    """
    missing = [
        code
        for code in outcomes
        if code in MEASURE_CODES and not any(key.startswith(f"om-{code}-") for key in data)
    ]
    if not missing:
        return data
    data = data.copy()
    for code in missing:
        for item, value in (outcomes[code] or {}).items():
            data[f"om-{code}-{item}"] = "" if value is None else str(value)
    return data


def _all_valid(forms: dict) -> bool:
    results = [form.is_valid() for key, form in forms.items() if key != "outcomes"]
    results += [form.is_valid() for form in forms["outcomes"]]
    return all(results)


@staff(*CHANGE)
@require_POST
def evaluation_create(request, pk: int):
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    evaluation = services.evaluation_start(
        patient=patient, kind=request.POST.get("kind", ""), actor=Actor.from_request(request)
    )
    return redirect("intake:evaluation_edit", pk=evaluation.pk)


@staff(*CHANGE)
def evaluation_edit(request, pk: int):
    evaluation = get_object_or_404(
        with_urgent_flags(Evaluation.objects.visible_to(request.user)).select_related(
            "patient", "intake__complaint", "gait"
        ),
        pk=pk,
    )
    if evaluation.is_signed or evaluation.clinician_id != request.user.pk:
        messages.info(
            request,
            "This evaluation is signed: add an addendum instead."
            if evaluation.is_signed
            else "Only the evaluating clinician can edit this draft.",
        )
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    home = pending_answers(evaluation.patient)
    data = request.POST if request.method == "POST" else None
    forms = evaluation_forms(evaluation, data, home.answers if home else None)
    if request.method == "POST" and request.FILES.get("media-file"):
        # A file was chosen, then Save pressed: it goes up with the draft, not lost.
        return _save_with_media(request, evaluation, forms, home)
    if request.method == "POST" and _all_valid(forms):
        services.evaluation_save(
            evaluation=evaluation,
            data=evaluation_data(forms),
            actor=Actor.from_request(request),
            outcome_request=home,
        )
        messages.success(request, "Evaluation saved.")
        if request.POST.get("then") == "review":
            return redirect("intake:evaluation_detail", pk=evaluation.pk)
        return redirect("intake:evaluation_edit", pk=evaluation.pk)
    if request.method == "GET":
        audit(request, AuditAction.VIEWED, obj=evaluation, detail="editor")
    return _editor_page(request, evaluation, forms, home)


def _editor_page(request, evaluation, forms: dict, home, media_form=None):
    """The editor; after a refused POST its forms are bound: errors shown, every entry kept."""
    return render(
        request,
        "intake/evaluation_edit.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "forms": forms,
            "special_rows": forms["special"].table(_complaint_regions(evaluation)),
            "media_form": media_form or GaitMediaForm(prefix="media"),
            "media": evaluation.media.all(),
            "curated": measurements_curated(),
            "has_errors": request.method == "POST",
            "home_answers": home,
            "urgent_alerts": urgent_alerts(evaluation),
        },
        status=200,
    )


@staff(*CHANGE)
def outcome_measure_form(request, code: str):
    """The empty item fields of one outcome measure, fetched when the clinician opens it.

    Blank questionnaire fields carry no patient data: nothing is read, so nothing is audited.
    """
    if code not in MEASURE_CODES:
        raise Http404
    return render(request, "intake/_outcome_fields.html", {"of": OutcomeForm(measure=code)})


def measurements_curated():
    """Each curated code once (M76.6- and M76.89- stand for two conditions)."""
    return list({code.code: code for c in diagnoses.CURATED for code in c.codes}.values())


@staff(*VIEW)
def diagnosis_search(request):
    """ICD-10-CM codes for a typed word or code prefix (htmx fills the datalist).

    The query is a clinical search term, never patient data.
    """
    query = request.GET.get("q", "")[:60]
    codes = diagnoses.search(query, limit=25) if len(query.strip()) >= 2 else []
    return render(request, "intake/_diagnosis_options.html", {"codes": codes})


@staff(*VIEW)
def evaluation_detail(request, pk: int):
    evaluation = get_object_or_404(
        with_urgent_flags(Evaluation.objects.visible_to(request.user)).select_related(
            "patient", "clinician", "signed_by", "gait", "intake__complaint"
        ),
        pk=pk,
    )
    audit(request, AuditAction.VIEWED, obj=evaluation)
    findings = evaluation_findings(evaluation)
    wrong_side = diagnoses.side_mismatches(evaluation.involved_side, findings["diagnoses"])
    return render(
        request,
        "intake/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "patient": evaluation.patient,
            "findings": findings,
            "addenda": evaluation.addenda.select_related("author"),
            "addendum_form": AddendumForm(),
            "special_labels": dict(measurements.ALL_SPECIAL_TESTS),
            # Plans are shown by name only; intake never imports plans (STYLE.md).
            "plans": evaluation.plans.order_by("-created_at"),
            "plan_phases": PLAN_PHASES,
            "urgent_alerts": urgent_alerts(evaluation),
            "wrong_side": [] if evaluation.is_signed else wrong_side,
        },
    )


@staff(*CHANGE)
@require_POST
def evaluation_sign(request, pk: int):
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user), pk=pk)
    try:
        if request.POST.get("confirm") != "yes":  # the button inside "Sign…", not a stray POST
            raise ValidationError("Open “Sign…” and confirm to sign the evaluation.")
        services.evaluation_sign(
            evaluation=evaluation,
            red_flags_acknowledged=request.POST.get("red_flags_acknowledged") == "yes",
            sides_checked=request.POST.get("sides_checked") == "yes",
            actor=Actor.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Evaluation signed. It can no longer be changed.")
    return redirect("intake:evaluation_detail", pk=evaluation.pk)


@staff("intake.view_clinical", "intake.add_addendum")
@require_POST
def addendum_create(request, pk: int):
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user), pk=pk)
    form = AddendumForm(request.POST)
    if not evaluation.is_signed:
        messages.info(request, "Edit the draft directly; addenda are for signed evaluations.")
    elif form.is_valid():
        services.addendum_add(
            evaluation=evaluation, text=form.cleaned_data["text"], actor=Actor.from_request(request)
        )
        messages.success(request, "Addendum added.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("intake:evaluation_detail", pk=evaluation.pk)


MEDIA_REFUSED_SIGNED = "This evaluation is signed; media can no longer be added."


@staff(*CHANGE)
@require_http_methods(["GET", "POST"])
def gait_media_upload(request, pk: int):
    """The editor's "Save and upload": the draft as typed is saved with the photo or video."""
    evaluation = get_object_or_404(
        with_urgent_flags(Evaluation.objects.visible_to(request.user)).select_related(
            "patient", "intake__complaint", "gait"
        ),
        pk=pk,
    )
    if request.method == "GET":  # a login's next, or a reload of a refused upload
        return redirect(reverse("intake:evaluation_edit", args=[evaluation.pk]) + "#sec-gait")
    if evaluation.clinician_id != request.user.pk:
        messages.error(request, "Only the evaluating clinician can add media to this draft.")
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    if evaluation.is_signed:
        messages.error(request, MEDIA_REFUSED_SIGNED)
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    home = pending_answers(evaluation.patient)
    forms = evaluation_forms(evaluation, request.POST, home.answers if home else None)
    return _save_with_media(request, evaluation, forms, home)


def _save_with_media(request, evaluation, forms: dict, home):
    media_form = GaitMediaForm(request.POST, request.FILES, prefix="media")
    valid = [_all_valid(forms), media_form.is_valid()]  # both checked: both show their errors
    if not all(valid):
        return _editor_page(request, evaluation, forms, home, media_form)
    try:
        services.evaluation_save_with_media(
            evaluation=evaluation,
            data=evaluation_data(forms),
            upload=media_form.cleaned_data["file"],
            content_type=media_form.content_type,
            caption=media_form.cleaned_data["caption"],
            actor=Actor.from_request(request),
            outcome_request=home,
        )
    except SignedRecordError:  # signed in another tab meanwhile
        messages.error(request, MEDIA_REFUSED_SIGNED)
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    messages.success(request, "Saved the evaluation and uploaded the file.")
    if request.POST.get("then") == "review":
        return redirect("intake:evaluation_detail", pk=evaluation.pk)
    return redirect(reverse("intake:evaluation_edit", args=[evaluation.pk]) + "#sec-gait")


@staff(*VIEW)
def gait_media_file(request, pk: int):
    """Stream a gait photo or video to authorised staff only; never from a public URL."""
    media = get_object_or_404(
        GaitMedia.objects.visible_to(request.user).select_related("evaluation__patient"),
        pk=pk,
    )
    try:
        handle = media.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    audit(request, AuditAction.DOWNLOADED, obj=media, patient=media.evaluation.patient)
    filename = media.file.name.rsplit("/", 1)[-1]
    return private_file_response(handle, filename, media.content_type, inline=True)
