"""Finding the appendix tables and reading their rows, from the sample plans and from built documents."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings as hypothesis_settings, strategies as st

from tasks.importers.appendix import AppendixRead, appendix_read
from tasks.importers.files import RawTable, tables_read
from tasks.importers.vocabulary import HeaderMatch, Role, header_match
from tests.docbuild import INDICATOR_HEADER, TASK_HEADER, Merge, WordTable, docx_bytes, xlsx_bytes

DATA = Path(__file__).resolve().parent / "data"
SOURCES = {
    "000": {"docx": ["000_phu_luc.docx"], "xlsx": ["000_phu_luc.xlsx"],
            "csv": ["000_phu_luc_1_chi_tieu.csv", "000_phu_luc_2_nhiem_vu.csv"]},
    "003": {"docx": ["003_phu_luc.docx"], "xlsx": ["003_phu_luc.xlsx"],
            "csv": ["003_phu_luc_1_chi_tieu.csv", "003_phu_luc_2_nhiem_vu.csv"]},
}
YEARS = (2025, 2030, 2035, 2040, 2045)


def _sample_read(plan: str, source: str) -> AppendixRead:
    tables = [table for name in SOURCES[plan][source]
              for table in tables_read(data=(DATA / name).read_bytes(), filename=name)]
    return appendix_read(tables=tables)


def _word_read(*tables: WordTable) -> AppendixRead:
    return appendix_read(tables=tables_read(data=docx_bytes(tables=list(tables)), filename="ke_hoach.docx"))


def _english(problems) -> list[str]:
    with translation.override("en"):
        return [str(problem) for problem in problems]


def _task(read: AppendixRead, number: str):
    [task] = [task for task in read.tasks if task.number == number]
    return task


def _indicator(read: AppendixRead, number: str):
    [indicator] = [indicator for indicator in read.indicators if indicator.number == number]
    return indicator


# Plan 000: Thanh Miện --------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_000_reads_28_indicators_and_11_tasks_with_no_task_2(source):
    read = _sample_read("000", source)

    assert read.errors == ()
    assert read.ignored_tables == ()
    assert len(read.indicators) == 28
    assert [task.number for task in read.tasks] == [str(number) for number in [1, *range(3, 13)]]


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_000_keeps_its_four_indicator_groups_with_the_repeated_numeral(source):
    read = _sample_read("000", source)

    assert [(group.appendix, group.numeral) for group in read.groups] == [
        ("indicators", "I."), ("indicators", "II."), ("indicators", "II."), ("indicators", "III."),
    ]
    assert read.groups[2].title == "PHÁT TRIỂN KHOA HỌC CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO"
    assert [read.groups[_indicator(read, number).group_index].title for number in ("3", "4", "17", "28")] == [
        "PHÁT TRIỂN HẠ TẦNG", "PHÁT TRIỂN NGUỒN LỰC", "PHÁT TRIỂN KHOA HỌC CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO",
        "PHÁT TRIỂN CHUYỂN ĐỔI SỐ",
    ]
    assert any("“II.” was already used" in text for text in _english(read.warnings))


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_000_task_fields_are_read_as_written(source):
    read = _sample_read("000", source)

    assert _task(read, "3").lead == "Đồng chí Thủ trưởng các cơ quan, đơn vị"
    assert _task(read, "6").timeline == "Hoàn thành trong tháng 9/2025"
    assert _task(read, "1").directing == "Đồng chí Bí thư Đảng ủy"
    assert _task(read, "12").output == "Báo cáo"
    assert all(task.group_index is None and task.supporting == "" for task in read.tasks)


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_000_indicator_fields_and_targets_are_read_as_written(source):
    read = _sample_read("000", source)
    indicator = _indicator(read, "4")

    assert dict(indicator.targets) == {
        2025: "Phấn đấu 2%", 2030: "Phấn đấu 3%", 2035: "Đạt 3%", 2040: "Đạt trên 3%", 2045: "Đạt trên 3,5%",
    }
    assert indicator.directing == "Đồng chí Phó Chủ tịch UBND xã phụ trách khối Kinh tế"
    assert indicator.presiding == "Đồng chí Trưởng phòng Kinh tế"
    assert indicator.monitoring == "Phòng Kinh tế"
    assert indicator.output == "Số liệu báo cáo"
    assert dict(_indicator(read, "14").targets)[2035] == ""


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_000_the_repeated_indicator_stays_two_rows(source):
    read = _sample_read("000", source)
    twelve, sixteen = _indicator(read, "12"), _indicator(read, "16")

    assert twelve.name == sixteen.name
    assert twelve.name.startswith("Tỷ lệ cơ sở giáo dục phổ thông triển khai phương thức giáo dục tích hợp")
    assert dict(twelve.targets)[2025] == "≥80%" and dict(sixteen.targets)[2030] == "100%"
    assert any(f"row {twelve.row}; both rows are kept" in text for text in _english(read.warnings))


# Plan 003: Trường Giang ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_reads_31_indicators_and_8_tasks(source):
    read = _sample_read("003", source)

    assert read.errors == ()
    assert (len(read.indicators), len(read.tasks)) == (31, 8)
    assert [task.number for task in read.tasks] == [str(number) for number in range(1, 9)]
    assert [indicator.number for indicator in read.indicators][16:22] == ["4.1", "4.2", "5", "6", "7", "9.1"]


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_every_target_column_has_its_year_the_first_from_den_het_nam_2025(source):
    read = _sample_read("003", source)

    assert {tuple(year for year, _text in indicator.targets) for indicator in read.indicators} == {YEARS}
    assert dict(_indicator(read, "1.1").targets) == {2025: "", 2030: "", 2035: "≥ 01", 2040: "≥ 02", 2045: "≥ 03"}


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_rows_under_the_jump_from_8_to_9_1_are_read(source):
    read = _sample_read("003", source)
    infrastructure = [group for group in read.groups if group.numeral == "8"]

    assert [group.title for group in infrastructure] == ["Hạ tầng số"]
    assert [_indicator(read, number).name for number in ("9.1", "9.2", "9.3")] == [
        "Tỷ lệ người sử dụng có khả năng truy nhập băng rộng cố định với tốc độ trên 1Gb/s.",
        "Tỷ lệ phủ sóng 5G cho người dân",
        "Tỷ lệ phủ sóng 6G trên địa bàn",
    ]
    nine_two = _indicator(read, "9.2")
    assert (nine_two.measurement_unit, dict(nine_two.targets)[2025]) == ("% dân số", "≥ 50")
    assert dict(_indicator(read, "9.3").targets) == {2025: "-", 2030: "-", 2035: "50", 2040: "80", 2045: "100"}
    assert read.groups[nine_two.group_index].numeral == "8"
    assert _indicator(read, "10").group_index is None


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_monitoring_units_including_a_cell_merged_down_three_rows(source):
    read = _sample_read("003", source)

    assert _indicator(read, "2.4").monitoring == "Các phòng: Văn hoá - Xã hội, Kinh tế"
    assert [_indicator(read, number).monitoring for number in ("1.2", "1.3", "1.4")] == ["Phòng Văn hoá - Xã hội"] * 3
    assert _indicator(read, "3.3").monitoring == "Trung tâm Phục vụ hành chính công"


def test_003_the_9_x_monitoring_unit_is_empty_in_the_word_file_only():
    word, excel, csv = (_sample_read("003", source) for source in ("docx", "xlsx", "csv"))
    numbers = ("9.1", "9.2", "9.3")

    assert [_indicator(word, number).monitoring for number in numbers] == ["", "", ""]
    assert {_indicator(other, number).monitoring for other in (excel, csv) for number in numbers} == {
        "Phòng Văn hoá - Xã hội"
    }
    warnings = _english(word.warnings)
    assert any("Rows 28 to 31 were typed into one merged cell" in text for text in warnings)
    assert sum("no monitoring unit" in text for text in warnings) == 4  # 9.1–9.3 and 11


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_indicator_11_has_only_a_name_and_is_still_an_item_with_warnings(source):
    read = _sample_read("003", source)
    eleven = _indicator(read, "11")

    assert eleven.name == "Kết nối, chia sẻ đồng bộ cơ sở dữ liệu quốc gia, cơ sở dữ liệu các ngành"
    assert all(text == "" for _year, text in eleven.targets) and eleven.monitoring == ""
    about_eleven = [problem for problem in read.warnings if problem.row == eleven.row]
    assert {problem.column for problem in about_eleven} == {"", "Cơ quan chủ trì theo dõi, đánh giá"}


@pytest.mark.parametrize("source", ["docx", "xlsx", "csv"])
def test_003_task_fields_and_groups(source):
    read = _sample_read("003", source)

    assert _task(read, "2").supporting == "Phòng, ban ngành, đơn vị"
    assert _task(read, "7").supporting == "-"
    assert _task(read, "1").supporting == ""
    assert _task(read, "8").timeline == "2025 và những năm tiếp theo"
    assert _task(read, "5").output.startswith("Hoàn thành số hóa quy trình nghiệp vụ nội bộ")
    task_groups = [group for group in read.groups if group.appendix == "tasks"]
    assert [group.numeral for group in task_groups] == ["I.", "II.", "III.", "IV."]
    assert [read.groups[task.group_index].numeral for task in read.tasks] == [
        "I.", "I.", "I.", "I.", "II.", "II.", "III.", "IV.",
    ]
    assert [group.numeral for group in read.groups if group.appendix == "indicators"] == ["1", "2", "3", "4", "8"]


def _comparable(read: AppendixRead) -> tuple:
    def group(index):
        return None if index is None else (read.groups[index].numeral, read.groups[index].title)

    tasks = [(t.number, t.name, t.directing, t.lead, t.supporting, t.output, t.timeline, group(t.group_index))
             for t in read.tasks]
    indicators = [(i.number, i.name, i.measurement_unit, i.targets, i.directing, i.presiding, i.output,
                   group(i.group_index)) for i in read.indicators]
    return tasks, indicators


@pytest.mark.parametrize("plan", ["000", "003"])
def test_word_excel_and_csv_of_the_same_plan_give_the_same_rows(plan):
    word, excel, csv = (_sample_read(plan, source) for source in ("docx", "xlsx", "csv"))

    assert _comparable(word) == _comparable(excel) == _comparable(csv)
    monitoring = [[i.monitoring for i in read.indicators] for read in (word, excel, csv)]
    differing = {word.indicators[index].number for index, values in enumerate(zip(*monitoring)) if len(set(values)) > 1}
    assert differing == (set() if plan == "000" else {"9.1", "9.2", "9.3"})


# Built documents -------------------------------------------------------------------------------


def test_a_single_result_column_takes_its_years_from_section_rows():
    word = WordTable(
        rows=[
            ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Cơ quan theo dõi"],
            ["I", "Đến năm 2030", "", "", ""],
            ["1", "Tỷ lệ phủ sóng 5G", "%", "≥ 80%", "Phòng Văn hoá - Xã hội"],
            ["2", "Số doanh nghiệp số", "Doanh nghiệp", "10", "Phòng Kinh tế"],
            ["II", "Đến năm 2045", "", "", ""],
            ["1", "Tỷ lệ phủ sóng 5G", "%", "100%", "Phòng Văn hoá - Xã hội"],
        ],
        merges=[Merge(top=1, left=1, bottom=1, right=4), Merge(top=4, left=1, bottom=4, right=4)],
    )

    read = _word_read(word)

    assert read.errors == ()
    assert [(g.numeral, g.title, g.milestone_year) for g in read.groups] == [
        ("I", "Đến năm 2030", 2030), ("II", "Đến năm 2045", 2045),
    ]
    assert [(i.number, i.targets, i.monitoring) for i in read.indicators] == [
        ("1", ((2030, "≥ 80%"),), "Phòng Văn hoá - Xã hội"),
        ("2", ((2030, "10"),), "Phòng Kinh tế"),
        ("1", ((2045, "100%"),), "Phòng Văn hoá - Xã hội"),
    ]
    assert [read.groups[i.group_index].milestone_year for i in read.indicators] == [2030, 2030, 2045]


def test_a_section_row_without_numeral_in_a_sheet_gives_the_year():
    data = xlsx_bytes(sheets={"Phụ lục 1": [
        ["PHỤ LỤC I: CÁC CHỈ TIÊU"],
        ["STT", "Tên chỉ tiêu", "Kết quả"],
        [None, "Đến năm 2030"],
        ["1", "Tỷ lệ hồ sơ trực tuyến", "≥ 70%"],
    ]})

    read = appendix_read(tables=tables_read(data=data, filename="x.xlsx"))

    assert [(g.numeral, g.milestone_year, g.row) for g in read.groups] == [("", 2030, 3)]
    assert read.indicators[0].targets == ((2030, "≥ 70%"),)


def test_a_result_column_with_no_section_year_is_an_error():
    read = _word_read(WordTable(rows=[["TT", "Chỉ tiêu", "Kết quả"], ["1", "Tỷ lệ", "100%"], ["2", "Số", "3"]]))

    [error] = read.errors
    assert (error.table, error.row, error.column) == ("Bảng 1", 2, "Kết quả")


def test_an_unreadable_section_row_is_an_error():
    read = _word_read(WordTable(rows=[["TT", "Chỉ tiêu", "Kết quả"], ["I", "Đến năm", ""], ["1", "Tỷ lệ", "100%"]]))

    assert [(error.row, error.column) for error in read.errors][0] == (2, "Chỉ tiêu")
    assert "no year can be read" in _english(read.errors)[0]


def test_a_table_with_wrong_headers_is_refused_with_a_message_naming_the_table():
    read = _word_read(WordTable(rows=[["A", "B", "C"], ["1", "Việc", "Phòng Kinh tế"]]))

    assert (read.tasks, read.indicators, read.ignored_tables) == ((), (), ("Bảng 1",))
    [error] = read.errors
    assert error.table == "Bảng 1"
    assert "“Bảng 1”" in _english([error])[0]


def test_a_file_without_tables_is_an_error():
    [error] = appendix_read(tables=[]).errors

    assert error.table == ""
    assert "no table" in _english([error])[0]


def test_an_item_without_a_name_is_an_error_naming_table_row_and_column():
    read = _word_read(WordTable(rows=[
        list(TASK_HEADER),
        ["1", "Xây dựng kế hoạch", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"],
        ["2", "", "Phòng Văn hoá - Xã hội", "", "Báo cáo", "Tháng 12/2025"],
    ]))

    [error] = read.errors
    assert (error.table, error.row, error.column) == ("Bảng 1", 3, "Tên nhiệm vụ")
    assert _english([error])[0].startswith("Bảng 1, row 3, column “Tên nhiệm vụ”: This row has no name")
    assert [task.number for task in read.tasks] == ["1"]


def test_a_lead_cell_merged_over_three_rows_leads_each_task():
    read = _word_read(WordTable(
        rows=[
            list(TASK_HEADER),
            ["1", "Việc một", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"],
            ["2", "Việc hai", "", "", "Báo cáo", "Hằng năm"],
            ["3", "Việc ba", "", "Công an xã", "Báo cáo", "Thường xuyên"],
            ["4", "Việc bốn", "Văn phòng Đảng ủy", "", "Báo cáo", "Thường xuyên"],
        ],
        merges=[Merge(top=1, left=2, bottom=3, right=2)],
    ))

    assert [(task.number, task.lead) for task in read.tasks] == [
        ("1", "Phòng Kinh tế"), ("2", "Phòng Kinh tế"), ("3", "Phòng Kinh tế"), ("4", "Văn phòng Đảng ủy"),
    ]
    assert read.warnings == ()


def test_empty_paragraphs_inside_a_cell_are_dropped():
    read = _word_read(WordTable(rows=[
        list(TASK_HEADER),
        ["1", "Xây dựng kế hoạch\n\n\nchuyển đổi số\n", "\nPhòng Kinh tế\n\n", "", "Kế hoạch", "Tháng 9/2025"],
    ]))

    assert (read.tasks[0].name, read.tasks[0].lead) == ("Xây dựng kế hoạch\nchuyển đổi số", "Phòng Kinh tế")


def test_unrelated_tables_in_a_word_file_are_ignored():
    heading = WordTable(rows=[["ĐẢNG BỘ XÃ THANH MIỆN", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["*", "Thanh Miện, ngày 15 tháng 9 năm 2025"]])
    members = WordTable(rows=[["STT", "Họ và tên", "Chức vụ", "Nhiệm vụ"], ["1", "Nguyễn Văn A", "Bí thư", "Trưởng ban"]])
    tasks = WordTable(rows=[list(TASK_HEADER), ["1", "Xây dựng kế hoạch", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"]])
    signature = WordTable(rows=[["Nơi nhận:\n- Như trên;\n- Lưu VP.", "T/M BAN THƯỜNG VỤ\nBÍ THƯ"]])

    read = _word_read(heading, members, tasks, signature)

    assert read.errors == ()
    assert read.ignored_tables == ("Bảng 1", "Bảng 2", "Bảng 4")
    assert [(task.table, task.row, task.name) for task in read.tasks] == [("Bảng 3", 2, "Xây dựng kế hoạch")]


def test_a_task_table_without_a_lead_column_is_an_error():
    read = _word_read(WordTable(rows=[["STT", "Tên nhiệm vụ", "Sản phẩm", "Tiến độ"], ["1", "Việc", "Kế hoạch", "Hằng năm"]]))

    [error] = read.errors
    assert (error.table, error.row, error.column) == ("Bảng 1", 1, "")
    assert "no lead column" in _english([error])[0]
    assert read.tasks == ()


def test_an_indicator_table_without_a_target_column_is_an_error():
    read = _word_read(WordTable(rows=[["TT", "Tên chỉ tiêu", "Đơn vị tính", "Cơ quan theo dõi"], ["1", "Tỷ lệ", "%", "Công an xã"]]))

    assert "no target column" in _english(read.errors)[0]


def test_a_target_header_without_a_readable_year_is_an_error_naming_the_column():
    read = _word_read(WordTable(rows=[["TT", "Chỉ tiêu", "Năm 2025", "Đến năm", "Cơ quan theo dõi"], ["1", "Tỷ lệ", "1", "2", "x"]]))

    [error] = read.errors
    assert (error.row, error.column) == (1, "Đến năm")


def test_two_columns_for_the_same_year_are_an_error():
    read = _word_read(WordTable(rows=[["TT", "Chỉ tiêu", "Năm 2025", "2025", "Cơ quan theo dõi"], ["1", "Tỷ lệ", "1", "2", "x"]]))

    assert [error.column for error in read.errors] == ["2025"]


def test_a_two_row_header_maps_each_target_under_ket_qua_to_its_year():
    word = WordTable(
        rows=[
            ["STT", "Tên chỉ tiêu", "Kết quả", "", "Đồng chí được phân công", ""],
            ["", "", "Đến hết năm 2025", "Đến năm 2030", "Chỉ đạo", "Chủ trì"],
            ["1", "Tỷ lệ", "≥ 50", "100", "Đồng chí Chủ tịch", "Đồng chí Trưởng phòng"],
        ],
        merges=[Merge(0, 0, 1, 0), Merge(0, 1, 1, 1), Merge(0, 2, 0, 3), Merge(0, 4, 0, 5)],
    )

    read = _word_read(word)

    [indicator] = read.indicators
    assert indicator.targets == ((2025, "≥ 50"), (2030, "100"))
    assert (indicator.directing, indicator.presiding) == ("Đồng chí Chủ tịch", "Đồng chí Trưởng phòng")
    assert read.errors == ()


@pytest.mark.parametrize(("text", "role", "year"), [
    ("STT", Role.NUMBER, None),
    ("Số TT", Role.NUMBER, None),
    (unicodedata.normalize("NFD", "Tên nhiệm vụ"), Role.TASK_NAME, None),
    ("Cơ quan chủ trì theo dõi, đánh gía", Role.MONITORING, None),  # the tone mark on the wrong vowel
    ("CƠ QUAN CHỦ TRÌ\nTHEO DÕI, ĐÁNH GIÁ", Role.MONITORING, None),
    ("Cơ quan chủ trì", Role.LEAD, None),
    ("Đơn vị", Role.MEASUREMENT_UNIT, None),
    ("Đơn vị tính (%)", Role.MEASUREMENT_UNIT, None),
    ("Đơn vị chủ trì", Role.LEAD, None),
    ("Đơn vị phối hợp", Role.SUPPORTING, None),
    ("Đồng chí được phân công chủ trì", Role.PRESIDING, None),
    ("Cá nhân/tổ chức được phân công chủ trì", Role.LEAD, None),
    ("Thời gian hoàn thành dự kiến", Role.TIMELINE, None),
    ("Kết quả", Role.RESULT, None),
    ("Năm 2025", Role.TARGET, 2025),
    ("Đến hết năm 2025", Role.TARGET, 2025),
    ("2030", Role.TARGET, 2030),
    ("Giai đoạn 2026 - 2030", Role.TARGET, 2030),
    ("Đến năm", Role.TARGET, None),
    ("Den nam 2030", Role.TARGET, 2030),
])
def test_header_vocabulary(text, role, year):
    assert header_match(text=text) == HeaderMatch(role=role, year=year)


@pytest.mark.parametrize("text", ["", "Họ và tên", "Ghi chú x", "Nam Định", "Việc cần làm"])
def test_texts_that_are_no_known_header(text):
    assert header_match(text=text) is None


def test_headers_match_whatever_the_case_tone_mark_placement_or_normal_form():
    header = [
        "STT", unicodedata.normalize("NFD", "Tên nhiệm vụ"), "CƠ QUAN CHỦ TRÌ", "Đơn vị phối hợp",
        "Sản phẩm đầu ra", "Thời gian hoàn thành dự kiến",
    ]
    read = _word_read(WordTable(rows=[header, ["1", "Việc", "Phòng Kinh tế", "Phòng Văn hóa-Xã hội", "Báo cáo", "Quý IV/2025"]]))

    [task] = read.tasks
    assert (task.lead, task.supporting, task.output, task.timeline) == (
        "Phòng Kinh tế", "Phòng Văn hóa-Xã hội", "Báo cáo", "Quý IV/2025",
    )


def test_a_header_repeated_on_a_new_page_and_the_column_number_row_are_skipped():
    read = _word_read(WordTable(rows=[
        list(TASK_HEADER),
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["1", "Việc một", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"],
        list(TASK_HEADER),
        ["2", "Việc hai", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"],
        ["Ghi chú: (-): Chưa thực hiện; (X): Thực hiện", "", "", "", "", ""],
    ]))

    assert [(task.number, task.row) for task in read.tasks] == [("1", 3), ("2", 5)]
    assert read.errors == () and read.warnings == ()


def test_a_word_table_split_in_two_continues_without_a_header():
    first = WordTable(rows=[list(TASK_HEADER), ["I.", "Nhóm một", "", "", "", ""],
                            ["1", "Việc một", "Phòng Kinh tế", "", "Kế hoạch", "Tháng 9/2025"]],
                      merges=[Merge(1, 1, 1, 5)])
    second = WordTable(rows=[["2", "Việc hai", "Công an xã", "", "Báo cáo", "Hằng năm"]])

    read = _word_read(first, second)

    assert [(task.table, task.row, task.group_index) for task in read.tasks] == [("Bảng 1", 3, 0), ("Bảng 2", 1, 0)]
    assert read.ignored_tables == ()


def test_warnings_for_a_missing_lead_timeline_and_a_repeated_number():
    read = _word_read(WordTable(rows=[
        list(TASK_HEADER),
        ["1", "Việc một", "", "", "Kế hoạch", ""],
        ["1", "Việc hai", "Phòng Kinh tế", "", "Kế hoạch", "Hằng năm"],
    ]))

    assert read.errors == ()
    assert [(w.row, w.column) for w in read.warnings] == [(2, "Cơ quan chủ trì"), (2, "Thời gian hoàn thành"), (3, "STT")]
    assert "“1” was already used in row 2" in _english(read.warnings)[2]


def test_group_rows_in_a_sheet_with_the_name_only_and_a_roman_numeral():
    data = xlsx_bytes(sheets={"Nhiệm vụ": [
        ["PHỤ LỤC II"],
        list(TASK_HEADER),
        ["I.", "Nhóm nhiệm vụ thứ nhất"],
        ["1", "Việc một", "Phòng Kinh tế", None, "Kế hoạch", "Tháng 9/2025"],
        [None, "Nhóm không số"],
        ["2", "Việc hai", "Phòng Kinh tế", None, "Kế hoạch", "Tháng 9/2025"],
    ]})

    read = appendix_read(tables=tables_read(data=data, filename="x.xlsx"))

    assert [(g.numeral, g.title, g.row) for g in read.groups] == [("I.", "Nhóm nhiệm vụ thứ nhất", 3), ("", "Nhóm không số", 5)]
    assert [task.group_index for task in read.tasks] == [0, 1]


def test_a_problem_reads_with_its_table_row_and_column():
    read = _word_read(WordTable(rows=[list(INDICATOR_HEADER), ["1", "Tỷ lệ", "10%", "20%", ""]]))

    with translation.override("en"):
        assert [str(problem) for problem in read.warnings] == [
            "Bảng 1, row 2, column “Cơ quan chủ trì theo dõi, đánh giá”: This indicator has no monitoring unit.",
        ]


_CELL_TEXTS = st.sampled_from([
    "", "", "", "STT", "TT", "Tên nhiệm vụ", "Chỉ tiêu", "Kết quả", "Năm 2025", "Đến năm 2030", "Đến năm",
    "Cơ quan chủ trì", "Đơn vị", "Tiến độ", "I.", "II", "1", "1.1", "9.2", "Ghi chú: x", "Hạ tầng số", "-",
    "≥ 50", "(1)", "(2)", "(3)", "Đến hết năm 2045", "Cơ quan chủ trì theo dõi, đánh giá", "x" * 40,
])


@hypothesis_settings(max_examples=300, deadline=None)
@given(tables=st.lists(
    st.lists(st.lists(_CELL_TEXTS, min_size=0, max_size=7), max_size=9),
    max_size=3,
))
def test_any_table_is_read_or_reported_but_never_crashes(tables):
    raw = [RawTable(label=f"Bảng {index}", rows=tuple(tuple(row) for row in rows), source="docx")
           for index, rows in enumerate(tables, start=1)]

    read = appendix_read(tables=raw)

    assert all(0 <= (item.group_index or 0) < max(len(read.groups), 1) for item in (*read.tasks, *read.indicators))
    _english((*read.errors, *read.warnings))
