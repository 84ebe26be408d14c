"""Channels that carry a notification out of the application: email today.

A channel is anything with a `name` and a `send(*, deliveries=...)`. To add one (Zalo OA, SMS),
write a class that follows `Channel`, register an instance in `CHANNELS` under its name, and
queue deliveries for it with `deliveries_queue(notifications=..., channel=<name>)`; the sending
service, its claims and its retries stay the same.

The contract of `send`: it tries every delivery it is given. A delivery it could not send gets
its reason in `delivery.error` (a string); the others count as sent. Raising means the whole
batch failed, with the exception as the error of each delivery.
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Delivery
from notifications.selectors import notification_render

SUBJECT_PREFIX = "[Sáu Rõ]"


class Channel(Protocol):
    name: str

    def send(self, *, deliveries: list[Delivery]) -> None: ...


def absolute_url(*, path: str) -> str:
    """A link for outside the site (emails), built on SAURO_BASE_URL."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SAURO_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def message_id(*, delivery: Delivery) -> str:
    """The same Message-ID every time a delivery is sent, so a resend after a crash is recognisable."""
    return f"<delivery-{delivery.pk}@sauro>"


class EmailChannel:
    """One email per delivery, in Vietnamese, with an HTML and a plain-text part."""

    name = "email"

    def message_build(self, *, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
        notification = delivery.notification
        with translation.override("vi"):
            rendered = notification_render(notification=notification)
            context = {"notification": notification, "title": rendered.title, "body": rendered.body,
                       "occurrence": notification.occurrence, "link": absolute_url(path=notification.url)}
            text = render_to_string("notifications/email_event.txt", context)
            html = render_to_string("notifications/email_event.html", context)
        message = EmailMultiAlternatives(
            subject=f"{SUBJECT_PREFIX} {rendered.title}", body=text, to=[notification.recipient.email],
            headers={"Message-ID": message_id(delivery=delivery)}, connection=connection)
        message.attach_alternative(html, "text/html")
        return message

    def send(self, *, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        connection = get_connection()
        connection.open()
        try:
            for delivery in deliveries:
                if not delivery.notification.recipient.email:
                    delivery.error = "The recipient has no email address."
                    continue
                try:
                    self.message_build(delivery=delivery, connection=connection).send()
                except Exception as error:  # noqa: BLE001 — one bad address must not stop the others
                    delivery.error = f"{type(error).__name__}: {error}"
        finally:
            connection.close()


CHANNELS: dict[str, Channel] = {"email": EmailChannel()}
