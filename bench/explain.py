"""EXPLAIN (ANALYZE, BUFFERS) of every hot query, as the code issues it, on the generated data.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/explain.py

Each hot path runs once as a real person would run it (the pages through django.test.Client, the
sweep and the report in a rolled-back transaction, verify_audit on one commune's chain) while
every SELECT it sends is captured with its parameters; the ones that read the large tables
(occurrences, audit events, notifications, contributions) are then run again under
EXPLAIN (ANALYZE, BUFFERS), slowest first, into bench/results/explain/<path>.txt.
"""
from __future__ import annotations

import sys
import time
from datetime import datetime, time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, bench_today, data_size, django_setup, result_write, rolled_back  # noqa: E402

LARGE = ("sauro_workflow_occurrence", "audit_auditevent", "notifications_notification", "sauro_workflow_contribution")
OUT = RESULTS / "explain"


class Capture:
    """Keeps the SELECTs on the large tables. With `in_place`, also every statement that reads them
    (temporary tables, INSERT … SELECT), explained just before it runs, inside a savepoint rolled
    back: the set-based sweep's statements depend on the temporary tables the one before made."""

    EXPLAINABLE = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "CREATE TEMP TABLE")

    def __init__(self, *, in_place: bool = False):
        self.queries: list[tuple[str, tuple, float]] = []
        self.in_place = in_place
        self.plans: dict[tuple[str, str], str] = {}

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip().upper()
        wanted = not many and any(t in sql for t in LARGE) and len(sql) < 200_000 and (
            head.startswith("SELECT") or (self.in_place and head.startswith(self.EXPLAINABLE)))
        if wanted and self.in_place:
            cursor = context["cursor"]
            cursor.execute("SAVEPOINT bench_explain")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            self.plans[(sql, repr(params))] = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("ROLLBACK TO SAVEPOINT bench_explain")
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if wanted:
                self.queries.append((sql, params, time.perf_counter() - started))


def captured(run, *, in_place: bool = False) -> list[tuple[str, tuple, float]] | Capture:
    from django.db import connection

    capture = Capture(in_place=in_place)
    with connection.execute_wrapper(capture):
        run()
    return capture if in_place else capture.queries


def explain_write(*, name: str, queries: list, note: str, plans: dict | None = None) -> dict:
    from django.db import connection

    OUT.mkdir(parents=True, exist_ok=True)
    seen, unique = set(), []
    for sql, params, seconds in sorted(queries, key=lambda q: -q[2]):
        key = (sql, repr(params))
        if key not in seen:
            seen.add(key)
            unique.append((sql, params, seconds))
    parts = [f"-- {name}: {note}", f"-- {len(unique)} distinct queries on the large tables, slowest first", ""]
    summary = []
    with rolled_back(), connection.cursor() as cursor:
        for index, (sql, params, seconds) in enumerate(unique, 1):
            plan = (plans or {}).get((sql, repr(params)))
            if plan is None:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            executed = next((line for line in plan.splitlines() if line.startswith("Execution Time")), "")
            readable = cursor.mogrify(sql, params) if params else sql
            if isinstance(readable, bytes):
                readable = readable.decode()
            parts += [f"-- query {index}: {seconds * 1000:.1f} ms when the code ran it; {executed}", readable, "",
                      plan, "", ""]
            summary.append({"ms_in_code": round(seconds * 1000, 2), "explain": executed,
                            "sql_start": readable[:160]})
    (OUT / f"{name}.txt").write_text("\n".join(parts), encoding="utf-8")
    print(f"{name}: {len(unique)} queries", flush=True)
    return {"note": note, "queries": summary}


def main() -> None:
    django_setup()
    from django.test import Client

    from audit.verify import audit_verify
    from bench.pages import extras_get, page_urls
    from bench.people import actors_pick, session_create, sessions_delete
    from bench.report import last_quarter
    from reports.services import report_prepare
    from roles.models import User
    from tasks.models import Plan
    from workflow.escalation import escalations_run

    today = bench_today()
    entry = actors_pick(count=1, seed=3)[0]
    extra = extras_get([entry])[0]
    report = {}
    keys = []
    try:
        clients = {}
        for role, actor in entry.items():
            client = Client()
            key = session_create(user_id=actor.user_id)
            keys.append(key)
            client.cookies["sessionid"] = key
            clients[role] = client
        for name, (role, url) in page_urls(actors=entry, extra=extra).items():
            clients[role].get(url)  # warm
            queries = captured(lambda: clients[role].get(url))
            report[name] = explain_write(name=name, queries=queries, note=f"GET {url} as {entry[role].username}")
    finally:
        sessions_delete(keys)

    now = datetime.combine(today, dtime(7, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def sweep():
        with rolled_back():
            escalations_run(now=now)

    capture = captured(sweep, in_place=True)
    report["sweep_daily"] = explain_write(name="sweep_daily", queries=capture.queries, plans=capture.plans,
                                          note=f"escalations_run(now={now.isoformat()}) on the generated history")
    office = User.objects.get(pk=entry["party_office"].user_id)
    plan = Plan.objects.get(commune__slug=entry["party_office"].commune_slug)

    def prepare():
        with rolled_back():
            report_prepare(plan=plan, period=last_quarter(today), actor=office, today=today)

    report["report_prepare"] = explain_write(name="report_prepare", queries=captured(prepare),
                                             note=f"report_prepare of {plan.commune.slug}'s last quarter")
    slug = entry["staff"].commune_slug
    queries = captured(lambda: audit_verify(commune_slug=slug))
    if not queries:  # a server-side cursor's query passes no execute wrapper: take the chain's query as built
        from audit.chain import HASHED_FIELDS
        from audit.models import AuditEvent
        from roles.models import Commune

        chain = Commune.objects.get(slug=slug).pk
        sql, params = (AuditEvent.objects.filter(chain=chain).order_by("seq")
                       .values_list("id", "hash", *HASHED_FIELDS).query.sql_with_params())
        queries = [(sql, params, 0.0)]
    report["verify_audit_chain"] = explain_write(name="verify_audit_chain", queries=queries,
                                                 note=f"audit_verify(commune_slug={slug!r}): one chain in seq order")
    result_write("explain", {"what": "EXPLAIN (ANALYZE, BUFFERS) of the hot queries, files in "
                                     "bench/results/explain/", "paths": report}, size=data_size())


if __name__ == "__main__":
    main()
