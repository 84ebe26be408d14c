"""The demo loads both communes with their plans and logins, and reloads from scratch."""
from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from roles.models import Commune, Post, PostHolding, Role, RoleGrant, User
from tasks.demo import DEMO_PASSWORD
from tasks.models import Plan


def _snapshot() -> tuple[int, ...]:
    return (Commune.objects.count(), User.objects.count(), Post.objects.count(), Plan.objects.count(),
            sum(plan.tasks.count() for plan in Plan.objects.all()))


def test_demo_loads_twice_from_scratch(db):
    out = io.StringIO()
    call_command("demo_load", "--reset", stdout=out)
    first = _snapshot()
    call_command("demo_load", "--reset", stdout=io.StringIO())

    assert _snapshot() == first
    assert first[0] == 2 and first[3] == 2 and first[4] == 11 + 8
    assert "thanhmien.vanphong" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_every_post_has_a_person_and_every_role_a_login(db):
    call_command("demo_load", "--reset", stdout=io.StringIO())

    assert not Post.objects.exclude(pk__in=PostHolding.objects.filter(ended_on__isnull=True).values("post")).exists()
    for commune in Commune.objects.all():
        roles = set(RoleGrant.objects.filter(commune=commune).values_list("role", flat=True))
        assert roles >= {Role.PARTY_OFFICE, Role.UNIT_HEAD, Role.STAFF, Role.DIRECTING, Role.INSPECTION,
                         Role.FRONT, Role.COMMUNE_ADMIN}
    assert RoleGrant.objects.filter(role=Role.PROVINCE_VIEWER).exists()


def test_demo_logins_work_with_the_printed_password(client, db):
    call_command("demo_load", "--reset", stdout=io.StringIO())

    response = client.post(reverse("login"), {"username": "truonggiang.canbo", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "71/NQ-CP" in home or "Trường Giang" in home


def test_province_viewer_sees_only_its_province(client, db):
    call_command("demo_load", "--reset", stdout=io.StringIO())
    client.force_login(User.objects.get(username="tinh.haiphong"))

    home = client.get(reverse("home")).content.decode()
    assert "Xã Thanh Miện" in home and "Xã Trường Giang" not in home


def test_the_demo_plans_are_active_so_my_work_has_something(client, db):
    call_command("demo_load", "--reset", stdout=io.StringIO())
    client.force_login(User.objects.get(username="thanhmien.truongphong"))

    page = client.get(reverse("my_work")).content.decode()
    assert "Xây dựng kế hoạch thực hiện, cụ thể hóa của Ủy ban nhân dân xã." in page
    assert Plan.objects.filter(status="active").count() == 2
