"""bench/results/summary.md: every figure beside its baseline and target, from bench/results/*.json.

    .venv/bin/python bench/summary.py [--command "make bench SCALE=national"]
"""
from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    data.setdefault("measured_at", datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
                    .isoformat(timespec="seconds"))
    return data


def yes(met) -> str:
    return "met" if met else ("**not met**" if met is not None else "—")


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def rows_build(failed: set[str]) -> tuple[list[list[str]], list[str]]:
    rows, notes = [], []

    def missing(name: str, what: str, target: str) -> None:
        reason = "failed, see the run's log" if name in failed else "not measured in this run"
        rows.append([what, "—", "—", "—", target, f"**gap**: {reason}"])

    sweep = load("sweep")
    if sweep:
        daily, catch_up, base = sweep["figure"], sweep.get("catch_up") or {}, sweep["baseline"]

        def done(run: dict) -> str:
            if not run.get("finished"):
                return f"not finished in {fmt(run.get('cancelled_after_seconds'))} s (cancelled)"
            return (f"{fmt(run['seconds'], 2)} s for {fmt(run['notifications'])} notifications "
                    f"({fmt(run['occurrences_notified'])} occurrences)")

        rows.append([f"Escalation sweep, daily, over {fmt(sweep['open_occurrences'])} open occurrences", done(daily),
                     "—", "—", "≤ 10 s", yes(daily.get("finished") and daily["seconds"] <= 10)])
        rows.append([f"Escalation sweep, catch-up ({catch_up.get('communes_without_history', '?')} communes' "
                     "history removed)", done(catch_up) + (f", {fmt(catch_up.get('ms_per_notification'), 3)} ms a "
                                                          "notification" if catch_up.get("ms_per_notification") else ""),
                     f"fire_due_timers: {fmt(base.get('ms_per_notification'), 1)} ms a notification "
                     f"({base['fired']} fired)",
                     f"{fmt(sweep.get('ratio'), 1)}×" if sweep.get("ratio") else "—", "≥ 50×",
                     yes(bool(sweep.get("ratio")) and sweep["ratio"] >= 50)])
        short = []
        if daily.get("finished") and daily["seconds"] > 10:
            short.append(f"the daily sweep took {daily['seconds'] / 10:.1f}× the 10 s allowed")
        if sweep.get("ratio") and sweep["ratio"] < 50:
            short.append(f"{sweep['ratio']}× faster than the baseline, not 50×")
        if short:
            notes.append("Sweep: " + "; ".join(short) + ".")
    else:
        missing("sweep", "Escalation sweep over the open occurrences", "≤ 10 s and ≥ 50×")

    activation = load("activation")
    if activation:
        ratio = activation.get("ratio")
        rows.append(["Plan activation (bulk)", f"{fmt(activation['bulk']['per_second'])} occurrences/s",
                     f"StartHandle one by one: {fmt(activation['viewflow_start_handle']['per_second'])}/s",
                     f"{fmt(ratio, 1)}×", "≥ 20×", yes(ratio is not None and ratio >= 20)])
    else:
        missing("activation", "Plan activation (bulk)", "≥ 20×")

    pages = load("pages")
    if pages:
        floor = pages["baseline"]
        for name, label in (("my_work_unit_head", "“Việc của tôi”, unit head"),
                            ("my_work_staff", "“Việc của tôi”, staff"), ("unit_queue", "Unit queue, staff"),
                            ("board", "Party Office board"), ("task_page", "Task page (not a target)"),
                            ("plan_page", "Plan page (not a target)")):
            page = pages["pages"].get(name)
            if not page:
                continue
            constancy = pages["query_constancy"].get(name, {})
            queries = (f"{constancy['as_generated']['queries']} → {constancy['ten_times_open_work']['queries']} "
                       f"queries with 10× the open work (rows {constancy['as_generated']['rows_shown']} → "
                       f"{constancy['ten_times_open_work']['rows_shown']})") if constancy else ""
            rows.append([label, f"p95 {fmt(page['p95_ms'])} ms (p50 {fmt(page['p50_ms'])}); {queries}",
                         f"empty signed-in page: p95 {fmt(floor['p95_ms'])} ms",
                         f"{page['p95_over_floor_p95']}× the floor",
                         "p95 ≤ 100 ms, queries constant" if page.get("target_p95_ms") else "—", yes(page.get("met"))])
            if page.get("met") is False:
                why = []
                if page["p95_ms"] > 100:
                    why.append(f"p95 {page['p95_ms'] / 100:.1f}× the 100 ms allowed")
                if constancy and not constancy.get("constant"):
                    why.append("query count changed with the data")
                notes.append(f"{label}: " + "; ".join(why) + ".")
    else:
        missing("pages", "“Việc của tôi”, unit queue, board", "p95 ≤ 100 ms, queries constant")

    imported = load("import")
    if imported:
        figure = imported["figure"]
        indicators = imported.get("indicators_appendix", {})
        rows.append(["Import of a 60-row appendix (dry run)",
                     f"tasks {fmt(figure['seconds_median'], 2)} s, indicators "
                     f"{fmt(indicators.get('seconds_median'), 2)} s (medians)",
                     f"parsing only: {fmt(figure['baseline_parse_seconds_median'], 3)} s",
                     f"{fmt(imported['ratio'], 1)}× parsing", "≤ 1 s", yes(imported["targets"]["met"])])
    else:
        missing("import", "Import of a 60-row appendix", "≤ 1 s")

    report = load("report")
    if report:
        figure, base = report["figure"], report["baseline"]
        rows.append([f"A commune's quarterly report ({report['period']}: prepare + Word + Excel)",
                     f"p50 {fmt(figure['p50_ms'] / 1000, 2)} s, max {fmt(figure['max_ms'] / 1000, 2)} s",
                     f"naive ORM read of the plan: p50 {fmt(base['p50_ms'] / 1000, 2)} s",
                     f"{fmt(report['ratio'], 2)}× faster", "≤ 2 s", yes(report["targets"]["met"])])
        if not report["targets"]["met"]:
            notes.append(f"Report: the slowest took {figure['max_ms'] / 2000:.1f}× the 2 s allowed.")
    else:
        missing("report", "A commune's quarterly report", "≤ 2 s")

    load_result = load("load")
    if load_result:
        figure, base = load_result["figure"], load_result["baseline"]
        rows.append([f"Mixed reads, gunicorn {load_result['gunicorn_workers']} workers, locust on loopback",
                     f"{fmt(figure['rps_with_p95_within_200ms'], 1)} req/s with p95 ≤ 200 ms "
                     f"({figure['users']} users, p95 {fmt(figure['p95_ms'])} ms)"
                     + (f"; peak {fmt(load_result['peak']['rps'], 1)} req/s at {load_result['peak']['users']} users "
                        f"(p50 {fmt(load_result['peak']['p50_ms'])} ms, p95 {fmt(load_result['peak']['p95_ms'])} ms)"
                        if load_result.get("peak") else ""),
                     f"empty signed-in page: {fmt(base['rps'], 1)} req/s at {base['users']} users",
                     f"{fmt(load_result.get('ratio'), 2)}× the floor", "report it", "—"])
    else:
        missing("load", "Mixed reads under load", "report it")

    verify = load("verify")
    if verify:
        figure, base = verify["figure"], verify["baseline"]
        rows.append(["verify_audit over every chain",
                     f"{fmt(figure['events'])} events in {fmt(figure['seconds'], 1)} s: "
                     f"{fmt(figure['events_per_second'])}/s",
                     f"stdlib json, one process: {fmt(base['events_per_second'])}/s",
                     f"{fmt(verify.get('ratio'), 1)}×", "≥ 200,000/s over ≥ 10 M", yes(verify["targets"]["met"])])
        if not verify["targets"]["met"]:
            notes.append(f"verify_audit: {figure['events_per_second'] / 200_000:.2f} of the 200,000/s required"
                         + ("" if figure["events"] >= 10_000_000 else f", over {figure['events']:,} events"
                            " (fewer than 10 M at this scale)") + ".")
    else:
        missing("verify", "verify_audit", "≥ 200,000/s")
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--failed", default="")
    args = parser.parse_args()
    failed = {name for name in args.failed.split(",") if name}
    rows, notes = rows_build(failed)
    sizes = next((load(name)["data"] for name in ("pages", "sweep", "verify", "report", "import", "load")
                  if load(name) and "data" in load(name)), {})
    machine = next((load(name)["machine"] for name in ("pages", "sweep", "verify", "report", "import", "load")
                    if load(name) and "machine" in load(name)), {})
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{args.command}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; each row's JSON is in "
        "bench/results/, the query plans in bench/results/explain/.",
        "",
        f"Data: {sizes.get('scale', '?')} scale — {fmt(sizes.get('communes'))} communes, "
        f"{fmt(sizes.get('occurrences'))} occurrences ({fmt(sizes.get('open_occurrences'))} open), "
        f"{fmt(sizes.get('audit_events'))} audit events, {fmt(sizes.get('notifications'))} notifications, "
        f"{fmt(sizes.get('people'))} people; {fmt((sizes.get('database_bytes') or 0) / 1e9, 1)} GB; "
        f"viewflow process rows: {fmt(sizes.get('viewflow_processes'))} (the generated occurrences have none; "
        "no page or sweep query reads viewflow's tables).",
        f"Machine: {machine.get('cores', '?')} cores, PostgreSQL on the same machine; load average while measuring "
        f"(1/5/15 min) {machine.get('load_average_1_5_15', '?')} — the cores are shared, so read the ratios.",
        "",
        "| what | figure | baseline (same run) | ratio | target | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if notes:
        lines += ["", "Short of the target:", ""] + [f"- {note}" for note in notes]
    out = RESULTS / "summary.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text())



if __name__ == "__main__":
    main()
