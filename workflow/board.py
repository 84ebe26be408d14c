"""The Party Office board: every overdue and due-soon occurrence of a commune, with its rung."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, Subquery

from notifications.models import Notification
from workflow.calendars import commune_calendar_get
from workflow.models import OPEN_STATUSES, Occurrence
from workflow.paging import PAGE_SIZE, page_rows_get
from workflow.selectors import DUE_SOON_DAYS, urgency_of



@dataclass(frozen=True)
class BoardFilters:
    unit_id: int | None = None
    directing_post_id: int | None = None
    plan_id: int | None = None
    group_id: int | None = None
    min_working_days_overdue: int | None = None


def board_get(*, commune, filters: BoardFilters, today: date, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """One page of rows, most overdue first, and the counts of all; a fixed number of queries whatever the size."""
    calendar = commune_calendar_get(commune_id=commune.pk)
    queryset = Occurrence.objects.filter(commune=commune, status__in=OPEN_STATUSES,
                                         due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
    if filters.unit_id:
        queryset = queryset.filter(unit_id=filters.unit_id)
    if filters.directing_post_id:
        queryset = queryset.filter(directing_post_id=filters.directing_post_id)
    if filters.plan_id:
        queryset = queryset.filter(plan_id=filters.plan_id)
    if filters.group_id:
        queryset = queryset.filter(task__group_id=filters.group_id)
    if filters.min_working_days_overdue:
        queryset = queryset.filter(
            due_on__lte=calendar.working_days_add(start=today, days=-filters.min_working_days_overdue))
    latest_rung = Notification.objects.filter(occurrence=OuterRef("pk")).order_by("-created_at", "-pk").values("rung")[:1]
    rows, page_info = page_rows_get(
        queryset=queryset.select_related("task", "unit", "plan", "directing_post", "assignee")
        .annotate(rung=Subquery(latest_rung)).order_by("due_on", "pk"), number=page, size=page_size)
    for row in rows:
        row.urgency = urgency_of(due_on=row.due_on, today=today)
        row.working_days_overdue = max(0, calendar.working_days_between(start=row.due_on, end=today))
    # Counted over everything the filters match, not only the rows shown.
    counts = queryset.aggregate(overdue=Count("pk", filter=Q(due_on__lt=today)),
                                due_soon=Count("pk", filter=Q(due_on__gte=today)))
    return {"rows": rows, "counts": counts, "page": page_info}


def board_choices_get(*, commune) -> dict:
    """What the filters offer: the commune's units, directing posts, plans and task groups."""
    from roles.models import Post, Unit
    from tasks.models import Plan, RowGroup

    return {
        "units": Unit.objects.filter(commune=commune).order_by("name"),
        "directing_posts": Post.objects.filter(commune=commune, pk__in=Occurrence.objects.filter(
            commune=commune).values("directing_post_id")).order_by("title"),
        "plans": Plan.objects.filter(commune=commune).order_by("-imported_at"),
        "groups": RowGroup.objects.filter(plan__commune=commune, appendix="tasks").order_by("plan_id", "position"),
    }
