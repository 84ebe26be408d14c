"""Our bridge to viewflow: start processes in bulk and complete human steps from services."""
from __future__ import annotations

from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from workflow.flows import OccurrenceFlow

OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def processes_bulk_start(*, occurrences: list, contributions_by_occurrence: dict[int, list]) -> None:
    """Start one OccurrenceFlow process per occurrence with a few set-based statements.

    Writes exactly the rows `OccurrenceFlow.start.run()` writes (tests compare the two), without
    a round of queries per process: a commune's whole plan activates in one go. On PostgreSQL each
    kind of row is one INSERT … SELECT over arrays, whatever the number of processes.
    """
    if not occurrences:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        from workflow.engine_pg import processes_start_sql

        processes_start_sql(occurrences=occurrences, contributions_by_occurrence=contributions_by_occurrence)
        return
    now = timezone.now()
    processes = Process.objects.bulk_create([
        Process(flow_class=OccurrenceFlow, status=PROCESS.NEW, data={"occurrence_id": occ.pk}, created=now)
        for occ in occurrences
    ])
    starts = FlowTask.objects.bulk_create([
        FlowTask(process=process, flow_task=OccurrenceFlow.start, flow_task_type="START", status=STATUS.DONE,
                 token=Token("start"), created=now, started=now, finished=now)
        for process in processes
    ])
    forks = FlowTask.objects.bulk_create([
        FlowTask(process=process, flow_task=OccurrenceFlow.fork, flow_task_type="PARALLEL_GATEWAY",
                 status=STATUS.DONE, token=Token("start"), created=now, finished=now)
        for process in processes
    ])
    humans, contribution_links = [], []
    for occ, process, fork in zip(occurrences, processes, forks):
        humans.append(FlowTask(process=process, flow_task=OccurrenceFlow.accept, flow_task_type="HUMAN",
                               status=STATUS.NEW, token=Token(f"start/{fork.pk}_1"), created=now))
        for n, contribution in enumerate(contributions_by_occurrence.get(occ.pk, []), 2):
            humans.append(FlowTask(process=process, flow_task=OccurrenceFlow.contribute, flow_task_type="HUMAN",
                                   status=STATUS.NEW, token=Token(f"start/{fork.pk}_{n}"), created=now,
                                   data={"contribution_id": contribution.pk}))
            contribution_links.append((contribution, len(humans) - 1))
    humans = FlowTask.objects.bulk_create(humans)
    fork_of = {fork.process_id: fork.pk for fork in forks}
    previous = FlowTask.previous.through
    previous.objects.bulk_create(
        [previous(from_task_id=fork.pk, to_task_id=start.pk) for start, fork in zip(starts, forks)]
        + [previous(from_task_id=task.pk, to_task_id=fork_of[task.process_id]) for task in humans]
    )
    for occ, process in zip(occurrences, processes):
        occ.process = process
    type(occurrences[0]).objects.bulk_update(occurrences, ["process"])
    for contribution, index in contribution_links:
        contribution.flow_task_id = humans[index].pk
    if contribution_links:
        type(contribution_links[0][0]).objects.bulk_update([c for c, _ in contribution_links], ["flow_task"])


def open_flow_task(*, process_id: int, node) -> FlowTask | None:
    return FlowTask.objects.filter(process_id=process_id, flow_task=node, status__in=OPEN_TASK_STATUSES).first()


def flow_task_complete(*, task: FlowTask, actor, decision: str = "") -> None:
    """Complete a human step as `actor`; `decision` steers the If gates that follow it."""
    if decision:
        process = Process.objects.get(pk=task.process_id)
        process.data = {**(process.data or {}), "last_decision": decision}
        process.save(update_fields=["data"])
    with task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(actor)
        elif activation.task.owner_id != actor.pk:
            activation.reassign(actor)
        activation.start(None)
        activation.execute()


def flow_task_give(*, process_id: int, node, owner) -> None:
    """Put the open task of `node` in `owner`'s hands (the staff member who does the work)."""
    FlowTask.objects.filter(process_id=process_id, flow_task=node, status__in=OPEN_TASK_STATUSES).update(
        owner=owner, status=STATUS.ASSIGNED, assigned=timezone.now()
    )


def flow_task_cancel(*, task: FlowTask) -> None:
    with task.activation() as activation:
        activation.cancel()
