"""Issue 8: PostgreSQL goes away under a running application and comes back.

While it is away every page answers 503 with a page that says so in Vietnamese and in English (no
500, no traceback) and /healthz says "degraded"; once it is back the same application process
serves the pages again, without being restarted.
"""
from __future__ import annotations

import json

import pytest

from tests.faults.conftest import app_env, scene

pytestmark = pytest.mark.faults

VIETNAMESE = "Hệ thống hiện không kết nối được với cơ sở dữ liệu"
ENGLISH = "The system cannot reach its database right now"


def test_pages_answer_503_in_both_languages_while_the_database_is_away_and_work_again_after(
        postgres, database, web, tmp_path):
    env = app_env(database_url=database, var_dir=tmp_path / "var")
    cookie = scene("session_open", env=env, username="thanhmien.vanphong")["cookie"]
    server = web(env)
    pages = ["/", "/viec-cua-toi/", "/thong-bao/", "/xa/thanh-mien/bang-theo-doi/"]
    for path in pages:
        assert server.get(path, cookie=cookie).status == 200, path
    workers = server.worker_pids()

    postgres.stop()
    try:
        for path in pages:
            answer = server.get(path, cookie=cookie)
            assert answer.status == 503, (path, answer.status, answer.text[:500])
            assert VIETNAMESE in answer.text and ENGLISH in answer.text, answer.text
            assert "Traceback" not in answer.text and answer.headers["retry-after"]
            assert answer.headers["content-language"] == "vi"
        english = server.get("/", cookie=f"{cookie}; django_language=en")
        assert english.status == 503
        assert english.text.index(ENGLISH) < english.text.index(VIETNAMESE), "the chosen language comes first"
        health = server.get("/healthz")
        assert health.status == 503 and json.loads(health.text)["database"]["ok"] is False
    finally:
        postgres.start()

    for path in pages:
        answer = server.get(path, cookie=cookie)
        assert answer.status == 200, (path, answer.status, answer.text[:500])
    assert server.get("/healthz").status == 200
    assert server.worker_pids() == workers, "the application was restarted; it must heal by itself"
