"""The life of an occurrence as a viewflow process.

Views and forms are ours (they go through the access policy); each human step is a viewflow
View node that our services complete, so the process records who did what and when.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflow.splits import SplitEach


def _not_a_view(request, **kwargs):  # pragma: no cover - our own pages drive every step
    from django.http import HttpResponseNotFound

    return HttpResponseNotFound()


def _occurrence_id(activation) -> int:
    # The process is saved only after the start function runs, so the link lives in its data.
    return activation.process.data["occurrence_id"]


def _contribution_items(activation) -> list[dict]:
    from workflow.models import Contribution

    ids = Contribution.objects.filter(occurrence_id=_occurrence_id(activation)).order_by("pk").values_list("pk", flat=True)
    return [{"contribution_id": pk} for pk in ids]


def _needs_directing(activation) -> bool:
    from workflow.models import Occurrence

    return Occurrence.objects.filter(pk=_occurrence_id(activation), needs_directing_approval=True).exists()


def _decision(activation) -> str:
    return (activation.process.data or {}).get("last_decision", "")


class OccurrenceFlow(flow.Flow):
    process_title = _("Task occurrence")
    process_description = _("From assignment to an approved output.")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.fork)
    fork = SplitEach().Next(this.accept).Each(this.contribute, _contribution_items)

    accept = flow.View(_not_a_view).Annotation(title=_("Accept and assign")).Next(this.work)
    work = flow.View(_not_a_view).Annotation(title=_("Prepare and submit the output")).Next(this.review)
    review = flow.View(_not_a_view).Annotation(title=_("Unit head review")).Next(this.after_review)
    after_review = (
        flow.If(lambda activation: _decision(activation) == "returned")
        .Annotation(title=_("Returned?"))
        .Then(this.work)
        .Else(this.directing_needed)
    )
    directing_needed = (
        flow.If(_needs_directing)
        .Annotation(title=_("Needs the directing comrade?"))
        .Then(this.directing_review)
        .Else(this.done)
    )
    directing_review = flow.View(_not_a_view).Annotation(title=_("Directing comrade review")).Next(
        this.after_directing
    )
    after_directing = (
        flow.If(lambda activation: _decision(activation) == "returned")
        .Annotation(title=_("Returned?"))
        .Then(this.work)
        .Else(this.done)
    )
    done = flow.End()

    contribute = flow.View(_not_a_view).Annotation(title=_("Supporting unit's contribution")).Next(
        this.contribution_end
    )
    contribution_end = flow.End()

    def start_process(self, activation, occurrence_id: int):
        activation.process.data = {"occurrence_id": occurrence_id}
        return activation.process
