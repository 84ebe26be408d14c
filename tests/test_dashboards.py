"""Dashboards: the figures equal what the data says, each role sees only its dashboards, queries stay fixed."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from roles.models import Post, Role, Unit, User
from roles.services import role_grant
from tests.scenario_reports import VHXH, scenario_build
from workflow.models import Occurrence, OccurrenceStatus

TODAY = date(2025, 10, 20)  # a Monday: 30/09 is 14 working days back, 14/10 four, 17/10 one
ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role", "province"]
COMMUNE_WIDE = {"party_office", "inspection", "front", "admin", "province"}


@pytest.fixture
def everyone(people, thanh_mien):
    province = User.objects.create_user(username="tinh.haiphong", password="x", full_name="Mai Văn Khoa")
    role_grant(person=province, role=Role.PROVINCE_VIEWER, province=thanh_mien.province)
    return {**people, "province": province}


@pytest.fixture
def scenario(thanh_mien_plan, people):
    return scenario_build(plan=thanh_mien_plan, people=people)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def _cells(tree, table: str, key_attr: str) -> dict[str, list[str]]:
    """A data table as {row key: [cell texts]}."""
    return {row.get(key_attr): [cell.text_content().strip() for cell in row.xpath("./td")]
            for row in tree.xpath(f'//table[@data-table="{table}"]/tbody/tr[@{key_attr}]')}


def _figure(tree, name: str) -> str:
    return tree.xpath(f'//*[@data-figure="{name}"]')[0].text_content().strip()


# What the data says, counted in Python from the rows themselves.


def _expected_by_status(commune) -> dict[str, int]:
    statuses = list(Occurrence.objects.filter(commune=commune).values_list("status", flat=True))
    return {value: statuses.count(value) for value in OccurrenceStatus.values}


def test_the_commune_dashboard_counts_what_the_data_says(login, everyone, scenario, thanh_mien, today):
    tree = _page(login(everyone["party_office"]), reverse("commune_dashboard", args=[thanh_mien.slug]))

    by_status = {key: int(cells[1]) for key, cells in _cells(tree, "by-status", "data-status").items()}
    assert by_status == _expected_by_status(thanh_mien)
    assert (by_status["assigned"], by_status["in_progress"], by_status["done"], by_status["cancelled"]) == (22, 1, 2, 1)

    rows = list(Occurrence.objects.filter(commune=thanh_mien))
    open_rows = [o for o in rows if o.is_open]
    overdue = [o for o in open_rows if o.due_on < today]
    came_due = [o for o in rows if o.status == OccurrenceStatus.DONE
                or (o.status != OccurrenceStatus.CANCELLED and o.original_due_on < today)]
    on_time = [o for o in rows if o.status == OccurrenceStatus.DONE and o.finished_on_time]
    assert int(_figure(tree, "total")) == 25 == len([o for o in rows if o.status != OccurrenceStatus.CANCELLED])
    assert int(_figure(tree, "open")) == len(open_rows) == 23
    assert int(_figure(tree, "overdue")) == len(overdue) == 17
    assert _figure(tree, "on-time-rate") == f"{round(100 * len(on_time) / len(came_due))}%" == "5%"

    # Overdue by rung, against the commune's default rungs (3 and 10 working days) and calendar.
    rungs = {key: int(cells[2]) for key, cells in _cells(tree, "by-rung", "data-rung").items()}
    assert rungs == {"late": 1, "overdue_3": 1, "overdue_10": 15}
    assert sum(rungs.values()) == len(overdue)

    # By unit: Phòng Văn hóa - Xã hội has task 7 on time, task 6 late and task 3 overdue.
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    units = _cells(tree, "units", "data-unit")
    assert units[str(vhxh.pk)] == [VHXH, "3", "1", "1", "1", "1", "33%"]
    for unit_id, cells in units.items():
        mine = [o for o in rows if o.unit_id == int(unit_id) and o.status != OccurrenceStatus.CANCELLED]
        assert int(cells[1]) == len(mine)
        assert int(cells[3]) == len([o for o in mine if o.is_open and o.due_on < today])

    # The trend: September had 19 come due and one done on time; October one done late.
    trend = _cells(tree, "trend", "data-month")
    assert trend["2025-09"][1:] == ["19", "1", "0"] and trend["2025-10"][1:] == ["0", "0", "1"]
    assert len(trend) == 12 and "2024-11" in trend

    # The charts carry the same numbers as the tables, drawn as inline SVG (no script, no image file).
    bars = {bar.get("data-label"): int(bar.get("data-value")) for bar in tree.xpath('//svg[@id="commune-status"]//g')}
    assert bars[str(OccurrenceStatus.ASSIGNED.label)] == 22
    assert not tree.xpath("//script")
    assert tree.xpath('//svg[@id="commune-rung"]//pattern')  # hatch patterns: readable in black and white


def test_the_indicators_by_status_come_from_the_indicators_app(login, everyone, scenario, thanh_mien, today):
    from indicators.selectors import indicator_status_counts

    tree = _page(login(everyone["party_office"]), reverse("commune_dashboard", args=[thanh_mien.slug]))
    shown = {key: int(cells[1]) for key, cells in _cells(tree, "indicators", "data-indicator-status").items()}
    assert shown == indicator_status_counts(commune_id=thanh_mien.pk, as_of=today)
    assert sum(shown.values()) == thanh_mien_plan_indicators(thanh_mien) > 0


def thanh_mien_plan_indicators(commune) -> int:
    from tasks.models import Indicator

    return Indicator.objects.filter(plan__commune=commune).count()


def test_drilling_into_an_overdue_unit_lists_its_overdue_work(login, everyone, scenario, thanh_mien, today):
    client = login(everyone["party_office"])
    tree = _page(client, reverse("commune_dashboard", args=[thanh_mien.slug]))
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    link = tree.xpath(f'//table[@data-table="units"]//tr[@data-unit="{vhxh.pk}"]//a/@href')[0]
    assert link == reverse("unit_scorecard", args=[thanh_mien.slug, vhxh.pk])

    card = _page(client, link)
    listed = [int(row.get("data-occurrence")) for row in card.xpath('//table[@data-table="overdue"]/tbody/tr[@data-occurrence]')]
    assert listed == [scenario["three"].pk]
    assert _cells(card, "overdue", "data-occurrence")[str(scenario["three"].pk)][1] == "14"  # working days late
    assert int(_figure(card, "done")) == 2 and _figure(card, "on-time-rate") == "33%"


def test_the_directing_comrades_area_is_the_work_of_the_post(login, everyone, scenario, thanh_mien, today):
    post = Post.objects.get(commune=thanh_mien, title="Phó Chủ tịch UBND xã phụ trách khối VHXH")
    tree = _page(login(everyone["directing"]), reverse("directing_area", args=[thanh_mien.slug, post.pk]))
    directed = Occurrence.objects.filter(directing_post=post).exclude(status=OccurrenceStatus.CANCELLED)
    assert int(_figure(tree, "total")) == directed.count() > 0
    assert int(_figure(tree, "overdue")) == directed.filter(status__in=["assigned", "in_progress", "submitted",
                                                                        "returned", "awaiting_directing"],
                                                            due_on__lt=today).count()


def test_the_province_view_compares_its_communes_only(login, everyone, scenario, thanh_mien, truong_giang, today):
    tree = _page(login(everyone["province"]), reverse("province_overview"))
    communes = _cells(tree, "communes", "data-commune")
    assert set(communes) == {thanh_mien.slug}  # Trường Giang is in Quảng Ngãi
    assert communes[thanh_mien.slug][1:4] == ["25", "23", "17"]


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_commune_dashboard(login, everyone, thanh_mien, role):
    response = login(everyone[role]).get(reverse("commune_dashboard", args=[thanh_mien.slug]))
    assert response.status_code == (200 if role in COMMUNE_WIDE else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_units_scorecard(login, everyone, thanh_mien, role):
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    response = login(everyone[role]).get(reverse("unit_scorecard", args=[thanh_mien.slug, vhxh.pk]))
    assert response.status_code == (200 if role in COMMUNE_WIDE | {"unit_head", "staff"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_directing_area(login, everyone, thanh_mien, role):
    post = Post.objects.get(commune=thanh_mien, title="Phó Chủ tịch UBND xã phụ trách khối VHXH")
    response = login(everyone[role]).get(reverse("directing_area", args=[thanh_mien.slug, post.pk]))
    assert response.status_code == (200 if role in COMMUNE_WIDE | {"directing"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_province_view(login, everyone, thanh_mien, role):
    response = login(everyone[role]).get(reverse("province_overview"))
    assert response.status_code == (200 if role == "province" else 403)


def test_the_index_offers_each_person_their_dashboards(login, everyone, thanh_mien):
    office = login(everyone["party_office"]).get(reverse("dashboards_index")).content.decode()
    assert reverse("commune_dashboard", args=[thanh_mien.slug]) in office
    staff = login(everyone["staff"]).get(reverse("dashboards_index")).content.decode()
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    assert reverse("unit_scorecard", args=[thanh_mien.slug, vhxh.pk]) in staff
    assert reverse("commune_dashboard", args=[thanh_mien.slug]) not in staff


def _more_occurrences(plan, *, copies: int) -> None:
    """Many more occurrences in every status, as other periods of the same tasks."""
    template = list(Occurrence.objects.filter(plan=plan))
    statuses = OccurrenceStatus.values
    Occurrence.objects.bulk_create([
        Occurrence(commune_id=o.commune_id, plan_id=o.plan_id, task_id=o.task_id, unit_id=o.unit_id,
                   period_key=f"x{n}", due_on=date(2025, 1 + n % 12, 10), original_due_on=date(2025, 1 + n % 12, 10),
                   status=statuses[(n + i) % len(statuses)], finished_on=date(2025, 1 + n % 12, 12),
                   finished_on_time=bool(n % 2))
        for n in range(copies) for i, o in enumerate(template)])


@pytest.mark.parametrize("page", ["commune", "unit", "area", "province"])
def test_the_queries_do_not_grow_with_the_data(login, everyone, scenario, thanh_mien, thanh_mien_plan, today, page):
    user = everyone["province"] if page == "province" else everyone["party_office"]
    client = login(user)
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    post = Post.objects.get(commune=thanh_mien, title="Phó Chủ tịch UBND xã phụ trách khối VHXH")
    url = {"commune": reverse("commune_dashboard", args=[thanh_mien.slug]),
           "unit": reverse("unit_scorecard", args=[thanh_mien.slug, vhxh.pk]),
           "area": reverse("directing_area", args=[thanh_mien.slug, post.pk]),
           "province": reverse("province_overview")}[page]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)  # the session's first request does some one-off work of its own
    before = count()
    _more_occurrences(thanh_mien_plan, copies=8)
    assert count() == before
    assert before <= 30
