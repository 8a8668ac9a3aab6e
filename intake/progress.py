"""What an evaluation found, and how a patient changed over time (for pages and PDFs)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import mark_safe

from intake import measurements, scoring
from intake.models import Evaluation, OutcomeResponse, Patient
from intake.models.questionnaires import Side


@dataclass
class GridRow:
    defn: measurements.MeasureDef
    left: str
    right: str
    lsi: Decimal | None  # unrounded, as compared with the threshold
    flagged: bool

    @property
    def lsi_shown(self) -> Decimal | None:
        return measurements.lsi_shown(self.lsi)


def _sides(evaluation: Evaluation) -> tuple[str, str] | None:
    """(involved, uninvolved) attribute names, or None when no single side is involved."""
    if evaluation.involved_side == Side.LEFT:
        return "left", "right"
    if evaluation.involved_side == Side.RIGHT:
        return "right", "left"
    return None


def grid_rows(evaluation: Evaluation, stored=None) -> list[GridRow]:
    stored = stored if stored is not None else list(evaluation.measurements.all())
    by_key = {m.key: m for m in stored}
    sides = _sides(evaluation)
    rows = []
    for defn in measurements.MEASUREMENTS:
        m = by_key.get(defn.key)
        if m is None:
            continue
        lsi = None
        if sides:
            lsi = measurements.limb_symmetry_index(
                defn, getattr(m, sides[0]) or None, getattr(m, sides[1]) or None
            )
        flagged = measurements.lsi_flag(lsi) or measurements.y_balance_flag(
            defn.key, m.left, m.right
        )
        rows.append(GridRow(defn, m.left, m.right, lsi, flagged))
    return rows


def cadence_target(evaluation: Evaluation) -> tuple[int, int] | None:
    gait = getattr(evaluation, "gait", None)
    if gait is None or not gait.cadence:
        return None
    try:
        return measurements.cadence_target(gait.cadence)
    except ValueError:
        return None


def evaluation_findings(evaluation: Evaluation) -> dict:
    outcomes = list(evaluation.outcomes.all())
    return {
        "grid": grid_rows(evaluation),
        "special_tests": list(evaluation.special_tests.all()),
        "gait": getattr(evaluation, "gait", None),
        "cadence_target": cadence_target(evaluation),
        "outcomes": [(scoring.get_measure(o.measure), o) for o in outcomes],
        "diagnoses": list(evaluation.diagnoses.all()),
        "goals": list(evaluation.goals.all()),
        "goal_reviews": list(evaluation.goal_reviews.select_related("goal__evaluation")),
        "media": list(evaluation.media.all()),
    }


@dataclass
class MeasureProgress:
    measure: scoring.Measure
    points: list[tuple]  # (date, score)
    change: float | None
    meaningful: bool | None
    chart_svg: str


def patient_progress(patient: Patient, evaluations: list[Evaluation] | None = None) -> dict:
    """Outcome measures over time (charts) and LSI / cadence per evaluation (table).

    Three queries whatever the history: evaluations, outcomes, measurements; two when the
    caller passes the patient's evaluations (loaded with select_related("gait")).
    """
    if evaluations is None:
        evaluations = list(patient.evaluations.select_related("gait"))
    evaluations = sorted(evaluations, key=lambda e: (e.date, e.id))
    return {"measures": outcome_progress(patient), "table": _symmetry_table(evaluations)}


def outcome_progress(patient: Patient, until=None) -> list[MeasureProgress]:
    """Each outcome measure's scores over the patient's evaluations, with its change against
    the MCID: one query (two where a measure's MCID depends on the condition). ``until``: the
    signed evaluations up to that day only (a signed note's figures stay as they were)."""
    from intake import charts

    responses = OutcomeResponse.objects.filter(evaluation__patient=patient)
    if until is not None:
        responses = responses.filter(
            evaluation__signed_at__isnull=False, evaluation__date__lte=until
        )
    responses = responses.select_related("evaluation").order_by("evaluation__date", "evaluation_id")
    series: dict[str, list] = {}
    for response in responses:
        if response.score is not None:
            series.setdefault(response.measure, []).append(
                (response.evaluation.date, float(response.score))
            )
    condition = ""
    if any(scoring.get_measure(code).mcid_depends_on_condition for code in series):
        condition = patient_condition(patient)  # one query, only where the MCID depends on it
    return [_measure_progress(code, points, charts, condition) for code, points in series.items()]


def patient_condition(patient: Patient) -> str:
    """The condition of the patient's latest signed evaluation's primary diagnosis, or ""."""
    from intake.models import Diagnosis

    diagnosis = (
        Diagnosis.objects.filter(evaluation__patient=patient, evaluation__signed_at__isnull=False)
        .order_by("-evaluation__date", "-evaluation_id", "-primary", "id")
        .first()
    )
    return diagnosis.condition if diagnosis else ""


def _measure_progress(code: str, points, charts, condition: str = "") -> MeasureProgress:
    measure = scoring.get_measure(code)
    threshold = (
        measure.meaningful_change_for(condition)
        if measure.mcid_depends_on_condition
        else (measure.mcid)
    )
    is_faam = code.startswith("FAAM")
    top = 100 if is_faam else (measure.maximum or 10)
    chart = charts.line_chart(
        [charts.Point(date, value) for date, value in points],
        title=measure.name,
        y_label="%" if is_faam else "score",
        y_min=0,
        y_max=float(top),
        higher_is_better=measure.higher_is_better,
        mcid=float(threshold) if threshold is not None else None,
    )
    change = meaningful = None
    if len(points) >= 2:
        change = points[-1][1] - points[0][1]
        meaningful = scoring.change_is_meaningful(
            code, points[0][1], points[-1][1], condition=condition
        )
    # charts.line_chart XML-escapes every text it interpolates (intake/tests/test_charts.py).
    return MeasureProgress(measure, points, change, meaningful, mark_safe(chart))  # noqa: S308


def _symmetry_table(evaluations: list[Evaluation]) -> list[dict]:
    from intake.models import Measurement

    stored: dict[int, list] = {}
    for m in Measurement.objects.filter(evaluation__in=evaluations):
        stored.setdefault(m.evaluation_id, []).append(m)
    table = []
    for evaluation in evaluations:
        rows = [
            r for r in grid_rows(evaluation, stored.get(evaluation.pk, [])) if r.lsi is not None
        ]
        gait = getattr(evaluation, "gait", None)
        table.append(
            {
                "evaluation": evaluation,
                "lsi": {r.defn.key: r for r in rows},
                "cadence": gait.cadence if gait else None,
            }
        )
    return table


@dataclass(frozen=True)
class SymmetryChange:
    """A re-tested row's limb symmetry index: at the plan's evaluation and now."""

    defn: measurements.MeasureDef
    before: Decimal | None
    now: Decimal | None

    @property
    def before_shown(self) -> Decimal | None:
        return measurements.lsi_shown(self.before)

    @property
    def now_shown(self) -> Decimal | None:
        return measurements.lsi_shown(self.now)

    @property
    def now_flagged(self) -> bool:
        return measurements.lsi_flag(self.now)


def symmetry_changes(evaluation: Evaluation, retests: dict) -> list[SymmetryChange]:
    """For each row a note re-tested that has a symmetry index, the index at ``evaluation``
    (the plan's) and from the re-test (involved ÷ uninvolved, DOMAIN.md section 5). None of
    them when the evaluation names no single involved side."""
    sides = _sides(evaluation)
    if sides is None:
        return []
    index = {"left": 0, "right": 1}
    by_key = {m.key: m for m in evaluation.measurements.all()}
    changes = []
    for key, pair in retests.items():
        try:
            defn = measurements.get(key)
        except KeyError:  # a row retired from the grid
            continue
        if not defn.lsi:
            continue
        now = measurements.limb_symmetry_index(
            defn, pair[index[sides[0]]] or None, pair[index[sides[1]]] or None
        )
        stored = by_key.get(key)
        before = (
            measurements.limb_symmetry_index(
                defn, getattr(stored, sides[0]) or None, getattr(stored, sides[1]) or None
            )
            if stored is not None
            else None
        )
        if before is not None or now is not None:
            changes.append(SymmetryChange(defn, before, now))
    return changes


def note_progress(note, evaluation: Evaluation | None) -> dict:
    """A progress note's figures: outcome measures against their MCID, limb symmetry and
    cadence, at the plan's evaluation and now."""
    gait = getattr(evaluation, "gait", None) if evaluation is not None else None
    return {
        "measures": outcome_progress(note.patient, until=timezone.localdate(note.visit.start)),
        "symmetry": symmetry_changes(evaluation, note.retests) if evaluation else [],
        "cadence_before": gait.cadence if gait else None,
        "cadence_now": note.cadence,
        "cadence_target": cadence_target(evaluation) if evaluation else None,
    }
