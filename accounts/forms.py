"""The sign-in form (password, behind the throttle) and the two-factor code form."""
from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.lockout import (
    LoginBlock,
    login_block_get,
    login_failure_record,
    login_refusal_record,
    login_success_record,
)
from audit.context import request_ip


def block_message(block: LoginBlock) -> str:
    """Says when to try again, and nothing about whether the account exists."""
    now = timezone.now()
    until = date_format(timezone.localtime(block.until), "H:i:s d/m/Y")
    if block.locked:
        minutes = max(1, (block.seconds_left(now=now) + 59) // 60)
        return _("Too many failed sign-in attempts for this username or from this address. Signing in is paused "
                 "until %(until)s (about %(minutes)s min). Please try again then, or ask your commune's "
                 "administrator to reset your password.") % {"until": until, "minutes": minutes}
    return _("Several sign-in attempts have failed. Please wait %(seconds)s seconds (until %(until)s) "
             "before trying again.") % {"seconds": block.seconds_left(now=now), "until": until}


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("Your username and password didn't match. Please try again."),
        "inactive": gettext_lazy("Your username and password didn't match. Please try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        ip = request_ip(self.request) if self.request is not None else None
        block = login_block_get(username=username, ip=ip)
        if block is not None:
            login_refusal_record(username=username, ip=ip, block=block)
            raise ValidationError(block_message(block), code="throttled")
        # authenticate() sends user_login_failed on a wrong password: audit/signals.py records it.
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            block = login_failure_record(username=username, ip=ip)
            if block is not None and block.locked:
                raise ValidationError(block_message(block), code="throttled")
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        login_success_record(username=username)
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 10}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "").replace("-", "").lower()
