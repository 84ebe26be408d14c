"""Server time of "Việc của tôi", a unit's queue and the Party Office board, and their query counts.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/pages.py [--requests 200]

In-process through django.test.Client (every middleware, the session, two-factor, templates):
each request acts as a different commune's person, so caches see a realistic spread: the head
of the Culture and Society office on "my work", one of its staff on "my work" and on the unit's
queue, the Party Office on the board; the task (occurrence) and plan pages are timed as well.

Baseline, side by side in the same loop: the same people's signed-in page with the site's layout
and no data of its own (bench/urls.py `floor`), i.e. what every page costs on this machine.

Query counts are taken for one commune as generated and again, inside a rolled-back transaction,
with ten times its open work: the number of rows shown grows (up to each page's limit), the
number of queries must not. No query may touch viewflow's tables (the generated occurrences
have no process rows).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import data_size, django_setup, result_write, summary_ms  # noqa: E402

ROW = re.compile(r'data-occurrence="(\d+)"')
OPEN = ("assigned", "in_progress", "submitted", "returned", "awaiting_directing")


def page_urls(*, actors: dict, extra: dict) -> dict[str, tuple[str, str]]:
    """name -> (role, url) for one commune's people."""
    staff, office = actors["staff"], actors["party_office"]
    urls = {
        "my_work_unit_head": ("unit_head", "/viec-cua-toi/"),
        "my_work_staff": ("staff", "/viec-cua-toi/"),
        "unit_queue": ("staff", f"/units/{staff.unit_id}/queue/"),
        "board": ("party_office", f"/xa/{office.commune_slug}/bang-theo-doi/"),
        "plan_page": ("party_office", f"/plans/{extra['plan_id']}/"),
    }
    if extra.get("occurrence_id"):
        urls["task_page"] = ("unit_head", f"/occurrences/{extra['occurrence_id']}/")
    return urls


TARGETED = ("my_work_unit_head", "my_work_staff", "unit_queue", "board")


def extras_get(picked: list[dict]) -> list[dict]:
    """Each commune's plan and one open occurrence of the unit (for the task page)."""
    from tasks.models import Plan
    from workflow.models import Occurrence

    slugs = [entry["staff"].commune_slug for entry in picked]
    plans = dict(Plan.objects.filter(commune__slug__in=slugs).values_list("commune__slug", "pk"))
    extras = []
    for entry in picked:
        occurrence = (Occurrence.objects.filter(unit_id=entry["staff"].unit_id, status__in=OPEN)
                      .order_by("due_on").values_list("pk", flat=True).first())
        extras.append({"plan_id": plans[entry["staff"].commune_slug], "occurrence_id": occurrence})
    return extras


class Probe:
    """Queries of one request: how many, and whether any reads viewflow's tables.

    Writes of the session row are left out of the count: the idle clock is saved at most once a
    minute, so they come and go with the wall clock, not with the data.
    """

    def __init__(self):
        self.count = 0
        self.viewflow = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().startswith(("UPDATE \"django_session\"", "INSERT INTO \"django_session\"")):
            self.count += 1
        if "viewflow_" in sql:
            self.viewflow += 1
        return execute(sql, params, many, context)


def get(client, url: str) -> tuple[float, int, int, int]:
    """(seconds, queries, rows shown, queries on viewflow tables) of one GET, which must answer 200."""
    from django.db import connection

    probe = Probe()
    with connection.execute_wrapper(probe):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code} (expected 200)")
    rows = len(set(ROW.findall(response.content.decode())))
    return elapsed, probe.count, rows, probe.viewflow


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="requests per page (one commune each)")
    args = parser.parse_args()
    django_setup()
    from django.test import Client

    from bench.people import actors_pick, session_create, sessions_delete

    picked = actors_pick(count=args.requests)
    extras = extras_get(picked)
    sessions, clients = [], []
    for entry in picked:
        by_role = {}
        for role, actor in entry.items():
            client = Client()
            key = session_create(user_id=actor.user_id)
            sessions.append(key)
            client.cookies["sessionid"] = key
            by_role[role] = client
        clients.append(by_role)
    try:
        timings: dict[str, list[float]] = {}
        queries: dict[str, set[int]] = {}
        rows: dict[str, list[int]] = {}
        viewflow = 0
        # Warm up: templates compiled, connections open, as in a running server.
        for entry, extra, by_role in list(zip(picked, extras, clients))[:3]:
            for name, (role, url) in page_urls(actors=entry, extra=extra).items():
                get(by_role[role], url)
            get(by_role["staff"], "/bench/floor/")
        for entry, extra, by_role in zip(picked, extras, clients):
            for name, (role, url) in page_urls(actors=entry, extra=extra).items():
                # The baseline right beside each page, as the same person.
                seconds, count, _, _ = get(by_role[role], "/bench/floor/")
                timings.setdefault("floor", []).append(seconds)
                queries.setdefault("floor", set()).add(count)
                seconds, count, shown, on_viewflow = get(by_role[role], url)
                timings.setdefault(name, []).append(seconds)
                queries.setdefault(name, set()).add(count)
                rows.setdefault(name, []).append(shown)
                viewflow += on_viewflow
        constancy = _query_constancy(picked=picked[0], extra=extras[0], by_role=clients[0])
    finally:
        sessions_delete(sessions)

    floor = summary_ms(timings["floor"])
    pages = {}
    for name, values in timings.items():
        if name == "floor":
            continue
        summary = summary_ms(values)
        pages[name] = {**summary, "queries_seen": sorted(queries[name]),
                       "rows_shown_mean": round(sum(rows[name]) / len(rows[name]), 1),
                       "rows_shown_max": max(rows[name]),
                       "p95_over_floor_p95": round(summary["p95_ms"] / floor["p95_ms"], 2),
                       "target_p95_ms": 100 if name in TARGETED else None,
                       "met": (summary["p95_ms"] <= 100 and constancy[name]["constant"]) if name in TARGETED else None}
    result_write("pages", {
        "what": "server time in-process (django.test.Client) of each page, one commune's person per request",
        "pages": pages,
        "baseline": {"what": "the same person's signed-in page with the site's layout and no data (bench/urls.py)",
                     **floor, "queries_seen": sorted(queries["floor"])},
        "query_constancy": constancy,
        "queries_on_viewflow_tables": viewflow,
        "targets": {"p95_ms_max": 100, "queries": "constant in data size and rows shown",
                    "met": all(pages[name]["met"] for name in TARGETED)},
    }, size=data_size())


def _query_constancy(*, picked: dict, extra: dict, by_role: dict) -> dict:
    """Queries and rows of each page for one commune as generated, then with ten times its open work."""
    from django.db import connection, transaction

    before = {}
    for name, (role, url) in page_urls(actors=picked, extra=extra).items():
        get(by_role[role], url)  # the session's clocks settle first
        _, count, shown, _ = get(by_role[role], url)
        before[name] = (count, shown)
    commune_slug = picked["staff"].commune_slug
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"""
                INSERT INTO sauro_workflow_occurrence (period_key, due_on, original_due_on, status,
                    needs_directing_approval, return_count, extension_count, went_on_without, created_at, accepted_at,
                    submitted_at, assignee_id, commune_id, directing_post_id, plan_id, task_id, unit_id)
                SELECT o.period_key || '~' || g, o.due_on, o.original_due_on, o.status, o.needs_directing_approval,
                       o.return_count, o.extension_count, o.went_on_without, o.created_at, o.accepted_at,
                       o.submitted_at, o.assignee_id, o.commune_id, o.directing_post_id, o.plan_id, o.task_id, o.unit_id
                FROM sauro_workflow_occurrence o CROSS JOIN generate_series(1, 9) g
                WHERE o.commune_id = (SELECT id FROM roles_commune WHERE slug = %s) AND o.status IN {OPEN!r}
            """, [commune_slug])
            added = cursor.rowcount
        after = {}
        for name, (role, url) in page_urls(actors=picked, extra=extra).items():
            get(by_role[role], url)
            _, count, shown, _ = get(by_role[role], url)
            after[name] = (count, shown)
        transaction.set_rollback(True)
    return {name: {"commune": commune_slug, "open_occurrences_added": added,
                   "as_generated": {"queries": before[name][0], "rows_shown": before[name][1]},
                   "ten_times_open_work": {"queries": after[name][0], "rows_shown": after[name][1]},
                   "constant": before[name][0] == after[name][0]} for name in before}


if __name__ == "__main__":
    main()
