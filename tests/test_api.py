"""The data API: content, filters, refusals, access per role and per key, and a fixed number of queries a page.

Every response goes through api_support.ApiClient, which validates it against the OpenAPI schema.
"""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from api_support import ApiClient, api_schema
from audit.models import AuditEvent
from conftest import sample_file
from notifications.models import Notification
from notifications.services import NotificationDraft, notifications_record
from roles.models import Unit
from tasks.models import Indicator, Plan, Task
from tasks.services import plan_import
from workflow.models import Occurrence, OccurrenceStatus
from workflow.services import plan_activate

ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]
THANH_MIEN_ROLES = set(ROLES) - {"other_commune", "no_role"}
# Who sees the occurrence of task 7 (lead: Phòng Văn hóa - Xã hội), as on the task page.
SEES_OCCURRENCE_7 = {"party_office", "unit_head", "staff", "directing", "inspection", "front", "admin"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def active_plan(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


@pytest.fixture
def other_plan(truong_giang, people):
    """Trường Giang's own plan, active: data that Thanh Miện's people must never see."""
    plan = plan_import(commune_slug=truong_giang.slug, files=[sample_file("003_phu_luc.docx")]).plan
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=plan, actor=people["other_commune"])
    return plan


@pytest.fixture
def keys(people):
    """One API key per role, acting as that person."""
    return {role: api_token_create(user=person, name=f"he-thong-{role}").key for role, person in people.items()}


def _all(api, path: str, *, key: str, params: dict | None = None) -> list[dict]:
    """Every row of a list, page after page."""
    rows, page = [], 1
    while True:
        response = api.get(path, key=key, params={**(params or {}), "page": page, "page_size": 200})
        assert response.status_code == 200, response.json()
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


def _occurrence_7(plan: Plan) -> Occurrence:
    return Occurrence.objects.get(plan=plan, task__number="7")


def _state() -> tuple:
    """What a refused request must leave as it was."""
    return (AuditEvent.objects.count(), Notification.objects.count(), Plan.objects.count(),
            sorted(Occurrence.objects.values_list("pk", "status", "due_on", "assignee_id")))


# Plans


def test_plans_list_says_what_the_plan_page_says(api, keys, active_plan, other_plan):
    rows = _all(api, "/api/v1/plans/", key=keys["party_office"])

    assert [row["id"] for row in rows] == [active_plan.pk]
    row = rows[0]
    assert row["commune"]["slug"] == "thanh-mien" and row["commune"]["name"] == "Xã Thanh Miện"
    assert row["status"] == "active" and row["kind"] == active_plan.kind and row["title"] == active_plan.title
    assert row["task_count"] == Task.objects.filter(plan=active_plan).count() == 11
    assert row["indicator_count"] == Indicator.objects.filter(plan=active_plan).count() > 0
    assert row["web_url"].endswith(reverse("plan_detail", args=[active_plan.pk]))


def test_plans_filter_by_status(api, keys, active_plan, thanh_mien):
    draft = plan_import(commune_slug=thanh_mien.slug, files=[sample_file("003_phu_luc.docx")], create_missing=True).plan
    key = keys["party_office"]

    assert {row["id"] for row in _all(api, "/api/v1/plans/", key=key)} == {active_plan.pk, draft.pk}
    assert [row["id"] for row in _all(api, "/api/v1/plans/", key=key, params={"status": "draft"})] == [draft.pk]
    assert [row["id"] for row in _all(api, "/api/v1/plans/", key=key, params={"status": "active"})] == [active_plan.pk]


def test_plan_endpoints_per_role(api, keys, active_plan):
    paths = [f"/api/v1/plans/{active_plan.pk}/", f"/api/v1/plans/{active_plan.pk}/tasks/",
             f"/api/v1/plans/{active_plan.pk}/indicators/",
             f"/api/v1/tasks/{active_plan.tasks.get(number='7').pk}/"]
    for role in ROLES:
        for path in paths:
            response = api.get(path, key=keys[role])
            assert response.status_code == (200 if role in THANH_MIEN_ROLES else 404), (role, path)
        listed = [row["id"] for row in _all(api, "/api/v1/plans/", key=keys[role])]
        assert listed == ([active_plan.pk] if role in THANH_MIEN_ROLES else []), role


def test_a_plan_shared_one_by_one_is_readable_by_its_reader(api, keys, people, active_plan):
    from guardian.shortcuts import assign_perm

    assert api.get(f"/api/v1/plans/{active_plan.pk}/", key=keys["no_role"]).status_code == 404
    assign_perm("tasks.view_plan", people["no_role"], active_plan)
    assert api.get(f"/api/v1/plans/{active_plan.pk}/", key=keys["no_role"]).status_code == 200
    occurrences = _all(api, "/api/v1/occurrences/", key=keys["no_role"])
    assert {row["id"] for row in occurrences} == set(active_plan.occurrences.values_list("pk", flat=True))


def test_plan_detail_of_a_missing_plan_says_so(api, keys):
    response = api.get("/api/v1/plans/987654/", key=keys["party_office"])
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có kế hoạch này, hoặc bạn không được xem."


# Tasks


def test_plan_tasks_in_document_order_with_their_units(api, keys, active_plan):
    rows = _all(api, f"/api/v1/plans/{active_plan.pk}/tasks/", key=keys["staff"])

    assert [row["id"] for row in rows] == list(active_plan.tasks.order_by("position").values_list("pk", flat=True))
    seven = next(row for row in rows if row["number"] == "7")
    assert seven["name"] == "Xây dựng kế hoạch thực hiện, cụ thể hóa của Ủy ban nhân dân xã."
    assert [unit["name"] for unit in seven["lead_units"]] == ["Phòng Văn hóa - Xã hội"]
    assert seven["directing_post"]["title"] == "Phó Chủ tịch UBND xã phụ trách khối VHXH"
    assert seven["first_due_on"] == "2025-09-30" and seven["timeline"]["kind"]
    assert seven["plan_id"] == active_plan.pk


def test_task_detail_lists_only_the_occurrences_the_caller_may_see(api, keys, active_plan):
    """Task 6 is led by every unit: the Party Office sees all its occurrences, a unit's staff only their unit's."""
    task = active_plan.tasks.get(number="6")
    everyone = api.get(f"/api/v1/tasks/{task.pk}/", key=keys["party_office"]).json()["occurrences"]
    mine = api.get(f"/api/v1/tasks/{task.pk}/", key=keys["staff"]).json()["occurrences"]

    assert len(everyone) == Occurrence.objects.filter(task=task).count() == Unit.objects.filter(
        commune=active_plan.commune).count()
    assert [row["unit"]["name"] for row in mine] == ["Phòng Văn hóa - Xã hội"]


# Occurrences


def test_occurrence_detail_per_role(api, keys, active_plan):
    occurrence = _occurrence_7(active_plan)
    for role in ROLES:
        response = api.get(f"/api/v1/occurrences/{occurrence.pk}/", key=keys[role])
        assert response.status_code == (200 if role in SEES_OCCURRENCE_7 else 404), role
        listed = {row["id"] for row in _all(api, "/api/v1/occurrences/", key=keys[role])}
        assert (occurrence.pk in listed) == (role in SEES_OCCURRENCE_7), role


def test_occurrences_of_a_unit_member_are_their_units_only(api, keys, active_plan):
    rows = _all(api, "/api/v1/occurrences/", key=keys["staff"])
    assert rows and {row["unit"]["name"] for row in rows} == {"Phòng Văn hóa - Xã hội"}
    everyone = _all(api, "/api/v1/occurrences/", key=keys["party_office"])
    assert len(everyone) == Occurrence.objects.filter(plan=active_plan).count() > len(rows)


def test_nobody_sees_another_communes_data_through_any_endpoint(api, keys, people, active_plan, other_plan):
    """Trường Giang's Party Office sees its own plan and occurrences, and nothing of Thanh Miện's."""
    key = keys["other_commune"]
    seven = _occurrence_7(active_plan)
    notifications_record(rows=[_draft(seven, people["unit_head"])])
    indicator = active_plan.indicators.first()

    assert [row["id"] for row in _all(api, "/api/v1/plans/", key=key)] == [other_plan.pk]
    occurrences = _all(api, "/api/v1/occurrences/", key=key)
    assert occurrences and {row["commune"]["slug"] for row in occurrences} == {"truong-giang"}
    assert _all(api, "/api/v1/occurrences/", key=key, params={"plan": active_plan.pk}) == []
    assert _all(api, "/api/v1/notifications/", key=key) == []
    for path in [f"/api/v1/plans/{active_plan.pk}/", f"/api/v1/plans/{active_plan.pk}/tasks/",
                 f"/api/v1/plans/{active_plan.pk}/indicators/", f"/api/v1/tasks/{seven.task_id}/",
                 f"/api/v1/occurrences/{seven.pk}/"]:
        assert api.get(path, key=key).status_code == 404, path
    assert indicator.plan_id == active_plan.pk
    # And the other way round.
    assert api.get(f"/api/v1/plans/{other_plan.pk}/", key=keys["party_office"]).status_code == 404


def test_occurrence_detail_carries_its_outputs_reviews_and_extensions(api, keys, people, active_plan):
    from workflow.services import OutputDocument, extension_request, occurrence_accept, output_submit

    occurrence = _occurrence_7(active_plan)
    with time_machine.travel(date(2025, 9, 15), tick=False):
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        output_submit(occurrence=occurrence, actor=people["staff"], files=[("kh.pdf", PDF)],
                      document=OutputDocument(kind="plan", number_symbol="1/KH", signer="A",
                                              document_date=date(2025, 9, 14)))
        extension_request(occurrence=occurrence, actor=people["staff"], requested_due_on=date(2025, 10, 30),
                          reason="Chờ số liệu")

    body = api.get(f"/api/v1/occurrences/{occurrence.pk}/", key=keys["inspection"]).json()

    assert body["status"] == "submitted" and body["status_label"] == "Đã nộp, chờ thủ trưởng đơn vị duyệt"
    assert body["assignee"]["name"] == "Phạm Thu Hà" and body["unit"]["name"] == "Phòng Văn hóa - Xã hội"
    assert body["task"]["number"] == "7" and body["plan"]["id"] == active_plan.pk
    [output] = body["outputs"]
    assert (output["version"], output["number_symbol"], output["document_date"]) == (1, "1/KH", "2025-09-14")
    assert [(f["name"], f["size"]) for f in output["files"]] == [("kh.pdf", len(PDF))]
    assert [(e["requested_due_on"], e["status"]) for e in body["extension_requests"]] == [("2025-10-30", "pending")]
    assert body["web_url"].endswith(reverse("occurrence_detail", args=[occurrence.pk]))


def test_occurrence_filters(api, keys, active_plan, other_plan):
    key = keys["party_office"]
    seven = _occurrence_7(active_plan)
    unit = seven.unit
    mine = Occurrence.objects.filter(plan=active_plan)

    by_unit = _all(api, "/api/v1/occurrences/", key=key, params={"unit": unit.pk})
    assert {row["id"] for row in by_unit} == set(mine.filter(unit=unit).values_list("pk", flat=True))
    by_plan = _all(api, "/api/v1/occurrences/", key=key, params={"plan": active_plan.pk})
    assert {row["id"] for row in by_plan} == set(mine.values_list("pk", flat=True))
    window = _all(api, "/api/v1/occurrences/", key=key, params={"due_after": "2025-09-30", "due_before": "2025-09-30"})
    assert window and {row["due_on"] for row in window} == {"2025-09-30"}
    assert seven.pk in {row["id"] for row in window}
    assert {row["id"] for row in window} == set(mine.filter(due_on=date(2025, 9, 30)).values_list("pk", flat=True))
    later = _all(api, "/api/v1/occurrences/", key=key, params={"due_after": "2025-10-01"})
    assert later and min(row["due_on"] for row in later) >= "2025-10-01"

    Occurrence.objects.filter(pk=seven.pk).update(status=OccurrenceStatus.DONE)
    done = _all(api, "/api/v1/occurrences/", key=key, params={"status": "done"})
    assert [row["id"] for row in done] == [seven.pk] and done[0]["is_open"] is False and done[0]["urgency"] == ""
    open_rows = _all(api, "/api/v1/occurrences/", key=key, params={"status": "open"})
    assert seven.pk not in {row["id"] for row in open_rows} and len(open_rows) == mine.count() - 1


def test_overdue_is_computed_on_the_day(api, keys, active_plan):
    key = keys["party_office"]
    due_30_09 = set(Occurrence.objects.filter(plan=active_plan, due_on=date(2025, 9, 30)).values_list("pk", flat=True))
    with time_machine.travel(date(2025, 9, 30), tick=False):
        assert _all(api, "/api/v1/occurrences/", key=key, params={"overdue": "true"}) == []
        row = api.get(f"/api/v1/occurrences/{min(due_30_09)}/", key=key).json()
        assert row["urgency"] == "due_soon"
    with time_machine.travel(date(2025, 10, 1), tick=False):
        late = _all(api, "/api/v1/occurrences/", key=key, params={"overdue": "true"})
        not_late = _all(api, "/api/v1/occurrences/", key=key, params={"overdue": "false"})
    assert {row["id"] for row in late} == due_30_09
    assert {row["urgency"] for row in late} == {"overdue"}
    assert len(late) + len(not_late) == Occurrence.objects.filter(plan=active_plan).count()


BAD_PARAMETERS = [
    ({"status": "finished"}, "status", "Trạng thái “finished” không có"),
    ({"unit": "abc"}, "unit", "Phải là số nguyên (mã số), không phải “abc”."),
    ({"unit": "0"}, "unit", "Mã số bắt đầu từ 1."),
    ({"plan": "-3"}, "plan", "Mã số bắt đầu từ 1."),
    ({"plan": "9" * 30}, "plan", "Không có mã số nào lớn như vậy."),
    ({"due_before": "31/12/2025"}, "due_before", "Ghi ngày theo dạng YYYY-MM-DD"),
    ({"due_after": "2025-02-30"}, "due_after", "Ghi ngày theo dạng YYYY-MM-DD"),
    ({"overdue": "maybe"}, "overdue", "Ghi true hoặc false."),
    ({"due_after": "2025-12-31", "due_before": "2025-01-01"}, "due_after", "due_after muộn hơn due_before"),
    ({"page": "0"}, "page", "Phải là số nguyên từ 1 trở lên, không phải “0”."),
    ({"page": "hai"}, "page", "không phải “hai”"),
    ({"page_size": "500"}, "page_size", "Tối đa 200 dòng một trang."),
    ({"page_size": "-1"}, "page_size", "không phải “-1”"),
    ({"unit": "1.5"}, "unit", "không phải “1.5”"),
]


def test_bad_occurrence_parameters_are_refused_with_a_reason_and_change_nothing(api, keys, active_plan):
    before = _state()
    for params, field, says in BAD_PARAMETERS:
        response = api.get("/api/v1/occurrences/", key=keys["party_office"], params=params)

        assert response.status_code == 400, params
        body = response.json()
        assert says in " ".join(body["errors"][field]) and says in body["detail"], (params, body)
        assert body["detail"].startswith("Yêu cầu bị từ chối:")
    assert _state() == before


def test_bad_parameters_of_the_other_lists_are_refused_too(api, keys, active_plan):
    key = keys["party_office"]
    plans = api.get("/api/v1/plans/", key=key, params={"status": "closed"})
    notes = api.get("/api/v1/notifications/", key=key, params={"unread": "perhaps"})
    tasks = api.get(f"/api/v1/plans/{active_plan.pk}/tasks/", key=key, params={"page_size": "0"})

    assert plans.status_code == notes.status_code == tasks.status_code == 400
    assert "draft" in plans.json()["errors"]["status"][0]
    assert notes.json()["errors"]["unread"] == ["Ghi true hoặc false."]
    assert "page_size" in tasks.json()["errors"]


def test_a_page_past_the_last_is_not_found(api, keys, active_plan):
    response = api.get("/api/v1/plans/", key=keys["party_office"], params={"page": 7})
    assert response.status_code == 404
    assert response.json()["detail"] == "Không có trang 7; trang cuối là 1."


def test_the_page_size_is_limited(api, keys, active_plan):
    body = api.get("/api/v1/occurrences/", key=keys["party_office"], params={"page_size": 5}).json()
    assert len(body["results"]) == 5 and body["count"] == Occurrence.objects.count() and body["next"]
    default = api.get("/api/v1/occurrences/", key=keys["party_office"]).json()
    assert len(default["results"]) == min(50, Occurrence.objects.count())


# Indicators


def test_plan_indicators_with_their_targets(api, keys, active_plan):
    rows = _all(api, f"/api/v1/plans/{active_plan.pk}/indicators/", key=keys["front"])

    indicators = list(active_plan.indicators.order_by("position"))
    assert [row["id"] for row in rows] == [indicator.pk for indicator in indicators]
    with_targets = next(row for row in rows if row["targets"])
    stored = Indicator.objects.get(pk=with_targets["id"]).targets.order_by("year")
    assert [(t["year"], t["text"], t["kind"]) for t in with_targets["targets"]] == [
        (t.year, t.text, t.kind) for t in stored]
    numeric = [t for row in rows for t in row["targets"] if t["low"] is not None]
    assert numeric and all(isinstance(t["low"], (int, float)) for t in numeric)


# Notifications


def _draft(occurrence, recipient, *, rung="remind_7") -> NotificationDraft:
    return NotificationDraft(
        recipient=recipient, commune=occurrence.commune, occurrence=occurrence, rung=rung, kind="reminder",
        message_key="occurrence_due_soon", params={"task": occurrence.task.name, "unit": occurrence.unit.name,
                                                   "due_on": occurrence.due_on.isoformat()},
        url=reverse("occurrence_detail", args=[occurrence.pk]))


def test_notifications_are_the_callers_own(api, keys, people, active_plan):
    seven = _occurrence_7(active_plan)
    [mine, _] = notifications_record(rows=[_draft(seven, people["unit_head"]), _draft(seven, people["staff"])])
    [read] = notifications_record(rows=[_draft(seven, people["unit_head"], rung="remind_3")])
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)

    rows = _all(api, "/api/v1/notifications/", key=keys["unit_head"])
    assert {row["id"] for row in rows} == {mine.pk, read.pk}
    row = next(row for row in rows if row["id"] == mine.pk)
    assert row["title"] == f"Sắp đến hạn: {seven.task.name}"
    assert row["body"] == "Phòng Văn hóa - Xã hội phải hoàn thành chậm nhất ngày 30/09/2025."
    assert row["occurrence_id"] == seven.pk and row["urgency"] == "due_soon" and row["read_at"] is None
    unread = _all(api, "/api/v1/notifications/", key=keys["unit_head"], params={"unread": "true"})
    assert [row["id"] for row in unread] == [mine.pk]
    assert [row["id"] for row in _all(api, "/api/v1/notifications/", key=keys["party_office"])] == []


# Authentication


def test_no_credentials_get_401_and_how_to_authenticate(api, active_plan):
    response = api.get("/api/v1/plans/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "Hãy đăng nhập, hoặc gửi khóa API dạng “Authorization: Bearer <khóa>”."


def test_an_unknown_or_malformed_key_gets_401(api, keys, active_plan):
    for header in ["Bearer sr_not-a-key", "Bearer", "Bearer two words", "Bearer s\u00e9cret"]:
        response = api.get("/api/v1/plans/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["detail"]


def test_a_revoked_key_gets_401_at_once(api, people, active_plan):
    new = api_token_create(user=people["party_office"], name="Cổng dữ liệu tỉnh")
    assert api.get("/api/v1/plans/", key=new.key).status_code == 200

    api_token_revoke(token=new.token, actor=people["admin"])

    response = api.get("/api/v1/plans/", key=new.key)
    assert response.status_code == 401
    assert response.json()["detail"] == "Khóa API không có hoặc đã bị thu hồi."


def test_a_key_of_a_deactivated_person_stops_working(api, people, active_plan):
    new = api_token_create(user=people["staff"], name="Bảng tin")
    people["staff"].is_active = False
    people["staff"].save(update_fields=["is_active"])
    assert api.get("/api/v1/plans/", key=new.key).status_code == 401


def test_the_english_message_for_an_english_reader(api, client, active_plan):
    client.cookies["django_language"] = "en"
    response = api.get("/api/v1/plans/", HTTP_AUTHORIZATION="Bearer nope")
    assert response.json()["detail"] == "The API key is unknown or has been revoked."


def test_a_key_sees_exactly_what_its_person_sees_in_a_session(api, client, keys, people, active_plan):
    by_key = _all(api, "/api/v1/occurrences/", key=keys["unit_head"])
    client.force_login(people["unit_head"])
    by_session = _all(api, "/api/v1/occurrences/", key=None)
    assert by_key == by_session and by_key


def test_a_used_key_records_when_it_was_last_used(api, people, active_plan):
    new = api_token_create(user=people["party_office"], name="Bảng tin tỉnh")
    assert new.token.last_used_at is None
    api.get("/api/v1/plans/", key=new.key)
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_only_the_hash_of_a_key_is_stored_and_the_audit_never_sees_it(people):
    new = api_token_create(user=people["party_office"], name="Cổng tỉnh", created_by=people["admin"])
    api_token_revoke(token=new.token, actor=people["admin"])

    stored = ApiToken.objects.filter(pk=new.token.pk).values().get()
    assert new.key not in str(stored) and len(stored["key_sha256"]) == 64
    events = list(AuditEvent.objects.filter(object_type="api_token", object_id=str(new.token.pk)).order_by("seq"))
    assert [event.kind for event in events] == ["created", "revoked"]
    assert events[0].actor_id == people["admin"].pk and events[0].commune_id == people["party_office"].commune_id
    text = str(AuditEvent.objects.filter(object_type="api_token").values())
    assert new.key not in text and stored["key_sha256"] not in text


@pytest.mark.django_db
def test_a_key_needs_a_name():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(user=None, name="  ")
    assert ApiToken.objects.count() == 0


def test_the_commands_create_a_key_once_and_revoke_it(api, people, active_plan, capsys):
    call_command("api_token_create", "--user", people["inspection"].username, "--name", "Cổng thanh tra tỉnh")
    printed = capsys.readouterr().out.strip().splitlines()
    key = printed[-1]
    token = ApiToken.objects.get()
    assert key.startswith("sr_") and token.name == "Cổng thanh tra tỉnh" and token.user == people["inspection"]
    assert api.get("/api/v1/plans/", key=key).status_code == 200

    call_command("api_token_revoke", "--id", str(token.pk))

    assert api.get("/api/v1/plans/", key=key).status_code == 401
    assert "revoked" in capsys.readouterr().out


def test_the_commands_refuse_unknown_people(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such user"):
        call_command("api_token_create", "--user", "khong-ai", "--name", "x")
    with pytest.raises(CommandError, match="no live API key"):
        call_command("api_token_revoke", "--id", "12345")
    assert ApiToken.objects.count() == 0


# Shape of the API


def test_an_address_the_api_does_not_have_answers_json(client, keys):
    response = client.get("/api/v1/plans/abc/", HTTP_AUTHORIZATION=f"Bearer {keys['party_office']}")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "/api/v1/schema/" in response.json()["detail"]


def test_the_api_only_reads(client, keys, active_plan):
    from openapi_schema_validator import OAS30Validator

    before = _state()
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(f"/api/v1/plans/{active_plan.pk}/", data={"title": "x"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {keys['party_office']}")
        assert response.status_code == 405
        assert "API chỉ để đọc" in response.json()["detail"]
        OAS30Validator(api_schema()["components"]["schemas"]["Error"]).validate(response.json())
    assert _state() == before


LISTS = ["/api/v1/plans/{plan}/tasks/", "/api/v1/plans/{plan}/indicators/", "/api/v1/occurrences/",
         "/api/v1/notifications/", "/api/v1/plans/"]


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(api, keys, people, active_plan, thanh_mien):
    from workflow.services import occurrence_accept

    plan_import(commune_slug=thanh_mien.slug, files=[sample_file("003_phu_luc.docx")], create_missing=True)
    seven = _occurrence_7(active_plan)
    occurrence_accept(occurrence=seven, actor=people["unit_head"], assignee=people["staff"])  # an assignee
    notifications_record(rows=[_draft(occurrence, people["party_office"])
                               for occurrence in Occurrence.objects.filter(plan=active_plan)[:6]])
    key = keys["party_office"]
    for path in LISTS:
        path = path.format(plan=active_plan.pk)
        total = api.get(path, key=key).json()["count"]  # also the key's last use: written at most once a minute
        assert total >= 2, path
        counts = []
        for size in (1, min(total, 6)):
            with CaptureQueriesContext(connection) as queries:
                response = api.get(path, key=key, params={"page_size": size})
            assert response.status_code == 200 and len(response.json()["results"]) == size
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 16, (path, counts)


# Indicator figures


@pytest.fixture
def approved_figure(active_plan, people):
    """Indicator 1 of Thanh Miện (reported by Phòng VHXH), quarter III/2025: submitted with evidence, approved."""
    from decimal import Decimal

    from indicators.models import IndicatorFigure
    from indicators.services import FigureReport, figure_due_generate, figure_review, figure_submit

    figure_due_generate(today=date(2025, 9, 10))
    figure = IndicatorFigure.objects.get(indicator__plan=active_plan, indicator__number="1", period_key="2025-Q3")
    with time_machine.travel(date(2025, 10, 2), tick=False):
        figure_submit(figure=figure, actor=people["staff"], report=FigureReport(value=Decimal("62.5")),
                      files=[("bien-ban.pdf", PDF)])
        figure_review(figure=figure, actor=people["unit_head"], approve=True)
    figure.refresh_from_db()
    return figure


def test_indicator_figures_are_the_approved_ones_readable_like_the_plan(api, keys, people, approved_figure):
    from indicators.models import FigureStatus, IndicatorFigure

    path = f"/api/v1/indicators/{approved_figure.indicator_id}/figures/"
    IndicatorFigure.objects.filter(indicator=approved_figure.indicator).exclude(pk=approved_figure.pk).update(
        status=FigureStatus.SUBMITTED)  # waiting for the head: not a figure yet
    for role in ROLES:
        response = api.get(path, key=keys[role])
        assert response.status_code == (200 if role in THANH_MIEN_ROLES else 404), role
    [row] = api.get(path, key=keys["front"]).json()["results"]
    assert row["id"] == approved_figure.pk and row["period_key"] == "2025-Q3" and row["value"] == 62.5
    assert row["unit"]["name"] == "Phòng Văn hóa - Xã hội" and row["approved_on"] == "2025-10-02"
    assert [(e["name"], e["size"]) for e in row["evidence"]] == [("bien-ban.pdf", len(PDF))]
    assert row["value_text"].startswith("62,5")

    IndicatorFigure.objects.filter(pk=approved_figure.pk).update(status=FigureStatus.RETURNED)
    assert api.get(path, key=keys["front"]).json()["results"] == []
    missing = api.get("/api/v1/indicators/999999/figures/", key=keys["front"])
    assert missing.status_code == 404 and missing.json()["detail"] == "Không có chỉ tiêu này, hoặc bạn không được xem."


def test_an_anonymous_caller_learns_nothing_about_missing_addresses(client):
    response = client.get("/api/v2/anything/")
    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    assert client.get("/api/v1/schema/").status_code == 200  # the description itself is public
