"""Celery jobs of the notifications app: thin callers of services, safe to run twice."""
from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="notifications.deliveries_send", ignore_result=True, acks_late=True)
def deliveries_send_job(channel_name: str = "email") -> int:
    # The service claims its rows, so a repeat or a second worker sends nothing twice.
    from notifications.services import deliveries_send

    return deliveries_send(channel_name=channel_name)


@shared_task(name="notifications.digests_send", ignore_result=True, acks_late=True)
def digests_send_job() -> int:
    # digest_at marks what went out, so a repeat the same day finds nothing to send.
    from notifications.selectors import digest_recipients
    from notifications.services import digest_send

    today, sent = timezone.localdate(), 0
    for user in digest_recipients():
        try:
            sent += 1 if digest_send(user=user, today=today) else 0
        except Exception:  # noqa: BLE001 — one bad address must not stop the others' digests
            logger.exception("Digest for person %s failed", user.pk)
    return sent
