"""Every page and action of the workflow, for every role: who gets in, who gets 403."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
import time_machine
from django.urls import reverse

from workflow.models import Occurrence, OccurrenceStatus
from workflow.services import plan_activate

ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]


@pytest.fixture
def occurrence(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return Occurrence.objects.get(plan=thanh_mien_plan, task__number="7")


# Who may open the task page of task 7 (lead: Phòng Văn hóa - Xã hội, directed by the VHXH deputy chair).
SEES_OCCURRENCE = {"party_office", "unit_head", "staff", "directing", "inspection", "front", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_task_page_matrix(login, people, occurrence, role):
    response = login(people[role]).get(reverse("occurrence_detail", args=[occurrence.pk]))
    assert response.status_code == (200 if role in SEES_OCCURRENCE else 403)
    if response.status_code == 200:
        page = response.content.decode()
        assert "Xây dựng kế hoạch thực hiện, cụ thể hóa của Ủy ban nhân dân xã." in page
        assert "30/09/2025" in page


@pytest.mark.parametrize("role", ROLES)
def test_my_work_opens_for_everyone_logged_in_and_shows_only_their_steps(login, people, occurrence, role):
    response = login(people[role]).get(reverse("my_work"))
    assert response.status_code == 200
    listed = f'data-occurrence="{occurrence.pk}"' in response.content.decode()
    assert listed == (role == "unit_head")


QUEUE_VIEWERS = {"party_office", "unit_head", "staff", "inspection", "front", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_unit_queue_matrix(login, people, occurrence, role):
    response = login(people[role]).get(reverse("unit_queue", args=[occurrence.unit_id]))
    assert response.status_code == (200 if role in QUEUE_VIEWERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_accept_matrix(login, people, occurrence, role):
    response = login(people[role]).post(reverse("occurrence_accept", args=[occurrence.pk]),
                                        {"assignee": people["staff"].pk})
    occurrence.refresh_from_db()
    if role == "unit_head":
        assert response.status_code == 302 and occurrence.status == OccurrenceStatus.IN_PROGRESS
    else:
        assert response.status_code == 403 and occurrence.status == OccurrenceStatus.ASSIGNED


@pytest.mark.parametrize("role", ROLES)
def test_activate_matrix(login, people, thanh_mien_plan, role):
    response = login(people[role]).post(reverse("plan_activate", args=[thanh_mien_plan.pk]))
    thanh_mien_plan.refresh_from_db()
    if role in ("party_office", "admin"):
        assert response.status_code == 302 and thanh_mien_plan.status == "active"
    else:
        assert response.status_code == 403 and thanh_mien_plan.status == "draft"


@pytest.mark.parametrize("action", ["output_submit", "output_review", "extension_request"])
@pytest.mark.parametrize("role", ["supporting", "inspection", "front", "other_commune", "no_role"])
def test_read_only_and_outside_roles_cannot_act(login, people, occurrence, role, action):
    response = login(people[role]).post(reverse(action, args=[occurrence.pk]), {})
    assert response.status_code == 403


def test_the_plan_page_shows_live_status_after_activation(login, people, occurrence):
    page = login(people["party_office"]).get(reverse("plan_detail", args=[occurrence.plan_id])).content.decode()
    assert "0/1" in page and "quá hạn" in page


def test_nobody_outside_the_commune_sees_its_occurrences_in_any_list(login, people, occurrence):
    client = login(people["other_commune"])
    assert f'data-occurrence="{occurrence.pk}"' not in client.get(reverse("my_work")).content.decode()
    assert client.get(reverse("unit_queue", args=[occurrence.unit_id])).status_code == 403


def test_a_plan_shared_through_guardian_is_visible_read_only(login, people, occurrence):
    from audit.models import AuditEvent
    from tasks.services import plan_share, plan_unshare

    reviewer = people["no_role"]
    client = login(reviewer)
    assert client.get(reverse("plan_detail", args=[occurrence.plan_id])).status_code == 403
    with pytest.raises(PermissionDenied):
        plan_share(plan=occurrence.plan, person=reviewer, actor=people["staff"])

    plan_share(plan=occurrence.plan, person=reviewer, actor=people["admin"])
    granted = AuditEvent.objects.get(object_type="plan_share", kind="granted")
    assert granted.after["person"] == reviewer.pk and granted.actor_id == people["admin"].pk

    assert client.get(reverse("plan_detail", args=[occurrence.plan_id])).status_code == 200
    assert client.get(reverse("occurrence_detail", args=[occurrence.pk])).status_code == 200
    assert client.post(reverse("occurrence_accept", args=[occurrence.pk]),
                       {"assignee": people["staff"].pk}).status_code == 403
    assert client.post(reverse("plan_activate", args=[occurrence.plan_id])).status_code == 403
    plan_unshare(plan=occurrence.plan, person=reviewer, actor=people["admin"])
    assert client.get(reverse("plan_detail", args=[occurrence.plan_id])).status_code == 403


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def submitted(occurrence, people):
    """Task 7 accepted, its output submitted with a file, and an extension asked for."""
    from workflow.services import OutputDocument, extension_request, occurrence_accept, output_submit

    with time_machine.travel(date(2025, 9, 15), tick=False):
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        output = output_submit(occurrence=occurrence, actor=people["staff"], files=[("kh.pdf", PDF)],
                               document=OutputDocument(kind="plan", number_symbol="1/KH", signer="A",
                                                       document_date=date(2025, 9, 14)))
        extension = extension_request(occurrence=occurrence, actor=people["staff"],
                                      requested_due_on=date(2025, 10, 30), reason="Chờ số liệu")
    return output.files.get(), extension


@pytest.mark.parametrize("role", ROLES)
def test_file_download_matrix(login, people, occurrence, submitted, role):
    stored, _ = submitted
    response = login(people[role]).get(reverse("file_download", args=[stored.pk]))
    assert response.status_code == (200 if role in SEES_OCCURRENCE else 403)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("role", ROLES)
def test_extension_decision_matrix(login, people, occurrence, submitted, role):
    _, extension = submitted
    response = login(people[role]).post(reverse("extension_decide", args=[occurrence.pk, extension.pk]),
                                        {"decision": "approve", "reason": ""})
    extension.refresh_from_db()
    if role == "directing":
        assert response.status_code == 302 and extension.status == "approved"
    else:
        assert response.status_code == 403 and extension.status == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_review_matrix(login, people, occurrence, submitted, role):
    response = login(people[role]).post(reverse("output_review", args=[occurrence.pk]),
                                        {"decision": "return", "reason": "Thiếu chữ ký"})
    occurrence.refresh_from_db()
    if role == "unit_head":
        assert response.status_code == 302 and occurrence.status == OccurrenceStatus.RETURNED
    elif role == "directing":
        # A reviewer of this occurrence, but not at this step: told so, and nothing changes.
        assert response.status_code == 302 and occurrence.status == OccurrenceStatus.SUBMITTED
    else:
        assert response.status_code == 403 and occurrence.status == OccurrenceStatus.SUBMITTED


@pytest.mark.parametrize("role", ROLES)
def test_contribution_matrix(login, people, thanh_mien_plan, role):
    """Task 7 has no supporting unit in the plan: give it one (Phòng Kinh tế) before activating."""
    from roles.models import Unit as CommuneUnit

    task = thanh_mien_plan.tasks.get(number="7")
    task.supporting_units.add(CommuneUnit.objects.get(commune=thanh_mien_plan.commune, name="Phòng Kinh tế"))
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    contribution = Occurrence.objects.get(plan=thanh_mien_plan, task=task).contributions.get()
    response = login(people[role]).post(
        reverse("contribution_submit", args=[contribution.occurrence_id, contribution.pk]), {"text": "Ý kiến"})
    contribution.refresh_from_db()
    if role == "supporting":
        assert response.status_code == 302 and contribution.status == "submitted"
    else:
        assert response.status_code == 403 and contribution.status == "requested"
