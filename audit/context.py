"""Where the current request comes from, for the events it causes; jobs and commands have none."""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None


_origin: ContextVar[RequestOrigin] = ContextVar("audit_origin", default=RequestOrigin())


def origin_get() -> RequestOrigin:
    return _origin.get()


def origin_set(origin: RequestOrigin):
    return _origin.set(origin)


def origin_reset(token) -> None:
    _origin.reset(token)


def request_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or the address the trusted proxy in front of us saw."""
    from django.conf import settings

    if getattr(settings, "SAURO_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
