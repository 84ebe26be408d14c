"""A sign-in starts the session's clocks (accounts/middleware.py ends the session when they run out)."""
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import session_clock_start


@receiver(user_logged_in, dispatch_uid="accounts_session_clock")
def session_clock_started(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_clock_start(request=request)
