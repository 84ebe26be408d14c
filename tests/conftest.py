"""Shared test people per role, in communes built like the demo's."""
from __future__ import annotations

from pathlib import Path

import pytest

from roles.models import User
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


@pytest.fixture
def login(client):
    def _login(user: User):
        client.force_login(user)
        return client

    return _login
