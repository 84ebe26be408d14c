"""`manage.py verify_audit` over every chain vs the same check hashed with the standard library in one process.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/verify.py [--baseline-events 500000]

The figure is the command as an operator runs it (a fresh process, its own start-up included):
wall time and events checked a second.

Baseline: re-hashing the first communes' chains in seq order the way the first implementation
did — `json.dumps(…, ensure_ascii=False, sort_keys=True, separators=(",", ":"))` and SHA-256,
one process, one chain after another — on a sample of about `--baseline-events` events, timed
right after the command on the same rows.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, data_size, django_setup, result_write  # noqa: E402


def baseline_run(*, events: int) -> dict:
    """Stream chains in (chain, seq) order and re-hash each event with the standard library's json."""
    from django.db import connection, transaction

    from audit.chain import GENESIS, HASHED_FIELDS, at_text

    columns = ("id", "hash", *HASHED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain, seq FROM audit_auditchain ORDER BY chain")
        chains, total = [], 0
        for chain, seq in cursor.fetchall():
            chains.append(chain)
            total += seq
            if total >= events:
                break
    checked = 0
    started = time.perf_counter()
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM audit_auditevent WHERE chain = ANY(%s) ORDER BY chain, seq",
                       [chains])
        previous_chain, prev = None, GENESIS
        while rows := cursor.fetchmany(20_000):
            for row in rows:
                values = dict(zip(columns, row))
                for name in ("before", "after", "detail"):  # Django's raw cursor hands jsonb over as text
                    if isinstance(values[name], str):
                        values[name] = json.loads(values[name])
                if values["chain"] != previous_chain:
                    previous_chain, prev = values["chain"], GENESIS
                if values["prev_hash"] != prev:
                    raise SystemExit(f"baseline: chain {values['chain']} unlinked at seq {values['seq']}")
                canonical = [at_text(values["at"]) if name == "at" else values[name] for name in HASHED_FIELDS]
                digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False, sort_keys=True,
                                                   separators=(",", ":")).encode("utf-8")).hexdigest()
                if digest != values["hash"]:
                    raise SystemExit(f"baseline: chain {values['chain']} changed at seq {values['seq']}")
                prev = values["hash"]
                checked += 1
    seconds = time.perf_counter() - started
    return {"events": checked, "chains": len(chains), "seconds": round(seconds, 2),
            "events_per_second": round(checked / seconds) if seconds else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline-events", type=int, default=500_000)
    args = parser.parse_args()
    django_setup()
    size = data_size()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(ROOT / "manage.py"), "verify_audit"], env=env, cwd=ROOT,
                               capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = (completed.stdout + completed.stderr).strip()
    print(output, flush=True)
    if completed.returncode != 0:
        raise SystemExit(f"verify_audit failed ({completed.returncode}): {output[-500:]}")
    match = re.search(r"(\d[\d.,]*)", completed.stdout)
    checked = int(re.sub(r"[^\d]", "", match.group(1))) if match else 0
    rate = checked / seconds if seconds else 0
    baseline = baseline_run(events=args.baseline_events)
    print(f"verify_audit: {checked:,} events in {seconds:.1f} s ({rate:,.0f}/s); baseline "
          f"{baseline['events_per_second']:,}/s", flush=True)
    result_write("verify", {
        "what": "manage.py verify_audit over every chain, wall time of the command (start-up included)",
        "figure": {"events": checked, "seconds": round(seconds, 2), "events_per_second": round(rate),
                   "output": output[-300:]},
        "baseline": {"what": "standard-library json + SHA-256 in one process, chain after chain, on the first "
                             "chains (a sample), streamed in (chain, seq) order", **baseline},
        "ratio": round(rate / baseline["events_per_second"], 2) if baseline["events_per_second"] else None,
        "targets": {"events_per_second_min": 200_000, "events_min": 10_000_000,
                    "met": rate >= 200_000 and checked >= 10_000_000},
    }, size=size)


if __name__ == "__main__":
    main()
