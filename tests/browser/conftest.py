"""Browser tests drive the real pages in Debian's Chromium through Playwright (no browser download)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the live server's database work
# happens in its own thread, and the test only prepares data before driving the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install Debian's chromium package")
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server):
    """A fresh browser session logged in as a person (password: the demo password)."""
    from roles.models import User
    from roles.policy import two_factor_required
    from tasks.demo import DEMO_PASSWORD
    from tests.conftest import totp_code, totp_device_for

    contexts = []

    def _page_as(username: str):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        person = User.objects.get(username=username)
        device = totp_device_for(person) if two_factor_required(user=person) else None
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if device is not None:  # the second step, with the code the person's app would show
            page.fill("#id_token", totp_code(device))
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
        return page

    yield _page_as
    for context in contexts:
        context.close()
