"""Notifications: recorded once per key, delivered once per channel, gathered in digests, read on the bell."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.channels import CHANNELS
from notifications.jobs import digests_send_job
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import (
    NotificationDraft, deliveries_queue, deliveries_send, digest_send, notification_mark_read,
    notifications_mark_all_read, notifications_record,
)
from workflow.models import Occurrence
from workflow.services import plan_activate

TASK_7 = "Xây dựng kế hoạch thực hiện, cụ thể hóa của Ủy ban nhân dân xã."


@pytest.fixture
def occurrence(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return Occurrence.objects.select_related("task", "unit").get(plan=thanh_mien_plan, task__number="7")


def _draft(occurrence, recipient, *, rung="remind_7", key="occurrence_due_soon") -> NotificationDraft:
    return NotificationDraft(
        recipient=recipient, commune=occurrence.commune, occurrence=occurrence, rung=rung, kind="reminder",
        message_key=key, params={"task": occurrence.task.name, "unit": occurrence.unit.name,
                                 "due_on": occurrence.due_on.isoformat()},
        url=reverse("occurrence_detail", args=[occurrence.pk]))


def _record(occurrence, recipient, **kwargs) -> Notification:
    return notifications_record(rows=[_draft(occurrence, recipient, **kwargs)])[0]


def test_recording_the_same_draft_twice_creates_one_notification(occurrence, people):
    draft = _draft(occurrence, people["unit_head"])
    first = notifications_record(rows=[draft])
    again = notifications_record(rows=[draft, _draft(occurrence, people["unit_head"], rung="remind_3")])

    assert len(first) == 1 and first[0].rung == "remind_7"
    assert [n.rung for n in again] == ["remind_3"]  # only what this call created
    assert Notification.objects.filter(recipient=people["unit_head"]).count() == 2


def test_deliveries_send_one_email_per_delivery_then_nothing(occurrence, people, mailoutbox, settings):
    settings.SAURO_BASE_URL = "https://sauro.example.vn/"
    notifications = notifications_record(rows=[_draft(occurrence, people["unit_head"]),
                                               _draft(occurrence, people["staff"], rung="overdue_3",
                                                      key="occurrence_overdue")])
    deliveries_queue(notifications=notifications)
    deliveries_queue(notifications=notifications)  # queued twice: still one delivery each

    assert deliveries_send(channel_name="email") == 2
    assert len(mailoutbox) == 2
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    mail = by_recipient[people["unit_head"].email]
    html = mail.alternatives[0][0]
    assert mail.alternatives[0][1] == "text/html"
    assert mail.subject == f"[Sáu Rõ] Sắp đến hạn: {TASK_7}"
    link = f"https://sauro.example.vn/occurrences/{occurrence.pk}/"
    for part in (mail.body, html):
        assert "Hạn hoàn thành" in part and "30/09/2025" in part and link in part
        assert occurrence.unit.name in part and "Phòng Văn hóa - Xã hội phải hoàn thành" in part
    delivery = Delivery.objects.get(notification__recipient=people["unit_head"])
    assert mail.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@sauro>"
    assert mail.message()["Message-ID"] == f"<delivery-{delivery.pk}@sauro>"
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1) and delivery.sent_at
    assert by_recipient[people["staff"].email].subject.startswith("[Sáu Rõ] Quá hạn:")

    assert deliveries_send(channel_name="email") == 0
    assert len(mailoutbox) == 2


def test_a_claim_older_than_fifteen_minutes_is_sent_again(occurrence, people, mailoutbox):
    stuck, fresh = notifications_record(rows=[_draft(occurrence, people["unit_head"]),
                                              _draft(occurrence, people["staff"])])
    deliveries_queue(notifications=[stuck, fresh])
    now = timezone.now()
    Delivery.objects.filter(notification=stuck).update(status=DeliveryStatus.SENDING,
                                                       claimed_at=now - timedelta(minutes=20))
    Delivery.objects.filter(notification=fresh).update(status=DeliveryStatus.SENDING,
                                                       claimed_at=now - timedelta(minutes=1))

    assert deliveries_send(channel_name="email") == 1
    assert [mail.to[0] for mail in mailoutbox] == [people["unit_head"].email]
    assert Delivery.objects.get(notification=stuck).status == DeliveryStatus.SENT
    assert Delivery.objects.get(notification=fresh).status == DeliveryStatus.SENDING


class _BrokenChannel:
    name = "email"

    def send(self, *, deliveries):
        raise ConnectionRefusedError("SMTP server is down")


def test_a_failing_channel_marks_the_delivery_failed(occurrence, people, mailoutbox, monkeypatch):
    monkeypatch.setitem(CHANNELS, "email", _BrokenChannel())
    deliveries_queue(notifications=[_record(occurrence, people["unit_head"])])

    assert deliveries_send(channel_name="email") == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "SMTP server is down" in delivery.last_error
    assert deliveries_send(channel_name="email") == 0  # not retried at once
    assert Delivery.objects.get().attempts == 1 and mailoutbox == []


def test_a_person_without_email_fails_alone(occurrence, people, mailoutbox):
    people["staff"].email = ""
    people["staff"].save(update_fields=["email"])
    deliveries_queue(notifications=notifications_record(rows=[_draft(occurrence, people["unit_head"]),
                                                              _draft(occurrence, people["staff"])]))

    assert deliveries_send(channel_name="email") == 1
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.notification.recipient == people["staff"] and failed.last_error
    assert len(mailoutbox) == 1


def test_the_digest_gathers_three_notifications_in_one_email_once_a_day(occurrence, people, mailoutbox):
    head = people["unit_head"]
    for rung, key in [("remind_7", "occurrence_due_soon"), ("overdue_3", "occurrence_overdue"),
                      ("due", "occurrence_due_today")]:
        _record(occurrence, head, rung=rung, key=key)
    _record(occurrence, people["staff"])

    assert digest_send(user=head, today=date(2025, 10, 3)) == 3
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [head.email] and mail.subject == "[Sáu Rõ] Thông báo của anh/chị, 03/10/2025"
    body = mail.body
    assert body.index("Quá hạn (1)") < body.index("Đến hạn hôm nay (1)") < body.index("Sắp đến hạn (1)")
    assert "text/html" == mail.alternatives[0][1] and "Quá hạn (1)" in mail.alternatives[0][0]
    assert not Notification.objects.filter(recipient=head, digest_at__isnull=True).exists()

    assert digest_send(user=head, today=date(2025, 10, 3)) == 0
    assert len(mailoutbox) == 1


def test_the_digest_job_sends_one_email_per_person_with_something_and_nothing_twice(occurrence, people, mailoutbox):
    _record(occurrence, people["unit_head"])
    _record(occurrence, people["unit_head"], rung="due", key="occurrence_due_today")
    read = _record(occurrence, people["staff"])
    notification_mark_read(notification=read, user=people["staff"])

    assert digests_send_job() == 1
    assert [mail.to for mail in mailoutbox] == [[people["unit_head"].email]]
    assert digests_send_job() == 0 and len(mailoutbox) == 1


def test_the_bell_counts_unread_notifications_with_one_query(occurrence, people, login):
    head = people["unit_head"]
    _record(occurrence, head)
    _record(occurrence, head, rung="due", key="occurrence_due_today")
    client = login(head)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("my_work")).content.decode()
    assert 'data-unread="2"' in page
    assert sum("notifications_notification" in q["sql"] for q in queries.captured_queries) == 1

    notifications_mark_all_read(user=head)
    assert "data-unread" not in client.get(reverse("my_work")).content.decode()


def test_the_bell_is_not_counted_for_visitors(client, db):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("login")).status_code == 200
    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_mark_read_goes_to_the_link_and_mark_all_reads_the_rest(occurrence, people, login):
    head = people["unit_head"]
    first = _record(occurrence, head)
    second = _record(occurrence, head, rung="due", key="occurrence_due_today")
    client = login(head)

    page = client.get(reverse("notifications")).content.decode()
    assert page.index("Đến hạn hôm nay:") < page.index("Sắp đến hạn:")  # newest first
    assert f'href="/occurrences/{occurrence.pk}/"' in page
    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at and second.read_at is None
    assert client.get(reverse("notification_read", args=[second.pk])).status_code == 405

    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    second.refresh_from_db()
    assert second.read_at


def test_nobody_sees_or_marks_another_persons_notification(occurrence, people, login):
    mine = _record(occurrence, people["unit_head"])
    client = login(people["staff"])

    assert client.post(reverse("notification_read", args=[mine.pk])).status_code == 403
    assert client.post(reverse("notification_read", args=[mine.pk + 1000])).status_code == 404
    client.post(reverse("notifications_read_all"))
    page = client.get(reverse("notifications")).content.decode()
    assert f'data-notification="{mine.pk}"' not in page and "data-unread" not in page
    mine.refresh_from_db()
    assert mine.read_at is None
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=mine, user=people["staff"])
    assert client.get(reverse("notifications")).status_code == 200
    client.logout()
    assert client.get(reverse("notifications")).status_code == 302


def test_titles_are_rendered_in_the_readers_language(occurrence, people, login):
    _record(occurrence, people["unit_head"], rung="overdue_3", key="occurrence_overdue")
    client = login(people["unit_head"])

    assert f"Quá hạn: {TASK_7}" in client.get(reverse("notifications")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("notifications")})
    page = client.get(reverse("notifications")).content.decode()
    assert f"Overdue: {TASK_7}" in page
    assert "has not finished it; it was due on 30/09/2025." in page
