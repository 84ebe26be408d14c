"""A unit head's first sign-in in Chromium: password, then enrolment with the QR page, under the strict CSP."""
from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

pytestmark = pytest.mark.browser


def test_first_sign_in_enrols_the_app_and_nothing_is_blocked_by_the_policy(browser, live_server, people):
    from tasks.demo import DEMO_PASSWORD

    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)
    try:
        page.goto("/accounts/login/")
        page.fill("#id_username", people["unit_head"].username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/setup/**")

        assert page.locator("h1").inner_text() == "Thiết lập xác thực hai lớp"
        assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
        secret = page.locator("code.secret").inner_text().replace(" ", "")
        page.fill("#id_token", f"{totp(base64.b32decode(secret)):06d}")
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/two-factor/backup-codes/**")
        assert page.locator("ul.backup-codes li").count() == 10

        page.click("text=Tôi đã lưu các mã, tiếp tục")
        page.wait_for_url(lambda url: "/accounts/" not in url)
        page.goto("/viec-cua-toi/")
        assert page.url.endswith("/viec-cua-toi/")
        assert blocked == []
    finally:
        context.close()
