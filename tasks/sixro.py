"""The "6 rõ" check: for one task, which of the six things is clear and, where not, why.

A pure function over facts that a selector gathers, so that the import preview (before anything
is saved) and the plan page (after) give the same verdict.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format
from tasks.models import OutputKind

DIMENSIONS: tuple[str, ...] = ("person", "task", "timeline", "result", "responsibility", "authority")
DIMENSION_LABELS = {
    "person": _("Clear person"),
    "task": _("Clear task"),
    "timeline": _("Clear timeline"),
    "result": _("Clear result"),
    "responsibility": _("Clear responsibility"),
    "authority": _("Clear authority"),
}


@dataclass(frozen=True)
class LeadFacts:
    """One lead unit: its name, whether it has a head post and who holds it today."""

    name: str
    head_title: str | None
    head_holder: str | None


@dataclass(frozen=True)
class TaskFacts:
    name: str
    leads: tuple[LeadFacts, ...]
    lead_collectives: tuple[str, ...]
    empty_collectives: tuple[str, ...]
    unknown_names: tuple[str, ...]
    lead_written: bool
    output_kind: str
    timeline_kind: str
    timeline_reason: str
    directing_written: bool
    directing_resolved: bool


@dataclass(frozen=True)
class SixRo:
    clear: dict[str, bool]
    reasons: dict[str, list[str]] = field(default_factory=dict)

    @property
    def all_clear(self) -> bool:
        return all(self.clear.values())

    def as_dict(self) -> dict:
        return {"clear": dict(self.clear), "reasons": {key: [str(r) for r in value] for key, value in self.reasons.items()}}


def _person_reasons(facts: TaskFacts) -> list:
    reasons: list = []
    if not facts.leads and not facts.empty_collectives:
        reasons.append(_("No lead unit, so no person is responsible."))
    for lead in facts.leads:
        if lead.head_title is None:
            reasons.append(message_format(template=_("%(unit)s has no head post."), unit=lead.name))
        elif lead.head_holder is None:
            reasons.append(message_format(template=_("Nobody holds the post of %(post)s."), post=lead.head_title))
    return reasons


def _responsibility_reasons(facts: TaskFacts) -> list:
    reasons: list = []
    if not facts.lead_written:
        reasons.append(_("The lead unit cell is empty."))
    for collective in facts.empty_collectives:
        reasons.append(message_format(template=_("The collective lead “%(name)s” has no unit of that kind in this commune."), name=collective))
    for name in facts.unknown_names:
        reasons.append(message_format(template=_("“%(name)s” is not a unit of this commune."), name=name))
    return reasons


def _timeline_reasons(facts: TaskFacts) -> list:
    if facts.timeline_kind == "unreadable":
        return [facts.timeline_reason or _("The timeline could not be read; a person must set the due date.")]
    if facts.timeline_kind == "on_request":
        return [_("Due only on request: there is no due date until someone sets one.")]
    return []


def _result_reasons(facts: TaskFacts) -> list:
    if facts.output_kind == OutputKind.NONE:
        return [_("No required output is stated.")]
    if facts.output_kind == OutputKind.OUTCOME:
        return [_("The output is a statement of outcome, not a document that can be checked; name the document (decision, plan, report…) that proves it.")]
    return []


def _authority_reasons(facts: TaskFacts) -> list:
    reasons: list = []
    if not facts.leads:
        reasons.append(_("Without a lead unit there is no unit head to approve the output."))
    elif any(lead.head_title is None for lead in facts.leads):
        reasons.append(_("A lead unit has no head post to approve the output."))
    if facts.directing_written and not facts.directing_resolved:
        reasons.append(_("The directing comrade's post is not one of this commune's posts."))
    return reasons


def six_ro_check(*, facts: TaskFacts) -> SixRo:
    reasons = {
        "person": _person_reasons(facts),
        "task": [] if len(facts.name.strip()) >= 3 else [_("The task has no text.")],
        "timeline": _timeline_reasons(facts),
        "result": _result_reasons(facts),
        "responsibility": _responsibility_reasons(facts),
        "authority": _authority_reasons(facts),
    }
    return SixRo(clear={key: not reasons[key] for key in DIMENSIONS}, reasons={k: v for k, v in reasons.items() if v})


def six_ro_summarise(*, results: list[SixRo]) -> dict:
    """Plan level: how many tasks are clear on each dimension, and how many on all six."""
    total = len(results)
    return {
        "tasks": total,
        "all_clear": sum(1 for result in results if result.all_clear),
        "clear": {key: sum(1 for result in results if result.clear[key]) for key in DIMENSIONS},
    }
