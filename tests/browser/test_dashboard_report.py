"""In Chromium: the Party Office opens the commune dashboard, drills into an overdue unit, downloads the monthly report."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document

from reports.models import ReportDraft
from reports.services import report_drafts_prepare_due
from roles.models import Unit
from tests.scenario_reports import VHXH, scenario_build

pytestmark = pytest.mark.browser
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def prepared(thanh_mien_plan, people):
    scenario = scenario_build(plan=thanh_mien_plan, people=people)
    with time_machine.travel(datetime(2025, 10, 1, 5, 30, tzinfo=VN), tick=False):
        report_drafts_prepare_due()  # what the scheduler does on the 1st
    return scenario


def test_the_office_drills_into_an_overdue_unit_and_downloads_the_monthly_report(page_as, prepared, thanh_mien,
                                                                                 thanh_mien_plan, tmp_path):
    vhxh = Unit.objects.get(commune=thanh_mien, name=VHXH)
    monthly = ReportDraft.objects.get(plan=thanh_mien_plan, period_kind="month", period_key="2025-09")
    with time_machine.travel(datetime(2025, 10, 6, 9, 0, tzinfo=VN), tick=True):
        office = page_as("thanhmien.vanphong")
        office.click("header nav a[href='/tong-quan/']")
        office.click(f"main a[href='/xa/{thanh_mien.slug}/tong-quan/']")
        office.wait_for_selector("svg#commune-status")
        row = office.locator(f"table[data-table=units] tr[data-unit='{vhxh.pk}']")
        assert row.locator("[data-figure=overdue]").inner_text() == "1"
        row.locator("a").click()
        office.wait_for_url(f"**/xa/{thanh_mien.slug}/don-vi/{vhxh.pk}/tong-quan/")
        overdue = office.locator("table[data-table=overdue] tr[data-occurrence]")
        assert overdue.count() == 1
        assert overdue.first.get_attribute("data-occurrence") == str(prepared["three"].pk)

        office.click("header nav a[href='/bao-cao/']")
        office.click(f"tr[data-plan='{thanh_mien_plan.pk}'] a[href='/plans/{thanh_mien_plan.pk}/bao-cao/']")
        office.click(f"tr[data-report='{monthly.pk}'] td:first-child a")
        office.wait_for_selector("a[data-download=docx]")
        with office.expect_download() as download:
            office.click("a[data-download=docx]")
        path = tmp_path / "bao-cao.docx"
        download.value.save_as(path)

    document = Document(str(path))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "BÁO CÁO" in texts and any(text.endswith("tháng 9 năm 2025") for text in texts)
    header = [p.text for row in document.tables[0].rows for cell in row.cells for p in cell.paragraphs]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "ĐẢNG ỦY XÃ THANH MIỆN" in header
    assert texts[-1].startswith("Lịch sử kiểm toán: chuỗi ")
