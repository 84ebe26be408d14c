"""Issue 8: PostgreSQL goes away while the worker is sending, between an email and its record.

The SMTP sink accepts a few emails, then takes the next one and holds back its "250 OK"; the
database is stopped right then, so the worker learns that the email went out just when it cannot
record it. It keeps trying until the database is back and records it; nothing is sent twice, and
the rest goes out, without restarting the worker.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.faults.conftest import (
    EVERY_SECOND, WAIT, app_env, delivery_states, message_id, scene, wait_until,
)

pytestmark = pytest.mark.faults


def test_an_email_sent_while_the_database_is_away_is_recorded_after_and_not_sent_again(
        postgres, database, redis_server, sink, celery, tmp_path):
    env = app_env(database_url=database, var_dir=tmp_path / "var", redis_url=redis_server.url, smtp_port=sink.port)
    owed = scene("sweep", env=env, at="2025-09-30T07:00:00")["delivery_ids"]  # the due day: many emails
    assert len(owed) >= 6
    accepted_before = 3
    sink.hold_after(accepted_before)

    worker = celery.worker(env)
    beat = celery.beat(env, EVERY_SECOND)
    wait_until(sink.holding.is_set, timeout=WAIT, what="the worker to be in the middle of sending", logs=[worker])
    postgres.stop()
    try:
        sink.release()  # the email on the wire is delivered: the worker now cannot record it
        time.sleep(3)
        assert worker.process.poll() is None
    finally:
        postgres.start()

    wait_until(lambda: {status for status, _ in delivery_states(postgres, database, owed).values()} == {"sent"}
               and set(sink.received()) >= {message_id(pk) for pk in owed},
               timeout=WAIT, what="every owed email sent and recorded", logs=[worker, beat])
    assert worker.process.poll() is None and beat.process.poll() is None, "the worker or beat had to be restarted"
    beat.stop()
    worker.stop()

    counts = Counter(sink.received())
    assert set(counts) == {message_id(pk) for pk in owed}
    assert {mid: n for mid, n in counts.items() if n > 1} == {}, "an email went out twice"
    assert {attempts for _, attempts in delivery_states(postgres, database, owed).values()} == {1}
