"""The shapes the synthetic communes are drawn from: the real sample appendices, read by our own importer.

The samples (tests/data/000_phu_luc.docx, 003_phu_luc.docx; the demo communes use the same two
plans) are imported into a throwaway commune inside a transaction that is rolled back, and what
they hold is kept as plain data: each task's name, lead (one unit, "the departments" or "all
units"), supporting units, output and timeline; each indicator with its milestone targets.
"""
from __future__ import annotations

from pathlib import Path

from bench.common import ROOT

SAMPLES = ("tests/data/000_phu_luc.docx", "tests/data/003_phu_luc.docx")


def pool_read() -> dict:
    from dataclasses import replace

    from django.db import transaction

    from roles.models import Unit
    from tasks.demo import DEMO_COMMUNES, demo_commune_build
    from tasks.models import Indicator, Plan, Task
    from tasks.services import PlanFile, plan_import

    with transaction.atomic():
        spec = DEMO_COMMUNES[1]
        commune = demo_commune_build(spec=replace(spec, slug="bench-shapes", logins=tuple(
            replace(login, username=f"bench-shapes.{login.username}") for login in spec.logins)))
        plans = []
        for sample in SAMPLES:
            path = ROOT / sample
            result = plan_import(commune_slug=commune.slug, create_missing=True,
                                 files=[PlanFile(name=Path(sample).name, data=path.read_bytes())])
            plans.append(result.plan)
        units = {u.pk: u.name for u in Unit.objects.filter(commune=commune)}
        tasks = []
        for task in Task.objects.filter(plan__in=plans).prefetch_related("lead_units", "supporting_units").select_related("group"):
            collectives = list(task.lead_collectives or [])
            if "all_units" in collectives:
                lead = "all_units"
            elif "departments" in collectives:
                lead = "departments"
            else:
                lead = "single"
            tasks.append({
                "name": task.name, "lead": lead, "lead_text": task.lead_text,
                "lead_units": [units[u.pk] for u in task.lead_units.all()],
                "supporting_text": task.supporting_text,
                "supporting_units": [units[u.pk] for u in task.supporting_units.all()],
                "output_text": task.output_text, "output_kind": task.output_kind,
                "directing_text": task.directing_text, "timeline_kind": (task.timeline or {}).get("kind"),
                "timeline_text": task.timeline_text, "group": task.group.title if task.group else "",
            })
        indicators = []
        for indicator in Indicator.objects.filter(plan__in=plans).prefetch_related("targets", "monitoring_units").select_related("group"):
            indicators.append({
                "name": indicator.name, "measurement_unit": indicator.measurement_unit,
                "directing_text": indicator.directing_text, "presiding_text": indicator.presiding_text,
                "monitoring_text": indicator.monitoring_text, "output_text": indicator.output_text,
                "monitoring_units": [units[u.pk] for u in indicator.monitoring_units.all()],
                "group": indicator.group.title if indicator.group else "",
                "targets": [{"year": t.year, "text": t.text, "kind": t.kind,
                             "low": None if t.low is None else str(t.low), "high": None if t.high is None else str(t.high),
                             "unit": t.unit, "strive": t.strive, "scope": t.scope} for t in indicator.targets.all()],
            })
        titles = [{"title": p.title, "kind": p.kind, "issuer": p.issuer, "implements": p.implements} for p in
                  Plan.objects.filter(pk__in=[p.pk for p in plans])]
        transaction.set_rollback(True)
    return {"tasks": tasks, "indicators": indicators, "plans": titles}
