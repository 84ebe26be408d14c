"""PostgreSQL: start many OccurrenceFlow processes in seven statements, whatever their number.

The same rows as workflow.engine's ORM path (and as viewflow's StartHandle): a process, its start
task, its parallel gateway, the accept task and one contribute task per supporting unit, with the
links between them. Django's bulk_create spends most of its time compiling per-row SQL; here
PostgreSQL builds the rows from arrays.
"""
from __future__ import annotations

from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from workflow.flows import OccurrenceFlow


def _node(node) -> str:
    return FlowTask._meta.get_field("flow_task").get_prep_value(node)


_TASK_COLUMNS = "flow_task, flow_task_type, status, created, started, finished, token, process_id, data"


def processes_start_sql(*, occurrences: list, contributions_by_occurrence: dict[int, list]) -> None:
    now = timezone.now()
    occurrence_ids = [occ.pk for occ in occurrences]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO viewflow_process (flow_class, status, created, data) "
            "SELECT %s, %s, %s, jsonb_build_object('occurrence_id', o) FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(o, n) "
            "ORDER BY n RETURNING id, (data->>'occurrence_id')::bigint",
            [Process._meta.get_field("flow_class").get_prep_value(OccurrenceFlow), PROCESS.NEW, now, occurrence_ids])
        process_of = {occurrence_id: process_id for process_id, occurrence_id in cursor.fetchall()}
        process_ids = [process_of[occurrence_id] for occurrence_id in occurrence_ids]
        start_of = _tasks_insert(cursor, node=OccurrenceFlow.start, kind="START", status=STATUS.DONE, now=now,
                                 process_ids=process_ids, started=True)
        fork_of = _tasks_insert(cursor, node=OccurrenceFlow.fork, kind="PARALLEL_GATEWAY", status=STATUS.DONE,
                                now=now, process_ids=process_ids, started=False)
        cursor.execute(
            f"INSERT INTO viewflow_task ({_TASK_COLUMNS}) "
            "SELECT %s, 'HUMAN', %s, %s, NULL, NULL, 'start/' || f || '_1', p, '{}'::jsonb "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(p, f) RETURNING id, process_id",
            [_node(OccurrenceFlow.accept), STATUS.NEW, now, process_ids, [fork_of[p] for p in process_ids]])
        humans = cursor.fetchall()  # (task, process)
        contribution_task, contribution_humans = _contribute_tasks_insert(
            cursor, occurrences=occurrences, now=now, process_of=process_of, fork_of=fork_of,
            contributions_by_occurrence=contributions_by_occurrence)
        humans += contribution_humans
        # viewflow links a task to the one that led to it: fork after start, each human step after the fork.
        cursor.execute(
            "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
            [[fork_of[p] for p in process_ids] + [task for task, _p in humans],
             [start_of[p] for p in process_ids] + [fork_of[p] for _task, p in humans]])
        cursor.execute(
            "UPDATE sauro_workflow_occurrence AS o SET process_id = t.p "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS t(id, p) WHERE o.id = t.id",
            [occurrence_ids, process_ids])
        if contribution_task:
            cursor.execute(
                "UPDATE sauro_workflow_contribution AS c SET flow_task_id = t.task "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS t(id, task) WHERE c.id = t.id",
                [list(contribution_task), list(contribution_task.values())])
    for occ in occurrences:
        occ.process_id = process_of[occ.pk]
    for contributions in contributions_by_occurrence.values():
        for contribution in contributions:
            contribution.flow_task_id = contribution_task[contribution.pk]


def _tasks_insert(cursor, *, node, kind: str, status: str, now, process_ids: list[int], started: bool) -> dict[int, int]:
    cursor.execute(
        f"INSERT INTO viewflow_task ({_TASK_COLUMNS}) "
        "SELECT %s, %s, %s, %s, %s, %s, 'start', p, '{}'::jsonb FROM unnest(%s::bigint[]) AS t(p) "
        "RETURNING id, process_id",
        [_node(node), kind, status, now, now if started else None, now, process_ids])
    return {process_id: task_id for task_id, process_id in cursor.fetchall()}


def _contribute_tasks_insert(cursor, *, occurrences, now, process_of, fork_of, contributions_by_occurrence
                             ) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """The contribute tasks: ({contribution: task}, [(task, process)])."""
    processes, tokens, contribution_ids = [], [], []
    for occ in occurrences:
        process_id = process_of[occ.pk]
        for n, contribution in enumerate(contributions_by_occurrence.get(occ.pk, []), 2):
            processes.append(process_id)
            tokens.append(f"start/{fork_of[process_id]}_{n}")
            contribution_ids.append(contribution.pk)
    if not contribution_ids:
        return {}, []
    cursor.execute(
        f"INSERT INTO viewflow_task ({_TASK_COLUMNS}) "
        "SELECT %s, 'HUMAN', %s, %s, NULL, NULL, k, p, jsonb_build_object('contribution_id', c) "
        "FROM unnest(%s::bigint[], %s::text[], %s::bigint[]) AS t(p, k, c) "
        "RETURNING (data->>'contribution_id')::bigint, id, process_id",
        [_node(OccurrenceFlow.contribute), STATUS.NEW, now, processes, tokens, contribution_ids])
    rows = cursor.fetchall()
    return {contribution: task for contribution, task, _p in rows}, [(task, process) for _c, task, process in rows]
