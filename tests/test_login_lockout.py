"""Sign-in throttling: slowdown, then lockout, per account and per address; refusals are audited."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginThrottle
from audit.models import AuditEvent
from tasks.demo import DEMO_PASSWORD

START = datetime(2025, 10, 6, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ADDRESS = "203.0.113.7"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _attempt(client: Client, username: str, password: str, ip: str = ADDRESS):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(response) -> bool:
    return response.status_code == 302 and reverse("login") not in response["Location"]


def _fail_until_locked(client, clock, username: str) -> list[str]:
    """Wrong passwords, waiting out each slowdown, until the lock; returns the pages' texts."""
    pages = []
    for _ in range(8):
        pages.append(_attempt(client, username, "wrong-password").content.decode())
        clock.shift(timedelta(seconds=61))
    return pages


def test_slowdown_after_three_failures_even_for_the_right_password(client, people, clock):
    person = people["staff"]
    for _ in range(3):
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in _attempt(client, person.username, "wrong").content.decode()

    too_soon = _attempt(client, person.username, DEMO_PASSWORD)
    assert not _signed_in(too_soon)
    page = too_soon.content.decode()
    assert "Vui lòng chờ 2 giây (đến 09:00:02 06/10/2025) rồi thử lại." in page

    clock.shift(timedelta(seconds=2))
    assert _signed_in(_attempt(client, person.username, DEMO_PASSWORD))
    assert not LoginThrottle.objects.filter(scope="account").exists()


def test_the_delay_doubles_with_each_further_failure(client, people, clock):
    person = people["staff"]
    delays = []
    for _ in range(7):
        failed_at = timezone.now()
        _attempt(client, person.username, "wrong")
        row = LoginThrottle.objects.get(scope="account")
        delays.append(int((row.next_attempt_at - failed_at).total_seconds()) if row.next_attempt_at else 0)
        clock.shift(timedelta(seconds=61))
    assert delays == [0, 0, 2, 4, 8, 16, 32]
    assert LoginThrottle.objects.get(scope="account").locked_until is None


def test_account_lockout_message_audit_and_unlock(client, people, clock):
    person = people["unit_head"]
    pages = _fail_until_locked(client, clock, person.username)
    assert "Tạm dừng" not in pages[0] and "tạm dừng đến" in pages[-1]

    locked_at = START + timedelta(seconds=61 * 7)
    refused = _attempt(client, person.username, DEMO_PASSWORD)
    assert not _signed_in(refused)
    text = refused.content.decode()
    until = (locked_at + timedelta(minutes=15)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"Việc đăng nhập tạm dừng đến {until:%H:%M:%S %d/%m/%Y}" in text

    # Eight wrong passwords are eight login_failed events; the refused attempt is a login_refused one.
    assert AuditEvent.objects.filter(kind="login_failed", detail__username=person.username).count() == 8
    locked = AuditEvent.objects.get(kind="login_locked")
    assert (locked.chain, locked.ip, locked.detail["scope"]) == (person.commune_id, ADDRESS, "account")
    event = AuditEvent.objects.filter(kind="login_refused").latest("pk")
    assert (event.chain, event.ip, event.object_id) == (person.commune_id, ADDRESS, str(person.pk))
    assert event.detail == {"username": person.username, "scope": "account", "locked": True,
                            "until": until.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")}

    # Another address does not help: the account itself is locked.
    assert not _signed_in(_attempt(client, person.username, DEMO_PASSWORD, ip="198.51.100.20"))

    clock.move_to(until + timedelta(seconds=1))
    assert _signed_in(_attempt(client, person.username, DEMO_PASSWORD))


def test_an_unknown_username_is_refused_in_the_same_words(client, people, clock):
    real = _fail_until_locked(client, clock, people["staff"].username)[-1]
    clock.move_to(START)
    invented = _fail_until_locked(Client(), clock, "khong.ton.tai")[-1]

    def message(page: str) -> str:
        return page.split('role="alert">', 1)[1].split("</p>", 1)[0]

    assert message(real) == message(invented)
    assert "tạm dừng đến" in message(invented)
    refused = AuditEvent.objects.filter(kind="login_locked", detail__username="khong.ton.tai").get()
    assert refused.chain == 0 and refused.object_id == ""


def test_per_address_lockout_stops_guessing_many_accounts(client, people, clock, settings):
    settings.SAURO_LOGIN_LIMITS = {**settings.SAURO_LOGIN_LIMITS,
                                   "address": {"slow_after": 100, "lock_after": 5, "window": 900, "lock": 900,
                                               "max_delay": 60}}
    for index in range(5):
        _attempt(client, f"doan.ten{index}", "wrong")

    refused = _attempt(client, people["staff"].username, DEMO_PASSWORD)
    assert not _signed_in(refused) and "tạm dừng đến 09:15:00 06/10/2025" in refused.content.decode()
    event = AuditEvent.objects.filter(kind="login_refused").latest("pk")
    assert (event.ip, event.detail["scope"], event.chain) == (ADDRESS, "address", people["staff"].commune_id)

    # The same person from their own office's address is not affected.
    assert _signed_in(_attempt(Client(), people["staff"].username, DEMO_PASSWORD, ip="198.51.100.20"))

    clock.shift(timedelta(minutes=15))
    assert _signed_in(_attempt(client, people["staff"].username, DEMO_PASSWORD))


def test_failures_outside_the_window_do_not_add_up(client, people, clock):
    person = people["staff"]
    for _ in range(2):
        _attempt(client, person.username, "wrong")
    clock.shift(timedelta(minutes=16))
    for _ in range(2):
        _attempt(client, person.username, "wrong")
    assert LoginThrottle.objects.get(scope="account").failures == 2
    assert _signed_in(_attempt(client, person.username, DEMO_PASSWORD))


def test_the_message_is_in_english_for_an_english_reader(client, people, clock):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _ in range(3):
        _attempt(client, people["staff"].username, "wrong")
    page = _attempt(client, people["staff"].username, DEMO_PASSWORD).content.decode()
    assert "Please wait 2 seconds (until 09:00:02 06/10/2025) before trying again." in page


def test_an_administrator_can_lift_a_lock_early(client, people, clock):
    import io

    from django.core.management import call_command

    person = people["staff"]
    _fail_until_locked(client, clock, person.username)
    assert not _signed_in(_attempt(client, person.username, DEMO_PASSWORD))
    out = io.StringIO()
    call_command("login_unlock", "--username", person.username.upper(), stdout=out)
    assert "1 counter(s) cleared." in out.getvalue()
    assert _signed_in(_attempt(client, person.username, DEMO_PASSWORD))
    assert AuditEvent.objects.get(kind="login_unlocked").chain == person.commune_id
