"""python manage.py import_plan: the JSON it prints, dry runs, and its exit code."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from tasks.models import Plan, Task
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent


def _json(*args) -> dict:
    out = io.StringIO()
    call_command("import_plan", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_dry_run_prints_the_plan_and_writes_nothing(thanh_mien):
    report = _json(str(DATA / "000_phu_luc.docx"), "--commune", thanh_mien.slug, "--dry-run")

    assert (report["tasks"], report["indicators"]) == (11, 28)
    assert report["groups"] >= 4
    assert report["plan"]["kind"] == "party"
    assert report["six_ro"]["tasks"] == 11
    assert set(report["six_ro"]["clear"]) == {"person", "task", "timeline", "result", "responsibility", "authority"}
    assert isinstance(report["warnings"], list)
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_json_import_writes_the_plan(truong_giang):
    report = _json(str(DATA / "003_phu_luc.xlsx"), "--commune", truong_giang.slug, "--number", "536/QĐ-UBND")

    plan = Plan.objects.get(pk=report["plan"]["id"])
    assert plan.number_symbol == "536/QĐ-UBND"
    assert plan.tasks.count() == 8 and plan.indicators.count() == 31


def test_the_command_exits_non_zero_on_a_refused_file(tmp_path):
    bad = tmp_path / "random.docx"
    bad.write_bytes(os.urandom(2048))
    env = {**os.environ, "SAURO_ALLOW_INSECURE_KEY": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(bad), "--commune", "thanh-mien"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "Không nhập được kế hoạch" in done.stderr
