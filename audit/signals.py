"""Logins, logouts and failed logins are events of the person's commune (or the national chain)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.context import request_ip
from audit.services import audit_record


def _ip(request) -> str | None:
    return request_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def login_audited(sender, request, user, **kwargs) -> None:
    audit_record(kind="login", object_type="user", object_id=user.pk, commune_id=user.commune_id, actor=user,
                 ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logout_audited(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(kind="logout", object_type="user", object_id=user.pk, commune_id=user.commune_id, actor=user,
                     ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failure_audited(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    person = get_user_model().objects.filter(username=username).first()
    audit_record(kind="login_failed", object_type="user", object_id=person.pk if person else "",
                 commune_id=person.commune_id if person else None, actor=None,
                 detail={"username": username}, ip=_ip(request))
