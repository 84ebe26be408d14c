"""Issue 8: Redis goes away under a running worker and beat, and comes back empty.

What is owed lives in the database (the deliveries), not in the broker: while Redis is away the
pages still serve and the sweep still records its reminders; when Redis is back — empty, as after a
crash without persistence — the worker and beat reconnect by themselves and every owed email goes
out exactly once.
"""
from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.faults.conftest import (
    EVERY_SECOND, WAIT, app_env, delivery_states, message_id, scene, wait_until,
)

pytestmark = pytest.mark.faults

SENT = "sent"


def test_owed_emails_survive_a_redis_outage_and_go_out_once_after(postgres, database, redis_server, sink, web,
                                                                  celery, tmp_path):
    env = app_env(database_url=database, var_dir=tmp_path / "var", redis_url=redis_server.url, smtp_port=sink.port)
    cookie = scene("session_open", env=env, username="thanhmien.vanphong")["cookie"]
    server = web(env)
    worker = celery.worker(env)
    beat = celery.beat(env, EVERY_SECOND)

    # Before: the due day's reminders go out through Redis.
    first = scene("sweep", env=env, at="2025-09-30T07:00:00")["delivery_ids"]
    assert first
    wait_until(lambda: len(sink.received()) >= len(first), timeout=WAIT, what="the due day's emails",
               logs=[worker, beat])

    redis_server.stop()
    # The pages do not need the broker; the health check says it is down.
    assert server.get("/", cookie=cookie).status == 200
    assert server.get("/viec-cua-toi/", cookie=cookie).status == 200
    health = server.get("/healthz")
    assert health.status == 503 and json.loads(health.text)["broker"]["ok"] is False
    # The sweep three days later records what is owed although it cannot queue a job for it.
    owed = scene("sweep", env=env, at="2025-10-03T07:00:00")["delivery_ids"]
    assert owed, "the sweep recorded nothing while Redis was away"
    assert {status for status, _ in delivery_states(postgres, database, owed).values()} == {"pending"}

    redis_server.start()  # empty: whatever was queued in it is gone
    wait_until(lambda: {s for s, _ in delivery_states(postgres, database, owed).values()} == {SENT}
               and set(sink.received()) >= {message_id(pk) for pk in owed},
               timeout=WAIT, what="the owed emails after Redis came back", logs=[worker, beat])
    assert worker.process.poll() is None and beat.process.poll() is None, "the worker or beat had to be restarted"
    beat.stop()
    worker.stop()  # nothing more can arrive: any duplicate is in the sink now

    counts = Counter(sink.received())
    expected = {message_id(pk) for pk in first + owed}
    assert set(counts) == expected
    assert {mid: n for mid, n in counts.items() if n > 1} == {}, "an email went out twice"
    assert {attempts for _, attempts in delivery_states(postgres, database, first + owed).values()} == {1}
    assert "Connection to broker lost" in worker.log() or "Cannot connect to redis" in worker.log()
