"""The whole loop in a real browser: submit, return, resubmit, approve, directing approval, done on time."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tasks.services import plan_import
from tests.conftest import sample_file
from workflow.models import Occurrence, OccurrenceStatus
from workflow.services import plan_activate

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def mid_september():
    with time_machine.travel(datetime(2025, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True):
        yield


@pytest.fixture
def occurrence(mid_september, people, thanh_mien):
    thanh_mien.directing_approval_kinds = ["decision", "plan"]
    thanh_mien.save()
    plan = plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")]).plan
    plan_activate(plan=plan, actor=people["party_office"])
    return Occurrence.objects.get(plan=plan, task__number="7")


def _submit(page, occurrence, pdf_path, number):
    page.goto(f"/occurrences/{occurrence.pk}/")
    page.select_option("select[name=kind]", "plan")
    page.fill("input[name=number_symbol]", number)
    page.fill("input[name=document_date]", "20/09/2025")
    page.fill("input[name=signer]", "Vũ Đức Thắng")
    page.set_input_files("input[name=files]", str(pdf_path))
    page.click("button[name=step][value=submit]")
    page.wait_for_selector("text=Đã lưu.")


def _review(page, occurrence, decision, reason=""):
    page.goto(f"/occurrences/{occurrence.pk}/")
    page.check(f"input[name=decision][value={decision}]")
    if reason:
        page.fill("textarea[name=reason]", reason)
    page.click("button[name=step][value=review]")
    page.wait_for_selector("text=Đã lưu.")


def test_the_whole_loop_and_the_403s_in_chromium(page_as, occurrence, people, tmp_path):
    pdf = tmp_path / "ke_hoach_ubnd.pdf"
    pdf.write_bytes(PDF)

    head = page_as("thanhmien.truongphong")
    head.goto("/viec-cua-toi/")
    head.click(f"tr[data-occurrence='{occurrence.pk}'] a")
    head.select_option("select[name=assignee]", str(people["staff"].pk))
    head.click("button[name=step][value=accept]")
    head.wait_for_selector("text=Đã lưu.")

    staff = page_as("thanhmien.canbo")
    staff.goto("/viec-cua-toi/")
    assert staff.locator(f"tr[data-occurrence='{occurrence.pk}']").count() == 1
    _submit(staff, occurrence, pdf, "15/KH-UBND")
    _review(head, occurrence, "return", reason="Thiếu phụ lục kinh phí")
    staff.goto(f"/occurrences/{occurrence.pk}/")
    assert "Thiếu phụ lục kinh phí" in staff.content()
    _submit(staff, occurrence, pdf, "16/KH-UBND")
    _review(head, occurrence, "approve")

    directing = page_as("thanhmien.chidao")
    directing.goto("/viec-cua-toi/")
    directing.click(f"tr[data-occurrence='{occurrence.pk}'] a")
    _review(directing, occurrence, "approve")

    directing.goto(f"/occurrences/{occurrence.pk}/")
    text = directing.inner_text("main")
    assert "Hoàn thành" in text and "hoàn thành đúng hạn" in text and "bị trả lại 1 lần" in text
    occurrence.refresh_from_db()
    assert occurrence.status == OccurrenceStatus.DONE and occurrence.finished_on_time is True
    file_id = occurrence.outputs.get(version=2).files.get().pk
    download = directing.request.get(f"/files/{file_id}/")
    assert download.status == 200 and download.body() == PDF

    pages_of_it = [f"/occurrences/{occurrence.pk}/", f"/files/{file_id}/", f"/units/{occurrence.unit_id}/queue/",
                   f"/plans/{occurrence.plan_id}/"]
    for outsider in ("nguoingoai", "truonggiang.vanphong"):
        page = page_as(outsider)
        for url in pages_of_it:
            assert page.goto(url).status == 403, (outsider, url)
        page.goto("/viec-cua-toi/")
        assert page.locator(f"tr[data-occurrence='{occurrence.pk}']").count() == 0
