"""A commune's quarterly report: prepared from live data and downloaded as Word and Excel.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/report.py [--communes 20]

For each of N generated communes, as its Party Office: `report_prepare` of the last quarter
ended before the data's day (its figures over twenty years of the plan's occurrences), then
`report_export` as .docx and as .xlsx (each download audited), all rolled back after.

Baseline, alternately in the same loop: what a report without the set-based selectors would do,
reading every occurrence of the plan through the ORM and counting in Python.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_today, data_size, django_setup, result_write, rolled_back, summary_ms  # noqa: E402


def last_quarter(today):
    from reports.periods import PeriodKind, period_of

    quarter = (today.month - 1) // 3  # the one before today's
    year = today.year if quarter else today.year - 1
    return period_of(kind=PeriodKind.QUARTER, key=f"{year}-Q{quarter or 4}")


def naive_count(*, plan) -> int:
    from workflow.models import Occurrence

    counts: Counter = Counter()
    for occurrence in Occurrence.objects.filter(plan=plan).select_related("task", "unit"):
        counts[(occurrence.task.number, occurrence.unit.name, occurrence.status)] += 1
    return sum(counts.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=20)
    args = parser.parse_args()
    django_setup()
    from bench.people import actors_pick
    from reports.services import report_export, report_prepare
    from roles.models import User
    from tasks.models import Plan

    today = bench_today()
    period = last_quarter(today)
    picked = actors_pick(count=args.communes, seed=71)
    ours, baseline, sizes, occurrences = [], [], [], []
    for index, entry in enumerate(picked):
        office = User.objects.get(pk=entry["party_office"].user_id)
        plan = Plan.objects.get(commune__slug=entry["party_office"].commune_slug)
        with rolled_back():
            started = time.perf_counter()
            draft, created = report_prepare(plan=plan, period=period, actor=office, today=today)
            word = report_export(draft=draft, actor=office, file_format="docx")
            excel = report_export(draft=draft, actor=office, file_format="xlsx")
            elapsed = time.perf_counter() - started
        started = time.perf_counter()
        occurrences.append(naive_count(plan=plan))
        naive = time.perf_counter() - started
        if index:  # the first commune warms up
            ours.append(elapsed)
            baseline.append(naive)
            sizes.append({"docx_bytes": len(word.data), "xlsx_bytes": len(excel.data)})
        print(f"{entry['party_office'].commune_slug}: report {elapsed:.2f} s, naive read {naive:.2f} s "
              f"({occurrences[-1]:,} occurrences)", flush=True)
    figure = summary_ms(ours)
    base = summary_ms(baseline)
    result_write("report", {
        "what": "report_prepare + report_export docx + xlsx of a commune's quarterly report, as its Party Office, "
                "rolled back; one commune per run, the first one a warm-up",
        "period": period.key,
        "occurrences_per_plan_mean": round(sum(occurrences) / len(occurrences)),
        "figure": {**figure, "files": sizes[0] if sizes else None},
        "baseline": {"what": "every occurrence of the plan read through the ORM and counted in Python", **base},
        "ratio": round(base["p50_ms"] / figure["p50_ms"], 2),
        "targets": {"seconds_max": 2.0, "met": figure["max_ms"] <= 2000},
    }, size=data_size())


if __name__ == "__main__":
    main()
