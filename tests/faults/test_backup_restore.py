"""Issue 8: the backup and restore procedure of the README, done for real.

Data is made in the private PostgreSQL (a plan imported and activated, an output submitted with its
signed file), scripts/backup.sh dumps the database and archives the private files, scripts/restore.sh
puts them into a new empty database and an empty folder. The restored audit history verifies with
the same events and chain heads, the application serves the task page, and the file downloads
byte for byte. Restoring over live data is refused.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from tests.faults.conftest import BASE_DIR, app_env, manage, scene

pytestmark = pytest.mark.faults


def _script(name: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(BASE_DIR / "scripts" / name), *args], env=env, cwd=BASE_DIR,
                          capture_output=True, text=True, timeout=180)


def _audit(postgres, database_url: str) -> tuple[int, list[tuple]]:
    database = database_url.rsplit("/", 1)[1]
    count = postgres.execute("SELECT count(*) FROM audit_auditevent", database=database)[0][0]
    heads = postgres.execute("SELECT * FROM audit_auditchain ORDER BY 1", database=database)
    return count, heads


def test_a_backup_restores_into_an_empty_database_with_its_audit_chain_and_files(postgres, database, web, tmp_path):
    env = app_env(database_url=database, var_dir=tmp_path / "live")
    imported = scene("plan_import_activate", env=env, commune="truong-giang", sample="003_phu_luc.docx")
    assert imported["occurrences"] > 0
    output = scene("output_submit", env=env, task_number="7")
    events, heads = _audit(postgres, database)

    backed_up = _script("backup.sh", str(tmp_path / "backups"), env=env)
    assert backed_up.returncode == 0, backed_up.stderr
    folder = backed_up.stdout.strip().splitlines()[-1]
    assert re.search(r"sauro-\d{8}T\d{6}Z$", folder), folder

    restored_database = "sauro_restored_" + database.rsplit("_", 1)[1]
    postgres.execute(f'CREATE DATABASE "{restored_database}" TEMPLATE template0')
    restored_env = app_env(database_url=postgres.url(restored_database), var_dir=tmp_path / "restored")
    restored = _script("restore.sh", folder, env=restored_env)
    assert restored.returncode == 0, restored.stdout + restored.stderr

    assert _audit(postgres, restored_env["DATABASE_URL"]) == (events, heads)
    verified = manage("verify_audit", env=restored_env)
    assert verified.returncode == 0, verified.stderr
    assert int(re.search(r"\d+", verified.stdout).group()) == events

    again = _script("restore.sh", folder, env=restored_env)
    assert again.returncode == 2 and "not empty" in again.stderr, "a restore over live data must be refused"

    cookie = scene("session_open", env=restored_env, username="thanhmien.vanphong")["cookie"]
    server = web(restored_env)
    task_page = server.get(f"/occurrences/{output['occurrence_id']}/", cookie=cookie)
    assert task_page.status == 200 and output["task_name"] in task_page.text
    download = server.get(f"/files/{output['file_id']}/", cookie=cookie)
    assert download.status == 200
    assert hashlib.sha256(download.body).hexdigest() == output["sha256"]


def test_a_damaged_backup_is_refused_before_anything_is_written(postgres, database, tmp_path):
    env = app_env(database_url=database, var_dir=tmp_path / "live")
    backed_up = _script("backup.sh", str(tmp_path / "backups"), env=env)
    assert backed_up.returncode == 0, backed_up.stderr
    folder = backed_up.stdout.strip().splitlines()[-1]
    dump = Path(folder) / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    empty = "sauro_empty_" + database.rsplit("_", 1)[1]
    postgres.execute(f'CREATE DATABASE "{empty}" TEMPLATE template0')
    refused = _script("restore.sh", folder, env=app_env(database_url=postgres.url(empty), var_dir=tmp_path / "r"))
    assert refused.returncode == 1 and "damaged" in refused.stderr
    assert postgres.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database=empty)[0][0] == 0
