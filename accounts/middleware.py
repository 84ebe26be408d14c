"""Session expiry (absolute and idle) and the two-factor requirement, checked on every request."""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from audit.context import request_ip
from audit.services import audit_record
from accounts.twofactor import verification_needed

SESSION_STARTED = "sauro_session_started"
SESSION_SEEN = "sauro_session_seen"
# The idle clock is written to the session at most this often, not on every request.
SEEN_RESOLUTION = 60
# A person who needs no code is asked again after this long, in case they have since taken a post.
NOT_NEEDED_UNTIL = "sauro_two_factor_not_needed_until"
NOT_NEEDED_RECHECK = 300
EXEMPT_URL_NAMES = {"login", "logout", "set_language", "healthz"}


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def session_clock_start(*, request) -> None:
    now = int(timezone.now().timestamp())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionExpiryMiddleware:
    """Sign out after SESSION_COOKIE_AGE since the sign-in, or SAURO_SESSION_IDLE_SECONDS without a request.

    Django's own expiry slides forward each time the session is saved, so it cannot cap a session's age.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN, started)
            if started is None:
                session_clock_start(request=request)
            elif now - started >= settings.SESSION_COOKIE_AGE or now - seen >= settings.SAURO_SESSION_IDLE_SECONDS:
                return self._expire(request, reason="max_age" if now - started >= settings.SESSION_COOKIE_AGE
                                    else "idle")
            elif now - seen >= SEEN_RESOLUTION:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)

    def _expire(self, request, *, reason: str):
        user = request.user
        with transaction.atomic():
            audit_record(kind="session_expired", object_type="user", object_id=user.pk, commune_id=user.commune_id,
                         actor=user, ip=request_ip(request), detail={"reason": reason})
        logout(request)
        # Carry on as a visitor: pages send them to the login page (which says why), the API answers 403,
        # and a login form posted over the stale session simply signs in.
        if not _is_api(request) and request.path_info != reverse("login"):
            messages.info(request, _("Your session has expired. Please log in again."))
        return self.get_response(request)


def two_factor_exempt(view):
    """Pages a person must reach before giving a code: the two-factor pages themselves."""
    view.two_factor_exempt = True
    return view


class TwoFactorRequiredMiddleware:
    """Until the session is verified with a code, send whoever needs one to enrol or verify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "two_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        now = int(timezone.now().timestamp())
        if request.session.get(NOT_NEEDED_UNTIL, 0) > now:
            return None
        if not verification_needed(user=user):
            if getattr(user, "otp_device", None) is None:
                request.session[NOT_NEEDED_UNTIL] = now + NOT_NEEDED_RECHECK
            return None
        if _is_api(request):
            return JsonResponse({"detail": _("Finish two-factor sign-in in the browser first, or use an API key.")},
                                status=403)
        target = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
