"""python manage.py run_escalations [--now ISO-8601] [--dry-run] [--json]: one sweep, what it sent per rung."""
from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.escalation import escalations_run


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now: không phải thời điểm ISO-8601 / not an ISO-8601 moment: {text!r}") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Run one reminder and escalation sweep as of a given time (what the scheduler calls)."

    def add_arguments(self, parser):
        parser.add_argument("--now", default="", help="the moment to sweep as of, ISO-8601 (default: now)")
        parser.add_argument("--dry-run", action="store_true", help="report what is owed, record and send nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        now = _moment(options["now"]) if options["now"] else None
        report = escalations_run(now=now, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"Quét ngày / sweep of {report.as_of:%d/%m/%Y}{' (dry run)' if report.dry_run else ''}")
        for rung, count in report.per_rung.items():
            self.stdout.write(f"  {rung:<12} {count}")
        self.stdout.write(f"  email ngay / emails queued: {report.emails_queued}")
