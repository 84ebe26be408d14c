"""Creating and revoking API keys and calendar links; each change and its audit event in one transaction.

No secret ever reaches the audit history: events name the key or link by its row, never by its value.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, CalendarFeed
from audit.services import audit_record
from roles.models import User

KEY_PREFIX = "sr_"


def key_hash(*, key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    key: str  # shown once; only its hash is stored


def api_token_create(*, user: User, name: str, created_by: User | None = None) -> NewApiToken:
    """A new key acting as `user`. The caller shows `key` once; it cannot be read back later."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the API key a name, such as the system that will use it."))
    if len(name) > 100:
        raise ValidationError(_("The API key's name is too long (at most 100 characters)."))
    if not user.is_active:
        raise ValidationError(_("%(person)s is not active; an API key cannot act as them.") % {"person": user})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(name=name, user=user, key_sha256=key_hash(key=key), created_by=created_by)
        audit_record(kind="created", object_type="api_token", object_id=token.pk, commune_id=user.commune_id,
                     actor=created_by, after={"name": name, "acts_as": user.username})
    return NewApiToken(token=token, key=key)


def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke `token` now; revoking twice changes nothing and records nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(kind="revoked", object_type="api_token", object_id=token.pk, commune_id=token.user.commune_id,
                     actor=actor, before={"revoked_at": None}, after={"revoked_at": token.revoked_at},
                     detail={"name": token.name, "acts_as": token.user.username})
    return token


def calendar_feed_live_get(*, person: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first()


def _feed_revoke_locked(*, person: User, now) -> CalendarFeed | None:
    live = CalendarFeed.objects.select_for_update().filter(person=person, revoked_at__isnull=True).first()
    if live is not None:
        live.revoked_at = now
        live.save(update_fields=["revoked_at"])
    return live


def calendar_feed_regenerate(*, person: User) -> CalendarFeed:
    """Revoke the person's link, if any, and make a new one: the old address stops working at once."""
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=person.pk)  # one change at a time per person
        now = timezone.now()
        old = _feed_revoke_locked(person=person, now=now)
        feed = CalendarFeed.objects.create(person=person, token=secrets.token_urlsafe(32))
        audit_record(kind="regenerated" if old else "created", object_type="calendar_feed", object_id=feed.pk,
                     commune_id=person.commune_id, actor=person,
                     detail={"revoked_feed": old.pk} if old else {})
    return feed


def calendar_feed_revoke(*, person: User) -> CalendarFeed | None:
    """Turn the person's link off; with no live link this changes nothing and records nothing."""
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=person.pk)
        old = _feed_revoke_locked(person=person, now=timezone.now())
        if old is not None:
            audit_record(kind="revoked", object_type="calendar_feed", object_id=old.pk,
                         commune_id=person.commune_id, actor=person,
                         before={"revoked_at": None}, after={"revoked_at": old.revoked_at})
    return old
