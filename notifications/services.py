"""Writes for notifications: record them, queue and send their deliveries, mark them read, send digests.

Everything here is safe to run twice: notifications are keyed by (occurrence, rung, recipient),
deliveries by (notification, channel), and sending claims its rows before sending them.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.channels import CHANNELS, SUBJECT_PREFIX, absolute_url
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.selectors import digest_groups, notifications_for_digest
from roles.models import Commune, User

logger = logging.getLogger(__name__)

# A "sending" claim older than this belongs to a worker that died: the delivery is claimable again.
CLAIM_TIMEOUT = timedelta(minutes=15)
# A failed delivery is tried again after this long, up to MAX_ATTEMPTS attempts in all.
RETRY_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class NotificationDraft:
    """A notification to record. `params` must be JSON: dates as ISO text under names ending in "_on"."""

    recipient: User
    commune: Commune
    rung: str
    kind: str
    message_key: str
    occurrence: object | None = None  # workflow.Occurrence
    params: dict = field(default_factory=dict)
    url: str = ""


def notifications_record(*, rows: list[NotificationDraft]) -> list[Notification]:
    """Insert the drafts whose key (occurrence, rung, recipient) is new; return only those.

    Every row of one call carries the same fresh `batch` UUID. A row that conflicts with an existing
    key is dropped by the database and the existing row keeps its own batch, so the rows that have
    this call's batch are exactly the ones it created, even with another sweep running at the
    same time. Drafts without an occurrence have no key (NULLs never conflict) and are always new.
    """
    if not rows:
        return []
    batch = uuid.uuid4()
    Notification.objects.bulk_create([
        Notification(recipient=row.recipient, commune=row.commune, occurrence=row.occurrence, rung=row.rung,
                     kind=row.kind, message_key=row.message_key, params=row.params, url=row.url, batch=batch)
        for row in rows
    ], ignore_conflicts=True)
    return list(Notification.objects.filter(batch=batch).order_by("pk"))


def deliveries_queue(*, notifications: list[Notification], channel: str = "email") -> None:
    """One pending delivery per notification on `channel`; one that exists already is left alone."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}")
    Delivery.objects.bulk_create([Delivery(notification=n, channel=channel) for n in notifications],
                                 ignore_conflicts=True)


def _deliveries_claim(*, channel_name: str, limit: int) -> tuple[list[int], object]:
    now = timezone.now()
    claimable = (
        Q(status=DeliveryStatus.PENDING)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        | Q(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS, claimed_at__lt=now - RETRY_AFTER)
    )
    with transaction.atomic():
        ids = list(Delivery.objects.select_for_update(skip_locked=True)
                   .filter(claimable, channel=channel_name).order_by("pk").values_list("pk", flat=True)[:limit])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING, claimed_at=now)
    return ids, now


def deliveries_send(*, channel_name: str, limit: int = 200) -> int:
    """Claim up to `limit` deliveries of the channel, send them, mark each sent or failed.

    Claiming is one short transaction (status → sending); sending happens outside it, so a slow
    mail server holds no lock. Each delivery is marked the moment its own send returns: a worker
    killed mid-batch leaves at most the one message that was on the wire to go out again (with the
    same Message-ID), never the whole batch. Returns how many were sent.
    """
    channel = CHANNELS[channel_name]
    ids, claimed_at = _deliveries_claim(channel_name=channel_name, limit=limit)
    if not ids:
        return 0
    deliveries = list(Delivery.objects.filter(pk__in=ids).order_by("pk").select_related(
        "notification__recipient", "notification__occurrence__task", "notification__occurrence__unit"))
    sent = 0
    for delivery in deliveries:
        delivery.error = ""
        try:
            channel.send(deliveries=[delivery])
        except Exception as error:  # noqa: BLE001 - this delivery failed; record why and go on
            logger.exception("Channel %s failed for delivery %s", channel_name, delivery.pk)
            delivery.error = f"{type(error).__name__}: {error}"
        sent += _delivery_mark_until_recorded(delivery=delivery)
    return sent


# How long a worker keeps trying to record a send while the database is away; shorter than
# CLAIM_TIMEOUT, so that no other worker takes the delivery back in the meantime.
MARK_RETRY_FOR = timedelta(minutes=10)


def _delivery_mark_until_recorded(*, delivery: Delivery) -> int:
    """Record the send, waiting out a database outage (issue 8): the email is gone, and a delivery left
    'sending' would be claimed again after CLAIM_TIMEOUT and sent twice."""
    import time

    from django.db import InterfaceError, OperationalError, connection

    deadline, pause = time.monotonic() + MARK_RETRY_FOR.total_seconds(), 0.5
    while True:
        try:
            return _delivery_mark(delivery=delivery)
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("Database unavailable; delivery %s was sent and is recorded when it is back", delivery.pk)
            connection.close()  # the next try opens a new connection
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _delivery_mark(*, delivery: Delivery) -> int:
    if delivery.error:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, last_error=delivery.error[:2000])
        return 0
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return 1


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Only the recipient may mark a notification read; marking it again changes nothing."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def digest_send(*, user: User, today: date) -> int:
    """One email gathering the person's unread notifications not yet in a digest, most urgent first.

    The rows are claimed (digest_at set) before the email goes, so two digests running at once
    send the rows once; if sending fails the claim is undone and the error raised. Returns how
    many notifications the email gathered: 0, and no email, when there is nothing.
    """
    if not user.email:
        return 0
    now = timezone.now()
    with transaction.atomic():
        ids = list(notifications_for_digest(user=user).select_for_update(skip_locked=True)
                   .order_by("-created_at", "-pk").values_list("pk", flat=True))
        if not ids:
            return 0
        Notification.objects.filter(pk__in=ids).update(digest_at=now)
    notifications = list(Notification.objects.filter(pk__in=ids).order_by("-created_at", "-pk"))
    try:
        with translation.override("vi"):
            context = {"groups": digest_groups(notifications=notifications), "today": today,
                       "base_url": settings.SAURO_BASE_URL.rstrip("/"),
                       "list_link": absolute_url(path=reverse("notifications"))}
            subject = _("Your notifications, %(day)s") % {"day": today.strftime("%d/%m/%Y")}
            text = render_to_string("notifications/email_digest.txt", context)
            html = render_to_string("notifications/email_digest.html", context)
        message = EmailMultiAlternatives(subject=f"{SUBJECT_PREFIX} {subject}", body=text, to=[user.email],
                                         headers={"Message-ID": f"<digest-{user.pk}-{today:%Y%m%d}@sauro>"})
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        Notification.objects.filter(pk__in=ids, digest_at=now).update(digest_at=None)
        raise
    return len(ids)
