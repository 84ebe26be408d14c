"""Writes for indicator tracking: owed figures, submitting, reviewing, the reporting schedule.

Each function checks the access policy, changes state and writes its audit event in one
transaction. Bad input raises ValidationError with a translated message and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acting import acting_post_get
from audit.services import AuditDraft, audit_record, audit_record_many
from indicators.access import FigureAction, figure_allows, indicator_schedule_allows
from indicators.models import (
    DEFAULT_CADENCE, DEFAULT_DUE_WORKING_DAYS, Assessment, FigureEvidence, FigureStatus, IndicatorFigure,
    IndicatorSchedule,
)
from indicators.periods import Period, period_containing, period_next
from indicators.progress import NO_SETTING_KINDS, VALUE_KINDS, target_next
from roles.models import Unit, User
from tasks.models import Indicator, Plan, PlanStatus

# Figures exist once their period has begun: the first reminder (7 working days before the due date)
# falls near the end of the period, so nothing needs creating earlier.
GENERATION_HORIZON_DAYS = 0
VALUE_LIMIT = Decimal("1000000000000")  # what the column holds (16 digits, 4 after the point)


# Generation


def figure_due_on(*, period: Period, due_working_days: int, calendar) -> date:
    return calendar.working_days_add(start=period.end, days=due_working_days)


def _periods_owed(*, cadence: str, due_working_days: int, calendar, today: date, horizon_days: int,
                  last_year: int) -> list[tuple[Period, date]]:
    """Periods that have started by `today + horizon` and are not yet past their due date."""
    period = period_containing(cadence=cadence, day=today)
    # The period before may still be in its reporting window (due a few working days after it ends).
    previous = period_containing(cadence=cadence, day=period.start - timedelta(days=1))
    owed = []
    candidate = previous
    while candidate.start <= today + timedelta(days=horizon_days) and candidate.start.year <= last_year:
        due = figure_due_on(period=candidate, due_working_days=due_working_days, calendar=calendar)
        if due >= today:
            owed.append((candidate, due))
        candidate = period_next(cadence=cadence, period=candidate)
    return owed


def figure_due_generate(*, today: date | None = None, plan_ids: list[int] | None = None,
                        horizon_days: int = GENERATION_HORIZON_DAYS) -> int:
    """Create the figures now owed by active plans' indicators; return how many were created.

    Safe to run twice or on two workers at once: (indicator, period) is unique, rows that exist
    are skipped by the database, and only the rows this run inserted get a "figure_created" event.
    An indicator none of whose targets sets anything ("-"), or without a reporting unit, owes nothing.
    """
    from indicators.selectors import reporting_units_get
    from workflow.calendar import calendar_build
    from workflow.calendars import commune_calendars_get

    today = today or timezone.localdate()
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    indicators = list(Indicator.objects.filter(plan__in=plans).select_related("plan", "schedule")
                      .prefetch_related("targets"))
    units = reporting_units_get(indicator_ids=[i.pk for i in indicators])
    calendars = commune_calendars_get(commune_ids={i.plan.commune_id for i in indicators})
    national = calendar_build()
    rows = []
    for indicator in indicators:
        setting = [t.year for t in indicator.targets.all() if t.kind not in NO_SETTING_KINDS]
        unit_id = units.get(indicator.pk)
        if not setting or unit_id is None:
            continue
        schedule = getattr(indicator, "schedule", None)
        cadence = schedule.cadence if schedule else DEFAULT_CADENCE
        due_days = schedule.due_working_days if schedule else DEFAULT_DUE_WORKING_DAYS
        for period, due in _periods_owed(cadence=cadence, due_working_days=due_days,
                                         calendar=calendars.get(indicator.plan.commune_id, national), today=today,
                                         horizon_days=horizon_days, last_year=max(setting)):
            rows.append(IndicatorFigure(
                commune_id=indicator.plan.commune_id, plan_id=indicator.plan_id, indicator=indicator,
                unit_id=unit_id, period_key=period.key, period_start=period.start, period_end=period.end,
                due_on=due))
    with transaction.atomic():
        IndicatorFigure.objects.bulk_create(rows, ignore_conflicts=True)
        # Claim the rows nobody has announced yet (SKIP LOCKED), as occurrences claim their processes:
        # two runs at once announce each figure once.
        created = list(IndicatorFigure.objects.select_for_update(skip_locked=True, of=("self",))
                       .filter(plan__in=plans, announced=False).select_related("unit").order_by("pk"))
        if not created:
            return 0
        IndicatorFigure.objects.filter(pk__in=[f.pk for f in created]).update(announced=True)
        audit_record_many(drafts=[
            AuditDraft(kind="figure_created", object_type="figure", object_id=f.pk, commune_id=f.commune_id,
                       unit=f.unit, plan_id=f.plan_id, period_key=f.period_key,
                       after={"status": f.status, "due_on": f.due_on},
                       detail={"indicator_id": f.indicator_id, "due_on": f.due_on.isoformat()})
            for f in created
        ])
    return len(created)


# Submitting and reviewing


@dataclass(frozen=True)
class FigureReport:
    """What the unit reports; which parts are required depends on the target (see `figure_needs`)."""

    value: Decimal | None = None
    rank: int | None = None
    done: bool | None = None
    assessment: str = ""
    note: str = ""


def figure_needs(*, figure: IndicatorFigure) -> str:
    """What the figure must carry: "value", "rank", "done", "assessment" (words) or "any"."""
    target = target_next(targets=list(figure.indicator.targets.all()), as_of=figure.period_end)
    if target is None:
        return "any"
    if target.kind in VALUE_KINDS:
        return "value"
    return {"top_rank": "rank", "done": "done", "text": "assessment"}.get(target.kind, "any")


def _report_check(*, figure: IndicatorFigure, report: FigureReport, files: list) -> None:
    needs = figure_needs(figure=figure)
    if needs == "value" and report.value is None:
        raise ValidationError(_("Enter the figure for this period."))
    if needs == "rank" and report.rank is None:
        raise ValidationError(_("Enter the rank reached in this period."))
    if needs == "done" and report.done is None:
        raise ValidationError(_("Say whether it is done."))
    if needs == "assessment" and not report.assessment:
        raise ValidationError(_("Choose an assessment: the target is written in words."))
    if needs == "any" and report.value is None and report.rank is None and report.done is None \
            and not report.assessment:
        raise ValidationError(_("Enter the figure for this period."))
    if report.value is not None and abs(report.value) >= VALUE_LIMIT:
        raise ValidationError(_("The figure is too large."))
    if report.rank is not None and report.rank < 1:
        raise ValidationError(_("A rank starts at 1."))
    if report.assessment and report.assessment not in Assessment.values:
        raise ValidationError(_("Unknown assessment."))
    if needs == "assessment" and not report.note.strip():
        raise ValidationError(_("Explain the assessment: the target is written in words."))
    if not files and not figure.evidence.exists():
        raise ValidationError(_("Attach the evidence for the figure."))


def _figure_locked(figure: IndicatorFigure) -> IndicatorFigure:
    return (IndicatorFigure.objects.select_for_update(of=("self",))
            .select_related("unit", "indicator", "plan").get(pk=figure.pk))


def _status_require(figure: IndicatorFigure, *statuses: str) -> None:
    if figure.status not in statuses:
        raise ValidationError(_("This step is not open: the figure is “%(status)s”.")
                              % {"status": figure.get_status_display()})


def _audit(*, figure: IndicatorFigure, actor: User | None, kind: str, before: dict, after: dict, reason: str = "",
           post=None, **detail) -> None:
    audit_record(kind=kind, object_type="figure", object_id=figure.pk, commune_id=figure.commune_id, actor=actor,
                 post=post if post is not None else acting_post_get(actor=actor, unit_id=figure.unit_id),
                 unit=figure.unit, plan_id=figure.plan_id, period_key=figure.period_key, before=before, after=after,
                 detail={"indicator_id": figure.indicator_id, **detail}, reason=reason)


_REPORTED = ("value", "rank", "done", "assessment", "note")


def figure_submit(*, figure: IndicatorFigure, actor: User, report: FigureReport,
                  files: list[tuple[str, bytes]]) -> IndicatorFigure:
    """Submit (or resubmit after a return) the period's figure; `files` are (name, bytes) evidence."""
    from workflow.storage import files_store

    with transaction.atomic():
        figure = _figure_locked(figure)
        if not figure_allows(user=actor, action=FigureAction.SUBMIT, figure=figure):
            raise PermissionDenied
        _status_require(figure, FigureStatus.DRAFT, FigureStatus.RETURNED)
        _report_check(figure=figure, report=report, files=files)
        before = {"status": figure.status, **{name: getattr(figure, name) for name in _REPORTED}}
        figure.value, figure.rank, figure.done = report.value, report.rank, report.done
        figure.assessment, figure.note = report.assessment, report.note.strip()
        figure.version += 1
        figure.status = FigureStatus.SUBMITTED
        figure.submitted_by, figure.submitted_at = actor, timezone.now()
        figure.save()
        stored = files_store(files=files, uploaded_by=actor)
        FigureEvidence.objects.bulk_create([FigureEvidence(figure=figure, file=f, version=figure.version)
                                            for f in stored])
        after = {"status": figure.status, **{name: getattr(figure, name) for name in _REPORTED}}
        _audit(figure=figure, actor=actor, kind="submitted", version=figure.version,
               before={k: v for k, v in before.items() if after[k] != v},
               after={k: v for k, v in after.items() if before[k] != v},
               files=[{"name": f.original_name, "sha256": f.sha256} for f in stored])
    return figure


def figure_review(*, figure: IndicatorFigure, actor: User, approve: bool, reason: str = "") -> IndicatorFigure:
    """The reporting unit head's decision on the submitted figure; a return needs its reason."""
    with transaction.atomic():
        figure = _figure_locked(figure)
        if not figure_allows(user=actor, action=FigureAction.REVIEW, figure=figure):
            raise PermissionDenied
        _status_require(figure, FigureStatus.SUBMITTED)
        if not approve and not reason.strip():
            raise ValidationError(_("Say why the figure is returned."))
        before = {"status": figure.status, "return_count": figure.return_count}
        figure.reviewed_by, figure.reviewed_at = actor, timezone.now()
        if approve:
            figure.status = FigureStatus.APPROVED
            figure.approved_on = timezone.localdate()
            figure.return_reason = ""
        else:
            figure.status = FigureStatus.RETURNED
            figure.return_count += 1
            figure.return_reason = reason.strip()
        figure.save()
        head_post = figure.unit.posts.filter(is_unit_head=True).first()
        _audit(figure=figure, actor=actor, kind="approved" if approve else "returned", version=figure.version,
               reason=reason.strip(), post=head_post, before=before,
               after={"status": figure.status, "return_count": figure.return_count},
               on_time=figure.approved_on <= figure.due_on if approve else None)
    return figure


# The reporting schedule


def indicator_schedule_set(*, indicator: Indicator, actor: User, cadence: str, due_working_days: int,
                           reporting_unit: Unit | None) -> IndicatorSchedule:
    """The Party Office sets how often an indicator is reported, how soon, and by which unit.

    Figures already owed keep their period and due date; the next generation follows the new schedule.
    """
    from indicators.models import Cadence

    if not indicator_schedule_allows(user=actor, indicator=indicator):
        raise PermissionDenied
    if cadence not in Cadence.values:
        raise ValidationError(_("Unknown reporting frequency."))
    if not 0 <= due_working_days <= 60:
        raise ValidationError(_("The figure must be due between 0 and 60 working days after its period."))
    if reporting_unit is not None and reporting_unit.commune_id != indicator.plan.commune_id:
        raise ValidationError(_("The reporting unit must belong to the plan's commune."))
    with transaction.atomic():
        previous = IndicatorSchedule.objects.select_for_update().filter(indicator=indicator).first()
        before = ({"cadence": previous.cadence, "due_working_days": previous.due_working_days,
                   "reporting_unit": previous.reporting_unit_id} if previous else
                  {"cadence": DEFAULT_CADENCE, "due_working_days": DEFAULT_DUE_WORKING_DAYS, "reporting_unit": None})
        schedule, _created = IndicatorSchedule.objects.update_or_create(
            indicator=indicator, defaults={"cadence": cadence, "due_working_days": due_working_days,
                                           "reporting_unit": reporting_unit, "updated_by": actor})
        after = {"cadence": cadence, "due_working_days": due_working_days,
                 "reporting_unit": reporting_unit.pk if reporting_unit else None}
        audit_record(kind="schedule_changed", object_type="indicator", object_id=indicator.pk,
                     commune_id=indicator.plan.commune_id, actor=actor, post=acting_post_get(actor=actor),
                     plan_id=indicator.plan_id, before=before, after=after)
    return schedule
