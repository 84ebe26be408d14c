"""The Party Office board and the administrator's rules: escalation rungs and the working-day calendar."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Notification
from workflow.escalation import escalations_run
from workflow.models import CalendarOverride, EscalationPolicy, Occurrence
from workflow.services import plan_activate

ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]


@pytest.fixture
def active(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


@pytest.mark.parametrize("role", ROLES)
def test_board_matrix(login, people, active, thanh_mien, role):
    response = login(people[role]).get(reverse("board", args=[thanh_mien.slug]))
    assert response.status_code == (200 if role in ("party_office", "admin", "inspection") else 403)


def test_board_lists_overdue_work_with_the_rung_it_reached_and_filters(login, people, active, thanh_mien):
    escalations_run(now=datetime(2025, 10, 3, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    seven = Occurrence.objects.get(plan=active, task__number="7")
    client = login(people["party_office"])
    with time_machine.travel(date(2025, 10, 3), tick=False):
        page = client.get(reverse("board", args=[thanh_mien.slug])).content.decode()
        assert f'data-occurrence="{seven.pk}"' in page and "Đồng chí chỉ đạo và Văn phòng Đảng ủy" in page
        by_unit = client.get(reverse("board", args=[thanh_mien.slug]), {"unit_id": seven.unit_id}).content.decode()
        other = Occurrence.objects.filter(plan=active).exclude(unit_id=seven.unit_id).first()
        assert f'data-occurrence="{seven.pk}"' in by_unit and f'data-occurrence="{other.pk}"' not in by_unit
        late = client.get(reverse("board", args=[thanh_mien.slug]), {"min_working_days_overdue": 4}).content.decode()
        assert f'data-occurrence="{seven.pk}"' not in late  # only 3 working days overdue on 03/10


def test_board_queries_do_not_grow_with_the_rows(login, people, active, thanh_mien, django_assert_max_num_queries):
    client = login(people["party_office"])
    with time_machine.travel(date(2025, 12, 31), tick=False), django_assert_max_num_queries(20):
        client.get(reverse("board", args=[thanh_mien.slug]))


@pytest.mark.parametrize("role", ["party_office", "unit_head", "inspection", "other_commune", "no_role"])
def test_only_the_administrator_edits_the_rules(login, people, thanh_mien, role):
    client = login(people[role])
    assert client.get(reverse("commune_rules", args=[thanh_mien.slug])).status_code == 403
    assert client.post(reverse("commune_policy_edit", args=[thanh_mien.slug]), {"overdue_3": 5}).status_code == 403
    assert not EscalationPolicy.objects.exists()


def test_the_administrator_moves_a_rung_and_the_sweep_follows(login, people, active, thanh_mien):
    client = login(people["admin"])
    assert client.get(reverse("commune_rules", args=[thanh_mien.slug])).status_code == 200
    client.post(reverse("commune_policy_edit", args=[thanh_mien.slug]), {
        "counts_working_days": "1", "remind_7": -7, "remind_3": -3, "remind_1": "", "due": 0, "overdue_3": 5,
        "overdue_10": 10})
    keys = [rung["key"] for rung in EscalationPolicy.objects.get(commune=thanh_mien).rungs]
    assert "remind_1" not in keys
    seven = Occurrence.objects.get(plan=active, task__number="7")
    escalations_run(now=datetime(2025, 10, 3, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert not Notification.objects.filter(occurrence=seven, rung="overdue_3").exists()  # now at 5 working days
    escalations_run(now=datetime(2025, 10, 7, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert Notification.objects.filter(occurrence=seven, rung="overdue_3").exists()


def test_a_day_off_moved_by_a_decision_shifts_the_reminders(login, people, active, thanh_mien):
    client = login(people["admin"])
    client.post(reverse("calendar_override_add", args=[thanh_mien.slug]),
                {"day": "26/09/2025", "is_working_day": "0", "reason": "Quyết định nghỉ bù"})
    assert CalendarOverride.objects.filter(commune=thanh_mien, day=date(2025, 9, 26), is_working_day=False).exists()
    seven = Occurrence.objects.get(plan=active, task__number="7")  # due 30/09; with 26/09 off, remind_3 is 24/09
    escalations_run(now=datetime(2025, 9, 24, 7, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert Notification.objects.filter(occurrence=seven, rung="remind_3").exists()


def test_a_day_that_is_already_off_is_refused(login, people, thanh_mien):
    client = login(people["admin"])
    response = client.post(reverse("calendar_override_add", args=[thanh_mien.slug]),
                           {"day": "27/09/2025", "is_working_day": "0"}, follow=True)  # a Saturday
    assert not CalendarOverride.objects.exists()
    assert "27/09/2025" in response.content.decode()


def test_a_commune_may_count_its_deadlines_in_calendar_days(login, people, active, thanh_mien):
    client = login(people["admin"])
    client.post(reverse("commune_policy_edit", args=[thanh_mien.slug]), {
        "counts_working_days": "0", "remind_7": -7, "remind_3": -3, "remind_1": -1, "due": 0, "overdue_3": 3,
        "overdue_10": 10})
    seven = Occurrence.objects.get(plan=active, task__number="7")  # due Tuesday 30/09/2025
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    # Counted in working days the first reminder would go on Friday 19/09; in calendar days on 23/09.
    escalations_run(now=datetime(2025, 9, 22, 7, tzinfo=vn))
    assert not Notification.objects.filter(occurrence=seven, rung="remind_7").exists()
    escalations_run(now=datetime(2025, 9, 23, 7, tzinfo=vn))
    assert Notification.objects.filter(occurrence=seven, rung="remind_7").exists()
    # Ten days overdue: Friday 10/10 in calendar days, not Tuesday 14/10 as in working days.
    escalations_run(now=datetime(2025, 10, 10, 7, tzinfo=vn))
    assert Notification.objects.filter(occurrence=seven, rung="overdue_10").exists()


def test_communes_whose_rules_agree_today_are_swept_in_one_query_per_rung(thanh_mien, truong_giang):
    """A day off far from today changes no threshold: that commune goes with the rest. Two communes
    counting in calendar days share their steps. The sweep's queries follow the rules, not the communes."""
    from workflow.escalation import sweep_steps_get
    from workflow.models import escalation_rungs_default

    today = date(2025, 10, 15)
    CalendarOverride.objects.create(commune=thanh_mien, day=date(2025, 3, 3), is_working_day=False, reason="x")
    national = sweep_steps_get(today=today)
    assert all(communes == {"exclude": []} for _rung, _limit, _later, communes in national)
    for commune in (thanh_mien, truong_giang):
        EscalationPolicy.objects.create(commune=commune, rungs=escalation_rungs_default(), counts_working_days=False)
    steps = sweep_steps_get(today=today)
    both = sorted([thanh_mien.pk, truong_giang.pk])
    own = [communes for _rung, _limit, _later, communes in steps if "only" in communes]
    assert own and all(communes == {"only": both} for communes in own)
    assert len(steps) <= 2 * len(escalation_rungs_default())
    offsets = [rung["offset"] for rung, _limit, _later, _communes in steps]
    assert offsets == sorted(offsets)


def test_board_counts_everything_overdue_even_beyond_the_rows_shown(people, active, thanh_mien):
    import workflow.board as board
    from workflow.models import OPEN_STATUSES

    today = date(2025, 12, 31)
    overdue = Occurrence.objects.filter(commune=thanh_mien, status__in=OPEN_STATUSES, due_on__lt=today).count()
    assert overdue > 2
    result = board.board_get(commune=thanh_mien, filters=board.BoardFilters(), today=today, page_size=2)
    assert len(result["rows"]) == 2 and result["page"].has_next and not result["page"].has_previous
    assert result["counts"]["overdue"] == overdue
    second = board.board_get(commune=thanh_mien, filters=board.BoardFilters(), today=today, page=2, page_size=2)
    assert second["page"].has_previous and not {r.pk for r in second["rows"]} & {r.pk for r in result["rows"]}


def test_the_board_pages_keep_the_filters_and_refuse_nonsense_gently(login, people, active, thanh_mien):
    from workflow.paging import PAGE_SIZE

    client = login(people["party_office"])
    with time_machine.travel(date(2026, 6, 30), tick=False):
        first = client.get(reverse("board", args=[thanh_mien.slug]), {"plan_id": active.pk}).content.decode()
        shown = first.count("data-occurrence=")
        assert 0 < shown <= PAGE_SIZE
        if shown == PAGE_SIZE:
            assert f"plan_id={active.pk}" in first and "page=2" in first
        odd = client.get(reverse("board", args=[thanh_mien.slug]), {"page": "abc"})
        assert odd.status_code == 200 and odd.content.decode().count("data-occurrence=") == shown
