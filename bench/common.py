"""What every benchmark shares: Django on the bench database, the generator's state, timing and the result files.

Benchmarks are scripts (`python bench/<name>.py`), not tests: each measures a figure and its
baseline in the same run and writes bench/results/<name>.json with the data size, the machine
and the date beside them.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sauro_bench"


def django_setup() -> None:
    """Django with bench/settings.py on $DATABASE_URL (PostgreSQL only)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmarks run on PostgreSQL only: set DATABASE_URL=postgres://…")
    name = connection.settings_dict["NAME"]
    if name.startswith("test_"):
        raise SystemExit(f"Refusing to run on a test database ({name}).")


# The generator's state lives in the bench database itself, so a restart knows what is done.


def state_get(key: str, default=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute("SELECT value FROM bench_state WHERE key = %s", [key])
        row = cursor.fetchone()
    if row is None:
        return default
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def state_set(key: str, value) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value jsonb NOT NULL)")
        cursor.execute("INSERT INTO bench_state (key, value) VALUES (%s, %s) "
                       "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [key, json.dumps(value)])


def bench_today() -> date:
    """The day the data was generated for: due dates, statuses and past sweeps are relative to it."""
    value = state_get("today")
    if value is None:
        raise SystemExit("No bench data: run bench/generate.py first (or make bench).")
    return date.fromisoformat(value)


def data_size() -> dict:
    """What the database holds, as counted now (estimates from the planner for the largest tables)."""
    from django.db import connection

    exact = {
        "communes": "SELECT count(*) FROM roles_commune WHERE slug LIKE 'bench-%%'",
        "open_occurrences": "SELECT count(*) FROM sauro_workflow_occurrence WHERE status IN "
                            "('assigned','in_progress','submitted','returned','awaiting_directing')",
        "viewflow_processes": "SELECT count(*) FROM viewflow_process",
    }
    estimated = {
        "occurrences": "sauro_workflow_occurrence", "audit_events": "audit_auditevent",
        "notifications": "notifications_notification", "contributions": "sauro_workflow_contribution",
        "tasks": "tasks_task", "people": "roles_user",
    }
    size = {}
    with connection.cursor() as cursor:
        for name, sql in exact.items():
            cursor.execute(sql)
            size[name] = cursor.fetchone()[0]
        for name, table in estimated.items():
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            value = cursor.fetchone()[0]
            if value is None or value < 0 or value < 100_000:  # never analysed, or small: count it
                cursor.execute(f"SELECT count(*) FROM {table}")
                value = cursor.fetchone()[0]
            size[name] = int(value)
        cursor.execute("SELECT pg_database_size(current_database())")
        size["database_bytes"] = cursor.fetchone()[0]
    size["scale"] = state_get("scale")
    size["generated_for"] = state_get("today")
    return size


def machine() -> dict:
    # The load average says how much of the machine others were using while this ran.
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]}


def result_write(name: str, payload: dict, *, size: dict | None = None) -> Path:
    """bench/results/<name>.json: the figure, its baseline and ratio, and where and on what it was measured."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    body = {
        "benchmark": name,
        **payload,
        "data": size if size is not None else data_size(),
        "machine": machine(),
        "database": {"vendor": "postgresql", "server_version": server, "name": connection.settings_dict["NAME"]},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False, default=str))
    print(json.dumps(body, indent=2, ensure_ascii=False, default=str))
    return path


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, int(round(fraction * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(percentile(ms, 0.95), 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2)}


@contextmanager
def rolled_back():
    """Run a measured write and leave the data as it was: everything inside is rolled back."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Timer:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
