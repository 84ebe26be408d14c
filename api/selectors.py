"""What the API reads: every queryset starts from the access policy, then narrows; a fixed number of queries a page."""
from __future__ import annotations

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from notifications.models import Notification
from roles.models import User
from roles.policy import occurrences_visible
from tasks.models import Indicator, Plan, Task
from tasks.selectors import plans_visible
from workflow.models import OPEN_STATUSES, Occurrence

_OCCURRENCE_RELATED = ("task", "unit", "plan", "commune", "assignee", "directing_post")


def _count_of(model, **outer) -> Coalesce:
    rows = model.objects.filter(**{key: OuterRef(value) for key, value in outer.items()}).order_by()
    counted = rows.values(*outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def api_plans_get(*, user: User, filters: dict | None = None) -> QuerySet[Plan]:
    plans = plans_visible(user=user).annotate(
        task_count=_count_of(Task, plan="pk"), indicator_count=_count_of(Indicator, plan="pk"),
    )
    if (filters or {}).get("status"):
        plans = plans.filter(status=filters["status"])
    return plans.order_by("commune__name", "-imported_at", "-pk")


def api_plan_get(*, user: User, plan_id: int) -> Plan | None:
    """The plan if `user` may see it (the same rule as plan_allows VIEW), else None."""
    return api_plans_get(user=user).filter(pk=plan_id).first()


def _tasks_related(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.select_related("group", "directing_post").prefetch_related("lead_units", "supporting_units")


def api_plan_tasks_get(*, plan: Plan) -> QuerySet[Task]:
    return _tasks_related(Task.objects.filter(plan=plan)).order_by("position", "pk")


def api_task_get(*, user: User, task_id: int) -> Task | None:
    """The task if its plan is visible to `user`, with the occurrences of it that `user` may see."""
    visible = occurrences_visible(user=user, queryset=Occurrence.objects.filter(task_id=task_id))
    tasks = _tasks_related(Task.objects.filter(pk=task_id, plan__in=plans_visible(user=user).values("pk")))
    return tasks.prefetch_related(Prefetch(
        "occurrences", queryset=visible.select_related("unit").order_by("due_on", "pk"), to_attr="visible_occurrences",
    )).first()


def api_occurrences_get(*, user: User, filters: dict | None = None, today: date) -> QuerySet[Occurrence]:
    filters = filters or {}
    occurrences = occurrences_visible(user=user, queryset=Occurrence.objects.all())
    status = filters.get("status")
    if status == "open":
        occurrences = occurrences.filter(status__in=OPEN_STATUSES)
    elif status:
        occurrences = occurrences.filter(status=status)
    if "unit" in filters:
        occurrences = occurrences.filter(unit_id=filters["unit"])
    if "plan" in filters:
        occurrences = occurrences.filter(plan_id=filters["plan"])
    if "due_before" in filters:
        occurrences = occurrences.filter(due_on__lte=filters["due_before"])
    if "due_after" in filters:
        occurrences = occurrences.filter(due_on__gte=filters["due_after"])
    if "overdue" in filters:
        late = Q(status__in=OPEN_STATUSES, due_on__lt=today)
        occurrences = occurrences.filter(late) if filters["overdue"] else occurrences.exclude(late)
    return occurrences.select_related(*_OCCURRENCE_RELATED).order_by("due_on", "pk")


def api_occurrence_get(*, user: User, occurrence_id: int) -> Occurrence | None:
    from workflow.models import Contribution, ExtensionRequest, Output

    occurrences = occurrences_visible(user=user, queryset=Occurrence.objects.filter(pk=occurrence_id))
    return occurrences.select_related(*_OCCURRENCE_RELATED).prefetch_related(
        Prefetch("outputs", queryset=Output.objects.order_by("version").prefetch_related("files", "reviews")),
        Prefetch("contributions", queryset=Contribution.objects.select_related("unit").order_by("unit__name", "pk")),
        Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("requested_at", "pk")),
    ).first()


def api_plan_indicators_get(*, plan: Plan) -> QuerySet[Indicator]:
    return (Indicator.objects.filter(plan=plan).select_related("group", "directing_post")
            .prefetch_related("targets", "monitoring_units").order_by("position", "pk"))


def api_notifications_get(*, user: User, filters: dict | None = None) -> QuerySet[Notification]:
    """The caller's own notifications only, newest first."""
    notifications = Notification.objects.filter(recipient=user)
    if "unread" in (filters or {}):
        notifications = notifications.filter(read_at__isnull=filters["unread"])
    return notifications.order_by("-created_at", "-pk")


def api_indicator_get(*, user: User, indicator_id: int) -> Indicator | None:
    """The indicator if its plan is visible to `user` (figures are read like the plan)."""
    return (Indicator.objects.filter(pk=indicator_id, plan__in=plans_visible(user=user).values("pk"))
            .select_related("plan").first())


def api_indicator_figures_get(*, user: User, indicator: Indicator) -> QuerySet:
    """The approved figures of `indicator`, oldest period first: only approved figures count."""
    from indicators.models import FigureStatus, IndicatorFigure
    from indicators.selectors import figures_visible

    figures = IndicatorFigure.objects.filter(indicator=indicator, status=FigureStatus.APPROVED)
    return (figures_visible(user=user, queryset=figures).select_related("unit", "indicator")
            .prefetch_related("evidence__file").order_by("period_start", "pk"))
