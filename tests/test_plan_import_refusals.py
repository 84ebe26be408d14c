"""Bad input is refused with a clear Vietnamese and English message and changes nothing."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.management import CommandError, call_command

from roles.models import Commune, Post, Unit
from tasks.models import Indicator, Plan, Task
from tasks.problems import PlanImportFailed, message_bilingual
from tasks.services import PlanFile, plan_import
from tests.conftest import DATA, sample_file

TASK_HEADER = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"]


def _word_file(rows: list[list[str]], header: list[str] = TASK_HEADER) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=0, cols=len(header))
    for values in [header, *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _counts() -> tuple[int, ...]:
    return (Commune.objects.count(), Unit.objects.count(), Post.objects.count(), Plan.objects.count(),
            Task.objects.count(), Indicator.objects.count())


def _refused(commune_slug: str, files: list[PlanFile], **kwargs) -> PlanImportFailed:
    before = _counts()
    with pytest.raises(PlanImportFailed) as caught:
        plan_import(commune_slug=commune_slug, files=files, **kwargs)
    assert _counts() == before, "a refused import must change nothing"
    for problem in caught.value.problems:
        both = message_bilingual(message=problem.message)
        assert both["vi"] and both["en"] and both["vi"] != both["en"], both
    return caught.value


def _docx_bytes() -> bytes:
    return (DATA / "000_phu_luc.docx").read_bytes()


def test_truncated_word_file_is_refused(thanh_mien):
    data = _docx_bytes()
    _refused(thanh_mien.slug, [PlanFile(name="ke_hoach.docx", data=data[: len(data) // 2])])


def test_a_pdf_named_docx_is_refused(thanh_mien):
    _refused(thanh_mien.slug, [PlanFile(name="ke_hoach.docx", data=b"%PDF-1.7\n" + b"x" * 500)])


def test_a_macro_file_renamed_docx_is_refused(thanh_mien):
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(item, content)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 1000)
    failed = _refused(thanh_mien.slug, [PlanFile(name="ke_hoach.docx", data=buffer.getvalue())])
    assert "macro" in message_bilingual(message=failed.problems[0].message)["en"].lower()


def test_a_table_with_wrong_headers_is_refused_naming_the_file(thanh_mien):
    data = _word_file([["1", "Việc", "Phòng Kinh tế"]], header=["A", "B", "C"])
    failed = _refused(thanh_mien.slug, [PlanFile(name="sai_tieu_de.docx", data=data)])
    assert failed.problems


def test_an_unknown_unit_is_refused_with_table_row_and_cell(thanh_mien):
    data = _word_file([
        ["1", "Xây dựng kế hoạch", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"],
        ["2", "Báo cáo tài chính", "Phòng Tài chính - Kế hoạch", "", "Báo cáo", "Tháng 12/2025"],
    ])
    failed = _refused(thanh_mien.slug, [PlanFile(name="ke_hoach.docx", data=data)])

    [problem] = failed.problems
    assert problem.row == 3
    assert "Phòng Tài chính - Kế hoạch" in message_bilingual(message=problem.message)["vi"]
    assert str(problem.column)


def test_create_missing_creates_the_unknown_unit_with_its_head_post(thanh_mien):
    data = _word_file([["1", "Báo cáo tài chính", "Phòng Tài chính - Kế hoạch", "", "Báo cáo", "Tháng 12/2025"]])

    result = plan_import(commune_slug=thanh_mien.slug, files=[PlanFile(name="kh.docx", data=data)], create_missing=True)

    unit = Unit.objects.get(commune=thanh_mien, name="Phòng Tài chính - Kế hoạch")
    assert unit.kind == "department"
    assert Post.objects.get(unit=unit, is_unit_head=True).title == "Trưởng phòng Tài chính - Kế hoạch"
    assert result.created_units == ["Phòng Tài chính - Kế hoạch"]


def test_an_unknown_commune_is_refused(db):
    _refused("khong-co", [sample_file("000_phu_luc.docx")])


def test_create_missing_builds_a_new_commune_from_the_plan(db):
    result = plan_import(commune_slug="xa-moi", files=[sample_file("000_phu_luc.docx")], create_missing=True)

    assert (result.tasks, result.indicators) == (11, 28)
    assert Unit.objects.filter(commune__slug="xa-moi", name="Ban Xây dựng Đảng").exists()


def test_the_same_file_twice_is_refused(thanh_mien):
    plan_import(commune_slug=thanh_mien.slug, files=[sample_file("000_phu_luc.docx")])
    _refused(thanh_mien.slug, [sample_file("000_phu_luc.docx")])


def test_an_error_late_in_the_import_rolls_everything_back(thanh_mien):
    """Units exist for the first appendix, the second names an unknown one: no plan, no rows."""
    good = sample_file("000_phu_luc_1_chi_tieu.csv")
    bad = PlanFile(name="nhiem_vu.csv", data=(
        "STT,Tên nhiệm vụ,Đồng chí được phân công chỉ đạo,Cá nhân/tổ chức được phân công chủ trì,Sản phẩm đầu ra,Tiến độ thực hiện\n"
        "1,Việc,Đồng chí Bí thư Đảng ủy,Phòng Nội vụ,Kế hoạch,Tháng 9/2025\n").encode())
    _refused(thanh_mien.slug, [good, bad])


def test_command_refuses_a_date_that_does_not_exist(thanh_mien):
    with pytest.raises(CommandError, match="31/02/2025"):
        call_command("import_plan", str(DATA / "000_phu_luc.docx"), "--commune", thanh_mien.slug,
                     "--issued-on", "31/02/2025")
    assert Plan.objects.count() == 0


def test_command_reports_a_broken_file_in_both_languages(thanh_mien, tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(broken), "--commune", thanh_mien.slug)
    assert "Không nhập được" in str(caught.value) and "not imported" in str(caught.value)
    assert Plan.objects.count() == 0
