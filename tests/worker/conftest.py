"""A real Celery worker (and beat) against Redis and the PostgreSQL test database, and a real SMTP sink.

The tests here need DATABASE_URL (postgres) and REDIS_URL; without them they are skipped, except
in CI (the variable CI set), where a missing service is a failure. Each test gets its own Celery
queue, so a message left behind by another run (e.g. by a killed worker) is never seen.
"""
from __future__ import annotations

import asyncio
import email
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = BASE_DIR / ".venv" / "bin"
CELERY = str(VENV_BIN / "celery") if (VENV_BIN / "celery").exists() else "celery"


def _services_missing() -> str:
    """Why the worker tests cannot run here, or "" when they can."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if urlparse(database_url).scheme not in {"postgres", "postgresql", "pgsql"}:
        return "the worker tests need DATABASE_URL=postgres://… (a real worker cannot share a SQLite test database)"
    if not redis_url.startswith(("redis://", "rediss://")):
        return "the worker tests need REDIS_URL=redis://… (the broker the real worker reads)"
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001 — any failure means: no broker here
        return f"Redis at REDIS_URL does not answer: {error}"
    return ""


@pytest.fixture(scope="session", autouse=True)
def _worker_services():
    reason = _services_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the worker tests: {reason}", pytrace=False)
        pytest.skip(reason)


# The SMTP sink


class SmtpSink:
    """Collects the Message-ID of every message it accepts. `hold_after(n)`: accept n messages, then
    take the next one's data but keep its "250 OK" back until `release()` — a message on the wire."""

    def __init__(self):
        self._lock = threading.Lock()
        self.message_ids: list[str] = []
        self._hold_after: int | None = None
        self.holding = threading.Event()
        self._released = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.message_ids.append(str(message["Message-ID"]).strip())
            hold = self._hold_after is not None and len(self.message_ids) > self._hold_after
        if hold:
            self.holding.set()
            deadline = time.monotonic() + 120
            while not self._released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def hold_after(self, count: int) -> None:
        self._hold_after = count

    def release(self) -> None:
        self._hold_after = None
        self._released.set()

    def received(self) -> list[str]:
        with self._lock:
            return list(self.message_ids)

    def counts(self) -> Counter:
        return Counter(self.received())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink():
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    controller.start()
    sink.port = controller.port
    yield sink
    sink.release()
    controller.stop()


# Celery processes


class CeleryProcess:
    def __init__(self, *, name: str, args: list[str], env: dict, log_path: Path):
        self.name, self.args, self.env, self.log_path = name, args, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryProcess:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.args, env=self.env, cwd=BASE_DIR, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}) before {text!r}:\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not log {text!r} within {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no cleanup, the message stays unacknowledged in Redis."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _queue_forget(queue: str) -> None:
    """Drop the queue's messages, and those a killed worker left unacknowledged, from Redis."""
    client = _redis()
    client.delete(queue, *[f"{queue}\x06\x16{priority}" for priority in range(10)],
                  f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(payload)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture
def celery_queue():
    """A queue of this test's own; the test process publishes to it for real (not eagerly)."""
    from config.celery import app

    queue = f"sauro-test-{uuid.uuid4().hex[:12]}"
    _queue_forget(queue)
    saved = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        _queue_forget(queue)


@pytest.fixture
def celery_env(transactional_db, smtp_sink, celery_queue, tmp_path):
    """The environment of the worker and beat: the TEST database, this test's queue and the sink."""
    from django.db import connection

    parsed = urlparse(os.environ["DATABASE_URL"])
    test_database_url = urlunparse(parsed._replace(path="/" + connection.settings_dict["NAME"]))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": test_database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SAURO_TEST_CELERY_QUEUE": celery_queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "SAURO_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    })
    return env


@pytest.fixture
def celery_processes(celery_env, tmp_path):
    """Start workers and beat; every one is stopped at teardown, and its log printed (shown on failure)."""
    started: list[CeleryProcess] = []

    def worker() -> CeleryProcess:
        name = f"worker{len(started) + 1}"
        process = CeleryProcess(name=name, env=celery_env, log_path=tmp_path / f"{name}.log", args=[
            CELERY, "-A", "config", "worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
            "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"])
        started.append(process.start())
        process.wait_for_log(" ready.")
        return process

    def beat(schedule: dict) -> CeleryProcess:
        env = dict(celery_env, SAURO_TEST_BEAT_SCHEDULE=json.dumps(schedule))
        process = CeleryProcess(name="beat", env=env, log_path=tmp_path / "beat.log", args=[
            CELERY, "-A", "config", "beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule"),
            "--pidfile", str(tmp_path / "beat.pid")])
        started.append(process.start())
        process.wait_for_log("beat: Starting")
        return process

    yield type("CeleryProcesses", (), {"worker": staticmethod(worker), "beat": staticmethod(beat),
                                       "started": started})
    for process in started:
        process.stop()
    for process in started:
        print(f"----- {process.name} log -----\n{process.log()}")


def wait_until(condition, *, timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    details = "\n".join(f"----- {p.name} log -----\n{p.log()}" for p in logs)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}\n{details}")
