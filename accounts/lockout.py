"""Sign-in throttling: first a slowdown, then a lockout, per account and per client address.

After `slow_after` failures within the window, each further attempt must wait 2 s, 4 s, 8 s … (at
most `max_delay`); at `lock_after` failures the username or address is locked for `lock` seconds.
Attempts made while waiting are refused without looking at the password, so they neither count
nor reveal anything. Counters are keyed by the username as typed (lower-cased), whether or not such
an account exists, so refusals look the same for real and invented usernames. An IPv6 client is
counted by its /64 network, since one machine usually holds a whole /64.

The counters are rows of LoginThrottle: every web worker sees them and they survive restarts.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import LoginThrottle, ThrottleScope
from audit.services import audit_record


@dataclass(frozen=True)
class LoginBlock:
    scope: str  # ThrottleScope: which counter refuses
    until: datetime  # the first moment an attempt is accepted again
    locked: bool  # True: a lockout; False: a slowdown of a few seconds

    def seconds_left(self, *, now: datetime | None = None) -> int:
        left = (self.until - (now or timezone.now())).total_seconds()
        return max(1, int(left + 0.999))


def username_key(username: str) -> str:
    return username.strip().lower()[:190]


def address_key(ip: str | None) -> str:
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:190]
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _keys(*, username: str, ip: str | None) -> list[tuple[str, str]]:
    keys = [(ThrottleScope.ACCOUNT, username_key(username))]
    if address_key(ip):
        keys.append((ThrottleScope.ADDRESS, address_key(ip)))
    return keys


def _limits(scope: str) -> dict:
    return settings.SAURO_LOGIN_LIMITS[scope]


def _block_of(row: LoginThrottle, *, now: datetime) -> LoginBlock | None:
    if row.locked_until and row.locked_until > now:
        return LoginBlock(scope=row.scope, until=row.locked_until, locked=True)
    if row.next_attempt_at and row.next_attempt_at > now:
        return LoginBlock(scope=row.scope, until=row.next_attempt_at, locked=False)
    return None


def login_block_get(*, username: str, ip: str | None) -> LoginBlock | None:
    """Is a sign-in attempt for `username` from `ip` refused right now? The longest block wins."""
    now = timezone.now()
    match = Q()
    for scope, key in _keys(username=username, ip=ip):
        match |= Q(scope=scope, key=key)
    blocks = [block for row in LoginThrottle.objects.filter(match) if (block := _block_of(row, now=now))]
    return max(blocks, key=lambda block: block.until, default=None)


def _person(username: str):
    # The counters ignore case, so the audit names the account a differently-cased guess would hit.
    people = get_user_model().objects.filter(username__iexact=username.strip()).only("pk", "commune_id")
    return people.order_by("pk").first()


def login_refusal_record(*, username: str, ip: str | None, block: LoginBlock) -> None:
    """Audit an attempt refused by a block (the password was not checked)."""
    person = _person(username)
    with transaction.atomic():
        audit_record(kind="login_refused", object_type="user", object_id=person.pk if person else "",
                     commune_id=person.commune_id if person else None, actor=None, ip=ip,
                     detail={"username": username[:150], "scope": block.scope, "locked": block.locked,
                             "until": block.until})


def _row_for_update(*, scope: str, key: str, now: datetime) -> LoginThrottle:
    _, created = LoginThrottle.objects.get_or_create(
        scope=scope, key=key, defaults={"window_started_at": now, "last_failure_at": now})
    if created:
        # Forget counters nobody has touched for longer than a window and a lock, so the table stays small.
        longest = max(limits["window"] + limits["lock"] for limits in settings.SAURO_LOGIN_LIMITS.values())
        LoginThrottle.objects.filter(last_failure_at__lt=now - timedelta(seconds=longest)).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now)).delete()
    return LoginThrottle.objects.select_for_update().get(scope=scope, key=key)


def login_failure_record(*, username: str, ip: str | None) -> LoginBlock | None:
    """Count a failed password for the account and the address; return the block it causes, if any."""
    now = timezone.now()
    person = None
    with transaction.atomic():
        for scope, key in _keys(username=username, ip=ip):
            limits = _limits(scope)
            row = _row_for_update(scope=scope, key=key, now=now)
            window_over = now >= row.window_started_at + timedelta(seconds=limits["window"])
            lock_over = row.locked_until is not None and row.locked_until <= now
            if window_over or lock_over or row.failures == 0:
                row.failures, row.window_started_at, row.next_attempt_at, row.locked_until = 0, now, None, None
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limits["lock_after"]:
                row.locked_until, row.next_attempt_at = now + timedelta(seconds=limits["lock"]), None
                person = person or _person(username)
                audit_record(kind="login_locked", object_type="user", object_id=person.pk if person else "",
                             commune_id=person.commune_id if person else None, actor=None, ip=ip,
                             detail={"username": username[:150], "scope": scope, "failures": row.failures,
                                     "until": row.locked_until})
            elif row.failures >= limits["slow_after"]:
                delay = min(limits["max_delay"], 2 ** (row.failures - limits["slow_after"] + 1))
                row.next_attempt_at = now + timedelta(seconds=delay)
            row.save()
    return login_block_get(username=username, ip=ip)


def login_success_record(*, username: str) -> None:
    """The right password clears the account's counter; the address keeps its own (others may be guessing there)."""
    LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key=username_key(username)).delete()


def login_unlock(*, username: str = "", ip: str = "") -> int:
    """Clear the counters of a username and/or an address (an administrator's decision, audited)."""
    match = Q(pk__in=[])
    if username:
        match |= Q(scope=ThrottleScope.ACCOUNT, key=username_key(username))
    if ip:
        match |= Q(scope=ThrottleScope.ADDRESS, key=address_key(ip))
    person = _person(username) if username else None
    with transaction.atomic():
        cleared = LoginThrottle.objects.filter(match).delete()[0]
        audit_record(kind="login_unlocked", object_type="user", object_id=person.pk if person else "",
                     commune_id=person.commune_id if person else None, actor=None,
                     detail={"username": username[:150], "address": ip, "cleared": cleared})
    return cleared
