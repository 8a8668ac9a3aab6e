"""Where a plan of care stands: visits done, booked, planned and authorized, and what is due.

Pure: plain dates and counts in, a PlanStatus out, so every rule is tested without a database
(intake.care_plans loads the facts). The rules, with their sources:

- A progress report at least once every 10 treatment days; the first reporting period begins on
  the first day of the episode, whatever was done that day (evaluation, re-evaluation or
  treatment). Medicare Benefit Policy Manual ch. 15 §220.3.D (DOMAIN.md section 11). A
  re-evaluation holds the progress report's elements (Gawenda, "Progress Reports, Reevaluations
  and Recertifications All in One Note", 2016), so it ends a reporting period too.
- A plan of care is certified for its duration or 90 calendar days, whichever is shorter
  (MBPM ch. 15 §220.1.3; DOMAIN.md section 11).

How early the warnings come (WARN_DAYS, WARN_VISITS_LEFT) is a project default, not a clinical
figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

PROGRESS_REPORT_EVERY = 10  # treatment days, MBPM ch. 15 §220.3.D
CERTIFICATION_DAYS_MAX = 90  # calendar days, MBPM ch. 15 §220.1.3

WARN_DAYS = 7  # project default: warn a week before an end date
WARN_VISITS_LEFT = 2  # project default: warn when this many authorized visits are left


@dataclass(frozen=True)
class Plan:
    """The plan of care of the latest signed evaluation that set one."""

    starts_on: datetime.date  # the evaluation's date: treatment day 1
    visits_per_week: int | None
    weeks: int | None
    certified_until: datetime.date | None = None
    # Set by a re-evaluation, which is itself a report: it closes a reporting period, so the
    # next treatment day is day 1 of the new one (an initial evaluation is day 1 itself).
    opens_with_report: bool = False

    @property
    def ends_on(self) -> datetime.date | None:
        if not self.weeks:
            return None
        return self.starts_on + datetime.timedelta(weeks=self.weeks)

    @property
    def planned(self) -> int | None:
        if not (self.weeks and self.visits_per_week):
            return None
        return self.weeks * self.visits_per_week


@dataclass(frozen=True)
class Authorization:
    visits: int
    starts_on: datetime.date
    ends_on: datetime.date

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class VisitFact:
    id: int
    day: datetime.date
    done: bool  # attended (checked in)
    booked: bool  # still to come
    report: bool = False  # a signed progress note was written at it
    signed: bool = False  # its note is signed: no progress note can be written there now
    unmarked: bool = False  # over, still booked, no note: neither checked in nor a no-show


@dataclass(frozen=True)
class Warning:
    key: str  # progress_note, unmarked, authorization, certification, plan_end, coverage
    text: str
    visit_id: int | None = None  # the visit it concerns (the one a progress note is due at)


@dataclass
class PlanStatus:
    plan: Plan
    done: int
    booked: int
    authorized: int | None
    authorization_ends_on: datetime.date | None
    treatment_day: int  # treatment days in the current reporting period so far
    progress_note_visit: int | None  # the visit to write the progress report at
    progress_note_day: datetime.date | None  # the day it falls (or fell) due
    discharged_on: datetime.date | None = None
    progress_note_at: datetime.date | None = None  # the day of progress_note_visit
    unmarked: int = 0  # visits over but never checked in or marked a no-show
    warnings: list[Warning] = field(default_factory=list)

    @property
    def to_book(self) -> int:
        """Visits the plan still needs that are not booked (0 when covered or open-ended)."""
        if self.plan.planned is None:
            return 0
        return max(0, self.plan.planned - self.done - self.booked)


def certification_problem(day: datetime.date, until: datetime.date) -> str | None:
    """What is wrong with certifying a plan of care begun on ``day`` until ``until``."""
    if until < day:
        return "The certification starts with the evaluation."
    if until - day > datetime.timedelta(days=CERTIFICATION_DAYS_MAX):
        return (
            f"A plan of care is certified for {CERTIFICATION_DAYS_MAX} days at the most: "
            "re-certify after that."
        )
    return None


def _day(value: datetime.date) -> str:
    return f"{value:%a %b} {value.day}"


def progress_note_due(
    plan: Plan, visits: list[VisitFact], report_days: list[datetime.date], today: datetime.date
) -> tuple[int, VisitFact | None, datetime.date | None]:
    """(treatment days in the current reporting period so far, the visit to write the progress
    report at, the day it falls due: treatment day PROGRESS_REPORT_EVERY of the period).

    The plan's first day is treatment day 1 (the evaluation), unless a re-evaluation opened
    it. Each later report (a progress note or re-evaluation) closes its period; the next
    period begins with the next treatment day. Several visits on one day count as one
    treatment day. Once the due day is reached, the report is written at the first visit
    from that day on whose note is not signed yet (None when there is none: book one);
    (count, None, None) when no booked visit reaches the due day yet."""
    last_report = max((d for d in report_days if d > plan.starts_on), default=None)
    boundary = last_report or plan.starts_on
    ordered = sorted(visits, key=lambda v: (v.day, v.id))
    opens = last_report is None and not plan.opens_with_report
    period = [plan.starts_on] if opens else []  # treatment days, in order
    first_visit_of_day: dict[datetime.date, VisitFact] = {}
    for visit in ordered:
        if visit.done and visit.day > boundary and visit.day not in first_visit_of_day:
            first_visit_of_day[visit.day] = visit
            period.append(visit.day)
    count = len(period)
    if count >= PROGRESS_REPORT_EVERY:
        due = period[PROGRESS_REPORT_EVERY - 1]
        # The first visit from the due day on whose note can still become the report.
        at = next(
            (v for v in ordered if v.day >= due and not v.signed and (v.booked or v.done)),
            None,
        )
        return count, at, due
    projected = count
    for visit in ordered:
        if not visit.booked or visit.day <= boundary or visit.day in first_visit_of_day:
            continue
        first_visit_of_day[visit.day] = visit
        projected += 1
        if projected >= PROGRESS_REPORT_EVERY:
            return count, visit, visit.day
    return count, None, None


def plan_status(
    *,
    plan: Plan,
    visits: list[VisitFact],
    today: datetime.date,
    authorization: Authorization | None = None,
    report_days: list[datetime.date] = (),
    discharged_on: datetime.date | None = None,
) -> PlanStatus:
    """Counts and warnings for one plan of care. ``visits`` are the patient's visits from
    the plan's first day on, or from the authorization's when it began earlier (attended,
    still booked or unmarked); ``report_days`` the days of signed progress notes and
    re-evaluations."""
    in_plan = [v for v in visits if v.day >= plan.starts_on]
    done = sum(1 for v in in_plan if v.done)
    booked = sum(1 for v in in_plan if v.booked)
    reports = [*report_days, *(v.day for v in in_plan if v.report)]
    treatment_day, due_at, due_day = progress_note_due(plan, in_plan, reports, today)
    status = PlanStatus(
        plan=plan,
        done=done,
        booked=booked,
        authorized=authorization.visits if authorization else None,
        authorization_ends_on=authorization.ends_on if authorization else None,
        treatment_day=treatment_day,
        progress_note_visit=due_at.id if due_at else None,
        progress_note_day=due_day,
        progress_note_at=due_at.day if due_at else None,
        discharged_on=discharged_on,
        unmarked=sum(1 for v in in_plan if v.unmarked),
    )
    if discharged_on is not None:
        return status  # a discharged plan warns of nothing
    status.warnings = [
        *_progress_warnings(status, today),
        *_unmarked_warnings(status),
        *_authorization_warnings(authorization, visits, today),
        *_date_warnings(plan, today),
        *_coverage_warnings(status, today),
    ]
    return status


def _progress_warnings(status: PlanStatus, today: datetime.date) -> list[Warning]:
    day = status.progress_note_day
    if day is None or (day - today).days > WARN_DAYS:
        return []  # the chart still names the visit; the warning comes when it nears
    nth = f"treatment day {PROGRESS_REPORT_EVERY} since the last report"
    if day < today:
        text = (
            f"Progress note overdue: it was due at the visit on {_day(day)} ({nth}); "
            f"{status.treatment_day} treatment days without one."
        )
        at = status.progress_note_at
        if at is None:
            text += " No visit is booked to write it at."
        elif at == today:
            text += " Write it at today's visit."
        elif at > today:
            text += f" Write it at the visit on {_day(at)}."
        else:
            text += f" The note of {_day(at)} is not signed yet: make it the progress note."
    elif day == today:
        text = f"Progress note due at today's visit ({nth})."
    else:
        text = f"Progress note due at the visit on {_day(day)} ({nth})."
    return [Warning("progress_note", text, status.progress_note_visit)]


def _unmarked_warnings(status: PlanStatus) -> list[Warning]:
    n = status.unmarked
    if not n:
        return []
    return [
        Warning(
            "unmarked",
            f"{n} past visit{'s are' if n != 1 else ' is'} still booked: mark "
            f"{'each' if n != 1 else 'it'} arrived or no-show so the plan counts "
            f"{'them' if n != 1 else 'it'}.",
        )
    ]


def _authorization_warnings(auth: Authorization | None, visits, today) -> list[Warning]:
    if auth is None:
        return []
    warnings = []
    counted = [v for v in visits if auth.covers(v.day)]
    used = sum(1 for v in counted if v.done)
    booked_inside = sum(1 for v in counted if v.booked)
    beyond_count = used + booked_inside - auth.visits
    after_end = sum(1 for v in visits if v.booked and v.day > auth.ends_on)
    if beyond_count > 0:
        warnings.append(
            Warning(
                "authorization",
                f"{beyond_count} booked visit{'s go' if beyond_count != 1 else ' goes'} beyond the "
                f"{auth.visits} authorized: ask the payer for more visits.",
            )
        )
    elif auth.visits - used <= WARN_VISITS_LEFT:
        left = auth.visits - used
        warnings.append(
            Warning(
                "authorization",
                f"Only {left} authorized visit{'s' if left != 1 else ''} left.",
            )
        )
    if after_end:
        warnings.append(
            Warning(
                "authorization",
                f"{after_end} booked visit{'s fall' if after_end != 1 else ' falls'} after the "
                f"authorization ends on {_day(auth.ends_on)}.",
            )
        )
    elif auth.ends_on < today:
        warnings.append(
            Warning("authorization", f"The authorization ended on {_day(auth.ends_on)}.")
        )
    elif (auth.ends_on - today).days <= WARN_DAYS:
        warnings.append(
            Warning("authorization", f"The authorization ends on {_day(auth.ends_on)}.")
        )
    return warnings


def _date_warnings(plan: Plan, today: datetime.date) -> list[Warning]:
    warnings = []
    cert = plan.certified_until
    if cert is not None:
        if cert < today:
            warnings.append(
                Warning("certification", f"Certification ended on {_day(cert)}: re-certify.")
            )
        elif (cert - today).days <= WARN_DAYS:
            warnings.append(Warning("certification", f"Re-certification due by {_day(cert)}."))
    end = plan.ends_on
    if end is not None:
        if end < today:
            warnings.append(
                Warning(
                    "plan_end",
                    f"The plan of care ended on {_day(end)}: re-evaluate or discharge.",
                )
            )
        elif (end - today).days <= WARN_DAYS:
            warnings.append(
                Warning(
                    "plan_end", f"The plan of care ends on {_day(end)}: a re-evaluation is due."
                )
            )
    return warnings


def _coverage_warnings(status: PlanStatus, today: datetime.date) -> list[Warning]:
    end = status.plan.ends_on
    if status.to_book <= 0 or (end is not None and end < today):
        return []
    return [
        Warning(
            "coverage",
            f"The booked visits do not cover the plan: {status.done} done and {status.booked} "
            f"booked of {status.plan.planned} planned. Book {status.to_book} more.",
        )
    ]
