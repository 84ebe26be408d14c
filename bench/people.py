"""The people the page and load benchmarks act as, signed in as they would be (two-factor included).

Per commune: the head of the Culture and Society office (accepts and reviews: "my work"), one
of its staff (submits; the unit's queue) and the Party Office (the board). People who must use a
second factor get a confirmed authenticator, and their session is marked verified with it, as
django-otp does after a code.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

ROLES = {"unit_head": "u6.head", "staff": "u6.staff1", "party_office": "u1.head"}


@dataclass(frozen=True)
class Actor:
    role: str
    username: str
    user_id: int
    commune_slug: str
    unit_id: int


def actors_pick(*, count: int, seed: int = 57) -> list[dict[str, Actor]]:
    """`count` communes at random, each with its unit head, staff member and Party Office."""
    from roles.models import Commune, RoleGrant, User

    slugs = list(Commune.objects.filter(slug__startswith="bench-").order_by("pk").values_list("slug", flat=True))
    chosen = random.Random(seed).sample(slugs, min(count, len(slugs))) if len(slugs) >= count else \
        [slugs[i % len(slugs)] for i in range(count)]
    usernames = {f"b{slug.split('-')[1]}.{suffix}": (slug, role) for slug in chosen for role, suffix in ROLES.items()}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    units = dict(RoleGrant.objects.filter(person__in=users.values(), unit__isnull=False,
                                          role__in=["unit_head", "staff", "party_office"])
                 .values_list("person_id", "unit_id"))
    picked = []
    for slug in chosen:
        entry = {}
        for role, suffix in ROLES.items():
            user = users[f"b{slug.split('-')[1]}.{suffix}"]
            entry[role] = Actor(role=role, username=user.username, user_id=user.pk, commune_slug=slug,
                                unit_id=units.get(user.pk))
        picked.append(entry)
    return picked


def session_create(*, user_id: int) -> str:
    """A signed-in, two-factor-verified session for this person; returns its key (the sessionid cookie)."""
    import time

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from roles.models import User

    user = User.objects.get(pk=user_id)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    session = SessionStore()
    now = int(time.time())
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    session.create()
    return session.session_key


def sessions_delete(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()
