"""Production settings pass Django's deployment check; every page carries a strict CSP and needs no inline code."""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'self'; frame-ancestors 'none'; form-action 'self'")


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run with only the given variables, as a fresh production machine would (none of the tests' defaults)."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
             "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=300)


def _production(**overrides: str) -> dict:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "sauro.haiphong.gov.vn",
            "SAURO_BEHIND_PROXY": "1", **overrides}


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', "
    "'ALLOWED_HOSTS', 'SAURO_BEHIND_PROXY', 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS']}))"
)


def test_check_deploy_passes_with_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_are_https_only():
    result = _run(["-c", PRINT_SETTINGS], **_production())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False, "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True, "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True, "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ALLOWED_HOSTS": ["sauro.haiphong.gov.vn"], "SAURO_BEHIND_PROXY": True, "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_without_a_proxy_forwarded_headers_are_not_trusted():
    values = json.loads(_run(["-c", PRINT_SETTINGS], **_production(SAURO_BEHIND_PROXY="0")).stdout)
    assert values["SECURE_PROXY_SSL_HEADER"] is None and values["SAURO_BEHIND_PROXY"] is False


@pytest.mark.parametrize("key, complaint", [
    (None, "SECRET_KEY must be set"),
    ("short-key", "SECRET_KEY must be at least 50 random characters"),
    ("a" * 60, "SECRET_KEY must be at least 50 random characters"),
])
def test_production_refuses_a_missing_or_weak_secret_key(key, complaint):
    env = _production()
    if key is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = key
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0 and complaint in result.stderr


def test_make_run_still_works_on_plain_http():
    """DEBUG=1 on a developer's machine: no key needed, no HTTPS redirect, cookies over http://127.0.0.1."""
    values = json.loads(_run(["-c", PRINT_SETTINGS], DEBUG="1").stdout)
    assert values["DEBUG"] is True and values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["SECURE_HSTS_SECONDS"] == 0


def test_the_policy_setting_is_the_strict_one():
    assert settings.SAURO_CONTENT_SECURITY_POLICY == POLICY


# Content-Security-Policy and inline code


class _InlineFinder(HTMLParser):
    """Collects whatever a "script-src 'self'; style-src 'self'" policy would block."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name == "style":
                self.found.append(f"{tag} style=")
            is_url = name in {"href", "src", "action", "formaction"}
            if is_url and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def _inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


INLINE_IN_SOURCE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _page_templates() -> list[Path]:
    # Emails are not pages: no policy applies to them, and mail programs ignore linked stylesheets,
    # so their styles must stay inline.
    return [path for path in sorted((ROOT / "templates").rglob("*.html")) if not path.name.startswith("email")]


def test_no_template_has_inline_script_handlers_or_styles():
    templates = _page_templates()
    assert len(templates) > 20
    offenders = {str(path.relative_to(ROOT)): INLINE_IN_SOURCE.findall(path.read_text(encoding="utf-8"))
                 for path in templates}
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_finder_finds_what_the_policy_blocks():
    page = ('<p style="color:red" onclick="x()">a</p><script>alert(1)</script><script src="/s.js"></script>'
            '<style>p{}</style><a href="javascript:void(0)">b</a>')
    assert _inline_code(page) == ["p style=", "p onclick=", "<script> without src", "<style>",
                                  "a href=javascript:"]
    assert INLINE_IN_SOURCE.findall(page) == [' style=', ' onclick=', '<script>', '<style', 'javascript:']


def test_the_login_page_and_static_files_carry_the_policy(client, db):
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy"] == POLICY
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert _inline_code(response.content.decode()) == []
    assert client.get("/static/css/sauro.css")["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("role", ["party_office", "unit_head", "staff", "directing", "inspection", "admin"])
def test_rendered_pages_carry_the_policy_and_no_inline_code(login, people, thanh_mien_plan, role):
    client = login(people[role])
    pages = [reverse("home"), reverse("my_work"), reverse("notifications"), reverse("plan_detail",
             args=[thanh_mien_plan.pk]), reverse("two_factor"), reverse("two_factor_setup")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url
        assert _inline_code(response.content.decode()) == [], url


def test_the_two_factor_pages_need_no_inline_code(client, people):
    from tasks.demo import DEMO_PASSWORD
    from tests.conftest import totp_device_for

    totp_device_for(people["party_office"])
    for person, url in [(people["unit_head"], reverse("two_factor_setup")),
                        (people["party_office"], reverse("two_factor_verify"))]:
        client.post(reverse("login"), {"username": person.username, "password": DEMO_PASSWORD})
        page = client.get(url)
        assert page.status_code == 200
        assert page["Content-Security-Policy"] == POLICY and _inline_code(page.content.decode()) == []
        client.post(reverse("logout"))
