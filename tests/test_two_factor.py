"""Two-factor sign-in: who must enrol, enrolment with a real app code, verification, backup codes."""
from __future__ import annotations

import base64
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from roles.models import Post, User
from roles.policy import two_factor_required
from roles.services import post_assign, post_create
from tasks.demo import DEMO_PASSWORD
from tests.conftest import totp_code, totp_device_for

REQUIRED = ["party_office", "unit_head", "directing", "inspection", "admin"]
NOT_FORCED = ["staff", "supporting", "no_role"]


def _later(seconds: int):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def _password_step(client: Client, user: User, next_url: str = ""):
    data = {"username": user.username, "password": DEMO_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


@pytest.mark.parametrize("role", REQUIRED)
def test_required_roles_must_enrol_before_any_page(client, people, role):
    person = people[role]
    response = _password_step(client, person)
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_setup"))

    for name in ["home", "my_work", "notifications", "two_factor"]:
        page = client.get(reverse(name))
        assert page.status_code == 302, name
        assert page["Location"].startswith(reverse("two_factor_setup")), name
    assert client.get(reverse("two_factor_setup")).status_code == 200


@pytest.mark.parametrize("role", REQUIRED)
def test_enrolled_people_are_asked_for_a_code_and_a_wrong_one_is_refused(client, people, role):
    person = people[role]
    device = totp_device_for(person)
    response = _password_step(client, person, next_url=reverse("my_work"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fviec-cua-toi%2F"
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))

    wrong = f"{(int(totp_code(device)) + 1) % 1000000:06d}"
    refused = client.post(reverse("two_factor_verify"), {"token": wrong, "next": reverse("my_work")})
    assert refused.status_code == 400
    assert "Mã không đúng" in refused.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(kind="two_factor_failed", actor_id=person.pk).exists()

    with _later(60):  # django-otp makes the next try wait a second after a wrong code
        accepted = client.post(reverse("two_factor_verify"), {"token": totp_code(device), "next": reverse("my_work")})
        assert accepted.status_code == 302 and accepted["Location"] == reverse("my_work")
        assert client.get(reverse("my_work")).status_code == 200
    assert AuditEvent.objects.filter(kind="two_factor_verified", actor_id=person.pk).exists()


@pytest.mark.parametrize("role", NOT_FORCED)
def test_staff_are_not_forced(client, people, role):
    response = _password_step(client, people[role])
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("my_work")).status_code == 200
    assert not two_factor_required(user=people[role])


def test_staff_accounts_and_superusers_are_required(db):
    assert two_factor_required(user=User.objects.create_user(username="nhanvien", password="x", is_staff=True))
    assert two_factor_required(user=User.objects.create_superuser(username="sieu", password="x"))


def test_a_directing_post_named_by_a_task_requires_it_even_inside_a_unit(people, thanh_mien_plan, thanh_mien):
    person = people["supporting"]  # staff of Phòng Kinh tế: not forced so far
    assert not two_factor_required(user=person)
    unit = person.role_grants.get().unit
    post = post_create(commune=thanh_mien, title="Phó trưởng phòng Kinh tế", unit=unit)
    post_assign(post=post, person=person, started_on=date(2025, 7, 1))
    assert not two_factor_required(user=person)
    task = thanh_mien_plan.tasks.first()
    task.directing_post = post
    task.save(update_fields=["directing_post"])
    assert two_factor_required(user=person)


def test_holding_a_commune_level_post_requires_it(people, thanh_mien):
    person = people["staff"]
    post_assign(post=Post.objects.get(commune=thanh_mien, title="Bí thư Đảng ủy"), person=person,
                started_on=date(2025, 7, 1))
    assert two_factor_required(user=person)


def test_enrolment_with_a_real_code_then_a_later_login_and_backup_codes(client, people):
    person = people["unit_head"]
    _password_step(client, person)
    page = client.get(reverse("two_factor_setup")).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7 ]+)"', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page and "Sáu Rõ" in page
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))

    wrong = client.post(reverse("two_factor_setup"), {"token": f"{(totp(key) + 1) % 1000000:06d}"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(user=person, confirmed=True).exists()

    with _later(60):
        done = client.post(reverse("two_factor_setup"), {"token": f"{totp(key):06d}", "next": reverse("my_work")})
        assert done.status_code == 302 and done["Location"].startswith(reverse("two_factor_backup_codes"))
        codes_page = client.get(done["Location"]).content.decode()
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
        assert len(codes) == 10
        assert client.get(reverse("my_work")).status_code == 200
        assert AuditEvent.objects.filter(kind="two_factor_enrolled", actor_id=person.pk).exists()
        client.post(reverse("logout"))

    # Next day: password, then the app's code.
    with _later(24 * 3600):
        fresh = Client()
        assert _password_step(fresh, person)["Location"].startswith(reverse("two_factor_verify"))
        assert fresh.post(reverse("two_factor_verify"), {"token": f"{totp(key):06d}"})["Location"] == reverse("home")
        assert fresh.get(reverse("home")).status_code == 200

    # Without the phone: a backup code works once.
    with _later(2 * 24 * 3600):
        for attempt, expected in [(0, 302), (1, 400)]:
            other = Client()
            _password_step(other, person)
            response = other.post(reverse("two_factor_verify"), {"token": codes[0].upper()})
            assert response.status_code == expected, attempt


def test_a_stolen_password_cannot_replace_the_app(client, people):
    person = people["party_office"]
    device = totp_device_for(person)
    _password_step(client, person)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    assert list(TOTPDevice.objects.filter(user=person)) == [device]


def test_the_api_answers_403_to_a_session_without_the_second_factor(client, people):
    _password_step(client, people["admin"])
    response = client.get("/api/v1/plans/")
    assert response.status_code == 403 and "detail" in response.json()


def test_force_login_in_tests_passes_the_second_factor_through_django_otp(login, people):
    client = login(people["unit_head"])
    assert client.get(reverse("my_work")).status_code == 200
    assert client.session["otp_device_id"] == totp_device_for(people["unit_head"]).persistent_id


def test_staff_may_enrol_and_are_then_asked_for_the_code(client, people):
    person = people["staff"]
    _password_step(client, person)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"token": totp_code(device)}).status_code == 302
    client.post(reverse("logout"))
    assert _password_step(client, person)["Location"].startswith(reverse("two_factor_verify"))


def test_a_lost_phone_is_reset_by_command_and_the_person_enrols_again(client, people):
    import io

    from django.core.management import call_command

    person = people["inspection"]
    totp_device_for(person)
    call_command("two_factor_reset", person.username, stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert _password_step(client, person)["Location"].startswith(reverse("two_factor_setup"))
    assert AuditEvent.objects.filter(kind="two_factor_reset", object_id=str(person.pk)).exists()
