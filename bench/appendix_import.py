"""Importing a 60-row appendix (dry run, with every check and the "6 rõ" verdicts) vs parsing it only.

    DATABASE_URL=postgres://…/sauro_bench .venv/bin/python bench/appendix_import.py [--runs 7]

The appendices are built from the samples in tests/data (the task rows of 003_phu_luc_2_nhiem_vu.csv
and the indicator rows of 000_phu_luc_1_chi_tieu.csv, repeated and renumbered to 60 data rows, a
group row every 15) and imported into a generated commune with `plan_import(dry_run=True)`: the
whole import, from reading the file to the preview of every row, rolled back at the end.

Baseline, timed alternately in the same loop: reading the same bytes into the appendix's rows
(`tables_read` + `appendix_read`), the part no import can skip.
"""
from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, data_size, django_setup, result_write  # noqa: E402

ROWS = 60
NUMERALS = ("I.", "II.", "III.", "IV.", "V.")


def appendix_build(*, sample: str, rows: int = ROWS) -> bytes:
    """`rows` data rows from a sample CSV: its rows in turn, numbered 1…, a group row before every 15."""
    with (ROOT / "tests" / "data" / sample).open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header, body = table[0], table[1:]
    groups = [row for row in body if row[-1] == "nhom"]
    lines = [row for row in body if row[-1] == "dong"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for index in range(rows):
        if index % 15 == 0:
            group = list(groups[(index // 15) % len(groups)])
            group[0] = NUMERALS[index // 15]
            writer.writerow(group)
        line = list(lines[index % len(lines)])
        line[0] = str(index + 1)
        writer.writerow(line)
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    django_setup()
    from roles.models import Commune
    from tasks.importers.appendix import appendix_read
    from tasks.importers.files import tables_read
    from tasks.services import PlanFile, plan_import

    commune = Commune.objects.filter(slug__startswith="bench-").order_by("pk").first()
    appendices = {
        "tasks": ("phu_luc_2_nhiem_vu.csv", appendix_build(sample="003_phu_luc_2_nhiem_vu.csv")),
        "indicators": ("phu_luc_1_chi_tieu.csv", appendix_build(sample="000_phu_luc_1_chi_tieu.csv")),
    }
    results = {}
    for name, (filename, data) in appendices.items():
        imports, parses, counted = [], [], None
        for run in range(args.runs + 1):  # the first run warms up and is not counted
            started = time.perf_counter()
            result = plan_import(commune_slug=commune.slug, files=[PlanFile(name=filename, data=data)],
                                 create_missing=True, dry_run=True)
            imported = time.perf_counter() - started
            started = time.perf_counter()
            read = appendix_read(tables=tables_read(data=data, filename=filename))
            parsed = time.perf_counter() - started
            if run:
                imports.append(imported)
                parses.append(parsed)
            counted = {"tasks": result.tasks, "indicators": result.indicators, "groups": result.groups,
                       "rows_read": len(read.tasks) + len(read.indicators)}
        median_import, median_parse = statistics.median(imports), statistics.median(parses)
        results[name] = {
            "file": filename, "bytes": len(data), "imported": counted,
            "seconds_median": round(median_import, 4), "seconds_max": round(max(imports), 4),
            "baseline_parse_seconds_median": round(median_parse, 4),
            "ratio_import_over_parse": round(median_import / median_parse, 1),
            "target_seconds_max": 1.0, "met": max(imports) <= 1.0,
        }
        print(f"{name}: import {median_import:.3f} s, parse {median_parse:.3f} s", flush=True)
    result_write("import", {
        "what": "plan_import(dry_run=True) of a 60-row appendix (CSV) into a generated commune, median of "
                f"{args.runs} runs after one warm-up; the figure is the task appendix",
        "commune": commune.slug,
        "figure": results["tasks"],
        "indicators_appendix": results["indicators"],
        "baseline": {"what": "tables_read + appendix_read of the same bytes (reading the rows only)",
                     "seconds_median": results["tasks"]["baseline_parse_seconds_median"]},
        "ratio": results["tasks"]["ratio_import_over_parse"],
        "targets": {"seconds_max": 1.0, "met": results["tasks"]["met"] and results["indicators"]["met"]},
    }, size=data_size())


if __name__ == "__main__":
    main()
