"""Importing the two sample plans: counts, named rows and the "6 rõ" verdicts, in every format."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from roles.models import Unit
from tasks.models import Indicator, OutputKind, Plan, PlanKind, Task
from tasks.selectors import plan_six_ro_get
from tasks.services import plan_import
from tests.conftest import sample_file


def _task(plan: Plan, number: str) -> Task:
    return plan.tasks.get(number=number)


def _indicator(plan: Plan, number: str) -> Indicator:
    return plan.indicators.get(number=number)


def _unit_names(units) -> set[str]:
    return {unit.name for unit in units.all()}


@pytest.mark.parametrize("filename", ["000_phu_luc.docx", "000_phu_luc.xlsx"])
def test_thanh_mien_plan_has_28_indicators_and_11_tasks_without_a_task_2(thanh_mien, filename):
    result = plan_import(commune_slug=thanh_mien.slug, files=[sample_file(filename)])

    plan = result.plan
    assert (result.tasks, result.indicators) == (11, 28)
    numbers = list(plan.tasks.order_by("position").values_list("number", flat=True))
    assert numbers == ["1", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    assert plan.kind == PlanKind.PARTY
    if filename.endswith(".docx"):  # the Excel sheets do not carry the plan's title
        assert "57-NQ/TW" in plan.implements


@pytest.mark.parametrize("filename", ["000_phu_luc.docx", "000_phu_luc.xlsx"])
def test_thanh_mien_named_tasks_match_the_sample(thanh_mien, filename):
    plan = plan_import(commune_slug=thanh_mien.slug, files=[sample_file(filename)]).plan
    all_units = set(Unit.objects.filter(commune=thanh_mien).values_list("name", flat=True))

    task3 = _task(plan, "3")
    assert task3.lead_text == "Đồng chí Thủ trưởng các cơ quan, đơn vị"
    assert _unit_names(task3.lead_units) == all_units
    assert task3.directing_post.title == "Phó Chủ tịch UBND xã phụ trách khối VHXH"

    task6 = _task(plan, "6")
    assert task6.timeline_text == "Hoàn thành trong tháng 9/2025"
    assert task6.timeline["kind"] == "once"
    assert task6.first_due_on == date(2025, 9, 30)
    assert task6.output_kind == OutputKind.PLAN

    task7 = _task(plan, "7")
    assert _unit_names(task7.lead_units) == {"Phòng Văn hóa - Xã hội"}
    assert task7.output_text == "Kế hoạch của Ủy ban nhân dân xã"

    assert _unit_names(_task(plan, "9").lead_units) == {"Công an xã"}
    assert _task(plan, "1").output_kind == OutputKind.DECISION
    assert _task(plan, "4").timeline["kind"] == "annual"
    assert _task(plan, "12").timeline["kind"] == "on_request"
    assert _task(plan, "12").output_kind == OutputKind.REPORT
    assert _task(plan, "10").directing_post.title == "Chủ nhiệm Ủy ban kiểm tra Đảng ủy"


@pytest.mark.parametrize("filename", ["000_phu_luc.docx", "000_phu_luc.xlsx"])
def test_thanh_mien_named_indicators_match_the_sample(thanh_mien, filename):
    plan = plan_import(commune_slug=thanh_mien.slug, files=[sample_file(filename)]).plan

    targets = {t.year: t for t in _indicator(plan, "4").targets.all()}
    assert {year: t.text for year, t in targets.items()} == {
        2025: "Phấn đấu 2%", 2030: "Phấn đấu 3%", 2035: "Đạt 3%", 2040: "Đạt trên 3%", 2045: "Đạt trên 3,5%",
    }
    assert (targets[2025].kind, targets[2025].low, targets[2025].strive) == ("exact", Decimal("2"), True)
    assert (targets[2045].kind, targets[2045].low) == ("more_than", Decimal("3.5"))

    first = {t.year: t for t in _indicator(plan, "1").targets.all()}
    assert (first[2025].kind, first[2025].low, first[2025].unit) == ("at_least", Decimal("60"), "%")
    sixg = {t.year: t.kind for t in _indicator(plan, "3").targets.all()}
    assert sixg[2025] == "not_applicable" and sixg[2035] == "exact"

    assert _unit_names(_indicator(plan, "7").monitoring_units) == {"Phòng Văn hóa - Xã hội", "Phòng Kinh tế"}
    # The document repeats an indicator (rows 12 and 16): both stay.
    assert _indicator(plan, "12").name == _indicator(plan, "16").name
    assert _indicator(plan, "1").output_text == "Số liệu báo cáo"


@pytest.mark.parametrize("filename", ["003_phu_luc.docx", "003_phu_luc.xlsx"])
def test_truong_giang_plan_has_31_indicators_and_8_tasks(truong_giang, filename):
    result = plan_import(commune_slug=truong_giang.slug, files=[sample_file(filename)])

    plan = result.plan
    assert (result.tasks, result.indicators) == (8, 31)
    assert plan.kind == PlanKind.STATE
    if filename.endswith(".docx"):
        assert "71/NQ-CP" in plan.implements

    task2 = _task(plan, "2")
    assert _unit_names(task2.lead_units) == {"Phòng Văn hóa - Xã hội"}
    assert task2.supporting_text == "Phòng, ban ngành, đơn vị"
    assert task2.supporting_collectives
    assert "Phòng Văn hóa - Xã hội" not in _unit_names(task2.supporting_units)
    assert "Phòng Kinh tế" in _unit_names(task2.supporting_units)
    assert task2.first_due_on == date(2025, 9, 30)

    task1 = _task(plan, "1")
    assert task1.lead_text == "Phòng, ban ngành"
    assert task1.lead_collectives == ["departments"]
    assert "Phòng Kinh tế" in _unit_names(task1.lead_units)
    assert "Công an xã" not in _unit_names(task1.lead_units)

    assert _unit_names(_task(plan, "5").supporting_units) == {"Trung tâm Phục vụ hành chính công"}
    assert _task(plan, "7").supporting_units.count() == 0
    assert _task(plan, "8").timeline["kind"] == "open_ended"
    assert _task(plan, "3").output_kind == OutputKind.OUTCOME


@pytest.mark.parametrize("filename", ["003_phu_luc.docx", "003_phu_luc.xlsx"])
def test_truong_giang_named_indicators_match_the_sample(truong_giang, filename):
    plan = plan_import(commune_slug=truong_giang.slug, files=[sample_file(filename)]).plan

    assert _unit_names(_indicator(plan, "2.4").monitoring_units) == {"Phòng Văn hóa - Xã hội", "Phòng Kinh tế"}
    assert _unit_names(_indicator(plan, "1.3").monitoring_units) == {"Phòng Văn hóa - Xã hội"}
    assert _unit_names(_indicator(plan, "13").monitoring_units) == {"Công an xã"}
    assert _unit_names(_indicator(plan, "14").monitoring_units) == {"Ngân hàng Nhà nước"}
    fiveg = {t.year: t for t in _indicator(plan, "9.2").targets.all()}
    assert _indicator(plan, "9.2").measurement_unit == "% dân số"
    assert (fiveg[2025].text, fiveg[2025].kind, fiveg[2025].low) == ("≥ 50", "at_least", Decimal("50"))
    assert {t.year: t.kind for t in _indicator(plan, "2.5").targets.all()}[2045] == "done"
    budget = {t.year: t for t in _indicator(plan, "5").targets.all()}
    assert (budget[2025].kind, budget[2025].low) == ("at_least", Decimal("1.0"))
    business = {t.year: t.kind for t in _indicator(plan, "1.1").targets.all()}
    assert business[2025] == "empty" and business[2035] == "at_least"


def test_csv_appendices_import_like_the_word_file(thanh_mien):
    result = plan_import(
        commune_slug=thanh_mien.slug,
        files=[sample_file("000_phu_luc_1_chi_tieu.csv"), sample_file("000_phu_luc_2_nhiem_vu.csv")],
    )

    assert (result.tasks, result.indicators) == (11, 28)
    assert _task(result.plan, "6").first_due_on == date(2025, 9, 30)


def test_six_ro_flags_each_unclear_task_with_its_reason(truong_giang):
    plan = plan_import(commune_slug=truong_giang.slug, files=[sample_file("003_phu_luc.docx")]).plan

    rows = {row.task.number: row.six_ro for row in plan_six_ro_get(plan=plan).rows}
    assert rows["2"].all_clear
    assert not rows["3"].clear["result"]
    assert "outcome" in str(rows["3"].reasons["result"][0]).lower() or "kết quả" in str(rows["3"].reasons["result"][0])
    assert rows["1"].clear["person"] and rows["1"].clear["timeline"]


def test_six_ro_names_the_post_nobody_holds(thanh_mien):
    from roles.models import PostHolding

    PostHolding.objects.filter(post__title="Trưởng Công an xã").delete()
    plan = plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")]).plan

    verdict = {row.task.number: row.six_ro for row in plan_six_ro_get(plan=plan).rows}["9"]
    assert not verdict.clear["person"]
    assert "Trưởng Công an xã" in str(verdict.reasons["person"][0])
    assert verdict.clear["authority"]


def test_on_request_timeline_is_not_a_clear_timeline(thanh_mien_plan):
    verdict = {row.task.number: row.six_ro for row in plan_six_ro_get(plan=thanh_mien_plan).rows}["12"]
    assert not verdict.clear["timeline"]


def test_dry_run_reports_everything_and_writes_nothing(thanh_mien):
    before = (Plan.objects.count(), Task.objects.count(), Unit.objects.count())

    result = plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")], dry_run=True)

    assert result.dry_run and (result.tasks, result.indicators) == (11, 28)
    assert result.six_ro["tasks"] == 11
    assert (Plan.objects.count(), Task.objects.count(), Unit.objects.count()) == before
