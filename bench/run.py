"""`make bench`: generate the data at a scale, run every benchmark, write bench/results/summary.md.

    .venv/bin/python bench/run.py [--scale national|province|commune] [--only sweep,pages] [--skip load]

The database is $BENCH_DATABASE_URL, else $DATABASE_URL's server with the database sauro_bench
(never the database DATABASE_URL names: the generator fills it with synthetic communes), else
postgres://postgres@127.0.0.1:5432/sauro_bench. It is created when missing and migrated. Each
benchmark runs in its own process; one that fails is reported and the others still run.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import DEFAULT_DATABASE_URL  # noqa: E402

# name, script, arguments; in this order (the load test last but one: it wants the machine to itself).
BENCHMARKS = (
    ("activation", "bench/activation.py", ["--communes", "20"]),
    ("import", "bench/appendix_import.py", []),
    ("report", "bench/report.py", []),
    ("pages", "bench/pages.py", []),
    ("sweep", "bench/sweep.py", []),
    ("verify", "bench/verify.py", []),
    ("load", "bench/load.py", []),
    ("explain", "bench/explain.py", []),
)


def bench_database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        return urlunparse(parsed._replace(path="/sauro_bench"))
    return DEFAULT_DATABASE_URL


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default=os.environ.get("SCALE", "national"),
                        choices=("commune", "province", "national"))
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run (default: all)")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    parser.add_argument("--fresh", action="store_true", help="generate the data again from nothing")
    args = parser.parse_args()
    url = bench_database_url()
    if urlparse(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"The benchmarks need PostgreSQL; got {url!r}")
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    python = sys.executable
    print(f"bench database: {url} — scale: {args.scale}", flush=True)
    generate = [python, str(ROOT / "bench" / "generate.py"), "--scale", args.scale] + (["--fresh"] if args.fresh else [])
    started = time.perf_counter()
    subprocess.run(generate, cwd=ROOT, env=env, check=True)
    print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)
    only = {name for name in args.only.split(",") if name}
    skip = {name for name in args.skip.split(",") if name}
    failed = []
    for name, script, extra in BENCHMARKS:
        if (only and name not in only) or name in skip:
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        completed = subprocess.run([python, str(ROOT / script), *extra], cwd=ROOT, env=env)
        print(f"=== {name}: {'ok' if completed.returncode == 0 else 'FAILED'} in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        if completed.returncode != 0:
            failed.append(name)
    subprocess.run([python, str(ROOT / "bench" / "summary.py"), "--command",
                    f"make bench SCALE={args.scale}", "--failed", ",".join(failed)], cwd=ROOT, env=env, check=True)
    if failed:
        raise SystemExit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
