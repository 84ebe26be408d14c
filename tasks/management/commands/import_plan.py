"""python manage.py import_plan PATH [PATH…] --commune SLUG [--create-missing] [--dry-run] [--json]"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.problems import PlanImportFailed
from tasks.services import PlanFile, plan_import


def _date(text: str):
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"--issued-on: ngày không hợp lệ / not a valid dd/mm/yyyy date: {text!r}") from exc


class Command(BaseCommand):
    help = "Import a plan's appendix tables from a Word, Excel or CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="the plan's .docx or .xlsx file, or one .csv per appendix")
        parser.add_argument("--commune", required=True, help="the commune's code (slug)")
        parser.add_argument("--commune-name", default="", help="the commune's name when --create-missing creates it")
        parser.add_argument("--create-missing", action="store_true", help="create the commune, units and posts it names")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--activate", action="store_true",
                            help="activate the plan at once: create each task's occurrences and start their flows")
        parser.add_argument("--number", default="", help="the plan's number and symbol, e.g. 03-KH/ĐU")
        parser.add_argument("--title", default="")
        parser.add_argument("--issued-on", default="", help="dd/mm/yyyy")

    def handle(self, *args, **options):
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            if not path.is_file():
                raise CommandError(f"Không tìm thấy tệp / file not found: {raw}")
            files.append(PlanFile(name=path.name, data=path.read_bytes()))
        overrides = {"number_symbol": options["number"], "title": options["title"],
                     "issued_on": _date(options["issued_on"]) if options["issued_on"] else None}
        try:
            result = plan_import(
                commune_slug=options["commune"], files=files, create_missing=options["create_missing"],
                dry_run=options["dry_run"], commune_name=options["commune_name"], overrides=overrides,
            )
        except PlanImportFailed as failed:
            if options["json"]:
                self.stdout.write(json.dumps({"error": [p.as_dict() for p in failed.problems]}, ensure_ascii=False))
            message = "\n".join(problem.as_text() for problem in failed.problems)
            raise CommandError(f"Không nhập được kế hoạch / the plan was not imported:\n{message}") from failed
        report = result.as_json()
        if options["activate"] and not result.dry_run:
            from workflow.services import plan_activate

            report["occurrences"] = plan_activate(plan=result.plan, actor=None).occurrences
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        if "occurrences" in report:
            self.stdout.write(f"Đã triển khai / activated: {report['occurrences']} occurrences")
        self._summary_write(result)

    def _summary_write(self, result) -> None:
        verb = "Kiểm tra (không ghi) / checked, nothing written" if result.dry_run else "Đã nhập / imported"
        self.stdout.write(f"{verb}: {result.plan}")
        self.stdout.write(f"  nhiệm vụ/tasks {result.tasks}, chỉ tiêu/indicators {result.indicators}, nhóm/groups {result.groups}")
        summary = result.six_ro
        self.stdout.write(f"  6 rõ: {summary['all_clear']}/{summary['tasks']} " + ", ".join(
            f"{key} {value}" for key, value in summary["clear"].items()))
        for problem in result.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {problem.as_text()}"))
