"""Shared test people per role, in communes built like the demo's."""
from __future__ import annotations

from pathlib import Path

import time

import django_otp
import pytest
from django.http import HttpRequest
from django.test import Client
from django_otp import user_has_device
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from roles.models import User
from roles.policy import two_factor_required
from tasks.demo import DEMO_COMMUNES, DEMO_PASSWORD, demo_commune_build
from tasks.services import PlanFile, plan_import

DATA = Path(__file__).resolve().parent / "data"
THANH_MIEN, TRUONG_GIANG = DEMO_COMMUNES


def sample_file(name: str) -> PlanFile:
    return PlanFile(name=name, data=(DATA / name).read_bytes())


@pytest.fixture
def thanh_mien(db):
    return demo_commune_build(spec=THANH_MIEN)


@pytest.fixture
def truong_giang(db):
    return demo_commune_build(spec=TRUONG_GIANG)


@pytest.fixture
def thanh_mien_plan(thanh_mien):
    return plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")]).plan


@pytest.fixture
def people(thanh_mien, truong_giang):
    """One person per role in Thanh Miện, plus an outsider from Trường Giang and one with no role."""
    by_name = {user.username: user for user in User.objects.all()}
    outsider = User.objects.create_user(username="nguoingoai", password=DEMO_PASSWORD)
    return {
        "party_office": by_name["thanhmien.vanphong"],
        "unit_head": by_name["thanhmien.truongphong"],
        "staff": by_name["thanhmien.canbo"],
        "supporting": by_name["thanhmien.phoihop"],
        "directing": by_name["thanhmien.chidao"],
        "inspection": by_name["thanhmien.kiemtra"],
        "front": by_name["thanhmien.mattran"],
        "admin": by_name["thanhmien.quantri"],
        "other_commune": by_name["truonggiang.vanphong"],
        "no_role": outsider,
    }


def totp_device_for(user: User) -> TOTPDevice:
    """The person's authenticator app, as if they had enrolled: a confirmed TOTP device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the app shows now (or the next one, if now's was already used: each code works once)."""
    device.refresh_from_db()
    counter = max(int(time.time() - device.t0) // device.step, device.last_t + 1)
    return f"{hotp(device.bin_key, counter + device.drift, digits=device.digits):0{device.digits}d}"


def two_factor_session_pass(*, client: Client, user: User) -> None:
    """force_login skips the sign-in pages; the second factor is part of signing in, so skip it too:
    for whoever needs a code, the session is verified with their device through django_otp.login,
    exactly as the verification page leaves it."""
    if not (two_factor_required(user=user) or user_has_device(user, confirmed=True)):
        return
    request = HttpRequest()
    request.user = user
    request.session = client.session
    django_otp.login(request, totp_device_for(user))
    request.session.save()


class SignedInClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        two_factor_session_pass(client=self, user=user)


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also passes the second factor (see two_factor_session_pass)."""
    return SignedInClient()


@pytest.fixture
def login(client):
    def _login(user: User):
        client.force_login(user)
        return client

    return _login
