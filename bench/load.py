"""Requests a second sustained with p95 ≤ 200 ms: gunicorn (2 × cores + 1 workers) on loopback, locust stepping users.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/load.py [--step-seconds 30] [--communes 100]

A mixed read workload (bench/locustfile.py): "my work" of unit heads and staff, unit queues,
task pages, plan pages, the Party Office's board and /healthz, each simulated user one
commune's person with 0.5–1.5 s between clicks. Users double (roughly) each step until the
95th percentile passes 200 ms or requests fail; the figure is the highest requests a second of a
step that kept p95 ≤ 200 ms.

Baseline, in the same run: the same number of users on the signed-in page with no data of its
own (bench/urls.py `floor`), so the ratio tells the data's cost apart from this machine's.
Locust runs on the same machine as the server and the database: it takes CPU from both.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, data_size, django_setup, result_write  # noqa: E402

SATURATED_P95_MS = 2000  # stepping stops here: the machine is saturated
STEPS = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
P95_MAX_MS = 200


def users_file(*, communes: int) -> tuple[str, list[str]]:
    """Sessions and addresses for `communes` communes' people, as JSON for the locustfile."""
    from bench.people import actors_pick, session_create
    from tasks.models import Plan
    from workflow.models import OPEN_STATUSES, Occurrence

    picked = actors_pick(count=communes, seed=99)
    plans = dict(Plan.objects.filter(commune__slug__in=[e["staff"].commune_slug for e in picked])
                 .values_list("commune__slug", "pk"))
    keys, entries = [], []
    for entry in picked:
        sessions = {role: session_create(user_id=actor.user_id) for role, actor in entry.items()}
        keys += sessions.values()
        unit_id = entry["staff"].unit_id
        occurrences = list(Occurrence.objects.filter(unit_id=unit_id, status__in=OPEN_STATUSES)
                           .order_by("due_on").values_list("pk", flat=True)[:5])
        entries.append({"sessions": sessions, "unit_queue": f"/units/{unit_id}/queue/",
                        "task_pages": [f"/occurrences/{pk}/" for pk in occurrences],
                        "plan_page": f"/plans/{plans[entry['staff'].commune_slug]}/",
                        "board": f"/xa/{entry['party_office'].commune_slug}/bang-theo-doi/"})
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    json.dump(entries, handle)
    handle.close()
    return handle.name, keys


def server_start(*, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except urllib.error.HTTPError:  # 503 when the broker is away: the server answers, that is enough
            return process
        except OSError:
            time.sleep(1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def step_run(*, port: int, users: int, seconds: int, users_path: str, user_class: str) -> dict:
    prefix = Path(tempfile.mkdtemp(prefix="sauro-locust-")) / "step"
    env = {**os.environ, "SAURO_BENCH_USERS": users_path}
    subprocess.run(
        [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), user_class,
         "--headless", "--users", str(users), "--spawn-rate", str(max(1, users)), "--run-time", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--stop-timeout", "5"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    per_page = {row["Name"]: {"requests": int(row["Request Count"]), "p95_ms": float(row["95%"] or 0),
                              "median_ms": float(row["Median Response Time"] or 0)}
                for row in rows if row["Name"] != "Aggregated"}
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    return {"users": users, "requests": requests, "failures": failures,
            "rps": round(float(total["Requests/s"]), 1), "p50_ms": float(total["50%"] or 0),
            "p95_ms": float(total["95%"] or 0), "p99_ms": float(total["99%"] or 0), "pages": per_page}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--step-seconds", type=int, default=30)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    django_setup()
    from bench.people import sessions_delete

    size = data_size()
    workers = 2 * (os.cpu_count() or 1) + 1
    path, keys = users_file(communes=args.communes)
    server = server_start(port=args.port, workers=workers)
    steps, floor = [], None
    try:
        step_run(port=args.port, users=4, seconds=10, users_path=path, user_class="CommuneUser")  # warm-up
        for users in STEPS:
            result = step_run(port=args.port, users=users, seconds=args.step_seconds, users_path=path,
                              user_class="CommuneUser")
            steps.append(result)
            print(f"{users} users: {result['rps']} req/s, p95 {result['p95_ms']} ms, "
                  f"{result['failures']} failures", flush=True)
            # Go on past the target so the table shows where the machine saturates, not only the first miss.
            if result["p95_ms"] > SATURATED_P95_MS or result["failures"] > result["requests"] * 0.01:
                break
        passing = [s for s in steps if s["p95_ms"] <= P95_MAX_MS and s["failures"] <= s["requests"] * 0.01]
        best = max(passing, key=lambda s: s["rps"]) if passing else None
        peak = max(steps, key=lambda s: s["rps"])
        at = best["users"] if best else steps[0]["users"]
        floor = step_run(port=args.port, users=at, seconds=args.step_seconds, users_path=path, user_class="FloorUser")
        print(f"baseline (floor page), {at} users: {floor['rps']} req/s, p95 {floor['p95_ms']} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
        sessions_delete(keys)
        os.unlink(path)
    result_write("load", {
        "what": "mixed reads (my work, unit queue, task page, plan page, board, healthz) from locust on loopback "
                f"against gunicorn with {workers} sync workers; users stepped until p95 > {SATURATED_P95_MS} ms",
        "gunicorn_workers": workers,
        "figure": {"rps_with_p95_within_200ms": best["rps"] if best else 0.0,
                   "users": best["users"] if best else None, "p95_ms": best["p95_ms"] if best else None},
        "peak": {key: peak[key] for key in ("users", "rps", "p50_ms", "p95_ms")},
        "steps": steps,
        "baseline": {"what": "the same users on the signed-in page with no data of its own (bench/urls.py)",
                     "users": floor["users"], "rps": floor["rps"], "p95_ms": floor["p95_ms"]},
        "ratio": round(best["rps"] / floor["rps"], 2) if best and floor["rps"] else None,
        "notes": "locust, gunicorn and PostgreSQL share the machine's cores",
    }, size=size)


if __name__ == "__main__":
    main()
