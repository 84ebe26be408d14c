"""The inspectors' workspace: search a commune's history, the patterns inspectors look for, timelines.

Two views of one search. Occurrences (each task's work for one unit and period) answer "which
tasks": the patterns are properties of an occurrence. Events answer "what happened": who did
what, in which post and unit, when and why. Every query is scoped to the commune (its chain),
and each page costs a fixed number of queries whatever the size of the history.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.acting import acting_post_get
from audit.models import AuditEvent
from audit.services import audit_record
from roles.models import Commune, Post, Unit, User
from tasks.models import Plan, Task
from workflow.models import OPEN_STATUSES, Occurrence, OccurrenceStatus

EVENTS_PER_PAGE = 50
OCCURRENCES_PER_PAGE = 50
TIMELINE_PER_PAGE = 500  # a task's whole history fits on one page; a person's or a unit's may run to several

PATTERNS = {
    "late": _("Finished late, or still open past the original due date"),
    "returned_3": _("Returned three times or more"),
    "extended_2": _("Extended more than once"),
    "escalated": _("Escalated (overdue reminders went up the ladder)"),
    "never_started": _("Never started: not accepted and the due date has passed"),
}

# The kinds of event the history holds, in the order of a task's life, then the rest.
EVENT_KINDS = {
    "created": _("Created"),
    "accepted": _("Accepted and assigned"),
    "contributed": _("Contribution from a supporting unit"),
    "submitted": _("Output submitted"),
    "returned": _("Output returned"),
    "approved": _("Output approved"),
    "done": _("Finished"),
    "extension_requested": _("Extension requested"),
    "extension_approved": _("Extension approved"),
    "extension_refused": _("Extension refused"),
    "handed_over": _("Post handed over"),
    "escalated": _("Escalated"),
    "opened": _("Inspection case opened"),
    "acknowledged": _("Inspection case acknowledged"),
    "explanation_requested": _("Explanation requested"),
    "explanation_answered": _("Explanation given"),
    "closed": _("Inspection case closed"),
    "activated": _("Plan activated"),
    "assigned": _("Post assigned to a person"),
    "login": _("Logged in"),
    "login_failed": _("Failed login"),
    "logout": _("Logged out"),
    "session_expired": _("Session expired"),
    "viewed": _("Opened the history workspace"),
    "exported": _("Exported an evidence bundle"),
}

OBJECT_TYPES = {
    "occurrence": _("task"), "case": _("inspection case"), "plan": _("plan"), "commune": _("commune"),
    "unit": _("unit"), "post": _("post"), "user": _("person"), "workspace": _("history workspace"),
    "bundle": _("evidence bundle"),
}

SHOW_OCCURRENCES, SHOW_EVENTS = "occurrences", "events"


@dataclass(frozen=True)
class WorkspaceFilters:
    """One search. Each filter narrows; empty ones do not."""

    unit_id: int | None = None
    person_id: int | None = None
    post_id: int | None = None
    plan_id: int | None = None
    task_id: int | None = None
    occurrence_id: int | None = None
    period_key: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    pattern: str = ""

    def as_detail(self) -> dict:
        """The filters that are set, as JSON: what the audit event of a view or an export records."""
        return {name: value.isoformat() if isinstance(value, date) else value
                for name, value in asdict(self).items() if value not in (None, "")}

    @property
    def is_empty(self) -> bool:
        return not self.as_detail()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def pattern_condition(*, pattern: str, commune_id: int, today: date) -> Q | Exists:
    """An occurrence shows the pattern. Computed from stored dates and counts when read, never stored."""
    if pattern == "late":
        return Q(finished_on_time=False) | Q(status__in=OPEN_STATUSES, original_due_on__lt=today)
    if pattern == "returned_3":
        return Q(return_count__gte=3)
    if pattern == "extended_2":
        return Q(extension_count__gt=1)
    if pattern == "escalated":
        return Exists(AuditEvent.objects.filter(chain=commune_id, occurrence_id=OuterRef("pk"), kind="escalated"))
    if pattern == "never_started":
        return Q(status=OccurrenceStatus.ASSIGNED, due_on__lt=today)
    raise ValueError(f"unknown pattern {pattern!r}")


def occurrences_search(*, commune: Commune, filters: WorkspaceFilters, today: date) -> QuerySet[Occurrence]:
    """The commune's occurrences matching every filter.

    On occurrences a person matches the one assigned or anyone who acted on it; a post matches the
    directing post or a post someone acted in; dates bound the original due date; a kind of event
    keeps occurrences that have such an event.
    """
    queryset = Occurrence.objects.filter(commune=commune)
    events = AuditEvent.objects.filter(chain=commune.pk, occurrence_id=OuterRef("pk"))
    if filters.unit_id:
        queryset = queryset.filter(unit_id=filters.unit_id)
    if filters.person_id:
        queryset = queryset.filter(Q(assignee_id=filters.person_id) | Exists(events.filter(actor_id=filters.person_id)))
    if filters.post_id:
        queryset = queryset.filter(Q(directing_post_id=filters.post_id)
                                   | Exists(events.filter(post_id=filters.post_id)))
    if filters.plan_id:
        queryset = queryset.filter(plan_id=filters.plan_id)
    if filters.task_id:
        queryset = queryset.filter(task_id=filters.task_id)
    if filters.occurrence_id:
        queryset = queryset.filter(pk=filters.occurrence_id)
    if filters.period_key:
        queryset = queryset.filter(period_key=filters.period_key)
    if filters.date_from:
        queryset = queryset.filter(original_due_on__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(original_due_on__lte=filters.date_to)
    if filters.kind:
        queryset = queryset.filter(Exists(events.filter(kind=filters.kind)))
    if filters.pattern:
        queryset = queryset.filter(pattern_condition(pattern=filters.pattern, commune_id=commune.pk, today=today))
    return queryset


def events_search(*, commune: Commune, filters: WorkspaceFilters, today: date) -> QuerySet[AuditEvent]:
    """The commune's events matching every filter (a person is who acted; dates bound when it happened)."""
    queryset = AuditEvent.objects.filter(chain=commune.pk)
    for name, column in (("unit_id", "unit_id"), ("person_id", "actor_id"), ("post_id", "post_id"),
                         ("plan_id", "plan_id"), ("task_id", "task_id"), ("occurrence_id", "occurrence_id"),
                         ("period_key", "period_key"), ("kind", "kind")):
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{column: value})
    if filters.date_from:
        queryset = queryset.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.pattern:
        matching = Occurrence.objects.filter(commune=commune).filter(
            pattern_condition(pattern=filters.pattern, commune_id=commune.pk, today=today))
        queryset = queryset.filter(occurrence_id__in=matching.values("pk"))
    return queryset


def selection_events(*, commune: Commune, filters: WorkspaceFilters, show: str, today: date) -> QuerySet[AuditEvent]:
    """What an export of this search holds: the events found, or every event of the occurrences found."""
    if show == SHOW_EVENTS:
        return events_search(commune=commune, filters=filters, today=today)
    found = occurrences_search(commune=commune, filters=filters, today=today)
    return AuditEvent.objects.filter(chain=commune.pk, occurrence_id__in=found.values("pk"))


def _page(queryset, *, per_page: int, number) -> Page:
    return Paginator(queryset, per_page).get_page(number)


def workspace_page_get(*, commune: Commune, filters: WorkspaceFilters, show: str, page_number, today: date) -> dict:
    """One page of results: occurrences soonest-due first, or events newest first. Two queries."""
    if show == SHOW_EVENTS:
        events = events_search(commune=commune, filters=filters, today=today).order_by("-seq")
        return {"page": _page(events, per_page=EVENTS_PER_PAGE, number=page_number)}
    occurrences = (occurrences_search(commune=commune, filters=filters, today=today)
                   .select_related("task", "unit", "assignee").order_by("original_due_on", "pk"))
    return {"page": _page(occurrences, per_page=OCCURRENCES_PER_PAGE, number=page_number)}


# Timelines: a task's, an occurrence's, a person's or a unit's whole history, oldest first.

TIMELINE_SUBJECTS = ("occurrence", "task", "person", "unit")


def timeline_subject_get(*, commune: Commune, subject: str, subject_id: int):
    """The occurrence, task, person or unit, if it belongs to the commune's history; else None."""
    if subject == "occurrence":
        return (Occurrence.objects.filter(commune=commune, pk=subject_id)
                .select_related("task", "unit", "plan", "assignee", "directing_post").first())
    if subject == "task":
        return Task.objects.filter(plan__commune=commune, pk=subject_id).select_related("plan").first()
    if subject == "unit":
        return Unit.objects.filter(commune=commune, pk=subject_id).first()
    if subject == "person":
        acted = AuditEvent.objects.filter(chain=commune.pk, actor_id=OuterRef("pk"))
        return User.objects.filter(pk=subject_id).filter(
            Q(commune=commune) | Q(role_grants__commune=commune) | Q(Exists(acted))).first()
    raise ValueError(f"unknown subject {subject!r}")


def timeline_filters(*, subject: str, subject_id: int) -> WorkspaceFilters:
    """A timeline is a search for events: the same filters export it."""
    name = {"occurrence": "occurrence_id", "task": "task_id", "person": "person_id", "unit": "unit_id"}[subject]
    return WorkspaceFilters(**{name: subject_id})


def timeline_get(*, commune: Commune, subject: str, subject_id: int, page_number, today: date) -> dict:
    filters = timeline_filters(subject=subject, subject_id=subject_id)
    events = events_search(commune=commune, filters=filters, today=today).order_by("seq")
    return {"filters": filters, "page": _page(events, per_page=TIMELINE_PER_PAGE, number=page_number)}


def filters_describe(*, commune: Commune, filters: WorkspaceFilters, show: str = SHOW_EVENTS) -> list[tuple[str, str]]:
    """The search in words, for the page and the evidence report: (label, value) pairs."""
    described: list[tuple[str, str]] = [(str(_("Commune")), commune.name)]
    lookups = (
        ("unit_id", _("Unit"), lambda pk: Unit.objects.filter(commune=commune, pk=pk).first()),
        ("person_id", _("Person"), lambda pk: User.objects.filter(pk=pk).first()),
        ("post_id", _("Post"), lambda pk: Post.objects.filter(commune=commune, pk=pk).first()),
        ("plan_id", _("Plan"), lambda pk: Plan.objects.filter(commune=commune, pk=pk).first()),
        ("task_id", _("Task"), lambda pk: Task.objects.filter(plan__commune=commune, pk=pk).first()),
        ("occurrence_id", _("Task of one unit and period"),
         lambda pk: Occurrence.objects.filter(commune=commune, pk=pk).select_related("task", "unit").first()),
    )
    for name, label, find in lookups:
        value = getattr(filters, name)
        if value:
            found = find(value)
            described.append((str(label), str(found) if found is not None else f"#{value}"))
    if filters.period_key:
        from workflow.templatetags.occurrences import period_label

        described.append((str(_("Period")), period_label(filters.period_key)))
    if filters.date_from or filters.date_to:
        label = _("Original due date") if show == SHOW_OCCURRENCES else _("Date of the event")
        span = " – ".join(day.strftime("%d/%m/%Y") if day else "…" for day in (filters.date_from, filters.date_to))
        described.append((str(label), span))
    if filters.kind:
        described.append((str(_("Kind of event")), str(EVENT_KINDS.get(filters.kind, filters.kind))))
    if filters.pattern:
        described.append((str(_("Pattern")), str(PATTERNS.get(filters.pattern, filters.pattern))))
    return described


def workspace_view_record(*, actor: User, commune: Commune, detail: dict) -> AuditEvent:
    """What inspectors open is part of the history too: one event per page they view."""
    return audit_record(kind="viewed", object_type="workspace", commune_id=commune.pk, actor=actor,
                        post=acting_post_get(actor=actor), detail=detail)

