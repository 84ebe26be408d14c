"""The inspectors' workspace (issue 5): who may open it, each filter and pattern, timelines, and its own log."""
from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.access import audit_workspace_allows, audit_workspace_communes
from audit.models import AuditEvent
from audit.workspace import WorkspaceFilters, events_search, occurrences_search
from roles.models import Role, User
from roles.services import role_grant
from tasks.demo import DEMO_PASSWORD
from tests.audit_history import PKT, RETURN_REASONS, TODAY, VHXH, at, history_build, post
from workflow.models import Occurrence

ALLOWED = {"inspection", "admin"}
ALL_ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
             "other_commune", "no_role"]


@pytest.fixture
def history(thanh_mien_plan, people):
    return history_build(plan=thanh_mien_plan, people=people)


@pytest.fixture
def today():
    with time_machine.travel(at(TODAY, 10), tick=False):
        yield TODAY


def _url(commune, name="audit_workspace", *args):
    return reverse(name, args=[commune.slug, *args])


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# Who may open it


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_inspection_committee_and_the_administrator_open_the_workspace(login, people, thanh_mien, role):
    response = login(people[role]).get(_url(thanh_mien))
    assert response.status_code == (200 if role in ALLOWED else 403)


def test_an_inspector_of_another_commune_is_refused(login, thanh_mien, truong_giang):
    inspector = User.objects.get(username="truonggiang.kiemtra")
    client = login(inspector)
    assert client.get(_url(thanh_mien)).status_code == 403
    assert client.get(_url(truong_giang)).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, thanh_mien):
    response = client.get(_url(thanh_mien))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_province_level_inspection_opens_every_commune_of_its_province_only(thanh_mien, truong_giang):
    inspector = User.objects.create_user(username="tinh.kiemtra", password=DEMO_PASSWORD)
    role_grant(person=inspector, role=Role.INSPECTION, province=thanh_mien.province)
    assert audit_workspace_allows(user=inspector, commune=thanh_mien)
    assert not audit_workspace_allows(user=inspector, commune=truong_giang)
    assert set(audit_workspace_communes(user=inspector)) == {thanh_mien}


def test_a_province_viewer_and_a_superuser(thanh_mien):
    viewer = User.objects.create_user(username="xem.tinh", password=DEMO_PASSWORD)
    role_grant(person=viewer, role=Role.PROVINCE_VIEWER, province=thanh_mien.province)
    assert not audit_workspace_allows(user=viewer, commune=thanh_mien)
    root = User.objects.create_superuser(username="root", password=DEMO_PASSWORD)
    assert audit_workspace_allows(user=root, commune=thanh_mien)


def test_the_menu_shows_the_link_only_to_those_allowed(login, people, thanh_mien):
    link = reverse("audit_workspace_home")
    assert link in login(people["inspection"]).get(reverse("my_work")).content.decode()
    for role in ("unit_head", "party_office", "front"):
        assert link not in login(people[role]).get(reverse("my_work")).content.decode()


def test_the_menu_link_goes_straight_to_the_inspectors_commune(login, people, thanh_mien):
    response = login(people["inspection"]).get(reverse("audit_workspace_home"))
    assert response.status_code == 302 and response["Location"] == _url(thanh_mien)
    assert login(people["staff"]).get(reverse("audit_workspace_home")).status_code == 403


@pytest.mark.parametrize("role", ["unit_head", "party_office", "front", "other_commune"])
def test_timelines_and_exports_are_refused_to_the_others_too(login, people, history, role):
    commune = history.plan.commune
    client = login(people[role])
    assert client.get(_url(commune, "audit_occurrence_timeline", history.r.pk)).status_code == 403
    assert client.get(_url(commune, "audit_person_timeline", people["staff"].pk)).status_code == 403
    assert client.post(_url(commune, "audit_bundle_export"), {"pattern": "returned_3"}).status_code == 403
    assert not AuditEvent.objects.filter(kind="exported").exists()


# The patterns


@pytest.mark.parametrize("pattern, unit, expected", [
    ("returned_3", None, {"r"}),
    ("extended_2", None, {"e"}),
    ("late", VHXH, {"r", "x"}),
    ("escalated", VHXH, set()),
    ("escalated", PKT, {"k", "n"}),
    ("never_started", PKT, {"n"}),
    ("never_started", VHXH, set()),
])
def test_each_pattern_finds_exactly_its_tasks(history, thanh_mien, pattern, unit, expected):
    unit_id = Occurrence.objects.filter(unit__name=unit).values_list("unit_id", flat=True).first() if unit else None
    found = _ids(occurrences_search(commune=thanh_mien, filters=WorkspaceFilters(pattern=pattern, unit_id=unit_id),
                                    today=TODAY))
    assert found == {getattr(history, name).pk for name in expected}


def test_never_started_and_late_follow_the_calendar(history, thanh_mien):
    pkt = history.n.unit_id
    on_the_due_day = WorkspaceFilters(pattern="never_started", unit_id=pkt)
    assert not occurrences_search(commune=thanh_mien, filters=on_the_due_day, today=date(2025, 9, 30)).exists()
    assert _ids(occurrences_search(commune=thanh_mien, filters=on_the_due_day, today=date(2025, 10, 1))) == {
        history.n.pk}
    late_then = WorkspaceFilters(pattern="late", unit_id=history.x.unit_id)
    assert _ids(occurrences_search(commune=thanh_mien, filters=late_then, today=date(2025, 9, 30))) == {history.r.pk}


def test_escalated_means_an_escalation_event_not_a_reminder(history, thanh_mien):
    """X had reminders (due 15/10) but never an overdue rung."""
    assert AuditEvent.objects.filter(occurrence_id=history.n.pk, kind="escalated").count() == 2
    assert not AuditEvent.objects.filter(occurrence_id=history.x.pk, kind="escalated").exists()
    found = _ids(occurrences_search(commune=thanh_mien, filters=WorkspaceFilters(pattern="escalated"), today=TODAY))
    assert history.n.pk in found and history.x.pk not in found and history.r.pk not in found


# The filters, on tasks


def _found(history, thanh_mien, **filters) -> set[str]:
    names = {getattr(history, name).pk: name for name in ("r", "e", "x", "k", "n")}
    found = _ids(occurrences_search(commune=thanh_mien, filters=WorkspaceFilters(**filters), today=TODAY))
    return {names.get(pk, pk) for pk in found}


def test_filter_by_unit(history, thanh_mien):
    assert _found(history, thanh_mien, unit_id=history.r.unit_id) == {"r", "e", "x"}


def test_filter_by_person_is_who_was_assigned_or_acted(history, thanh_mien, people):
    assert _found(history, thanh_mien, person_id=people["directing"].pk) == {"e", "x"}
    assert _found(history, thanh_mien, person_id=history.pkt_head.pk) == {"k"}
    assert _found(history, thanh_mien, person_id=people["supporting"].pk) == {"k"}


def test_filter_by_post_is_the_directing_post_or_a_post_acted_in(history, thanh_mien):
    assert _found(history, thanh_mien, post_id=post("Trưởng phòng Kinh tế").pk) == {"k"}
    assert _found(history, thanh_mien, post_id=post("Trưởng phòng Văn hóa - Xã hội").pk) == {"r", "e", "x"}
    directed = _found(history, thanh_mien, post_id=post("Phó Chủ tịch UBND xã phụ trách khối Kinh tế").pk)
    assert directed == set(Occurrence.objects.filter(task__number="8").values_list("pk", flat=True))


def test_filter_by_plan(history, thanh_mien):
    from tasks.models import Plan

    assert len(_found(history, thanh_mien, plan_id=history.plan.pk)) == Occurrence.objects.count() == 26
    other = Plan.objects.create(commune=thanh_mien, kind="state", title="Kế hoạch khác", source_name="x.docx",
                                source_sha256="0" * 64)
    assert _found(history, thanh_mien, plan_id=other.pk) == set()


def test_filter_by_task(history, thanh_mien):
    assert _found(history, thanh_mien, task_id=history.r.task_id) == {"r"}
    assert len(_found(history, thanh_mien, task_id=history.e.task_id)) == 9  # one per unit


def test_filter_by_period_and_by_dates(history, thanh_mien):
    vhxh = history.r.unit_id
    assert _found(history, thanh_mien, unit_id=vhxh, period_key="once") == {"r", "e"}
    assert _found(history, thanh_mien, unit_id=vhxh, period_key="2025-Q3") == {"x"}
    december = _found(history, thanh_mien, date_from=date(2025, 12, 1), date_to=date(2025, 12, 31))
    assert december == set(Occurrence.objects.filter(period_key="2025").values_list("pk", flat=True))
    assert len(december) == 6


def test_filter_by_kind_of_event(history, thanh_mien):
    assert _found(history, thanh_mien, kind="extension_approved") == {"e", "x"}
    assert _found(history, thanh_mien, kind="returned") == {"r"}
    assert _found(history, thanh_mien, kind="accepted") == {"r", "e", "x", "k"}


def test_filters_combine(history, thanh_mien, people):
    assert _found(history, thanh_mien, unit_id=history.r.unit_id, pattern="late", kind="extension_approved") == {"x"}


# The filters, on events


def _kinds(thanh_mien, **filters) -> list[str]:
    return list(events_search(commune=thanh_mien, filters=WorkspaceFilters(**filters), today=TODAY)
                .order_by("seq").values_list("kind", flat=True))


def test_events_by_kind_person_unit_post_and_date(history, thanh_mien, people):
    returned = events_search(commune=thanh_mien, filters=WorkspaceFilters(kind="returned"), today=TODAY).order_by("seq")
    assert [event.reason for event in returned] == RETURN_REASONS
    assert {event.actor_id for event in returned} == {people["unit_head"].pk}
    assert _kinds(thanh_mien, person_id=people["directing"].pk) == ["extension_approved"] * 3
    assert _kinds(thanh_mien, unit_id=history.k.unit_id, kind="accepted") == ["accepted"]
    assert _kinds(thanh_mien, post_id=post("Trưởng phòng Kinh tế").pk) == ["assigned", "accepted"]  # given, then used
    assert _kinds(thanh_mien, occurrence_id=history.r.pk, date_from=date(2025, 9, 16), date_to=date(2025, 9, 16)) == [
        "submitted", "returned"]
    assert _kinds(thanh_mien, task_id=history.r.task_id, period_key="once")[:2] == ["created", "accepted"]
    assert _kinds(thanh_mien, plan_id=history.plan.pk, kind="activated") == ["activated"]


def test_events_of_a_pattern_are_the_tasks_whole_histories(history, thanh_mien):
    events = events_search(commune=thanh_mien, filters=WorkspaceFilters(pattern="returned_3"), today=TODAY)
    assert set(events.values_list("occurrence_id", flat=True)) == {history.r.pk}
    assert events.count() == AuditEvent.objects.filter(occurrence_id=history.r.pk).count() == 11


def test_nothing_from_another_communes_history(history, truong_giang):
    assert not events_search(commune=truong_giang, filters=WorkspaceFilters(occurrence_id=history.r.pk),
                             today=TODAY).exists()
    assert not occurrences_search(commune=truong_giang, filters=WorkspaceFilters(), today=TODAY).exists()


# The pages


def _rows(html: str, attribute: str) -> list[int]:
    return [int(value) for value in re.findall(rf'{attribute}="(\d+)"', html)]


def test_the_page_lists_the_tasks_returned_three_times_with_links_to_their_timelines(login, people, history, today):
    commune = history.plan.commune
    response = login(people["inspection"]).get(_url(commune), {"pattern": "returned_3"})
    html = response.content.decode()
    assert _rows(html, "data-occurrence") == [history.r.pk]
    assert _url(commune, "audit_occurrence_timeline", history.r.pk) in html
    assert "Trả lại từ 3 lần trở lên" in html  # the pattern, said in Vietnamese


def test_the_events_view_and_a_bad_filter(login, people, history, today):
    commune = history.plan.commune
    client = login(people["inspection"])
    html = client.get(_url(commune), {"show": "events", "kind": "returned"}).content.decode()
    for reason in RETURN_REASONS:
        assert reason in html
    assert re.findall(r'data-kind="(\w+)"', html) == ["returned"] * 3
    bad = client.get(_url(commune), {"period": "quý 3", "date_from": "32/13/2025"}).content.decode()
    assert "2025-Q3" in bad and "data-occurrence=" not in bad
    foreign_unit = client.get(_url(commune), {"unit": "999999"})
    assert foreign_unit.status_code == 200 and "data-occurrence=" not in foreign_unit.content.decode()


def test_a_tasks_timeline_shows_its_events_in_order(login, people, history, today):
    commune = history.plan.commune
    expected = ["created", "accepted"] + ["submitted", "returned"] * 3 + ["submitted", "approved", "done"]
    client = login(people["inspection"])
    for name, subject_id in (("audit_occurrence_timeline", history.r.pk), ("audit_task_timeline", history.r.task_id)):
        html = client.get(_url(commune, name, subject_id)).content.decode()
        assert re.findall(r'data-kind="(\w+)"', html) == expected
        events = _rows(html, "data-event")
        assert events == sorted(events)
        assert "15/09/2025 15:30" in html and RETURN_REASONS[0] in html


def test_a_persons_and_a_units_timeline(login, people, history, today):
    commune = history.plan.commune
    client = login(people["inspection"])
    html = client.get(_url(commune, "audit_person_timeline", people["directing"].pk)).content.decode()
    assert re.findall(r'data-kind="(\w+)"', html) == ["extension_approved"] * 3
    html = client.get(_url(commune, "audit_unit_timeline", history.k.unit_id)).content.decode()
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert "accepted" in kinds and "escalated" in kinds and "returned" not in kinds
    assert _rows(html, "data-event") == sorted(_rows(html, "data-event"))


def test_timelines_of_another_communes_things_are_not_found(login, people, history, truong_giang, today):
    inspector = User.objects.get(username="truonggiang.kiemtra")
    client = login(inspector)
    assert client.get(_url(truong_giang, "audit_occurrence_timeline", history.r.pk)).status_code == 404
    assert client.get(_url(truong_giang, "audit_unit_timeline", history.r.unit_id)).status_code == 404
    assert client.get(_url(truong_giang, "audit_person_timeline", people["staff"].pk)).status_code == 404


def test_every_page_view_is_recorded_with_its_filters(login, people, history, today):
    commune = history.plan.commune
    client = login(people["inspection"])
    client.get(_url(commune), {"pattern": "returned_3", "unit": history.r.unit_id})
    viewed = AuditEvent.objects.filter(chain=commune.pk).order_by("-seq").first()
    assert (viewed.kind, viewed.object_type, viewed.actor_id, viewed.commune_id) == (
        "viewed", "workspace", people["inspection"].pk, commune.pk)
    assert viewed.detail["pattern"] == "returned_3" and viewed.detail["unit_id"] == history.r.unit_id
    assert viewed.post_title == "Chủ nhiệm Ủy ban kiểm tra Đảng ủy"
    client.get(_url(commune, "audit_occurrence_timeline", history.r.pk))
    viewed = AuditEvent.objects.filter(chain=commune.pk).order_by("-seq").first()
    assert viewed.kind == "viewed" and viewed.detail["subject"] == "occurrence" and viewed.detail["id"] == history.r.pk
    # ... and the inspectors' own trail is searchable like the rest
    html = client.get(_url(commune), {"show": "events", "kind": "viewed"}).content.decode()
    assert html.count('data-kind="viewed"') == 2


def test_a_refused_visitor_leaves_no_view_event(login, people, thanh_mien):
    login(people["unit_head"]).get(_url(thanh_mien))
    assert not AuditEvent.objects.filter(kind="viewed").exists()


# Fast pages


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_pages_cost_a_fixed_number_of_queries(login, people, history, today, django_assert_max_num_queries):
    commune = history.plan.commune
    client = login(people["inspection"])
    one = _queries(client, _url(commune), {"period": "once", "pattern": "returned_3"})  # R alone
    many = _queries(client, _url(commune), {"period": "once"})  # ten tasks
    assert one == many
    few_events = _queries(client, _url(commune), {"show": "events", "kind": "returned"})
    all_events = _queries(client, _url(commune), {"show": "events"})
    assert few_events == all_events
    with django_assert_max_num_queries(25):
        client.get(_url(commune), {"pattern": "escalated", "show": "events"})
    with django_assert_max_num_queries(20):
        client.get(_url(commune, "audit_occurrence_timeline", history.r.pk))
    with django_assert_max_num_queries(20):
        client.get(_url(commune, "audit_unit_timeline", history.r.unit_id))
