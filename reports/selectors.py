"""Reads for periodic reports and the appendix export: a plan's standing as of a day, in a few grouped queries.

The standing is a plain JSON-able dict, so a report keeps exactly what it printed (see
reports.models.ReportDraft.figures) and the Word and Excel writers read one structure.

Each occurrence of the plan handed out by the reckoning day (cancelled ones aside) stands in
exactly one of four places:
- done on time: done by the reckoning day, by its original due date;
- done late: done by the reckoning day, after its original due date;
- overdue: not done by then, and its due date had passed;
- in progress: not done by then, and not yet due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone, translation

from reports.periods import Period
from tasks.models import Indicator, IndicatorTarget, Plan, Task
from workflow.models import Occurrence, OccurrenceStatus

STANDINGS = ("done_on_time", "done_late", "overdue", "in_progress")
OVERDUE_LIST_LIMIT = 500


@dataclass(frozen=True)
class Reckoning:
    """Facts up to the end of `until`; open work due before `overdue_before` is overdue."""

    until: date
    overdue_before: date

    @classmethod
    def live(cls, *, today: date) -> Reckoning:
        return cls(until=today, overdue_before=today)

    @classmethod
    def for_period(cls, *, period: Period, today: date) -> Reckoning:
        """At the period's end when it is over (work due on its last day is late the day after); else today."""
        if period.end < today:
            return cls(until=period.end, overdue_before=period.end + timedelta(days=1))
        return cls.live(today=today)


def _standing_filters(reckoning: Reckoning) -> dict[str, Q]:
    finished = Q(status=OccurrenceStatus.DONE, finished_on__lte=reckoning.until)
    pending = ~Q(status=OccurrenceStatus.CANCELLED) & ~finished
    return {
        "done_on_time": finished & Q(finished_on_time=True),
        "done_late": finished & Q(finished_on_time=False),
        "overdue": pending & Q(due_on__lt=reckoning.overdue_before),
        "in_progress": pending & Q(due_on__gte=reckoning.overdue_before),
    }


def _scope(*, plan: Plan, reckoning: Reckoning) -> QuerySet:
    """The plan's occurrences that existed at the end of the reckoning day."""
    end = timezone.make_aware(datetime.combine(reckoning.until + timedelta(days=1), time.min))
    return Occurrence.objects.filter(plan=plan, created_at__lt=end)


def _counts(row: dict) -> dict[str, int]:
    counts = {key: row.get(key, 0) for key in STANDINGS}
    counts["total"] = sum(counts.values())
    return counts


def _empty_counts() -> dict[str, int]:
    return _counts({})


def _add(into: dict, counts: dict) -> None:
    for key, value in counts.items():
        into[key] = into.get(key, 0) + value


def _task_lines(*, plan: Plan, scope: QuerySet, reckoning: Reckoning) -> list[dict]:
    filters = _standing_filters(reckoning)
    per_task = {row["task_id"]: row for row in scope.order_by().values("task_id").annotate(
        **{key: Count("pk", filter=q) for key, q in filters.items()},
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in OccurrenceStatus.values},
        latest_due=Max("due_on"))}
    lines = []
    for task in Task.objects.filter(plan=plan).select_related("group").order_by("position"):
        row = per_task.get(task.pk, {})
        lines.append({
            "id": task.pk, "group": str(task.group) if task.group else "",
            "group_position": task.group.position if task.group else -1,
            "number": task.number, "name": task.name, "lead": task.lead_text, "supporting": task.supporting_text,
            "output": task.output_text, "timeline": task.timeline_text,
            "counts": _counts(row),
            "statuses": {value: row.get(f"status_{value}", 0) for value in OccurrenceStatus.values},
            "latest_due": row["latest_due"].isoformat() if row.get("latest_due") else "",
        })
    return lines


def _groups(lines: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for line in sorted(lines, key=lambda item: item["group_position"]):
        group = groups.setdefault(line["group"], {"label": line["group"], "counts": _empty_counts()})
        _add(group["counts"], line["counts"])
    return list(groups.values())


def _overdue_list(*, scope: QuerySet, reckoning: Reckoning, calendar) -> tuple[list[dict], bool]:
    rows = list(scope.filter(_standing_filters(reckoning)["overdue"]).select_related("task", "unit")
                .order_by("due_on", "task__position", "unit__name")[:OVERDUE_LIST_LIMIT + 1])
    return [{
        "occurrence_id": row.pk, "task_number": row.task.number, "task_name": row.task.name, "unit": row.unit.name,
        "period_key": row.period_key, "due_on": row.due_on.isoformat(),
        "working_days_late": max(0, calendar.working_days_between(start=row.due_on, end=reckoning.overdue_before)),
    } for row in rows[:OVERDUE_LIST_LIMIT]], len(rows) > OVERDUE_LIST_LIMIT


def _indicator_lines(*, plan: Plan, as_of: date) -> tuple[list[dict], list[int]]:
    """Each indicator with its targets per milestone year and, from the indicators app, its latest figure."""
    from indicators.selectors import indicator_progress_list

    targets: dict[int, dict[int, str]] = {}
    for indicator_id, year, text in IndicatorTarget.objects.filter(indicator__plan=plan).values_list(
            "indicator_id", "year", "text"):
        targets.setdefault(indicator_id, {})[year] = text
    years = sorted({year for by_year in targets.values() for year in by_year})
    with translation.override("vi"):  # the labels go into an official document, always in Vietnamese
        progress = {item.indicator.pk: item for item in indicator_progress_list(plan_id=plan.pk, as_of=as_of)}
        lines = []
        for indicator in Indicator.objects.filter(plan=plan).order_by("position"):
            item = progress.get(indicator.pk)
            target = getattr(item, "next_target", None)
            lines.append({
                "id": indicator.pk, "number": indicator.number, "name": indicator.name,
                "measurement_unit": indicator.measurement_unit,
                "monitoring_unit": getattr(item, "monitoring_unit_name", "") or indicator.monitoring_text,
                "targets": {str(year): text for year, text in targets.get(indicator.pk, {}).items()},
                "latest_value": getattr(item, "latest_value", "") or "",
                "latest_period": str(getattr(item, "latest_period", "") or ""),
                "next_target": f"{target.year}: {target.text}" if target is not None else "",
                "status": getattr(item, "status", "no_data"),
                "status_label": str(getattr(item, "status_label", "")),
            })
    return lines, years


def plan_standing_get(*, plan: Plan, reckoning: Reckoning, period: Period | None = None) -> dict:
    """The plan's standing as of `reckoning`, and what was done within `period` when given."""
    from dashboards.selectors import commune_reckoner_get

    _rungs, calendar = commune_reckoner_get(commune_id=plan.commune_id)
    scope = _scope(plan=plan, reckoning=reckoning)
    lines = _task_lines(plan=plan, scope=scope, reckoning=reckoning)
    totals = _empty_counts()
    for line in lines:
        _add(totals, line["counts"])
    overdue, truncated = _overdue_list(scope=scope, reckoning=reckoning, calendar=calendar)
    indicators, years = _indicator_lines(plan=plan, as_of=reckoning.until)
    standing = {
        "until": reckoning.until.isoformat(), "overdue_before": reckoning.overdue_before.isoformat(),
        "totals": totals, "groups": _groups(lines), "tasks": lines,
        "overdue": overdue, "overdue_truncated": truncated, "indicators": indicators, "years": years,
    }
    if period is not None:
        in_period = scope.filter(status=OccurrenceStatus.DONE, finished_on__gte=period.start,
                                 finished_on__lte=reckoning.until).aggregate(
            done=Count("pk"), done_on_time=Count("pk", filter=Q(finished_on_time=True)))
        standing["period"] = {"kind": period.kind, "key": period.key, "start": period.start.isoformat(),
                              "end": period.end.isoformat(), **in_period}
    return standing


def reports_of_plan(*, plan: Plan) -> QuerySet:
    from reports.models import ReportDraft

    return ReportDraft.objects.filter(plan=plan).order_by("-due_on", "period_kind")


def plans_reportable(*, user) -> QuerySet:
    """The plans whose reports `user` may read (see reports.access), with how many reports each has."""
    from dashboards.access import communes_wide_visible
    from roles.policy import communes_importable, plans_shared_ids

    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    return (Plan.objects.filter(Q(commune__in=communes_wide_visible(user=user))
                                | Q(commune__in=communes_importable(user=user)) | Q(pk__in=plans_shared_ids(user=user)))
            .select_related("commune").annotate(report_count=Count("reports")).order_by("commune__name", "-imported_at"))
