"""Sign-in pages: the password step (throttled), two-factor enrolment and verification, backup codes."""
from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from accounts.forms import LoginForm, TokenForm
from accounts.middleware import two_factor_exempt
from accounts.twofactor import (
    backup_codes_create,
    backup_codes_left,
    totp_device_pending,
    totp_enrol_confirm,
    totp_enrolled,
    totp_qr_data_uri,
    totp_secret,
    two_factor_code_check,
    verification_needed,
)
from audit.context import request_ip
from roles.policy import two_factor_required

BACKUP_CODES_SESSION_KEY = "sauro_new_backup_codes"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if verification_needed(user=self.request.user):
            target = "two_factor_verify" if user_has_device(self.request.user, confirmed=True) else "two_factor_setup"
            return redirect(_with_next(target, response.url))
        return response


def _session_verified(request, device) -> None:
    # A new session key once the second factor is given, as after the password.
    request.session.cycle_key()
    django_otp.login(request, device)


@two_factor_exempt
@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: show its secret as a QR code and as text, confirm with a first code."""
    next_url = _next_url(request)
    if totp_enrolled(user=request.user) and not request.user.is_verified():
        # Replacing the app needs the current one: a stolen password alone must not move the second factor.
        return redirect(_with_next("two_factor_verify", request.get_full_path()))
    device = totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_enrol_confirm(user=request.user, device=device, token=form.cleaned_data["token"],
                              ip=request_ip(request)):
            device.refresh_from_db()
            _session_verified(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = backup_codes_create(user=request.user, ip=request_ip(request))
            return redirect(_with_next("two_factor_backup_codes", next_url))
        form.add_error("token", _("That code is not right. Check that the phone's clock is correct and type the "
                                  "code the app shows now."))
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "next": next_url, "secret": totp_secret(device=device), "qr": totp_qr_data_uri(device=device),
        "account": request.user.get_username(), "required": two_factor_required(user=request.user),
    }, status=400 if form.errors else 200)


@two_factor_exempt
@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not user_has_device(request.user, confirmed=True):
        return redirect(_with_next("two_factor_setup", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor_code_check(user=request.user, token=form.cleaned_data["token"], ip=request_ip(request))
        if result.device is not None:
            _session_verified(request, result.device)
            return redirect(next_url)
        if result.retry_at is not None:
            until = date_format(timezone.localtime(result.retry_at), "H:i:s")
            form.add_error("token", _("Too many wrong codes. Please wait until %(until)s before trying again.")
                           % {"until": until})
        else:
            form.add_error("token", _("That code is not right. Type the code the app shows now, or a backup code."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


@login_required
def two_factor_backup_codes(request):
    """New backup codes are shown once, right after they are made."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor")
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
def two_factor(request):
    """One's own two-factor status: enrolled or not, backup codes left, and the ways to change them."""
    return render(request, "accounts/two_factor.html", {
        "enrolled": totp_enrolled(user=request.user), "required": two_factor_required(user=request.user),
        "backup_codes_left": backup_codes_left(user=request.user),
    })


@require_POST
@login_required
def two_factor_backup_codes_renew(request):
    if not totp_enrolled(user=request.user):
        return redirect("two_factor_setup")
    request.session[BACKUP_CODES_SESSION_KEY] = backup_codes_create(user=request.user, ip=request_ip(request))
    messages.success(request, _("New backup codes were made; the old ones no longer work."))
    return redirect(_with_next("two_factor_backup_codes", reverse("two_factor")))
