"""Reads for occurrences: my work, a unit's queue, the task page. A fixed number of queries each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from audit.selectors import occurrence_events_get
from roles.models import User
from roles.policy import headed_unit_ids, held_post_ids, member_unit_ids, occurrences_visible
from workflow.models import (
    OPEN_STATUSES, Contribution, ContributionStatus, ExtensionRequest, ExtensionStatus, Occurrence, OccurrenceStatus,
)

DUE_SOON_DAYS = 7


def urgency_of(*, due_on: date, today: date) -> str:
    """overdue / due_soon / on_time, computed from the stored date when read, never stored."""
    if due_on < today:
        return "overdue"
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "on_time"


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("task", "unit", "plan", "assignee", "directing_post")


def my_work_get(*, user: User, today: date | None = None) -> dict:
    """Every open step waiting for `user`, soonest due first, with counts by urgency.

    Each kind of step is an indexed condition of its own (unit and status, assignee and status,
    directing post and status, or a short list of ids), OR-ed together: PostgreSQL combines the
    index scans, so the page does not read the country's open occurrences to find a person's few.
    """
    today = today or timezone.localdate()
    heads, posts, units = headed_unit_ids(user=user), held_post_ids(user=user), member_unit_ids(user=user)
    contributing = set(Contribution.objects.filter(unit_id__in=units, status=ContributionStatus.REQUESTED)
                       .values_list("occurrence_id", flat=True)[:500]) if units else set()
    deciding = set(ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING,
                                                   occurrence__directing_post_id__in=posts)
                   .values_list("occurrence_id", flat=True)[:500]) if posts else set()
    waiting = (
        Q(status__in=[OccurrenceStatus.ASSIGNED, OccurrenceStatus.SUBMITTED], unit_id__in=heads)
        | Q(status__in=[OccurrenceStatus.IN_PROGRESS, OccurrenceStatus.RETURNED], assignee=user)
        | Q(status=OccurrenceStatus.AWAITING_DIRECTING, directing_post_id__in=posts)
        | Q(pk__in=contributing | deciding)
    )
    step = Case(
        When(Q(status=OccurrenceStatus.ASSIGNED, unit_id__in=heads), then=Value("accept")),
        When(Q(status__in=[OccurrenceStatus.IN_PROGRESS, OccurrenceStatus.RETURNED], assignee=user),
             then=Value("submit")),
        When(Q(status=OccurrenceStatus.SUBMITTED, unit_id__in=heads), then=Value("review")),
        When(Q(status=OccurrenceStatus.AWAITING_DIRECTING, directing_post_id__in=posts), then=Value("directing_review")),
        When(pk__in=deciding, then=Value("decide_extension")),
        When(pk__in=contributing, then=Value("contribute")),
        default=Value(""), output_field=CharField(),
    )
    rows = list(
        _with_related(Occurrence.objects.filter(waiting, status__in=OPEN_STATUSES))
        .annotate(my_step=step).exclude(my_step="").order_by("due_on", "pk")[:500]
    )
    for row in rows:
        row.urgency = urgency_of(due_on=row.due_on, today=today)
    counts = {key: sum(1 for row in rows if row.urgency == key) for key in ("overdue", "due_soon", "on_time")}
    return {"rows": rows, "counts": counts, "total": len(rows)}


def unit_queue_get(*, user: User, unit_id: int, today: date | None = None, page: int = 1) -> dict:
    """One page of the unit's open work, soonest due first, and the counts of all of it."""
    from django.db.models import Count, Q

    from workflow.paging import page_rows_get

    today = today or timezone.localdate()
    queryset = occurrences_visible(user=user, queryset=Occurrence.objects.filter(unit_id=unit_id,
                                                                                 status__in=OPEN_STATUSES))
    rows, page_info = page_rows_get(queryset=_with_related(queryset).order_by("due_on", "pk"), number=page)
    for row in rows:
        row.urgency = urgency_of(due_on=row.due_on, today=today)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    counts = queryset.aggregate(overdue=Count("pk", filter=Q(due_on__lt=today)),
                                due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)),
                                on_time=Count("pk", filter=Q(due_on__gt=soon)))
    return {"rows": rows, "counts": counts, "page": page_info}


@dataclass(frozen=True)
class Responsible:
    """The person answering for an occurrence: the head post's holder today, and before."""

    post_title: str | None
    current: str | None
    before: list[tuple[str, date, date | None]]


def responsible_get(*, occurrence: Occurrence) -> Responsible:
    from roles.models import Post, PostHolding

    post = Post.objects.filter(unit_id=occurrence.unit_id, is_unit_head=True).first()
    if post is None:
        return Responsible(post_title=None, current=None, before=[])
    holdings = list(PostHolding.objects.filter(post=post).select_related("person").order_by("-started_on"))
    today = timezone.localdate()
    current = next((h for h in holdings if h.started_on <= today and (h.ended_on is None or h.ended_on >= today)), None)
    return Responsible(
        post_title=post.title, current=str(current.person) if current else None,
        before=[(str(h.person), h.started_on, h.ended_on) for h in holdings if h is not current],
    )


def occurrence_page_get(*, occurrence_id: int) -> dict:
    occurrence = _with_related(Occurrence.objects).select_related("task__group").get(pk=occurrence_id)
    today = timezone.localdate()
    return {
        "occurrence": occurrence,
        "urgency": urgency_of(due_on=occurrence.due_on, today=today) if occurrence.is_open else "",
        "responsible": responsible_get(occurrence=occurrence),
        "supporting_units": list(occurrence.task.supporting_units.exclude(pk=occurrence.unit_id)),
        "outputs": list(occurrence.outputs.prefetch_related("files", "reviews__reviewer").select_related(
            "submitted_by").order_by("-version")),
        "contributions": list(occurrence.contributions.select_related("unit", "submitted_by").prefetch_related("files")),
        "extensions": list(occurrence.extension_requests.select_related("requested_by", "decided_by")
                           .order_by("-requested_at")),
        "events": occurrence_events_get(occurrence_id=occurrence.pk),
    }


def plan_live_status_get(*, plan_id: int) -> dict[int, dict[str, int]]:
    """Per task of a plan: how many of its occurrences are in each status (one grouped query)."""
    from django.db.models import Count

    status: dict[int, dict[str, int]] = {}
    today = timezone.localdate()
    rows = (Occurrence.objects.filter(plan_id=plan_id)
            .values("task_id", "status")
            .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today, status__in=OPEN_STATUSES))))
    for row in rows:
        entry = status.setdefault(row["task_id"], {"total": 0, "done": 0, "open": 0, "overdue": 0})
        entry["total"] += row["n"]
        entry["overdue"] += row["overdue"]
        entry["done" if row["status"] == OccurrenceStatus.DONE else "open"] += (
            row["n"] if row["status"] != OccurrenceStatus.CANCELLED else 0)
    return status
