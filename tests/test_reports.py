"""Periodic reports: figures read back from the Word and Excel files equal the data, in the official layouts."""
from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.selectors import chain_head_get
from notifications.models import Notification
from reports.jobs import report_drafts_prepare_job
from reports.models import ReportDraft, ReportStatus
from reports.periods import period_of, periods_due
from reports.services import report_finalise, report_narrative_update, report_prepare
from tasks.models import Indicator, IndicatorTarget
from tasks.services import plan_import
from tests.conftest import sample_file
from tests.scenario_reports import VHXH, scenario_build
from workflow.models import Occurrence, OccurrenceStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REPORT_DAY = date(2025, 10, 5)
SEPTEMBER = period_of(kind="month", key="2025-09")
ROLES = ["party_office", "unit_head", "staff", "supporting", "directing", "inspection", "front", "admin",
         "other_commune", "no_role"]
READERS = {"party_office", "inspection", "front", "admin"}
WRITERS = {"party_office", "admin"}


@pytest.fixture
def scenario(thanh_mien_plan, people):
    return scenario_build(plan=thanh_mien_plan, people=people)


@pytest.fixture
def september(scenario, thanh_mien_plan, people):
    with time_machine.travel(REPORT_DAY, tick=False):
        draft, created = report_prepare(plan=thanh_mien_plan, period=SEPTEMBER, actor=people["party_office"])
    assert created
    return draft


def _docx(response) -> Document:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    return Document(io.BytesIO(response.content))


def _table_starting(document: Document, *headings: str):
    return next(table for table in document.tables
                if [cell.text for cell in table.rows[0].cells[:len(headings)]] == list(headings))


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def _texts(document: Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def _header_lines(document: Document) -> list[str]:
    return [paragraph.text for row in document.tables[0].rows for cell in row.cells for paragraph in cell.paragraphs]


def _standing_from_rows(plan, *, until: date) -> dict[int, dict[str, int]]:
    """The standing of each task at the end of `until`, counted in Python from the occurrences themselves."""
    standing: dict[int, dict[str, int]] = {}
    for occurrence in Occurrence.objects.filter(plan=plan).exclude(status=OccurrenceStatus.CANCELLED):
        done = occurrence.status == OccurrenceStatus.DONE and occurrence.finished_on <= until
        key = ("done_on_time" if occurrence.finished_on_time else "done_late") if done else (
            "overdue" if occurrence.due_on <= until else "in_progress")
        counts = standing.setdefault(occurrence.task.number, dict.fromkeys(
            ["done_on_time", "done_late", "overdue", "in_progress"], 0))
        counts[key] += 1
    return standing


def test_the_word_report_states_the_figures_the_data_gives(login, people, september, thanh_mien_plan):
    document = _docx(login(people["party_office"]).get(reverse("report_download", args=[september.pk, "docx"])))

    # As of 30/09: task 6 of Phòng VHXH was finished on 03/10, so in September it was still overdue;
    # the two occurrences whose due date moved into October were in progress.
    expected = _standing_from_rows(thanh_mien_plan, until=SEPTEMBER.end)
    totals = {key: sum(counts[key] for counts in expected.values()) for key in
              ("done_on_time", "done_late", "overdue", "in_progress")}
    assert totals == {"done_on_time": 1, "done_late": 0, "overdue": 16, "in_progress": 8}
    groups = _rows(_table_starting(document, "Nhóm nhiệm vụ"))
    assert groups[-1] == ["Tổng cộng", "25", "1", "0", "16", "8"]

    overdue = _rows(_table_starting(document, "TT", "Nhiệm vụ"))
    overdue_rows = Occurrence.objects.filter(plan=thanh_mien_plan, due_on__lte=SEPTEMBER.end).exclude(
        status=OccurrenceStatus.CANCELLED).exclude(status=OccurrenceStatus.DONE, finished_on__lte=SEPTEMBER.end)
    assert len(overdue) == overdue_rows.count() == 16
    assert sorted(row[2] for row in overdue) == sorted(overdue_rows.values_list("unit__name", flat=True))
    assert any(row[1].startswith("6. ") and row[2] == VHXH and row[3] == "30/09/2025" for row in overdue)

    texts = _texts(document)
    assert "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in texts and "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in texts
    assert any("Trong tháng 9 năm 2025, có 1 lượt nhiệm vụ hoàn thành, trong đó 1 lượt đúng hạn." == t for t in texts)

    indicators = _rows(_table_starting(document, "TT", "Chỉ tiêu"))
    assert len(indicators) == Indicator.objects.filter(plan=thanh_mien_plan).count() > 0
    assert {row[4] for row in indicators} <= {"Chưa có số liệu", "Không có mục tiêu", "—"} | {
        row[4] for row in indicators}  # the indicators app's assessment, in Vietnamese


def test_the_excel_appendix_repeats_the_plan_with_status_columns(login, people, september, thanh_mien_plan):
    response = login(people["party_office"]).get(reverse("report_download", args=[september.pk, "xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Nhiệm vụ", "Chỉ tiêu"]
    tasks = workbook["Nhiệm vụ"]
    headings = [cell.value for cell in tasks[4]]
    assert headings[:6] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm đầu ra", "Tiến độ"]
    column = {name: headings.index(name) for name in headings}
    expected = _standing_from_rows(thanh_mien_plan, until=SEPTEMBER.end)
    rows = {row[0]: row for row in tasks.iter_rows(min_row=5, values_only=True) if row[0]}
    for number, counts in expected.items():
        row = rows[number]
        assert [row[column["Hoàn thành đúng hạn"]], row[column["Hoàn thành trễ hạn"]], row[column["Quá hạn"]],
                row[column["Đang thực hiện, chưa đến hạn"]]] == [counts["done_on_time"], counts["done_late"], counts["overdue"],
                                                    counts["in_progress"]]
    assert rows["7"][1].startswith("Xây dựng kế hoạch thực hiện") and rows["7"][2] == "Đồng chí Trưởng phòng Văn hoá - Xã hội"
    assert rows["4"][column["Hạn gần nhất"]] == datetime(2025, 12, 31)
    assert rows["12"][column["Số lượt"]] == 0  # only on request: no occurrence

    indicators = workbook["Chỉ tiêu"]
    heads = [cell.value for cell in indicators[4]]
    lines = [row for row in indicators.iter_rows(min_row=5, values_only=True) if row[1]]
    assert len(lines) == Indicator.objects.filter(plan=thanh_mien_plan).count()
    target = IndicatorTarget.objects.filter(indicator__plan=thanh_mien_plan).exclude(text="").order_by(
        "indicator__position", "year").first()
    line = lines[Indicator.objects.filter(plan=thanh_mien_plan, position__lt=target.indicator.position).count()]
    assert line[1] == target.indicator.name and line[heads.index(f"Mục tiêu năm {target.year}")] == target.text
    assert "Đánh giá" in heads and "Số liệu mới nhất" in heads


def test_the_appendix_exports_at_any_time_with_live_status(login, people, scenario, thanh_mien_plan):
    with time_machine.travel(date(2025, 10, 20), tick=False):
        response = login(people["staff"]).get(reverse("appendix_download", args=[thanh_mien_plan.pk]))
    assert response.status_code == 200
    tasks = load_workbook(io.BytesIO(response.content))["Nhiệm vụ"]
    headings = [cell.value for cell in tasks[4]]
    rows = {row[0]: row for row in tasks.iter_rows(min_row=5, values_only=True) if row[0]}
    six, three = rows["6"], rows["3"]
    # Live on 20/10: task 6 of Phòng VHXH is now done late; both moved due dates have passed too.
    assert six[headings.index("Hoàn thành trễ hạn")] == 1 and six[headings.index("Quá hạn")] == 8
    assert three[headings.index("Quá hạn")] == 9
    assert three[headings.index("Đang thực hiện")] == 1  # the status column, as the work stands now
    assert three[headings.index("Chờ thủ trưởng đơn vị nhận")] == 8
    event = AuditEvent.objects.filter(kind="exported", object_type="report").latest("seq")
    assert event.detail["what"] == "appendix" and event.actor_id == people["staff"].pk
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_the_party_layout(login, people, september):
    september.number = "12"
    september.save()
    document = _docx(login(people["party_office"]).get(reverse("report_download", args=[september.pk, "docx"])))
    header = _header_lines(document)
    assert header[:3] == ["ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "ĐẢNG ỦY XÃ THANH MIỆN", "*"]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "Số 12-BC/ĐU" in header
    assert "Thanh Miện, ngày 05 tháng 10 năm 2025" in header
    motto = next(p for row in document.tables[0].rows for c in row.cells for p in c.paragraphs
                 if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert motto.runs[0].bold and motto.runs[0].underline
    place = next(p for row in document.tables[0].rows for c in row.cells for p in c.paragraphs
                 if p.text.startswith("Thanh Miện, ngày"))
    assert place.runs[0].italic
    texts = _texts(document)
    assert "BÁO CÁO" in texts
    assert any(t.startswith("Kết quả thực hiện kế hoạch hành động") and t.endswith("tháng 9 năm 2025") for t in texts)
    closing = [p.text for c in document.tables[-1].rows[0].cells for p in c.paragraphs]
    assert "Nơi nhận:" in closing and "T/M ĐẢNG ỦY" in closing and "BÍ THƯ" in closing
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]
    assert [round(length.mm) for length in sizes] == [210, 297, 20, 20, 30, 15]  # A4; Word stores twentieths of a point
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện "))
    assert body.runs[0].font.name == "Times New Roman" and body.runs[0].font.size == Pt(14)


def test_the_state_layout(login, people, truong_giang):
    plan = plan_import(commune_slug=truong_giang.slug, files=[sample_file("003_phu_luc.docx")]).plan
    office = people["other_commune"]  # Trường Giang's office
    with time_machine.travel(REPORT_DAY, tick=False):
        draft, _created = report_prepare(plan=plan, period=period_of(kind="quarter", key="2025-Q3"), actor=office)
        document = _docx(login(office).get(reverse("report_download", args=[draft.pk, "docx"])))
    header = _header_lines(document)
    assert header[0] == "ỦY BAN NHÂN DÂN\nXÃ TRƯỜNG GIANG"
    assert header[1:3] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Số:       /BC-UBND" in header and "Trường Giang, ngày 05 tháng 10 năm 2025" in header
    assert not any("ĐẢNG" in line for line in header)
    closing = [p.text for c in document.tables[-1].rows[0].cells for p in c.paragraphs]
    assert "TM. ỦY BAN NHÂN DÂN" in closing and "CHỦ TỊCH" in closing
    assert any(t.endswith("quý III năm 2025") for t in _texts(document))


def test_the_chain_head_printed_is_the_chain_head_when_the_figures_were_read(login, people, september, thanh_mien):
    head = chain_head_get(commune_id=thanh_mien.pk)  # nothing has happened since the draft was prepared
    assert (september.chain_seq, september.chain_hash) == (head.seq, head.head_hash)
    response = login(people["inspection"]).get(reverse("report_download", args=[september.pk, "docx"]))
    texts = _texts(_docx(response))
    assert texts[-1] == f"Lịch sử kiểm toán: chuỗi {head.seq} sự kiện, mã băm đầu chuỗi {head.head_hash}."
    # The download itself goes into the chain after that head (behind the login), and says which head it printed.
    exported = AuditEvent.objects.get(chain=thanh_mien.pk, kind="exported", object_type="report")
    assert exported.seq > head.seq and exported.actor_id == people["inspection"].pk
    assert chain_head_get(commune_id=thanh_mien.pk).seq == exported.seq
    assert exported.detail["chain_hash"] == head.head_hash
    assert exported.detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_the_narrative_the_office_writes_appears_in_the_document(login, people, september):
    client = login(people["party_office"])
    response = client.post(reverse("report_narrative_edit", args=[september.pk]), {
        "number": "12", "overall_assessment": "Các cơ quan, đơn vị đã triển khai nghiêm túc.\nCòn chậm ở khâu báo cáo.",
        "difficulties": "Thiếu cán bộ chuyên trách về chuyển đổi số.", "proposals": "Bố trí kinh phí năm 2026.",
        "recipients": "- Ban Thường vụ Đảng ủy,\n- Lưu VPĐU.", "signer_name": "Nguyễn Văn An"}, follow=True)
    assert "Đã lưu." in response.content.decode()
    texts = _texts(_docx(client.get(reverse("report_download", args=[september.pk, "docx"]))))
    start = texts.index("III. ĐÁNH GIÁ CHUNG")
    assert texts[start + 1:start + 3] == ["Các cơ quan, đơn vị đã triển khai nghiêm túc.", "Còn chậm ở khâu báo cáo."]
    assert texts[texts.index("IV. KHÓ KHĂN, VƯỚNG MẮC") + 1] == "Thiếu cán bộ chuyên trách về chuyển đổi số."
    assert texts[texts.index("V. ĐỀ XUẤT, KIẾN NGHỊ") + 1] == "Bố trí kinh phí năm 2026."
    edited = AuditEvent.objects.filter(kind="edited", object_type="report", object_id=str(september.pk)).get()
    assert edited.after["difficulties"] == "Thiếu cán bộ chuyên trách về chuyển đổi số." and edited.before["number"] == ""


def test_a_final_report_no_longer_changes(people, september):
    report_finalise(draft=september, actor=people["party_office"])
    with pytest.raises(ValidationError):
        report_narrative_update(draft=september, actor=people["party_office"], proposals="Đổi")
    september.refresh_from_db()
    assert (september.status, september.proposals) == (ReportStatus.FINAL, "")


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_who_writes_a_report(login, people, september, role):
    client = login(people[role])
    for url in (reverse("report_detail", args=[september.pk]), reverse("report_download", args=[september.pk, "docx"]),
                reverse("plan_reports", args=[september.plan_id])):
        assert client.get(url).status_code == (200 if role in READERS else 403)
    response = client.post(reverse("report_narrative_edit", args=[september.pk]), {"proposals": "Sửa bởi người khác"})
    assert response.status_code == (302 if role in WRITERS else 403)
    september.refresh_from_db()
    assert (september.proposals == "Sửa bởi người khác") == (role in WRITERS)


@pytest.mark.parametrize("role", ["unit_head", "other_commune", "no_role"])
def test_the_appendix_export_follows_the_plan_page(login, people, thanh_mien_plan, role):
    response = login(people[role]).get(reverse("appendix_download", args=[thanh_mien_plan.pk]))
    assert response.status_code == (200 if role == "unit_head" else 403)


def test_preparing_by_hand_twice_gives_one_draft(login, people, scenario, thanh_mien_plan):
    client = login(people["party_office"])
    with time_machine.travel(REPORT_DAY, tick=False):
        first = client.post(reverse("report_prepare", args=[thanh_mien_plan.pk]), {"period": "month:2025-09"})
        second = client.post(reverse("report_prepare", args=[thanh_mien_plan.pk]), {"period": "month:2025-09"})
    assert first["Location"] == second["Location"]
    assert ReportDraft.objects.filter(plan=thanh_mien_plan).count() == 1
    assert AuditEvent.objects.filter(kind="prepared", object_type="report").count() == 1


def test_the_scheduler_prepares_each_draft_once_and_tells_the_party_office_once(people, scenario, thanh_mien_plan,
                                                                              truong_giang):
    plan_import(commune_slug=truong_giang.slug, files=[sample_file("003_phu_luc.docx")])  # a draft plan: no report
    with time_machine.travel(datetime(2025, 10, 1, 5, 30, tzinfo=VN), tick=False):
        assert report_drafts_prepare_job.delay().get() == 2  # September and the third quarter
        assert report_drafts_prepare_job.delay().get() == 0
    drafts = ReportDraft.objects.order_by("period_kind")
    assert [(d.plan_id, d.period_kind, d.period_key, d.due_on) for d in drafts] == [
        (thanh_mien_plan.pk, "month", "2025-09", date(2025, 10, 10)),
        (thanh_mien_plan.pk, "quarter", "2025-Q3", date(2025, 10, 10))]
    told = Notification.objects.filter(message_key="report_draft_ready")
    assert sorted(told.values_list("recipient_id", flat=True)) == [people["party_office"].pk] * 2
    assert {n.url for n in told} == {reverse("report_detail", args=[d.pk]) for d in drafts}
    assert drafts[0].prepared_by is None and drafts[0].figures["totals"]["done_on_time"] == 1
    with time_machine.travel(datetime(2025, 10, 10, 5, 30, tzinfo=VN), tick=False):
        assert report_drafts_prepare_job.delay().get() == 0  # from the 10th on, nothing is prepared


def test_the_bell_tells_the_office_in_its_language(login, people, scenario):
    with time_machine.travel(datetime(2025, 10, 1, 5, 30, tzinfo=VN), tick=False):
        report_drafts_prepare_job.delay().get()
    page = login(people["party_office"]).get(reverse("notifications")).content.decode()
    assert "Đã có dự thảo báo cáo" in page and "tháng 9 năm 2025" in page


def test_the_scheduler_runs_daily():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.drafts_prepare")
    schedule = entry["schedule"]
    assert schedule.day_of_month == set(range(1, 32)) and schedule.day_of_week == set(range(7))


@pytest.mark.parametrize("day, expected", [
    (date(2025, 10, 1), ["2025-09", "2025-Q3"]),
    (date(2025, 10, 9), ["2025-09", "2025-Q3"]),
    (date(2025, 10, 10), []),
    (date(2025, 11, 3), ["2025-10"]),
    (date(2025, 7, 2), ["2025-06", "2025-Q2", "2025-H1"]),
    (date(2026, 1, 5), ["2025-12", "2025-Q4", "2025-H2", "2025"]),
])
def test_which_periods_are_prepared_on_which_day(day, expected):
    assert [period.key for period in periods_due(today=day)] == expected


def test_a_draft_prepared_during_its_month_reads_its_figures_again_on_request(login, people, scenario, thanh_mien_plan,
                                                                             thanh_mien):
    october = period_of(kind="month", key="2025-10")
    with time_machine.travel(date(2025, 10, 2), tick=False):  # before task 6 of Phòng VHXH was finished (03/10)
        draft, _created = report_prepare(plan=thanh_mien_plan, period=october, actor=people["party_office"])
    assert draft.figures["until"] == "2025-10-02" and draft.figures["totals"]["done_late"] == 0
    client = login(people["party_office"])
    with time_machine.travel(date(2025, 10, 20), tick=False):
        client.post(reverse("report_refresh", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.figures["until"] == "2025-10-20" and draft.figures["totals"]["done_late"] == 1
    assert draft.figures["period"]["done"] == 1 and draft.generated_on == date(2025, 10, 20)
    event = AuditEvent.objects.get(kind="regenerated", object_type="report", object_id=str(draft.pk))
    assert (draft.chain_seq, draft.chain_hash) == (event.seq, event.hash)
    assert login(people["inspection"]).post(reverse("report_refresh", args=[draft.pk])).status_code == 403
