"""Sessions end when the browser closes, after an hour untouched, and after eight hours in any case."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from tasks.demo import DEMO_PASSWORD

START = datetime(2025, 10, 6, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, people, clock):
    response = client.post(reverse("login"), {"username": people["staff"].username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def test_the_cookie_dies_with_the_browser_and_the_limits_are_set():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SAURO_SESSION_IDLE_SECONDS == 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_session_cookie_has_no_expiry_date(signed_in):
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]


def test_an_hour_without_a_request_ends_the_session(client, signed_in, clock, people):
    clock.shift(timedelta(minutes=59))
    assert client.get(reverse("my_work")).status_code == 200
    clock.shift(timedelta(minutes=59))  # 59 minutes after the last request: still in
    assert client.get(reverse("my_work")).status_code == 200

    clock.shift(timedelta(minutes=60))
    response = client.get(reverse("my_work"))
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next=/viec-cua-toi/"
    assert "Phiên làm việc đã hết hạn" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("my_work")).status_code == 302
    event = AuditEvent.objects.get(kind="session_expired")
    assert (event.actor_id, event.detail) == (people["staff"].pk, {"reason": "idle"})
    assert AuditEvent.objects.filter(kind="logout", actor_id=people["staff"].pk).exists()


def test_eight_hours_end_the_session_however_busy(client, signed_in, clock):
    for _ in range(15):  # a request every half hour until 7 h 30 min after signing in
        clock.shift(timedelta(minutes=30))
        assert client.get(reverse("my_work")).status_code == 200
    clock.shift(timedelta(minutes=30))
    response = client.get(reverse("my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.get(kind="session_expired").detail == {"reason": "max_age"}


def test_signing_in_again_starts_a_new_eight_hours(client, signed_in, clock, people):
    clock.shift(timedelta(hours=7, minutes=50))
    client.post(reverse("login"), {"username": people["staff"].username, "password": DEMO_PASSWORD})
    clock.shift(timedelta(minutes=30))
    assert client.get(reverse("my_work")).status_code == 200
