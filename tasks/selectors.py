"""Reads for plans and their rows."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from roles.models import Unit, User
from roles.policy import communes_visible
from roles.selectors import unit_heads_get
from roles.unitnames import COLLECTIVES
from tasks.models import IndicatorTarget, Plan, Task
from tasks.sixro import LeadFacts, SixRo, TaskFacts, six_ro_check, six_ro_summarise


@dataclass(frozen=True)
class TaskRowView:
    task: Task
    six_ro: SixRo


@dataclass(frozen=True)
class PlanSixRo:
    rows: list[TaskRowView]
    summary: dict


def plans_visible(*, user: User) -> QuerySet[Plan]:
    from roles.policy import plans_shared_ids

    return Plan.objects.filter(
        Q(commune__in=communes_visible(user=user)) | Q(pk__in=plans_shared_ids(user=user))
    ).select_related("commune")


def _collective_label(key: str) -> str:
    return str(getattr(COLLECTIVES[key], "label", key)) if key in COLLECTIVES else key


def _collective_kinds(key: str) -> frozenset[str]:
    return frozenset(getattr(COLLECTIVES[key], "kinds", ())) if key in COLLECTIVES else frozenset()


def _reason_text(reason) -> str:
    if isinstance(reason, dict):
        return reason.get(get_language() or "vi", reason.get("vi", ""))
    return reason or ""


def _units_by_name(relation: str) -> Prefetch:
    # The models' default orderings go through plan and commune: a join over every commune of the
    # country for rows that all belong to one plan.
    return Prefetch(relation, queryset=Unit.objects.order_by("name"))


def plan_six_ro_get(*, plan: Plan) -> PlanSixRo:
    """Every task of the plan with its "6 rõ" verdict, in a fixed number of queries."""
    tasks = list(
        Task.objects.filter(plan=plan).select_related("group", "directing_post").prefetch_related(
            _units_by_name("lead_units"), _units_by_name("supporting_units")
        ).order_by("position")
    )
    lead_ids = {unit.pk for task in tasks for unit in task.lead_units.all()}
    heads = unit_heads_get(unit_ids=lead_ids)
    kinds_present = set(Unit.objects.filter(commune_id=plan.commune_id).values_list("kind", flat=True).distinct())
    rows = []
    for task in tasks:
        leads = []
        for unit in task.lead_units.all():
            post, holding = heads.get(unit.pk, (None, None))
            leads.append(LeadFacts(
                name=unit.name, head_title=post.title if post else None,
                head_holder=str(holding.person) if holding else None,
            ))
        timeline = task.timeline or {}
        facts = TaskFacts(
            name=task.name,
            leads=tuple(leads),
            lead_collectives=tuple(task.lead_collectives),
            empty_collectives=tuple(
                _collective_label(key) for key in task.lead_collectives
                if kinds_present.isdisjoint(_collective_kinds(key))
            ),
            unknown_names=tuple(task.unresolved_names),
            lead_written=bool(task.lead_text.strip(" -")),
            output_kind=task.output_kind,
            timeline_kind=timeline.get("kind", "unreadable"),
            timeline_reason=_reason_text(timeline.get("reason")),
            directing_written=bool(task.directing_text.strip(" -")),
            directing_resolved=task.directing_post_id is not None,
        )
        rows.append(TaskRowView(task=task, six_ro=six_ro_check(facts=facts)))
    return PlanSixRo(rows=rows, summary=six_ro_summarise(results=[row.six_ro for row in rows]))


@dataclass(frozen=True)
class AppendixLine:
    """One line of an appendix as the document had it: a group row or an item row."""

    group: object | None = None
    item: object | None = None
    six_ro: SixRo | None = None


def _lines_in_document_order(groups, items, six_ro_by_id=None) -> list[AppendixLine]:
    lines = [(group.source_row, 0, AppendixLine(group=group)) for group in groups]
    lines += [
        (item.source_row, 1, AppendixLine(item=item, six_ro=(six_ro_by_id or {}).get(item.pk)))
        for item in items
    ]
    return [line for _, _, line in sorted(lines, key=lambda entry: (entry[0], entry[1]))]


def plan_page_get(*, plan: Plan) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    from tasks.models import Appendix, Indicator, RowGroup

    six_ro = plan_six_ro_get(plan=plan)
    groups = list(RowGroup.objects.filter(plan=plan).order_by("position"))
    indicators = list(
        Indicator.objects.filter(plan=plan).prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")), _units_by_name("monitoring_units")
        ).order_by("position")
    )
    years = sorted({target.year for indicator in indicators for target in indicator.targets.all()})
    for indicator in indicators:
        by_year = {target.year: target for target in indicator.targets.all()}
        indicator.target_cells = [by_year.get(year) for year in years]
    language = get_language() or "vi"
    warnings = [
        {**warning, "message": warning.get(language) or warning.get("vi", "")} for warning in plan.import_warnings
    ]
    return {
        "plan": plan,
        "summary": six_ro.summary,
        "task_rows": six_ro.rows,
        "task_lines": _lines_in_document_order(
            [g for g in groups if g.appendix == Appendix.TASKS], [row.task for row in six_ro.rows],
            {row.task.pk: row.six_ro for row in six_ro.rows},
        ),
        "indicator_lines": _lines_in_document_order([g for g in groups if g.appendix == Appendix.INDICATORS], indicators),
        "years": years,
        "warnings": warnings,
    }
