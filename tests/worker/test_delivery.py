"""Issue 4: a real worker and beat send the reminders to a real SMTP server, and a killed worker loses none.

Thanh Miện's plan is activated on 10/09/2025; on Friday 03/10/2025 at 07:00 the sweep owes many
reminders and escalations (overdue_3 among them). The deliveries it queues carry the Message-ID
`<delivery-{pk}@sauro>`, which is how the sink tells one delivery from another.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F

from notifications.models import Delivery, DeliveryStatus
from notifications.services import CLAIM_TIMEOUT
from tests.worker.conftest import wait_until
from workflow.escalation import escalations_run
from workflow.services import plan_activate

pytestmark = pytest.mark.worker

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Sweeps at 07:00 on days with owed rungs: remind_7, remind_3, remind_1, due (20 emails each), overdue_3.
SWEEP_DAYS = [date(2025, 9, 19), date(2025, 9, 25), date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 3)]
WAIT = 60  # seconds: the bound of every wait on the worker


def _sweep(day: date):
    return escalations_run(now=datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN))


def _jobs_done(worker) -> int:
    """How many deliveries_send jobs the worker has finished, from its log."""
    return sum(1 for line in worker.log().splitlines()
               if "Task notifications.deliveries_send[" in line and "] succeeded in " in line)


def _message_ids(deliveries) -> dict[str, int]:
    return {f"<delivery-{pk}@sauro>": pk for pk in deliveries.values_list("pk", flat=True)}


@pytest.fixture
def activated(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


def test_the_worker_sends_each_owed_reminder_exactly_once(activated, celery_processes, smtp_sink):
    worker = celery_processes.worker()

    # Each sweep commits, then queues deliveries_send_job on Redis; the worker does the sending.
    reports = [_sweep(day) for day in SWEEP_DAYS[-2:]]  # the due day, then overdue_3
    emails = Delivery.objects.filter(channel="email")
    expected = _message_ids(emails)
    assert sum(report.emails_queued for report in reports) == len(expected) > 0
    assert reports[-1].per_rung["overdue_3"] > 0

    wait_until(lambda: len(smtp_sink.received()) >= len(expected)
               and not emails.exclude(status=DeliveryStatus.SENT).exists(),
               timeout=WAIT, what=f"{len(expected)} emails at the sink and every delivery sent", logs=[worker])
    worker.stop()  # nothing more can arrive: any duplicate is in the sink now

    received = smtp_sink.counts()
    assert set(received) == set(expected)
    assert {message_id: n for message_id, n in received.items() if n > 1} == {}
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(emails.values_list("attempts", flat=True)) == {1}


def test_a_killed_worker_loses_nothing_and_after_restart_everything_arrives(activated, celery_processes,
                                                                            smtp_sink):
    # Queue the deliveries with no worker running: one job per sweep waits on Redis.
    reports = [_sweep(day) for day in SWEEP_DAYS]
    emails = Delivery.objects.filter(channel="email")
    expected = _message_ids(emails)
    assert sum(report.emails_queued for report in reports) == len(expected) >= 6

    # The sink accepts half of them, then takes the next one's data and holds back its "250 OK":
    # the worker is killed with that message on the wire.
    accepted_before_kill = len(expected) // 2
    smtp_sink.hold_after(accepted_before_kill)
    first = celery_processes.worker()
    wait_until(smtp_sink.holding.is_set, timeout=WAIT, what="the worker to be in the middle of sending",
               logs=[first])
    first.kill()
    smtp_sink.release()
    at_kill = dict(emails.values_list("pk", "status"))
    sending_at_kill = {pk for pk, status in at_kill.items() if status == DeliveryStatus.SENDING}
    assert 0 < len(smtp_sink.received()) < len(expected)
    assert sending_at_kill, "the killed worker left no delivery in 'sending'"

    # Restart the worker: it runs the jobs the other sweeps queued, but the dead worker's claims are
    # fresh, so none of its deliveries goes out again yet (anything still pending may).
    claimed_ids = {message_id for message_id, pk in expected.items() if pk in sending_at_kill}
    before = {message_id: n for message_id, n in smtp_sink.counts().items() if message_id in claimed_ids}
    second = celery_processes.worker()
    queued_left = len(SWEEP_DAYS) - 1  # the killed worker's own job stays unacknowledged in Redis
    wait_until(lambda: _jobs_done(second) >= queued_left, timeout=WAIT,
               what=f"the restarted worker to run the {queued_left} jobs left on the queue", logs=[second])
    assert {message_id: n for message_id, n in smtp_sink.counts().items() if message_id in claimed_ids} == before

    # A claim is taken back only once it is CLAIM_TIMEOUT (15 minutes) old: rather than wait, move
    # the dead worker's claims back in time, as if 15 minutes had passed since the crash.
    Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_at=F("claimed_at") - CLAIM_TIMEOUT - timedelta(minutes=1))

    # Beat sends deliveries_send every minute in production; here every second.
    beat = celery_processes.beat({"deliveries-send-email": {
        "task": "notifications.deliveries_send", "schedule": 1.0, "args": ["email"]}})
    wait_until(lambda: not emails.exclude(status=DeliveryStatus.SENT).exists()
               and set(smtp_sink.received()) >= set(expected),
               timeout=WAIT, what="every delivery sent after the restart", logs=[second, beat])
    assert "Sending due task deliveries-send-email" in beat.log()
    beat.stop()
    second.stop()

    received = smtp_sink.counts()
    assert set(received) == set(expected), "a notification never arrived, or something unexpected did"
    duplicates = {expected[message_id]: n for message_id, n in received.items() if n > 1}
    assert all(n == 2 for n in duplicates.values()), duplicates
    assert set(duplicates) <= sending_at_kill, "only a delivery the dead worker had claimed may arrive twice"
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    # SMTP cannot be exactly-once: the message on the wire at the kill may arrive twice (its fixed
    # Message-ID lets the receiver drop the copy). Every delivery is marked sent as soon as its own
    # send returns, so that one message is the only possible repeat.
    assert len(duplicates) <= 1


def test_beat_dispatches_the_sweep_and_the_worker_runs_it(celery_processes):
    from workflow.models import SweepRun

    worker = celery_processes.worker()
    beat = celery_processes.beat({"escalations-run": {"task": "workflow.escalations_run", "schedule": 1.0}})
    wait_until(lambda: SweepRun.objects.filter(finished_at__isnull=False, dry_run=False).exists(),
               timeout=WAIT, what="a sweep run by the worker on beat's schedule", logs=[worker, beat])
    assert "Sending due task escalations-run (workflow.escalations_run)" in beat.log()
