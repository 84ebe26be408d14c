"""Activation: bulk start vs viewflow's StartHandle one by one, on the same occurrences, in one run.

    DATABASE_URL=postgres://… .venv/bin/python bench/activation.py [--communes N]

Builds N copies of the demo commune Trường Giang in a throwaway test database and creates every
occurrence row (untimed), then times (a) the bulk start of half of them (processes, tasks,
contribution tasks and the "created" audit events, which the baseline does not even write) and
(b) starting each of the other half with `OccurrenceFlow.start.run()` and its contributions. Writes bench/results/activation.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = _measure(communes=args.communes)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    result["database"] = connection.vendor
    out = ROOT / "bench" / "results" / "activation.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def _measure(*, communes: int) -> dict:
    import time_machine
    from django.db import transaction

    from tasks.demo import DEMO_COMMUNES, demo_commune_build
    from tasks.models import PlanStatus
    from tasks.services import PlanFile, plan_import
    from workflow.flows import OccurrenceFlow
    from workflow.models import Contribution, Occurrence

    spec = DEMO_COMMUNES[1]  # Trường Giang: collective leads and supporting units
    data = (ROOT / "tasks" / "demo_data" / spec.plan_file).read_bytes()
    plans = []
    for n in range(communes):
        commune = demo_commune_build(spec=replace(spec, slug=f"{spec.slug}-{n}", logins=tuple(
            replace(login, username=f"{login.username}{n}") for login in spec.logins)))
        plan = plan_import(commune_slug=commune.slug, files=[PlanFile(name=f"{n}.docx", data=data)]).plan
        plan.status = PlanStatus.ACTIVE
        plan.save()
        plans.append(plan)
    bulk_plans, baseline_plans = plans[::2], plans[1::2]

    with time_machine.travel(date(2025, 9, 10), tick=True):
        # The occurrence rows of every plan first, untimed for both sides: what is compared is starting
        # their processes (with their contribution tasks), in bulk against StartHandle one by one.
        occurrences_generate_rows_only(plan_ids=[p.pk for p in plans])
        from workflow.services import _processes_start_unclaimed

        started = time.perf_counter()
        with transaction.atomic():
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                bulk_count = profiler.runcall(_processes_start_unclaimed, plans=bulk_plans)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            else:
                bulk_count = _processes_start_unclaimed(plans=bulk_plans)
        bulk_seconds = time.perf_counter() - started

        # Baseline: the same rows, each process started through viewflow's StartHandle.
        pending = list(Occurrence.objects.filter(plan__in=baseline_plans, process__isnull=True))
        started = time.perf_counter()
        for occurrence in pending:
            with transaction.atomic():
                for unit_id in occurrence.task.supporting_units.exclude(pk=occurrence.unit_id).values_list("pk", flat=True):
                    Contribution.objects.create(occurrence=occurrence, unit_id=unit_id)
                process = OccurrenceFlow.start.run(occurrence_id=occurrence.pk)
                occurrence.process = process
                occurrence.save(update_fields=["process"])
        baseline_seconds = time.perf_counter() - started
    return {
        "bulk": {"occurrences": bulk_count, "seconds": round(bulk_seconds, 3),
                 "per_second": round(bulk_count / bulk_seconds, 1)},
        "viewflow_start_handle": {"occurrences": len(pending), "seconds": round(baseline_seconds, 3),
                                  "per_second": round(len(pending) / baseline_seconds, 1)},
        "ratio": round((bulk_count / bulk_seconds) / (len(pending) / baseline_seconds), 1),
    }


def occurrences_generate_rows_only(*, plan_ids: list[int]) -> None:
    """The occurrence rows the service would make, without starting their processes."""
    from workflow import services

    original = services._processes_start_unclaimed
    services._processes_start_unclaimed = lambda **kwargs: 0
    try:
        services.occurrences_generate(plan_ids=plan_ids)
    finally:
        services._processes_start_unclaimed = original


if __name__ == "__main__":
    main()
