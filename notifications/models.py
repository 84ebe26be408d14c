"""Notifications (the bell and the emails) and their deliveries, one per channel.

A notification stores a message key and its parameters, never rendered text: the bell renders
it at read time in the reader's language, emails render it in Vietnamese. The key
(occurrence, rung, recipient) is unique, so a sweep that runs twice records nothing twice.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from roles.models import Commune

# Rungs of the escalation ladder, from the earliest reminder to the last escalation. Events (a
# return, an approval…) use "event" or, to notify one person of several events of the same
# occurrence, "event:<OccurrenceEvent pk>": the rung is part of the deduplication key.
RUNGS = ("remind_7", "remind_3", "remind_1", "due", "overdue_3", "overdue_10", "event")

# What each message key says: (title, body), English msgids with %(name)s parameters. Parameters
# whose name ends in "_on" are ISO dates, written dd/mm/yyyy when rendered.
MESSAGES = {
    "occurrence_due_soon": (_("Due soon: %(task)s"), _("%(unit)s must finish it by %(due_on)s.")),
    "occurrence_due_today": (_("Due today: %(task)s"), _("%(unit)s must finish it today, %(due_on)s.")),
    "occurrence_overdue": (_("Overdue: %(task)s"), _("%(unit)s has not finished it; it was due on %(due_on)s.")),
    "occurrence_event": (_("Update: %(task)s"), _("%(unit)s, due on %(due_on)s.")),
    # Indicator figures (indicators/escalation.py): no occurrence; the figure's page is the link.
    "figure_due_soon": (_("Figure due soon: %(indicator)s"), _("%(unit)s must report %(period)s by %(due_on)s.")),
    "figure_due_today": (_("Figure due today: %(indicator)s"),
                         _("%(unit)s must report %(period)s today, %(due_on)s.")),
    "figure_overdue": (_("Figure overdue: %(indicator)s"),
                       _("%(unit)s has not reported %(period)s; it was due on %(due_on)s.")),
    "report_draft_ready": (_("Report draft ready: %(plan)s, %(period)s"),
                           _("Edit its narrative parts and download it before %(due_on)s.")),
}


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    occurrence = models.ForeignKey("sauro_workflow.Occurrence", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="notifications")
    rung = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)
    message_key = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # The call of notifications_record that inserted the row: tells it which rows it created.
    batch = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "rung", "recipient"], name="notification_once_per_rung"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
            models.Index(fields=["batch"], name="notification_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.message_key} {self.rung}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [models.Index(fields=["channel", "status"], name="delivery_channel_status")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"
