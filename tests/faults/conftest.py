"""Private PostgreSQL and Redis servers that the fault tests may stop and start at will.

The machine's own PostgreSQL and Redis are shared, so they are never touched: each session starts
its own PostgreSQL cluster (initdb + pg_ctl from /usr/lib/postgresql/*/bin, as the postgres user
when run as root) and each test its own redis-server, on free ports, in temporary folders. The
application runs against them in real processes: gunicorn for the pages, a Celery worker and beat
for the deliveries (tests/faults/settings.py), the scenes of tests/faults/scenes.py for the data.

Without the binaries the tests are skipped, except in CI (the variable CI set), where that fails.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.worker.conftest import CELERY, CeleryProcess, SmtpSink, wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = BASE_DIR / ".venv" / "bin"
PYTHON = sys.executable
GUNICORN = str(VENV_BIN / "gunicorn") if (VENV_BIN / "gunicorn").exists() else "gunicorn"
SECRET_KEY = "faults-" + uuid.uuid4().hex  # one key for every process of the session: sessions are signed with it
SETTINGS = "tests.faults.settings"
TEMPLATE_DATABASE = "sauro_faults_template"
WAIT = 60  # seconds: the bound of every wait


def _postgres_bin() -> Path | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and Path(found).with_name("initdb").exists() else None


PG_BIN = _postgres_bin()
REDIS_SERVER = shutil.which("redis-server")


def _missing() -> str:
    if PG_BIN is None:
        return "the fault tests need PostgreSQL's initdb and pg_ctl (Debian: apt-get install postgresql)"
    if REDIS_SERVER is None:
        return "the fault tests need redis-server (Debian: apt-get install redis-server)"
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        return "the backup test needs pg_dump and pg_restore (postgresql-client)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "as root, PostgreSQL must run as another user: runuser is missing"
    return ""


@pytest.fixture(scope="session", autouse=True)
def _fault_services():
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the fault tests: {reason}", pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# PostgreSQL -----------------------------------------------------------------------------------


class PrivatePostgres:
    """A PostgreSQL cluster of our own: `stop()` and `start()` are a real server going away and back."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: as root that is 0700, and the server runs as postgres.
        self.root = Path(tempfile.mkdtemp(prefix="sauro-faults-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=WAIT, cwd=self.root)
        assert completed.returncode == 0, f"{' '.join(command)}:\n{completed.stdout}\n{completed.stderr}\n{self.server_log()}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        """`-m fast`: every session is cut at once, as when the server crashes or is restarted."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str, *params, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=10) as connection:
            cursor = connection.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []

    def destroy(self) -> None:
        try:
            self.stop()
        except AssertionError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(_fault_services):
    server = PrivatePostgres()
    server.init()
    server.start()
    yield server
    server.destroy()


def app_env(*, database_url: str, var_dir: Path, redis_url: str = "", smtp_port: int | None = None,
            extra: dict | None = None) -> dict:
    """The environment of every process of the application in a fault test."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_BACKEND", "CELERY_TASK_ALWAYS_EAGER", "DEBUG"}}
    var_dir.mkdir(parents=True, exist_ok=True)
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "SAURO_VAR_DIR": str(var_dir),
        "SAURO_PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port or free_port()),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra or {})
    return env


def scene(name: str, *, env: dict, **arguments) -> dict:
    """Run one scene of tests/faults/scenes.py in its own process; its JSON result."""
    completed = subprocess.run([PYTHON, "-m", "tests.faults.scenes", name, json.dumps(arguments)], env=env,
                               cwd=BASE_DIR, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, f"scene {name} failed:\n{completed.stdout}\n{completed.stderr[-4000:]}"
    return json.loads(completed.stdout.strip().splitlines()[-1])


def manage(*args: str, env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="session")
def template_database(postgres, tmp_path_factory):
    """Migrated, with the demo communes and Thanh Miện's plan active: each test copies it (fast)."""
    postgres.execute(f'CREATE DATABASE "{TEMPLATE_DATABASE}"')
    env = app_env(database_url=postgres.url(TEMPLATE_DATABASE), var_dir=tmp_path_factory.mktemp("template"))
    migrated = manage("migrate", "--noinput", "-v", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    scene("world_build", env=env)
    return TEMPLATE_DATABASE


@pytest.fixture
def database(postgres, template_database):
    """This test's own database, a copy of the template; its URL."""
    name = f"sauro_fault_{uuid.uuid4().hex[:10]}"
    postgres.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    return postgres.url(name)


# Redis ----------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own, without persistence: stopping it loses every queued message."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.root / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--maxmemory-policy", "noeviction", "--dir", str(self.root)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_until(lambda: _port_open(self.port), timeout=WAIT, what="redis-server to listen")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # gone at once, as a crash: nothing saved
            self.process.wait(timeout=10)
        wait_until(lambda: not _port_open(self.port), timeout=WAIT, what="redis-server to go away")


@pytest.fixture
def redis_server(_fault_services, tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


# SMTP sink, web server, Celery ----------------------------------------------------------------


@pytest.fixture
def sink():
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    collector = SmtpSink()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    collector.port = controller.port
    yield collector
    collector.release()
    controller.stop()


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class WebServer:
    """gunicorn serving config.wsgi with one worker process: a broken connection must heal in it."""

    def __init__(self, *, env: dict, log_path: Path) -> None:
        self.env, self.log_path, self.port = env, log_path, free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> WebServer:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                 "--timeout", "60", "--graceful-timeout", "5", "--access-logfile", "-", "--no-control-socket"],
                env=self.env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        wait_until(self._answers, timeout=WAIT, what="gunicorn to answer")
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
        try:
            self.get("/accounts/login/")
        except OSError:
            return False
        return True

    def get(self, path: str, *, cookie: str = "") -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            return Answer(status=response.status, headers={k.lower(): v for k, v in response.getheaders()},
                          body=response.read())
        finally:
            connection.close()

    def worker_pids(self) -> set[int]:
        """The pids of gunicorn's worker processes: unchanged means the application was not restarted."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def web(tmp_path):
    """`web(env)` starts gunicorn; every one started is stopped at teardown and its log printed."""
    started: list[WebServer] = []

    def start(env: dict) -> WebServer:
        server = WebServer(env=env, log_path=tmp_path / f"gunicorn{len(started) + 1}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
        print(f"----- gunicorn log -----\n{server.log()}")


@pytest.fixture
def celery(tmp_path):
    """`celery.worker(env)` and `celery.beat(env, schedule)`, stopped at teardown with their logs printed."""
    started: list[CeleryProcess] = []

    def worker(env: dict) -> CeleryProcess:
        name = f"worker{len(started) + 1}"
        process = CeleryProcess(name=name, env=env, log_path=tmp_path / f"{name}.log", args=[
            CELERY, "-A", "config", "worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat", "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"])
        started.append(process.start())
        process.wait_for_log(" ready.", timeout=WAIT)
        return process

    def beat(env: dict, schedule: dict) -> CeleryProcess:
        process = CeleryProcess(
            name="beat", env=dict(env, SAURO_TEST_BEAT_SCHEDULE=json.dumps(schedule)), log_path=tmp_path / "beat.log",
            args=[CELERY, "-A", "config", "beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule"),
                  "--pidfile", str(tmp_path / "beat.pid")])
        started.append(process.start())
        process.wait_for_log("beat: Starting", timeout=WAIT)
        return process

    yield type("Celery", (), {"worker": staticmethod(worker), "beat": staticmethod(beat), "started": started})
    for process in started:
        process.stop()
    for process in started:
        print(f"----- {process.name} log -----\n{process.log()[-6000:]}")


EVERY_SECOND = {"deliveries-send-email": {"task": "notifications.deliveries_send", "schedule": 1.0, "args": ["email"]}}


def delivery_states(postgres: PrivatePostgres, database_url: str, ids: list[int]) -> dict[int, tuple[str, int]]:
    """(status, attempts) of each delivery, read straight from the database."""
    database = database_url.rsplit("/", 1)[1]
    rows = postgres.execute(
        "SELECT id, status, attempts FROM notifications_delivery WHERE id = ANY(%s)", list(ids), database=database)
    return {row[0]: (row[1], row[2]) for row in rows}


def message_id(delivery_id: int) -> str:
    return f"<delivery-{delivery_id}@sauro>"
