"""Inspection cases (issue 4): the sweep opens them, inspectors run them, the lead unit explains."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from inspection.models import CaseStatus, Explanation, InspectionCase
from inspection.services import (
    case_acknowledge, case_close, explanation_answer, explanation_request, inspection_case_open,
)
from workflow.escalation import escalations_run
from workflow.models import Occurrence
from workflow.services import plan_activate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SWEEP_DAY = date(2025, 10, 14)  # 10 working days after task 7's due date, 30/09/2025

# Who sees a case page. The directing comrade of the occurrence (holder of its directing post) sees
# it: the case is about work they approve and answer for. The Front, the commune administrator,
# supporting units and outsiders do not, although some of them see the task itself.
SEES_CASE = {"inspection", "unit_head", "staff", "party_office", "directing"}
ALL_ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
             "other_commune", "no_role"]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN)


@pytest.fixture
def seven(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return Occurrence.objects.get(plan=thanh_mien_plan, task__number="7")


@pytest.fixture
def on_sweep_day():
    with time_machine.travel(_at(SWEEP_DAY), tick=False):
        yield


@pytest.fixture
def case(seven, on_sweep_day):
    escalations_run(now=_at(SWEEP_DAY))
    return InspectionCase.objects.get(occurrence=seven)


def test_the_sweep_opens_one_case_and_a_second_sweep_none(seven, on_sweep_day):
    escalations_run(now=_at(date(2025, 10, 13)))
    assert not InspectionCase.objects.exists()
    escalations_run(now=_at(SWEEP_DAY))
    cases = list(InspectionCase.objects.filter(occurrence=seven))
    assert len(cases) == 1
    case = cases[0]
    assert case.status == CaseStatus.OPEN and case.opened_reason == "overdue_10"
    assert case.commune_id == seven.commune_id
    assert list(AuditEvent.objects.filter(case_id=case.pk, object_type="case").order_by("seq").values_list("kind", "actor")) == [("opened", None)]
    total = InspectionCase.objects.count()

    escalations_run(now=_at(SWEEP_DAY))
    assert InspectionCase.objects.count() == total
    assert InspectionCase.objects.filter(occurrence=seven).count() == 1


def test_a_dry_run_sweep_opens_no_case(seven, on_sweep_day):
    escalations_run(now=_at(SWEEP_DAY), dry_run=True)
    assert not InspectionCase.objects.exists()


def test_opening_is_idempotent_and_a_closed_case_lets_a_new_one_open(case, people):
    again, created = inspection_case_open(occurrence=case.occurrence, reason="overdue_10")
    assert again == case and not created
    case_close(case=case, actor=people["inspection"], conclusion="Đã nhắc nhở.")
    fresh, created = inspection_case_open(occurrence=case.occurrence, reason="manual", actor=people["inspection"])
    assert created and fresh.pk != case.pk


def test_the_full_life_of_a_case(case, people):
    case_acknowledge(case=case, actor=people["inspection"])
    explanation = explanation_request(case=case, actor=people["inspection"], question="Vì sao chậm?",
                                      due_on=date(2025, 10, 21))
    case.refresh_from_db()
    assert case.status == CaseStatus.EXPLANATION_REQUESTED
    explanation_answer(explanation=explanation, actor=people["unit_head"], answer="Chờ số liệu của xã.")
    case.refresh_from_db()
    assert case.status == CaseStatus.EXPLAINED
    case_close(case=case, actor=people["inspection"], conclusion="Nhắc nhở rút kinh nghiệm.")

    case.refresh_from_db()
    explanation.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_by == people["inspection"] and case.closed_at
    assert case.conclusion == "Nhắc nhở rút kinh nghiệm."
    assert explanation.answered_by == people["unit_head"] and explanation.answer == "Chờ số liệu của xã."
    events = list(AuditEvent.objects.filter(case_id=case.pk, object_type="case").order_by("seq").values_list("kind", "actor"))
    assert events == [
        ("opened", None),
        ("acknowledged", people["inspection"].pk),
        ("explanation_requested", people["inspection"].pk),
        ("explanation_answered", people["unit_head"].pk),
        ("closed", people["inspection"].pk),
    ]


def test_the_full_life_through_the_pages(case, people, login):
    client = login(people["inspection"])
    assert client.post(reverse("case_acknowledge", args=[case.pk])).status_code == 302
    response = client.post(reverse("explanation_request", args=[case.pk]),
                           {"question": "Vì sao chậm?", "due_on": "2025-10-21"})
    assert response.status_code == 302
    explanation = Explanation.objects.get(case=case)

    client = login(people["unit_head"])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("explanation_answer", args=[case.pk, explanation.pk]) in page
    assert client.post(reverse("explanation_answer", args=[case.pk, explanation.pk]),
                       {"answer": "Chờ số liệu."}).status_code == 302

    client = login(people["inspection"])
    assert client.post(reverse("case_close", args=[case.pk]), {"conclusion": "Kết luận."}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert list(AuditEvent.objects.filter(case_id=case.pk, object_type="case").order_by("seq").values_list("kind", flat=True)) == [
        "opened", "acknowledged", "explanation_requested", "explanation_answered", "closed"]


def test_the_staff_member_of_another_unit_cannot_answer(case, people, login):
    explanation = explanation_request(case=case, actor=people["inspection"], question="Vì sao chậm?",
                                      due_on=date(2025, 10, 21))
    with pytest.raises(PermissionDenied):
        explanation_answer(explanation=explanation, actor=people["supporting"], answer="Không phải việc của tôi.")
    response = login(people["supporting"]).post(reverse("explanation_answer", args=[case.pk, explanation.pk]),
                                                {"answer": "x"})
    assert response.status_code == 403
    explanation.refresh_from_db()
    assert not explanation.is_answered
    assert not AuditEvent.objects.filter(case_id=case.pk, object_type="case").order_by("seq").filter(kind="explanation_answered").exists()


def test_the_assignee_may_answer_and_an_answer_is_given_once(case, people):
    from workflow.services import occurrence_accept

    occurrence_accept(occurrence=case.occurrence, actor=people["unit_head"], assignee=people["staff"])
    explanation = explanation_request(case=case, actor=people["inspection"], question="Vì sao chậm?",
                                      due_on=date(2025, 10, 21))
    explanation_answer(explanation=explanation, actor=people["staff"], answer="Đang làm.")
    with pytest.raises(ValidationError):
        explanation_answer(explanation=explanation, actor=people["unit_head"], answer="Lần nữa.")


@pytest.mark.parametrize("role", ["unit_head", "staff", "party_office", "directing", "front", "admin"])
def test_only_inspectors_run_the_case(case, people, role):
    with pytest.raises(PermissionDenied):
        case_acknowledge(case=case, actor=people[role])
    with pytest.raises(PermissionDenied):
        case_close(case=case, actor=people[role], conclusion="Không được.")


def test_wrong_status_is_refused(case, people):
    with pytest.raises(ValidationError):
        explanation_answer(
            explanation=Explanation.objects.create(case=case, requested_by=people["inspection"], question="?",
                                                   due_on=SWEEP_DAY, answered_at=_at(SWEEP_DAY)),
            actor=people["unit_head"], answer="x")
    case_acknowledge(case=case, actor=people["inspection"])
    with pytest.raises(ValidationError):
        case_acknowledge(case=case, actor=people["inspection"])
    case_close(case=case, actor=people["inspection"], conclusion="Xong.")
    with pytest.raises(ValidationError):
        case_close(case=case, actor=people["inspection"], conclusion="Lần nữa.")
    with pytest.raises(ValidationError):
        explanation_request(case=case, actor=people["inspection"], question="?", due_on=date(2025, 10, 21))


@pytest.mark.parametrize("conclusion", ["", "   "])
def test_closing_needs_a_conclusion(case, people, login, conclusion):
    with pytest.raises(ValidationError):
        case_close(case=case, actor=people["inspection"], conclusion=conclusion)
    response = login(people["inspection"]).post(reverse("case_close", args=[case.pk]), {"conclusion": conclusion})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and not AuditEvent.objects.filter(case_id=case.pk, object_type="case").order_by("seq").filter(kind="closed").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_case_page_matrix(case, people, login, role):
    client = login(people[role])
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == (200 if role in SEES_CASE else 403)
    listed = client.get(reverse("cases"))
    if role in SEES_CASE:
        page = response.content.decode()
        assert reverse("occurrence_detail", args=[case.occurrence_id]) in page
        assert (reverse("case_acknowledge", args=[case.pk]) in page) == (role == "inspection")
        assert (reverse("case_close", args=[case.pk]) in page) == (role == "inspection")
        assert listed.status_code == 200 and reverse("case_detail", args=[case.pk]) in listed.content.decode()
    else:
        assert listed.status_code == 403 or reverse("case_detail", args=[case.pk]) not in listed.content.decode()


def test_the_case_page_holds_the_history_outputs_and_file_links(seven, people, login):
    from workflow.services import OutputDocument, occurrence_accept, output_submit

    with time_machine.travel(date(2025, 9, 12), tick=False):
        occurrence_accept(occurrence=seven, actor=people["unit_head"], assignee=people["staff"])
        output_submit(occurrence=seven, actor=people["staff"], files=[("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n")],
                      document=OutputDocument(kind="plan", number_symbol="12/KH-UBND",
                                              document_date=date(2025, 9, 12), signer="A"))
    with time_machine.travel(_at(SWEEP_DAY), tick=False):
        escalations_run(now=_at(SWEEP_DAY))
        case = InspectionCase.objects.get(occurrence=seven)
        page = login(people["inspection"]).get(reverse("case_detail", args=[case.pk])).content.decode()
    stored = seven.outputs.get().files.get()
    assert reverse("file_download", args=[stored.pk]) in page and "12/KH-UBND" in page
    assert "ke-hoach.pdf" in page
    assert login(people["inspection"]).get(reverse("file_download", args=[stored.pk])).status_code == 200


def test_the_menu_link_shows_only_for_people_who_may_see_a_case(seven, people, login):
    inspection_case_open(occurrence=seven, reason="overdue_10")  # the only case: the sweep would open more
    for role in ALL_ROLES:
        page = login(people[role]).get(reverse("my_work")).content.decode()
        # The Party Office of any commune has the link: its own commune's cases are for it to see.
        assert (reverse("cases") in page) == (role in SEES_CASE | {"other_commune"}), role


def test_the_case_page_is_vietnamese_first(case, people, login):
    page = login(people["inspection"]).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Lịch sử" in page
