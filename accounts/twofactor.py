"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and single-use backup codes.

Who must use it is roles/policy.two_factor_required; anyone who enrolled of their own accord is
asked for a code too, or enrolling would protect nothing.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from roles.models import User
from roles.policy import two_factor_required

TOTP_DEVICE_NAME = "Authenticator"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def verification_needed(*, user: User) -> bool:
    """Must this signed-in person still give a code in this session?"""
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return False
    return user_has_device(user, confirmed=True) or two_factor_required(user=user)


def totp_enrolled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The not-yet-confirmed device whose secret the enrolment page shows (the same one on every reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_secret(*, device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(*, device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the page's policy allows data: images)."""
    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _audit(*, kind: str, user: User, ip: str | None, detail: dict | None = None) -> None:
    audit_record(kind=kind, object_type="user", object_id=user.pk, commune_id=user.commune_id, actor=user,
                 ip=ip, detail=detail or {})


def backup_codes_create(*, user: User, ip: str | None = None) -> list[str]:
    """Ten new single-use codes; any earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        _audit(kind="backup_codes_created", user=user, ip=ip, detail={"count": len(codes)})
    return codes


def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str, ip: str | None = None) -> bool:
    """Confirm the pending device with a code from the app; it replaces any earlier app."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(token):
            _audit(kind="two_factor_failed", user=user, ip=ip, detail={"step": "enrolment"})
            return False
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit(kind="two_factor_enrolled", user=user, ip=ip, detail={"device": device.name})
    return True


@dataclass(frozen=True)
class VerifyResult:
    device: object | None  # the device that accepted the code
    retry_at: datetime | None = None  # set when django-otp's throttle refused to look at the code


def two_factor_code_check(*, user: User, token: str, ip: str | None = None) -> VerifyResult:
    """Check a code: six digits go to the authenticator app, anything else to the backup codes."""
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    retry_at = None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, kind):
                continue
            allowed, data = device.verify_is_allowed()
            if not allowed:
                until = (data or {}).get("locked_until") or timezone.now()
                retry_at = max(retry_at, until) if retry_at else until
                continue
            if device.verify_token(token):
                _audit(kind="two_factor_verified", user=user, ip=ip,
                       detail={"device": "backup_code" if kind is StaticDevice else "totp"})
                return VerifyResult(device=device)
        _audit(kind="two_factor_failed", user=user, ip=ip,
               detail={"step": "verification", "throttled": retry_at is not None})
    return VerifyResult(device=None, retry_at=retry_at)


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_reset(*, user: User, actor: User | None = None) -> int:
    """Remove all of a person's devices (a lost phone and lost backup codes); they enrol again at next sign-in."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        audit_record(kind="two_factor_reset", object_type="user", object_id=user.pk, commune_id=user.commune_id,
                     actor=actor, detail={"username": user.get_username()})
    return removed
