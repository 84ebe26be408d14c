"""API keys: "Authorization: Bearer <key>" acts as the key's person, under the same policy as them.

A request without a Bearer header is left to the next authentication (a browser's session). A
Bearer header with an unknown, revoked or malformed key is refused with 401, never passed on.
"""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.services import key_hash

# last_used_at is refreshed at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the API key as “Authorization: Bearer <key>”, with nothing else after the key."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API key is unknown or has been revoked."))
        token = (ApiToken.objects.select_related("user").filter(key_sha256=key_hash(key=key), revoked_at__isnull=True)
                 .first())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API key is unknown or has been revoked."))
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
