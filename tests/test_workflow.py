"""Occurrences and their flow: activation, generation, the loop to an approved output, and its rules."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask

from roles.models import Post, Unit, User
from tasks.models import PlanStatus
from workflow.flows import OccurrenceFlow
from audit.models import AuditEvent
from workflow.models import (
    Contribution, ContributionStatus, Occurrence, OccurrenceStatus, Output,
)
from workflow.services import (
    OutputDocument, contribution_submit, extension_decide, extension_request, occurrence_accept,
    occurrences_generate, output_review, output_submit, plan_activate, post_hand_over,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _plan_document(**overrides) -> OutputDocument:
    values = {"kind": "plan", "number_symbol": "12/KH-UBND", "document_date": date(2025, 9, 20),
              "signer": "Vũ Đức Thắng"}
    return OutputDocument(**{**values, **overrides})


@pytest.fixture
def active_plan(thanh_mien_plan, people):
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=thanh_mien_plan, actor=people["party_office"])
    return thanh_mien_plan


def _occurrence(plan, number: str, unit_name: str | None = None, *, directing: bool = False) -> Occurrence:
    """An occurrence of the plan; whether it needs the directing comrade is said by each test."""
    found = Occurrence.objects.filter(plan=plan, task__number=number)
    if unit_name:
        found = found.filter(unit__name=unit_name)
    occurrence = found.get()
    occurrence.needs_directing_approval = directing
    occurrence.save(update_fields=["needs_directing_approval"])
    return occurrence


def test_activation_makes_one_occurrence_per_lead_unit_and_period(active_plan, thanh_mien):
    units = Unit.objects.filter(commune=thanh_mien).count()

    active_plan.refresh_from_db()
    assert active_plan.status == PlanStatus.ACTIVE
    assert Occurrence.objects.filter(plan=active_plan, task__number="6").count() == units  # a collective lead
    assert Occurrence.objects.filter(plan=active_plan, task__number="7").count() == 1
    assert Occurrence.objects.filter(plan=active_plan, task__number="12").count() == 0  # only on request
    seven = Occurrence.objects.get(plan=active_plan, task__number="7")
    assert seven.needs_directing_approval  # Thanh Miện's policy: plans also go to the directing comrade
    assert seven.directing_post.title == "Phó Chủ tịch UBND xã phụ trách khối VHXH"
    assert (seven.due_on, seven.original_due_on, seven.period_key) == (date(2025, 9, 30), date(2025, 9, 30), "once")
    assert seven.status == OccurrenceStatus.ASSIGNED and seven.unit.name == "Phòng Văn hóa - Xã hội"
    assert _occurrence(active_plan, "4").period_key == "2025"
    assert _occurrence(active_plan, "4").due_on == date(2025, 12, 31)
    assert not Occurrence.objects.filter(process__isnull=True).exists()


def test_bulk_start_writes_the_rows_viewflow_writes(active_plan):
    bulk = _occurrence(active_plan, "7")
    twin = Occurrence.objects.create(
        commune=bulk.commune, plan=bulk.plan, task=bulk.task, unit=bulk.unit, period_key="twin",
        due_on=bulk.due_on, original_due_on=bulk.due_on)
    for contribution in bulk.contributions.all():
        Contribution.objects.create(occurrence=twin, unit=contribution.unit)
    process = OccurrenceFlow.start.run(occurrence_id=twin.pk)

    def shape(process_id):
        rows = FlowTask.objects.filter(process_id=process_id).order_by("pk")
        fork = rows.get(flow_task=OccurrenceFlow.fork).pk
        return [(str(t.flow_task), t.flow_task_type, t.status, str(t.token).replace(str(fork), "F"), t.data,
                 sorted(str(p.flow_task) for p in t.previous.all())) for t in rows]

    assert shape(bulk.process_id) == shape(process.pk)
    assert Process.objects.get(pk=bulk.process_id).status == process.status


def test_generation_twice_creates_nothing_twice(active_plan):
    before = (Occurrence.objects.count(), Process.objects.count(), FlowTask.objects.count())
    with time_machine.travel(date(2025, 9, 11), tick=False):
        assert occurrences_generate() == 0
        assert occurrences_generate() == 0
    assert (Occurrence.objects.count(), Process.objects.count(), FlowTask.objects.count()) == before


def test_the_next_year_of_an_annual_task_is_created_once_when_due(active_plan):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        first = occurrences_generate()
        second = occurrences_generate()
    periods = set(Occurrence.objects.filter(plan=active_plan, task__number="4").values_list("period_key", flat=True))
    assert periods == {"2025", "2026"}
    assert first > 0 and second == 0


def _walk_to_submitted(occurrence, people, **document):
    occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
    output_submit(occurrence=occurrence, actor=people["staff"], document=_plan_document(**document),
                  files=[("ke_hoach.pdf", PDF)])


def test_the_whole_loop_with_a_return_and_the_directing_comrade(active_plan, people):
    occurrence = _occurrence(active_plan, "7", directing=True)
    with time_machine.travel(date(2025, 9, 15), tick=False):
        _walk_to_submitted(occurrence, people)
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=False, reason="Thiếu phụ lục")
        occurrence.refresh_from_db()
        assert (occurrence.status, occurrence.return_count) == (OccurrenceStatus.RETURNED, 1)
        output_submit(occurrence=occurrence, actor=people["staff"], document=_plan_document(),
                      files=[("ke_hoach_v2.pdf", PDF)])
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=True)
        occurrence.refresh_from_db()
        assert occurrence.status == OccurrenceStatus.AWAITING_DIRECTING
        output_review(occurrence=occurrence, actor=people["directing"], approve=True)

    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.DONE and occurrence.finished_on_time is True
    assert Output.objects.filter(occurrence=occurrence).count() == 2
    assert Process.objects.get(pk=occurrence.process_id).finished is not None
    kinds = list(AuditEvent.objects.filter(occurrence_id=occurrence.pk, object_type="occurrence")
                 .order_by("seq").values_list("kind", flat=True))
    assert kinds == ["created", "accepted", "submitted", "returned", "submitted", "approved", "approved", "done"]


def test_finishing_after_the_original_due_date_is_late(active_plan, people):
    occurrence = _occurrence(active_plan, "7")
    with time_machine.travel(date(2025, 10, 2), tick=False):
        _walk_to_submitted(occurrence, people)
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=True)
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.DONE and occurrence.finished_on_time is False


def test_an_extension_moves_the_due_date_but_on_time_is_measured_against_the_original(active_plan, people):
    occurrence = _occurrence(active_plan, "7")
    with time_machine.travel(date(2025, 9, 25), tick=False):
        occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        request = extension_request(occurrence=occurrence, actor=people["staff"], requested_due_on=date(2025, 10, 15),
                                    reason="Chờ số liệu của Phòng Kinh tế")
        with pytest.raises(PermissionDenied):
            extension_decide(extension=request, actor=people["unit_head"], approve=True)
        extension_decide(extension=request, actor=people["directing"], approve=True)
    occurrence.refresh_from_db()
    assert (occurrence.due_on, occurrence.original_due_on, occurrence.extension_count) == (
        date(2025, 10, 15), date(2025, 9, 30), 1)
    with time_machine.travel(date(2025, 10, 10), tick=False):
        output_submit(occurrence=occurrence, actor=people["staff"], document=_plan_document(), files=[("a.pdf", PDF)])
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=True)
    occurrence.refresh_from_db()
    assert occurrence.finished_on_time is False


def test_supporting_units_contribute_and_the_lead_can_go_on_without_a_late_one(truong_giang, people):
    from tests.conftest import sample_file
    from tasks.services import plan_import

    plan = plan_import(commune_slug=truong_giang.slug, files=[sample_file("003_phu_luc.docx")]).plan
    tg = {user.username: user for user in User.objects.filter(commune=truong_giang)}
    with time_machine.travel(date(2025, 9, 10), tick=False):
        plan_activate(plan=plan, actor=tg["truonggiang.vanphong"])
    occurrence = Occurrence.objects.get(plan=plan, task__number="2")  # lead: Phòng VHXH; all other units support
    others = Unit.objects.filter(commune=truong_giang).exclude(pk=occurrence.unit_id)
    assert set(occurrence.contributions.values_list("unit_id", flat=True)) == set(others.values_list("pk", flat=True))
    kinh_te = occurrence.contributions.get(unit__name="Phòng Kinh tế")
    cong_an = occurrence.contributions.get(unit__name="Công an xã")

    with time_machine.travel(date(2025, 9, 20), tick=False):
        contribution_submit(contribution=kinh_te, actor=tg["truonggiang.phoihop"], text="Số liệu kinh tế quý III",
                            files=[("so_lieu.pdf", PDF)])
        with pytest.raises(PermissionDenied):
            contribution_submit(contribution=cong_an, actor=tg["truonggiang.phoihop"], text="x", files=[])
        occurrence_accept(occurrence=occurrence, actor=tg["truonggiang.truongphong"], assignee=tg["truonggiang.canbo"])
        output_submit(occurrence=occurrence, actor=tg["truonggiang.canbo"], document=_plan_document(),
                      files=[("ke_hoach.pdf", PDF)])
        output_review(occurrence=occurrence, actor=tg["truonggiang.truongphong"], approve=True)

    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.DONE and occurrence.finished_on_time is True
    assert "Công an xã" in occurrence.went_on_without and "Phòng Kinh tế" not in occurrence.went_on_without
    assert occurrence.contributions.get(pk=cong_an.pk).status == ContributionStatus.NOT_RECEIVED
    assert occurrence.contributions.get(pk=kinh_te.pk).status == ContributionStatus.SUBMITTED
    assert occurrence.contributions.get(pk=kinh_te.pk).files.get().original_name == "so_lieu.pdf"
    assert Process.objects.get(pk=occurrence.process_id).finished is not None


def test_a_post_changing_hands_moves_open_work_and_keeps_the_history(active_plan, people, thanh_mien):
    occurrence = _occurrence(active_plan, "7")
    head_post = Post.objects.get(unit=occurrence.unit, is_unit_head=True)
    newcomer = User.objects.create_user(username="truongphong.moi", full_name="Lê Văn Mới", commune=thanh_mien)
    with time_machine.travel(date(2025, 9, 12), tick=False):
        post_hand_over(post=head_post, person=newcomer, started_on=date(2025, 9, 12), actor=people["admin"])
        with pytest.raises(PermissionDenied):
            occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
        occurrence_accept(occurrence=occurrence, actor=newcomer, assignee=people["staff"])
    handed = AuditEvent.objects.get(occurrence_id=occurrence.pk, kind="handed_over")
    assert handed.detail["from"] == str(people["unit_head"]) and handed.detail["to"] == str(newcomer)
    assert head_post.holdings.filter(person=people["unit_head"], ended_on=date(2025, 9, 11)).exists()


@pytest.mark.parametrize("role", ["staff", "supporting", "directing", "party_office", "inspection", "front",
                                  "other_commune", "no_role"])
def test_only_the_unit_head_accepts(active_plan, people, role):
    with pytest.raises(PermissionDenied):
        occurrence_accept(occurrence=_occurrence(active_plan, "7"), actor=people[role], assignee=people["staff"])


def test_an_output_of_the_wrong_kind_or_without_its_number_is_refused(active_plan, people):
    occurrence = _occurrence(active_plan, "7")
    occurrence_accept(occurrence=occurrence, actor=people["unit_head"], assignee=people["staff"])
    for document in (_plan_document(kind="report"), _plan_document(number_symbol=""), _plan_document(signer="")):
        with pytest.raises(ValidationError):
            output_submit(occurrence=occurrence, actor=people["staff"], document=document, files=[("a.pdf", PDF)])
    with pytest.raises(ValidationError):
        output_submit(occurrence=occurrence, actor=people["staff"], document=_plan_document(),
                      files=[("a.pdf", b"MZ\x90\x00 not a pdf")])
    assert not Output.objects.filter(occurrence=occurrence).exists()


def test_returning_needs_a_reason(active_plan, people):
    occurrence = _occurrence(active_plan, "7")
    _walk_to_submitted(occurrence, people)
    with pytest.raises(ValidationError):
        output_review(occurrence=occurrence, actor=people["unit_head"], approve=False, reason="  ")
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.SUBMITTED and occurrence.return_count == 0
