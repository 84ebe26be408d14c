"""The escalation sweep over the open occurrences vs viewflow's fire_due_timers() on the same due set.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/sweep.py [--sample 2000] [--timeout 900]

Two sweeps, both `escalations_run` over every open occurrence of the country as of the data's day
at 07:00, every write rolled back:

- daily sweep (the figure against "≤ 10 s"): on the generated history (what the sweeps recorded up
  to the day before), so what is owed is what was reached since: the morning's due set;
- catch-up sweep (the figure against "≥ 50×"): the notification history of one province's worth
  of communes (`--catch-up-communes`, 100) is deleted inside the transaction, so all their open
  work that reached a rung is owed again at once, on top of the morning's due set: the sweep after
  an outage, or a province's first. Rates are compared per notification recorded.

Baseline: the same notifications as viewflow processes waiting on a database `flow.Timer`
(bench/timerflow.py), one per (occurrence, rung, recipient), for a random sample of the first
sweep's due set; their processes are started untimed, then `fire_due_timers()` is timed as it
walks them one by one. The ratio compares rates per notification recorded.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Timer, bench_today, data_size, django_setup, result_write  # noqa: E402


class TouchedTables:
    """Counts the queries and notes whether any touches viewflow's tables, without keeping the SQL."""

    def __init__(self):
        self.queries = 0
        self.viewflow = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        if "viewflow_" in sql:
            self.viewflow += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=2000, help="notifications walked by the baseline")
    parser.add_argument("--timeout", type=int, default=900, help="seconds before a sweep is cancelled")
    parser.add_argument("--catch-up-communes", type=int, default=100,
                        help="communes whose notification history the catch-up sweep starts without")
    args = parser.parse_args()
    django_setup()
    from django.db import transaction

    today = bench_today()
    now = datetime.combine(today, dtime(7, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    size = data_size()
    with transaction.atomic():
        daily = _sweep(now=now, timeout=args.timeout, cold=False)
        first = _sweep(now=now, timeout=args.timeout, cold=True, sample_size=args.sample,
                       catch_up_communes=args.catch_up_communes)
        baseline = _baseline(sample=first.pop("sample"), now=now)
        transaction.set_rollback(True)

    ours_rate = first["notifications"] / first["seconds"] if first["seconds"] and first["finished"] else 0.0
    base_rate = baseline["fired"] / baseline["seconds"] if baseline["seconds"] else 0.0
    first["notifications_per_second"] = round(ours_rate, 1)
    first["ms_per_notification"] = round(1000 / ours_rate, 4) if ours_rate else None
    result_write("sweep", {
        "what": "escalations_run as of the data's day 07:00 over every open occurrence: the daily sweep on the "
                "generated history is the figure for the time; the catch-up sweep (one province's notification "
                "history removed) gives the rate per notification compared with fire_due_timers()",
        "as_of": now.isoformat(),
        "open_occurrences": size["open_occurrences"],
        "figure": daily,
        "catch_up": {**first, "communes_without_history": args.catch_up_communes},
        "baseline": {"what": "viewflow fire_due_timers() firing one flow.Timer per notification, for a random sample "
                             "of the catch-up sweep's due set; the Timer's next node records the same notification",
                     **baseline, "notifications_per_second": round(base_rate, 1),
                     "ms_per_notification": round(1000 / base_rate, 3) if base_rate else None},
        "ratio": round(ours_rate / base_rate, 1) if base_rate and ours_rate else None,
        "targets": {"seconds_max": 10, "ratio_min": 50,
                    "met": bool(daily["finished"] and daily["seconds"] <= 10 and base_rate
                                and ours_rate / base_rate >= 50)},
        "notes": "The generated occurrences have no viewflow process rows; queries of the sweeps on viewflow's "
                 f"tables: {first['queries_on_viewflow_tables'] + daily['queries_on_viewflow_tables']}.",
    }, size=size)


def _sweep(*, now: datetime, timeout: int, cold: bool, sample_size: int = 0, catch_up_communes: int = 0) -> dict:
    """One sweep in a savepoint rolled back after; cancelled (and said so) after `timeout` seconds."""
    import threading

    import psycopg
    from django.db import DatabaseError, connection, transaction

    from notifications.models import Notification
    from workflow.escalation import escalations_run

    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        if cold:
            cursor.execute("SELECT id FROM roles_commune ORDER BY id LIMIT %s", [catch_up_communes])
            communes = [row[0] for row in cursor.fetchall()]
            cursor.execute("DELETE FROM notifications_delivery WHERE notification_id IN (SELECT id FROM "
                           "notifications_notification WHERE commune_id = ANY(%s))", [communes])
            cursor.execute("DELETE FROM notifications_notification WHERE commune_id = ANY(%s)", [communes])
        cursor.execute("SELECT coalesce(max(id), 0) FROM notifications_notification")
        before = cursor.fetchone()[0]
    pid = connection.connection.info.backend_pid
    dsn = connection.connection.info.dsn

    def cancel():
        with psycopg.connect(dsn, password=connection.settings_dict.get("PASSWORD") or None) as other:
            other.execute("SELECT pg_cancel_backend(%s)", [pid])

    alarm = threading.Timer(timeout, cancel)
    touched = TouchedTables()
    name = "catch-up" if cold else "daily"
    alarm.start()
    finished, error = True, None
    try:
        with connection.execute_wrapper(touched), Timer() as timer:
            report = escalations_run(now=now)
    except DatabaseError as exc:
        finished, error = False, str(exc).splitlines()[0]
    finally:
        alarm.cancel()
    if not finished:
        transaction.savepoint_rollback(savepoint)
        print(f"{name} sweep: cancelled after {timer.seconds:.0f} s ({error})", flush=True)
        return {"finished": False, "seconds": round(timer.seconds, 1), "cancelled_after_seconds": timeout,
                "error": error, "queries": touched.queries, "queries_on_viewflow_tables": touched.viewflow,
                "notifications": None, "sample": []}
    new = Notification.objects.filter(pk__gt=before)
    result = {"finished": True, "seconds": round(timer.seconds, 3), "notifications": new.count(),
              "occurrences_notified": new.values("occurrence_id").distinct().count(),
              "per_rung": report.per_rung, "emails_queued": report.emails_queued, "queries": touched.queries,
              "queries_on_viewflow_tables": touched.viewflow}
    print(f"{name} sweep: {timer.seconds:.2f} s, {result['notifications']:,} notifications, "
          f"{result['occurrences_notified']:,} occurrences, {touched.queries} queries", flush=True)
    if cold:
        rows = list(new.filter(occurrence__isnull=False).values("occurrence_id", "rung", "recipient_id"))
        random.Random(7).shuffle(rows)
        result["sample"] = rows[:sample_size]
    transaction.savepoint_rollback(savepoint)
    return result


def _baseline(*, sample: list[dict], now: datetime) -> dict:
    """Start one SweepTimerFlow process per sampled notification (untimed), then time fire_due_timers()."""
    from django.db import transaction
    from viewflow.workflow.timers import fire_due_timers

    from bench.timerflow import SweepTimerFlow
    from workflow.models import Occurrence

    savepoint = transaction.savepoint()
    from django.db import connection

    with connection.cursor() as cursor:  # a clean slate, as for the first sweep
        cursor.execute("TRUNCATE notifications_notification CASCADE")
    source = "the first sweep's notifications"
    if not sample:
        sample, source = _sample_from_data(size=2000, now=now), "open occurrences due by the data's day + 9 days"
    occurrences = {o["pk"]: o for o in Occurrence.objects.filter(pk__in={s["occurrence_id"] for s in sample}).values(
        "pk", "commune_id", "unit_id", "due_on", "task__name", "unit__name")}
    started = time.perf_counter()
    for item in sample:
        occurrence = {**occurrences[item["occurrence_id"]]}
        occurrence["due_on"] = occurrence["due_on"].isoformat()
        SweepTimerFlow.start.run(occurrence=occurrence, rung=item["rung"], recipient_id=item["recipient_id"],
                                 reached_at=now)
    setup = time.perf_counter() - started
    print(f"baseline: {len(sample)} timer processes started in {setup:.1f} s (untimed)", flush=True)
    with Timer() as timer:
        fired = fire_due_timers()
    print(f"baseline: fire_due_timers() fired {fired} in {timer.seconds:.2f} s", flush=True)
    transaction.savepoint_rollback(savepoint)
    return {"sample": len(sample), "sampled_from": source, "fired": fired, "seconds": round(timer.seconds, 3),
            "setup_seconds_untimed": round(setup, 1)}


def _sample_from_data(*, size: int, now: datetime) -> list[dict]:
    """When our sweep did not finish: open occurrences it would have notified, each to the unit's head."""
    from datetime import timedelta

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT o.id, 'due', h.person_id FROM sauro_workflow_occurrence o
            JOIN roles_post p ON p.unit_id = o.unit_id AND p.is_unit_head
            JOIN roles_postholding h ON h.post_id = p.id AND h.ended_on IS NULL
            WHERE o.status IN ('assigned','in_progress','submitted','returned','awaiting_directing')
              AND o.due_on <= %s ORDER BY md5(o.id::text) LIMIT %s
        """, [now.date() + timedelta(days=9), size])
        return [{"occurrence_id": o, "rung": r, "recipient_id": p} for o, r, p in cursor.fetchall()]


if __name__ == "__main__":
    os.environ.setdefault("BENCH", "1")
    main()
