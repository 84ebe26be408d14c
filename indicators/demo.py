"""Approved figures for the demo communes, so that the indicator pages show progress on day one.

`demo_figures_load(commune=...)` goes through the real services (submit, approve): each figure has
its evidence file and its audit events like any other. Safe to run twice: a period already
reported is left alone.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators.models import DEFAULT_DUE_WORKING_DAYS, FigureStatus, IndicatorFigure
from indicators.periods import Period, period_containing, period_previous
from indicators.progress import VALUE_KINDS, target_next
from indicators.selectors import reporting_units_get
from indicators.services import FigureReport, figure_due_generate, figure_due_on, figure_review, figure_submit
from roles.models import Commune, PostHolding, Role, RoleGrant, User
from tasks.models import Indicator, PlanStatus
from workflow.calendars import commune_calendar_get

DEMO_INDICATORS = 8  # the first indicators of each active plan with a numeric target for now
# Share of the target each demo figure reaches, older quarter first: a spread of statuses.
SHARES = (
    (Decimal("0.90"), Decimal("1.00")),
    (Decimal("0.70"), Decimal("0.80")),
    (Decimal("0.85"), Decimal("0.87")),
    (Decimal("0.50"), Decimal("0.45")),
)
DEMO_PDF = b"%PDF-1.4\n% Sau Ro demo evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _people(*, unit_id: int, today: date) -> tuple[User | None, User | None]:
    """(who submits: a staff member of the unit or else its head, the head)."""
    holding = (PostHolding.objects.filter(post__unit_id=unit_id, post__is_unit_head=True, started_on__lte=today)
               .exclude(ended_on__lt=today).select_related("person").first())
    head = holding.person if holding else None
    staff = (RoleGrant.objects.filter(unit_id=unit_id, role=Role.STAFF, person__is_active=True)
             .select_related("person").first())
    return (staff.person if staff else head), head


def _figure_get(*, indicator: Indicator, unit_id: int, period: Period) -> IndicatorFigure:
    from audit.services import audit_record

    figure, created = IndicatorFigure.objects.get_or_create(
        indicator=indicator, period_key=period.key,
        defaults={"commune_id": indicator.plan.commune_id, "plan_id": indicator.plan_id, "unit_id": unit_id,
                  "period_start": period.start, "period_end": period.end, "announced": True,
                  "due_on": figure_due_on(period=period, due_working_days=DEFAULT_DUE_WORKING_DAYS,
                                          calendar=commune_calendar_get(commune_id=indicator.plan.commune_id))})
    if created:
        audit_record(kind="figure_created", object_type="figure", object_id=figure.pk, commune_id=figure.commune_id,
                     unit=figure.unit, plan_id=figure.plan_id, period_key=figure.period_key,
                     after={"status": figure.status, "due_on": figure.due_on},
                     detail={"indicator_id": indicator.pk, "due_on": figure.due_on.isoformat(), "demo": True})
    return figure


@transaction.atomic
def demo_figures_load(*, commune: Commune, today: date | None = None) -> int:
    """Approve figures for the last two finished quarters of a few indicators; return how many."""
    today = today or timezone.localdate()
    indicators = list(Indicator.objects.filter(plan__commune=commune, plan__status=PlanStatus.ACTIVE)
                      .select_related("plan").prefetch_related("targets").order_by("plan_id", "position"))
    units = reporting_units_get(indicator_ids=[i.pk for i in indicators])
    last = period_previous(cadence="quarterly", period=period_containing(cadence="quarterly", day=today))
    periods = (period_previous(cadence="quarterly", period=last), last)
    approved = 0
    chosen = [i for i in indicators if units.get(i.pk) and (t := target_next(targets=list(i.targets.all()),
                                                                              as_of=today)) and t.kind in VALUE_KINDS]
    for index, indicator in enumerate(chosen[:DEMO_INDICATORS]):
        target = target_next(targets=list(indicator.targets.all()), as_of=today)
        goal = target.low if target.low is not None else target.high
        submitter, head = _people(unit_id=units[indicator.pk], today=today)
        if submitter is None or head is None:
            continue
        for period, share in zip(periods, SHARES[index % len(SHARES)], strict=True):
            figure = _figure_get(indicator=indicator, unit_id=units[indicator.pk], period=period)
            if figure.status != FigureStatus.DRAFT:
                continue
            value = (goal * share).quantize(Decimal("0.1"))
            figure_submit(figure=figure, actor=submitter, report=FigureReport(value=value, note="Số liệu mẫu"),
                          files=[(f"so-lieu-{period.key}.pdf", DEMO_PDF)])
            figure_review(figure=figure, actor=head, approve=True)
            approved += 1
    # What is owed now (the current quarter, and the last one while it is still in its window).
    figure_due_generate(today=today, plan_ids=sorted({i.plan_id for i in indicators}))
    return approved
