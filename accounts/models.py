"""Failed sign-in counters, kept in the database so that every web worker and every restart sees them."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", _("account")
    ADDRESS = "address", _("address")


class LoginThrottle(models.Model):
    """Failures of one username (whether or not such an account exists) or of one client address.

    `failures` counts within the window that began at `window_started_at`; `next_attempt_at` is the
    slowdown (no attempt accepted before it) and `locked_until` the lockout.
    """

    scope = models.CharField(_("counted by"), max_length=16, choices=ThrottleScope.choices)
    key = models.CharField(_("username or address"), max_length=190)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    window_started_at = models.DateTimeField(_("counting since"))
    last_failure_at = models.DateTimeField(_("last failure"))
    next_attempt_at = models.DateTimeField(_("next attempt accepted from"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="loginthrottle_unique_key")]
        indexes = [models.Index(fields=["last_failure_at"], name="loginthrottle_by_last_failure")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.failures})"
