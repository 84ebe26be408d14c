"""Reads for indicator tracking: progress per plan and per commune, figure lists, queues.

`indicator_progress_list` and `indicator_status_counts` are the interface the dashboards and
reports use; both run a fixed number of queries whatever the number of indicators.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.models import Assessment, FigureStatus, IndicatorFigure
from indicators.periods import period_label
from indicators.progress import STATUSES, progress_judge, status_label
from roles.models import Unit, User
from tasks.models import Indicator, IndicatorTarget, Plan, PlanStatus


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    monitoring_unit_name: str
    latest_value: str  # display text, '' if none
    latest_period: str
    next_target: IndicatorTarget | None
    status: str  # one of progress.STATUSES
    status_label: str
    latest_figure: IndicatorFigure | None = None


def figure_value_text(*, figure: IndicatorFigure, unit: str = "") -> str:
    """A figure as a person reads it: "65%", "12 doanh nghiệp", "Rank 3", "Done", "On track"."""
    parts = []
    if figure.value is not None:
        # 65.5000 is written 65,5 and 100.0000 is 100 (normalize() alone would write 1E+2).
        exact = figure.value.to_integral_value() if figure.value == figure.value.to_integral_value() \
            else figure.value.normalize()
        number = number_format(exact)
        parts.append(f"{number}%" if unit == "%" else (f"{number} {unit}" if unit else number))
    if figure.rank is not None:
        parts.append(str(_("Rank %(rank)s") % {"rank": figure.rank}))
    if figure.done is not None:
        parts.append(str(_("Done") if figure.done else _("Not done")))
    if figure.assessment:
        parts.append(str(Assessment(figure.assessment).label))
    return "; ".join(parts)


def _unit_of(*, indicator: Indicator, target: IndicatorTarget | None) -> str:
    if target is not None and target.unit:
        return target.unit
    return "%" if indicator.measurement_unit.strip().startswith("%") else indicator.measurement_unit.strip()


def reporting_units_get(*, indicator_ids: list[int]) -> dict[int, int]:
    """Indicator id → its reporting unit's id (two queries): the unit its schedule names, else the
    first monitoring unit the plan names (the import links named units before a collective's)."""
    from indicators.models import IndicatorSchedule

    through = Indicator.monitoring_units.through
    first: dict[int, int] = {}
    for indicator_id, unit_id in (through.objects.filter(indicator_id__in=indicator_ids)
                                  .order_by("pk").values_list("indicator_id", "unit_id")):
        first.setdefault(indicator_id, unit_id)
    first.update(IndicatorSchedule.objects.filter(indicator_id__in=indicator_ids, reporting_unit__isnull=False)
                 .values_list("indicator_id", "reporting_unit_id"))
    return first


def _progress_rows(*, indicators: list[Indicator], as_of: date) -> list[IndicatorProgress]:
    approved: dict[int, list[IndicatorFigure]] = defaultdict(list)
    for figure in IndicatorFigure.objects.filter(
            indicator__in=[i.pk for i in indicators], status=FigureStatus.APPROVED,
            period_end__lte=as_of).order_by("period_end"):
        approved[figure.indicator_id].append(figure)
    units = reporting_units_get(indicator_ids=[i.pk for i in indicators])
    names = dict(Unit.objects.filter(pk__in=set(units.values())).values_list("pk", "name"))
    rows = []
    for indicator in indicators:
        targets = list(indicator.targets.all())
        verdict = progress_judge(targets=targets, figures=approved[indicator.pk], as_of=as_of)
        latest = approved[indicator.pk][-1] if approved[indicator.pk] else None
        rows.append(IndicatorProgress(
            indicator=indicator,
            monitoring_unit_name=names.get(units.get(indicator.pk), ""),
            latest_value=figure_value_text(figure=latest, unit=_unit_of(indicator=indicator, target=verdict.target))
            if latest else "",
            latest_period=period_label(key=latest.period_key) if latest else "",
            next_target=verdict.target,
            status=verdict.status,
            status_label=status_label(status=verdict.status),
            latest_figure=latest,
        ))
    return rows


def _indicators_query() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("group").prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))


def indicator_progress_list(*, plan_id: int, as_of: date) -> list[IndicatorProgress]:
    """Every indicator of the plan with its latest approved figure, next target and status (6 queries)."""
    indicators = list(_indicators_query().filter(plan_id=plan_id).order_by("position"))
    return _progress_rows(indicators=indicators, as_of=as_of)


def indicator_status_counts(*, commune_id: int, as_of: date) -> dict[str, int]:
    """How many indicators of the commune's active plans have each status; every status is a key."""
    indicators = list(_indicators_query().filter(plan__commune_id=commune_id, plan__status=PlanStatus.ACTIVE))
    counts = dict.fromkeys(STATUSES, 0)
    for row in _progress_rows(indicators=indicators, as_of=as_of):
        counts[row.status] += 1
    return counts


# Figures


def figures_visible(*, user: User, queryset: QuerySet[IndicatorFigure]) -> QuerySet[IndicatorFigure]:
    """Figures of plans `user` may see (like plans: the commune's roles and plans shared one by one)."""
    from tasks.selectors import plans_visible

    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(plan__in=plans_visible(user=user).values("pk"))


def figures_of_indicator(*, indicator: Indicator) -> list[IndicatorFigure]:
    return list(IndicatorFigure.objects.filter(indicator=indicator).select_related("unit", "submitted_by",
                                                                                    "reviewed_by")
                .order_by("-period_start"))


def figures_to_report(*, user: User) -> list[IndicatorFigure]:
    """Open figures of the units `user` belongs to, soonest due first: what they must report."""
    from roles.policy import member_unit_ids

    return list(IndicatorFigure.objects.filter(
        unit_id__in=member_unit_ids(user=user), status__in=[FigureStatus.DRAFT, FigureStatus.RETURNED])
        .select_related("indicator", "unit", "plan").order_by("due_on", "pk"))


def figures_to_review(*, user: User) -> list[IndicatorFigure]:
    """Submitted figures of the units `user` heads: the unit head's review queue."""
    from roles.policy import headed_unit_ids

    return list(IndicatorFigure.objects.filter(unit_id__in=headed_unit_ids(user=user), status=FigureStatus.SUBMITTED)
                .select_related("indicator", "unit", "plan", "submitted_by").order_by("due_on", "pk"))


def plans_with_indicators(*, user: User) -> list[Plan]:
    from tasks.selectors import plans_visible

    return list(plans_visible(user=user).filter(indicators__isnull=False).distinct().order_by("commune__name",
                                                                                                "-imported_at"))


def status_counts_of(*, rows: list[IndicatorProgress]) -> list[tuple[str, str, int]]:
    """(status, label, how many) in the order of progress.STATUSES, for a summary line."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return [(status, status_label(status=status), count) for status, count in counts.items()]


def indicator_progress_get(*, indicator: Indicator, as_of: date) -> IndicatorProgress:
    return _progress_rows(indicators=list(_indicators_query().filter(pk=indicator.pk)), as_of=as_of)[0]


def open_figures_by_indicator(*, plan_id: int) -> dict[int, IndicatorFigure]:
    """Indicator id → its earliest figure not yet approved: the one to report or review next."""
    found: dict[int, IndicatorFigure] = {}
    for figure in (IndicatorFigure.objects.filter(plan_id=plan_id, status__in=[
            FigureStatus.DRAFT, FigureStatus.SUBMITTED, FigureStatus.RETURNED]).order_by("period_start", "pk")):
        found.setdefault(figure.indicator_id, figure)
    return found


def figure_page_get(*, figure: IndicatorFigure) -> dict:
    """Everything the figure's page shows, in a fixed number of queries."""
    from audit.models import AuditEvent
    from indicators.models import FigureEvidence
    from indicators.progress import target_next
    from roles.selectors import unit_heads_get

    targets = list(figure.indicator.targets.order_by("year"))
    target = target_next(targets=targets, as_of=figure.period_end)
    post, holding = unit_heads_get(unit_ids={figure.unit_id}).get(figure.unit_id, (None, None))
    evidence = list(FigureEvidence.objects.filter(figure=figure).select_related("file").order_by("-version", "pk"))
    events = list(AuditEvent.objects.filter(unit_id=figure.unit_id, object_type="figure",
                                            object_id=str(figure.pk)).order_by("chain", "seq"))
    return {"figure": figure, "indicator": figure.indicator, "plan": figure.plan, "target": target,
            "value_text": figure_value_text(figure=figure, unit=_unit_of(indicator=figure.indicator, target=target)),
            "head_post": post, "head_holding": holding, "evidence": evidence, "events": events,
            "period": period_label(key=figure.period_key)}
