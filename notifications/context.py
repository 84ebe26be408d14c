"""The bell's unread count on every page, for people who are logged in."""
from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def unread_count(request) -> dict:
    """`notifications_unread`: one COUNT query, run only if a page shows it; nothing for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notifications.selectors import notifications_unread_count

    return {"notifications_unread": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
