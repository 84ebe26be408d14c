"""Reads for notifications: the bell's count, a person's list, rendering a message, who gets a digest.

Titles and bodies are rendered here, at read time, in the language active when called.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from notifications.models import MESSAGES, Notification
from roles.models import User

# Digest groups, most urgent first: (key, heading).
URGENCY_ORDER = ("overdue", "due", "due_soon", "other")


def urgency_label(*, urgency: str) -> str:
    return {"overdue": _("Overdue"), "due": _("Due today"), "due_soon": _("Due soon"),
            "other": _("Other news")}[urgency]


def rung_urgency(*, rung: str) -> str:
    """overdue_3 → overdue, due → due, remind_7 → due_soon, event and anything else → other."""
    if rung.startswith("overdue"):
        return "overdue"
    if rung == "due":
        return "due"
    if rung.startswith("remind"):
        return "due_soon"
    return "other"


@dataclass(frozen=True)
class RenderedNotification:
    notification: Notification
    title: str
    body: str
    urgency: str


def _params_format(params: dict) -> dict:
    formatted = {}
    for name, value in params.items():
        if name.endswith("_on") and isinstance(value, str):
            try:
                value = date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        formatted[name] = value
    return formatted


def notification_render(*, notification: Notification) -> RenderedNotification:
    """Title and body of `notification` in the active language; an unknown key shows as itself."""
    title_template, body_template = MESSAGES.get(notification.message_key, (notification.message_key, ""))
    params = _params_format(notification.params or {})
    try:
        title, body = str(title_template) % params, str(body_template) % params
    except (KeyError, TypeError, ValueError):
        title, body = str(title_template), ""
    return RenderedNotification(notification=notification, title=title, body=body,
                                urgency=rung_urgency(rung=notification.rung))


def notifications_unread_count(*, user: User) -> int:
    """One COUNT query on the (recipient, read_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_list(*, user: User, limit: int = 100) -> list[RenderedNotification]:
    """The person's own notifications, newest first, rendered in the active language."""
    rows = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit]
    return [notification_render(notification=row) for row in rows]


def notifications_for_digest(*, user: User) -> QuerySet[Notification]:
    """Unread notifications of `user` that have not yet gone out in a digest."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True, digest_at__isnull=True)


def digest_recipients() -> QuerySet[User]:
    """Every active person with an email address and something to put in a digest."""
    waiting = Notification.objects.filter(read_at__isnull=True, digest_at__isnull=True).values("recipient_id")
    return User.objects.filter(pk__in=waiting, is_active=True).exclude(email="").order_by("pk")


def digest_groups(*, notifications: list[Notification]) -> list[tuple[str, str, list[RenderedNotification]]]:
    """(urgency, heading, rendered rows) for the groups that have rows, most urgent first."""
    rendered = [notification_render(notification=n) for n in notifications]
    groups = []
    for urgency in URGENCY_ORDER:
        rows = [row for row in rendered if row.urgency == urgency]
        if rows:
            groups.append((urgency, urgency_label(urgency=urgency), rows))
    return groups
