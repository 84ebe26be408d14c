"""The sweep's baseline: one viewflow process per reminder owed, waiting on a database Timer.

This is how the escalations could have been built with viewflow alone: each occurrence's
process waits on a `flow.Timer` until its rung is reached, then a Function node records the
notification, as our sweep does, and the process ends. `viewflow.workflow.timers.fire_due_timers()`
walks the due TIMER tasks one by one under each process's lock. Used only by bench/sweep.py,
inside a transaction that is rolled back.
"""
from __future__ import annotations

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock


class SweepTimerFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.wait)
    wait = flow.Timer(this.reached_at).Next(this.notify)
    notify = flow.Function(this.notification_record).Next(this.end)
    end = flow.End()

    def start_process(self, activation, *, occurrence: dict, rung: str, recipient_id: int, reached_at):
        activation.process.data = {"occurrence": occurrence, "rung": rung, "recipient_id": recipient_id,
                                   "reached_at": reached_at.isoformat()}
        return activation.process

    def reached_at(self, activation):
        from datetime import datetime

        return datetime.fromisoformat(activation.process.data["reached_at"])

    def notification_record(self, activation):
        """The same row our sweep writes for this occurrence, rung and person."""
        from notifications.models import Notification

        data = activation.process.data
        occurrence = data["occurrence"]
        Notification.objects.create(
            recipient_id=data["recipient_id"], commune_id=occurrence["commune_id"], occurrence_id=occurrence["pk"],
            rung=data["rung"], kind="reminder", message_key="occurrence_due_soon",
            params={"task": occurrence["task__name"][:200], "unit": occurrence["unit__name"],
                    "due_on": occurrence["due_on"]},
            url=f"/occurrences/{occurrence['pk']}/", digest_at=timezone.now())
