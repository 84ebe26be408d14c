"""The calendar feed: a person's open steps as all-day events behind a secret, revocable link, and its page."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from api.models import CalendarFeed
from api.services import calendar_feed_regenerate, calendar_feed_revoke
from audit.models import AuditEvent
from workflow.models import Occurrence, OccurrenceStatus
from workflow.selectors import my_work_get
from workflow.services import occurrence_accept, plan_activate


@pytest.fixture
def active_plan(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


def _feed_path(feed: CalendarFeed) -> str:
    return reverse("calendar_feed", kwargs={"token": feed.token})


def _events(client, feed: CalendarFeed) -> dict[str, dict]:
    response = client.get(_feed_path(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {}
    for event in calendar.walk("VEVENT"):
        occurrence_id = int(str(event["url"]).rstrip("/").rsplit("/", 1)[-1])
        events[occurrence_id] = {"start": event.decoded("dtstart"), "end": event.decoded("dtend"),
                                 "summary": str(event["summary"]), "uid": str(event["uid"]),
                                 "description": str(event["description"])}
    return events


def test_the_feed_holds_each_open_step_of_the_person_on_its_due_date(client, people, active_plan):
    head = people["unit_head"]
    feed = calendar_feed_regenerate(person=head)

    events = _events(client, feed)

    rows = my_work_get(user=head)["rows"]
    assert rows and set(events) == {row.pk for row in rows}
    for row in rows:
        event = events[row.pk]
        assert event["start"] == row.due_on and (event["end"] - event["start"]).days == 1
        assert event["summary"] == row.task.name
        assert "Việc của bạn: Nhận và giao việc" in event["description"]
        assert f"Hạn ngày {row.due_on:%d/%m/%Y}" in event["description"]
    seven = Occurrence.objects.get(plan=active_plan, task__number="7")
    assert events[seven.pk]["start"] == date(2025, 9, 30)
    assert events[seven.pk]["summary"] == "Xây dựng kế hoạch thực hiện, cụ thể hóa của Ủy ban nhân dân xã."


def test_the_feed_follows_the_work_from_person_to_person(client, people, active_plan):
    head, staff = people["unit_head"], people["staff"]
    head_feed, staff_feed = calendar_feed_regenerate(person=head), calendar_feed_regenerate(person=staff)
    seven = Occurrence.objects.get(plan=active_plan, task__number="7")
    assert _events(client, staff_feed) == {}

    occurrence_accept(occurrence=seven, actor=head, assignee=staff)

    staff_events = _events(client, staff_feed)
    assert set(staff_events) == {seven.pk}
    assert "Việc của bạn: Nộp sản phẩm" in staff_events[seven.pk]["description"]
    assert seven.pk not in _events(client, head_feed)

    Occurrence.objects.filter(pk=seven.pk).update(status=OccurrenceStatus.DONE)
    assert _events(client, staff_feed) == {}


def test_an_outsider_gets_an_empty_calendar(client, people, active_plan):
    assert _events(client, calendar_feed_regenerate(person=people["other_commune"])) == {}


def test_the_feed_is_private_and_not_cached_by_others(client, people, active_plan):
    response = client.get(_feed_path(calendar_feed_regenerate(person=people["unit_head"])))
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_a_revoked_or_unknown_link_is_not_found(client, people, active_plan):
    feed = calendar_feed_regenerate(person=people["unit_head"])
    assert client.get(_feed_path(feed)).status_code == 200

    calendar_feed_revoke(person=people["unit_head"])

    assert client.get(_feed_path(feed)).status_code == 404
    assert client.get("/lich/" + "A" * 43 + ".ics").status_code == 404


def test_a_deactivated_persons_link_stops_working(client, people, active_plan):
    feed = calendar_feed_regenerate(person=people["staff"])
    people["staff"].is_active = False
    people["staff"].save(update_fields=["is_active"])
    assert client.get(_feed_path(feed)).status_code == 404


def test_regenerating_changes_the_link_and_the_old_one_stops(client, people, active_plan):
    head = people["unit_head"]
    old = calendar_feed_regenerate(person=head)

    new = calendar_feed_regenerate(person=head)

    assert new.token != old.token and len(new.token) >= 43
    assert client.get(_feed_path(old)).status_code == 404
    assert client.get(_feed_path(new)).status_code == 200
    assert CalendarFeed.objects.filter(person=head, revoked_at__isnull=True).get() == new
    events = list(AuditEvent.objects.filter(object_type="calendar_feed").order_by("seq"))
    assert [event.kind for event in events] == ["created", "regenerated"]
    assert all(old.token not in str(event.detail) + str(event.after) for event in events)
    assert events[-1].actor_id == head.pk and events[-1].commune_id == head.commune_id


def test_the_calendar_page_makes_shows_regenerates_and_turns_off_the_link(client, people, active_plan):
    head = people["unit_head"]
    client.force_login(head)
    assert "Đưa hạn việc vào lịch của bạn" in client.get(reverse("my_work")).content.decode()
    page = client.get(reverse("calendar_link"))
    assert "Bạn chưa có đường dẫn lịch." in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    client.post(reverse("calendar_link_regenerate"))
    first = CalendarFeed.objects.get(person=head, revoked_at__isnull=True)
    page = client.get(reverse("calendar_link")).content.decode()
    assert _feed_path(first) in page and "webcal://" in page

    client.post(reverse("calendar_link_regenerate"))
    second = CalendarFeed.objects.get(person=head, revoked_at__isnull=True)
    page = client.get(reverse("calendar_link")).content.decode()
    assert second != first and _feed_path(second) in page and _feed_path(first) not in page

    response = client.post(reverse("calendar_link_revoke"), follow=True)
    assert "Đã tắt đường dẫn lịch của bạn" in response.content.decode()
    assert not CalendarFeed.objects.filter(person=head, revoked_at__isnull=True).exists()
    assert client.get(_feed_path(second)).status_code == 404
    assert [e.kind for e in AuditEvent.objects.filter(object_type="calendar_feed").order_by("seq")] == [
        "created", "regenerated", "revoked"]


def test_the_calendar_page_needs_a_login_and_changes_only_by_post(client, people):
    assert client.get(reverse("calendar_link")).status_code == 302
    assert client.post(reverse("calendar_link_regenerate")).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(people["staff"])
    assert client.get(reverse("calendar_link_regenerate")).status_code == 405
    assert not CalendarFeed.objects.exists()
