"""Reads for the dashboards: grouped queries over occurrences, a fixed number of queries per page.

Every figure is counted in the database (COUNT … FILTER / GROUP BY), never by loading rows, so
a page costs the same with ten occurrences or a million. Overdue is computed from the stored
due date on the day the page is read, as everywhere else.

Definitions shown on the pages:
- "came due": not cancelled, and either done or with its original due date before today;
- "on time": done by the original due date (an extension does not make late work on time);
- on-time rate = on time / came due;
- overdue: open with its (possibly extended) due date before today, bucketed by how many
  working days late it is against the commune's escalation rungs and calendar.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from dashboards.access import communes_wide_visible, provinces_visible
from roles.models import Commune, Post, Unit, User
from roles.policy import held_post_ids, member_unit_ids, occurrences_visible
from workflow.calendars import commune_calendar_get
from workflow.models import OPEN_STATUSES, EscalationPolicy, Occurrence, OccurrenceStatus, escalation_rungs_default
from workflow.templatetags.occurrences import rung_label

TREND_MONTHS = 12
OVERDUE_ROWS = 100  # the overdue list of a scorecard or an area shows at most this many, soonest due first
UNIT_ROWS = 200


def _open() -> Q:
    return Q(status__in=OPEN_STATUSES)


def _overdue(today: date) -> Q:
    return _open() & Q(due_on__lt=today)


def _came_due(today: date) -> Q:
    return ~Q(status=OccurrenceStatus.CANCELLED) & (Q(status=OccurrenceStatus.DONE) | Q(original_due_on__lt=today))


def _on_time() -> Q:
    return Q(status=OccurrenceStatus.DONE, finished_on_time=True)


def _late_done() -> Q:
    return Q(status=OccurrenceStatus.DONE, finished_on_time=False)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class OnTime:
    on_time: int
    came_due: int

    @property
    def percent(self) -> int | None:
        return _percent(self.on_time, self.came_due)


@dataclass(frozen=True)
class Totals:
    total: int
    open: int
    overdue: int
    done: int
    on_time: OnTime


@dataclass(frozen=True)
class UnitLine:
    unit_id: int
    name: str
    total: int
    open: int
    overdue: int
    done_on_time: int
    done_late: int
    came_due: int

    @property
    def on_time_percent(self) -> int | None:
        return _percent(self.done_on_time, self.came_due)


@dataclass(frozen=True)
class RungBucket:
    key: str
    label: str
    min_days: int  # working (or calendar) days late at least
    count: int


@dataclass(frozen=True)
class MonthPoint:
    year: int
    month: int
    came_due: int
    done_on_time: int
    done_late: int

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"


@dataclass
class Figures:
    """What every dashboard shows about its scope."""

    totals: Totals
    by_status: list[StatusCount]
    overdue_by_rung: list[RungBucket]
    trend: list[MonthPoint]
    overdue_rows: list = field(default_factory=list)
    overdue_truncated: bool = False


# The building blocks, each one query over `queryset` (already narrowed to what the reader may see).


def totals_get(*, queryset: QuerySet, today: date) -> Totals:
    row = queryset.aggregate(
        total=Count("pk", filter=~Q(status=OccurrenceStatus.CANCELLED)), open=Count("pk", filter=_open()),
        overdue=Count("pk", filter=_overdue(today)), done=Count("pk", filter=Q(status=OccurrenceStatus.DONE)),
        on_time=Count("pk", filter=_on_time()), came_due=Count("pk", filter=_came_due(today)),
    )
    return Totals(total=row["total"], open=row["open"], overdue=row["overdue"], done=row["done"],
                  on_time=OnTime(on_time=row["on_time"], came_due=row["came_due"]))


def status_counts_get(*, queryset: QuerySet) -> list[StatusCount]:
    counts = {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("pk"))}
    return [StatusCount(key=value, label=str(label), count=counts.get(value, 0))
            for value, label in OccurrenceStatus.choices]


def units_get(*, queryset: QuerySet, today: date) -> list[UnitLine]:
    """Per lead unit, most overdue first: one GROUP BY."""
    rows = (queryset.order_by().values("unit_id", "unit__name")
            .annotate(total=Count("pk", filter=~Q(status=OccurrenceStatus.CANCELLED)), open=Count("pk", filter=_open()),
                      overdue=Count("pk", filter=_overdue(today)), done_on_time=Count("pk", filter=_on_time()),
                      done_late=Count("pk", filter=_late_done()), came_due=Count("pk", filter=_came_due(today)))
            .order_by("-overdue", "unit__name")[:UNIT_ROWS])
    return [UnitLine(unit_id=r["unit_id"], name=r["unit__name"], total=r["total"], open=r["open"],
                     overdue=r["overdue"], done_on_time=r["done_on_time"], done_late=r["done_late"],
                     came_due=r["came_due"]) for r in rows]


class _EveryDay:
    """Counting in calendar days, for a commune whose policy says so."""

    @staticmethod
    def working_days_add(*, start: date, days: int) -> date:
        return start + timedelta(days=days)

    @staticmethod
    def working_days_between(*, start: date, end: date) -> int:
        return (end - start).days


def commune_reckoner_get(*, commune_id: int):
    """(escalation rungs past the due date, calendar) of a commune: the ones its sweep uses."""
    policy = EscalationPolicy.objects.filter(commune_id=commune_id).values_list("rungs", "counts_working_days").first()
    rungs, working = policy if policy else (escalation_rungs_default(), True)
    calendar = commune_calendar_get(commune_id=commune_id) if working else _EveryDay()
    return sorted((rung for rung in rungs if rung["offset"] > 0), key=lambda rung: rung["offset"]), calendar


def overdue_by_rung_get(*, queryset: QuerySet, today: date, rungs: list[dict], calendar) -> list[RungBucket]:
    """Open overdue work split by the escalation rung its lateness reached: one aggregate query.

    A rung of offset n is reached by work due on or before the n-th working day before today,
    exactly as the sweep decides; the first bucket is late work no rung has reached yet.
    """
    limits = {rung["key"]: calendar.working_days_add(start=today, days=-rung["offset"]) for rung in rungs}
    counts = queryset.aggregate(
        overdue=Count("pk", filter=_overdue(today)),
        **{f"r{index}": Count("pk", filter=_open() & Q(due_on__lte=limits[rung["key"]]))
           for index, rung in enumerate(rungs)},
    )
    reached = [counts[f"r{index}"] for index in range(len(rungs))]
    buckets = [RungBucket(key="late", label=_("Late, not yet escalated"), min_days=1,
                          count=counts["overdue"] - (reached[0] if reached else 0))]
    for index, rung in enumerate(rungs):
        beyond = reached[index + 1] if index + 1 < len(rungs) else 0
        buckets.append(RungBucket(key=rung["key"], label=str(rung_label(rung["key"])), min_days=rung["offset"],
                                  count=reached[index] - beyond))
    return buckets


def _months_back(*, today: date, months: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    result = []
    for _index in range(months):
        result.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(result))


def trend_get(*, queryset: QuerySet, today: date, months: int = TREND_MONTHS) -> list[MonthPoint]:
    """Per month of the last `months` (this one included): what came due, and what was done, on time or late."""
    keys = _months_back(today=today, months=months)
    start = date(keys[0][0], keys[0][1], 1)
    due = {(r["y"], r["m"]): r["n"] for r in queryset.filter(original_due_on__gte=start).exclude(
        status=OccurrenceStatus.CANCELLED).order_by().values(y=ExtractYear("original_due_on"),
                                                            m=ExtractMonth("original_due_on")).annotate(n=Count("pk"))}
    done = {(r["y"], r["m"]): r for r in queryset.filter(status=OccurrenceStatus.DONE, finished_on__gte=start)
            .order_by().values(y=ExtractYear("finished_on"), m=ExtractMonth("finished_on"))
            .annotate(on_time=Count("pk", filter=Q(finished_on_time=True)),
                      late=Count("pk", filter=Q(finished_on_time=False)))}
    return [MonthPoint(year=y, month=m, came_due=due.get((y, m), 0),
                       done_on_time=done.get((y, m), {}).get("on_time", 0), done_late=done.get((y, m), {}).get("late", 0))
            for y, m in keys]


def overdue_rows_get(*, queryset: QuerySet, today: date, calendar, limit: int = OVERDUE_ROWS) -> tuple[list, bool]:
    """The overdue occurrences, longest overdue first, each with its working days late."""
    rows = list(queryset.filter(_overdue(today)).select_related("task", "unit", "plan", "directing_post", "assignee")
                .order_by("due_on", "pk")[:limit + 1])
    for row in rows:
        row.days_late = max(0, calendar.working_days_between(start=row.due_on, end=today))
    return rows[:limit], len(rows) > limit


def _figures(*, queryset: QuerySet, today: date, commune_id: int, with_rows: bool) -> Figures:
    rungs, calendar = commune_reckoner_get(commune_id=commune_id)
    figures = Figures(totals=totals_get(queryset=queryset, today=today), by_status=status_counts_get(queryset=queryset),
                      overdue_by_rung=overdue_by_rung_get(queryset=queryset, today=today, rungs=rungs, calendar=calendar),
                      trend=trend_get(queryset=queryset, today=today))
    if with_rows:
        figures.overdue_rows, figures.overdue_truncated = overdue_rows_get(queryset=queryset, today=today,
                                                                           calendar=calendar)
    return figures


def _visible(*, user: User, queryset: QuerySet) -> QuerySet:
    # Narrowing a commune-wide reader changes nothing, but it keeps the policy the only gate.
    return occurrences_visible(user=user, queryset=queryset)


# The pages


def indicator_counts_get(*, commune_id: int, today: date) -> list[StatusCount]:
    """The indicators of the commune's active plans by status, as the indicators app judges them."""
    from indicators.progress import STATUSES, status_label
    from indicators.selectors import indicator_status_counts

    counts = indicator_status_counts(commune_id=commune_id, as_of=today)
    return [StatusCount(key=key, label=str(status_label(status=key)), count=counts.get(key, 0)) for key in STATUSES]


def commune_dashboard_get(*, user: User, commune: Commune, today: date) -> dict:
    queryset = _visible(user=user, queryset=Occurrence.objects.filter(commune=commune))
    return {
        "commune": commune, "today": today,
        "figures": _figures(queryset=queryset, today=today, commune_id=commune.pk, with_rows=False),
        "units": units_get(queryset=queryset, today=today),
        "indicators": indicator_counts_get(commune_id=commune.pk, today=today),
    }


def unit_scorecard_get(*, user: User, unit: Unit, today: date) -> dict:
    queryset = _visible(user=user, queryset=Occurrence.objects.filter(unit=unit))
    return {"unit": unit, "commune": unit.commune, "today": today,
            "figures": _figures(queryset=queryset, today=today, commune_id=unit.commune_id, with_rows=True)}


def directing_area_get(*, user: User, post: Post, today: date) -> dict:
    queryset = _visible(user=user, queryset=Occurrence.objects.filter(directing_post=post))
    return {"post": post, "commune": post.commune, "today": today,
            "figures": _figures(queryset=queryset, today=today, commune_id=post.commune_id, with_rows=True),
            "units": units_get(queryset=queryset, today=today)}


@dataclass(frozen=True)
class CommuneLine:
    commune: Commune
    total: int
    open: int
    overdue: int
    done_on_time: int
    came_due: int

    @property
    def on_time_percent(self) -> int | None:
        return _percent(self.done_on_time, self.came_due)


def province_overview_get(*, user: User, provinces: list[str], today: date) -> list[tuple[str, list[CommuneLine]]]:
    """Each province's communes side by side: two queries whatever the number of communes."""
    communes = list(Commune.objects.filter(province__in=provinces).order_by("province", "name"))
    queryset = _visible(user=user, queryset=Occurrence.objects.filter(commune__province__in=provinces))
    rows = {r["commune_id"]: r for r in queryset.order_by().values("commune_id").annotate(
        total=Count("pk", filter=~Q(status=OccurrenceStatus.CANCELLED)), open=Count("pk", filter=_open()),
        overdue=Count("pk", filter=_overdue(today)), done_on_time=Count("pk", filter=_on_time()),
        came_due=Count("pk", filter=_came_due(today)))}
    result: dict[str, list[CommuneLine]] = {province: [] for province in provinces}
    for commune in communes:
        r = rows.get(commune.pk, {})
        result[commune.province].append(CommuneLine(
            commune=commune, total=r.get("total", 0), open=r.get("open", 0), overdue=r.get("overdue", 0),
            done_on_time=r.get("done_on_time", 0), came_due=r.get("came_due", 0)))
    return list(result.items())


def dashboards_index_get(*, user: User) -> dict:
    """What the reader may open: communes, their own units, the posts they direct, provinces."""
    return {
        "communes": list(communes_wide_visible(user=user).order_by("province", "name")),
        "units": list(Unit.objects.filter(pk__in=member_unit_ids(user=user)).select_related("commune")
                      .order_by("commune__name", "name")),
        "posts": list(Post.objects.filter(pk__in=held_post_ids(user=user), directed_tasks__isnull=False)
                      .select_related("commune").distinct().order_by("commune__name", "title")),
        "provinces": provinces_visible(user=user),
    }
