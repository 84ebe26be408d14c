"""Opening uploaded files: the tables they hold, and every kind of file that must be refused."""
from __future__ import annotations

import datetime
import os
import random
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from tasks.importers.appendix import appendix_read
from tasks.importers.files import FileRefused, RawTable, tables_read
from tests.docbuild import (
    Merge,
    WordTable,
    docm_disguised,
    docx_bytes,
    word_nested_table_add,
    xlsx_bytes,
    zip_bytes,
    zip_parts,
    zip_parts_replace,
)

DATA = Path(__file__).resolve().parent / "data"


def _sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _read(name: str) -> list[RawTable]:
    return tables_read(data=_sample(name), filename=name)


def _refused(data: bytes, filename: str = "ke_hoach.docx", **kwargs) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        tables_read(data=data, filename=filename, **kwargs)
    refused = caught.value
    with translation.override("en"):
        assert str(refused) and str(refused) == str(refused.message)
    return refused


def _rectangular(table: RawTable) -> bool:
    return len({len(row) for row in table.rows}) <= 1


# Word ------------------------------------------------------------------------------------------


def test_word_sample_gives_every_table_in_order_with_its_label():
    tables = _read("000_phu_luc.docx")

    assert [table.label for table in tables] == ["Bảng 1", "Bảng 2"]
    assert {table.source for table in tables} == {"docx"}
    assert all(_rectangular(table) for table in tables)
    assert (len(tables[0].rows), len(tables[0].rows[0])) == (33, 11)
    assert tables[1].rows[0] == ("STT", "Tên nhiệm vụ", "Đồng chí được phân công chỉ đạo",
                                 "Cá nhân/tổ chức được phân công chủ trì", "Sản phẩm đầu ra", "Tiến độ thực hiện")


def test_a_cell_merged_across_columns_gives_its_text_to_every_column():
    group_row = _read("000_phu_luc.docx")[0].rows[1]

    assert group_row[0] == "I."
    assert set(group_row[1:]) == {"PHÁT TRIỂN HẠ TẦNG"}


def test_a_cell_merged_down_rows_gives_its_text_to_every_row_without_its_empty_paragraphs():
    rows = _read("003_phu_luc.docx")[0].rows

    assert [rows[index][8] for index in range(3, 7)] == ["Phòng Văn hoá - Xã hội"] * 4
    assert rows[0][0] == rows[1][0] == "STT"


def test_the_collapsed_block_of_003_is_split_back_into_its_rows():
    table = _read("003_phu_luc.docx")[0]

    assert table.rows[27] == ("8",) + ("Hạ tầng số",) * 8
    assert table.rows[29] == ("9.2", "Tỷ lệ phủ sóng 5G cho người dân", "% dân số", "≥ 50", "100", "100", "100", "100", "")
    assert table.rows[30][:3] == ("9.3", "Tỷ lệ phủ sóng 6G trên địa bàn", "% dân số")
    assert [note.row for note in table.notes] == [28]


def test_a_block_of_rows_by_columns_paragraphs_splits_evenly():
    data = docx_bytes(tables=[WordTable(
        rows=[["TT", "A", "B"], ["1", "a1\nb1\na2\n\na3\nb3", ""], ["2", "", ""], ["3", "", ""]],
        merges=[Merge(top=1, left=1, bottom=3, right=2)],
    )])

    table = tables_read(data=data, filename="x.docx")[0]

    assert table.rows[1:] == (("1", "a1", "b1"), ("2", "a2", ""), ("3", "a3", "b3"))
    assert len(table.notes) == 1


def test_a_block_that_does_not_divide_stays_merged_with_a_note():
    data = docx_bytes(tables=[WordTable(
        rows=[["TT", "A", "B"], ["1", "một\nhai\nba\nbốn\nnăm", ""], ["2", "", ""]],
        merges=[Merge(top=1, left=1, bottom=2, right=2)],
    )])

    table = tables_read(data=data, filename="x.docx")[0]

    assert table.rows[1][1:] == table.rows[2][1:] == ("một\nhai\nba\nbốn\nnăm",) * 2
    with translation.override("en"):
        assert "kept whole" in str(table.notes[0].message)


def test_a_plain_merged_value_over_rows_and_columns_is_no_block():
    data = docx_bytes(tables=[WordTable(
        rows=[["TT", "Chủ trì", "Phối hợp"], ["1", "Phòng Kinh tế", ""], ["2", "", ""]],
        merges=[Merge(top=1, left=1, bottom=2, right=2)],
    )])

    table = tables_read(data=data, filename="x.docx")[0]

    assert table.rows[2] == ("2", "Phòng Kinh tế", "Phòng Kinh tế")
    assert table.notes == ()


def test_cell_text_joins_paragraphs_and_drops_empty_ones():
    data = docx_bytes(tables=[WordTable(rows=[["TT", "Tên"], ["1", "  Dòng một \n\n   \nDòng hai  "]])])

    assert tables_read(data=data, filename="x.docx")[0].rows[1] == ("1", "Dòng một\nDòng hai")


def test_a_table_nested_in_a_cell_adds_no_text_and_no_table():
    data = docx_bytes(tables=[WordTable(rows=[["TT", "Tên"], ["1", "Ngoài"]])])
    data = word_nested_table_add(data=data, table_index=0, row=1, column=1, rows=[["Bên trong", "x"]])

    tables = tables_read(data=data, filename="x.docx")

    assert len(tables) == 1
    assert tables[0].rows[1] == ("1", "Ngoài")


def test_a_word_file_without_tables_gives_none():
    assert tables_read(data=docx_bytes(tables=[], paragraphs=["Chỉ có chữ"]), filename="x.docx") == []


# Excel -----------------------------------------------------------------------------------------


def test_excel_sample_gives_every_sheet_with_merged_ranges_filled():
    tables = _read("000_phu_luc.xlsx")

    assert [table.label for table in tables] == ["Phu luc 1", "Phu luc 2"]
    assert all(_rectangular(table) and table.source == "xlsx" for table in tables)
    assert tables[0].rows[3][0] == "I." and set(tables[0].rows[3][1:]) == {"PHÁT TRIỂN HẠ TẦNG"}
    assert len(tables[0].rows) == 35


def test_excel_numbers_and_dates_read_as_a_person_sees_them():
    data = xlsx_bytes(
        sheets={"S": [[100, 100.0, 0.6, 0.035, 1500000, 3.5, datetime.date(2025, 9, 30), True, None]]},
        formats={"S": {"C1": "0%", "D1": "0.0%", "E1": "#,##0"}},
    )

    assert tables_read(data=data, filename="x.xlsx")[0].rows == (
        ("100", "100", "60%", "3,5%", "1.500.000", "3,5", "30/09/2025", "TRUE"),
    )


def test_excel_drops_trailing_empty_rows_and_columns():
    data = xlsx_bytes(sheets={"S": [["a", "b", None, None], [None, None, None, None], ["c", None, None, " "]]})

    assert tables_read(data=data, filename="x.xlsx")[0].rows == (("a", "b"), ("", ""), ("c", ""))


# CSV -------------------------------------------------------------------------------------------


def test_csv_sample_is_one_table_labelled_with_the_file_name():
    [table] = _read("003_phu_luc_2_nhiem_vu.csv")

    assert (table.label, table.source) == ("003_phu_luc_2_nhiem_vu.csv", "csv")
    assert table.rows[0][:2] == ("TT", "Tên nhiệm vụ")
    assert len(table.rows) == 13 and _rectangular(table)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_guessed(delimiter):
    text = delimiter.join(["STT", "Tên nhiệm vụ", '"Phòng, ban"']) + "\n" + delimiter.join(["1", "Việc", "Phòng Kinh tế"])

    [table] = tables_read(data=text.encode(), filename="c.csv")

    assert table.rows == (("STT", "Tên nhiệm vụ", "Phòng, ban"), ("1", "Việc", "Phòng Kinh tế"))


@pytest.mark.parametrize("encoded", [
    "\ufeffSTT,Tên\n1,Việc\n".encode("utf-8"),
    "STT,Tên\n1,Việc\n".encode("utf-16"),
])
def test_csv_with_a_byte_order_mark_is_read(encoded):
    assert tables_read(data=encoded, filename="c.csv")[0].rows == (("STT", "Tên"), ("1", "Việc"))


def test_csv_label_drops_a_windows_path():
    assert tables_read(data=b"a,b\n", filename="C:\\Users\\x\\phu_luc.csv")[0].label == "phu_luc.csv"


# Refused files ---------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert _refused(b"").code == "empty"
    assert _refused("\ufeff  \n".encode()).code == "empty"


def test_a_file_over_the_limit_is_refused(settings):
    assert _refused(_sample("000_phu_luc.docx"), max_bytes=1000).code == "too_large"
    settings.SAURO_IMPORT_MAX_BYTES = 2048
    refused = _refused(_sample("000_phu_luc.docx"))
    assert refused.code == "too_large"


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + b"x" * 500,
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300),
    random.Random(57).randbytes(4000),
    "STT,Tên\n1,Việc\n".encode("utf-16-le"),  # UTF-16 without a byte order mark: NUL bytes
    b"{\\rtf1\\ansi hello}",
])
def test_a_file_that_is_neither_zip_nor_text_is_refused(data):
    assert _refused(data).code == "unsupported"


def test_a_pdf_is_refused_with_advice_to_upload_the_word_file():
    with translation.override("en"):
        assert "PDF" in str(_refused(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n").message)


@pytest.mark.parametrize("data", [
    _sample("000_phu_luc.docx")[: len(_sample("000_phu_luc.docx")) // 2],
    b"PK\x03\x04 not really a zip",
])
def test_a_truncated_or_broken_zip_is_refused(data):
    assert _refused(data).code == "damaged"


def test_a_zip_that_is_no_office_file_is_refused():
    assert _refused(zip_bytes(entries={"readme.txt": b"hello", "data/x.xml": b"<a/>"})).code == "not_office"


def test_a_macro_enabled_word_file_renamed_docx_is_refused():
    refused = _refused(docm_disguised(data=_sample("000_phu_luc.docx")))

    assert refused.code == "macro"
    with translation.override("en"):
        assert "macro" in str(refused).lower()


def test_a_vba_project_alone_or_a_macro_content_type_alone_is_refused():
    docx = _sample("000_phu_luc.docx")
    with_project = zip_parts_replace(data=docx, parts={"word/vbaProject.bin": b"\0" * 100})
    parts = zip_parts(data=_sample("003_phu_luc.xlsx"))
    macro_type = parts["[Content_Types].xml"].replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    with_content_type = zip_parts_replace(data=_sample("003_phu_luc.xlsx"), parts={"[Content_Types].xml": macro_type})

    assert b"macroEnabled" in macro_type
    assert _refused(with_project).code == "macro"
    assert _refused(with_content_type, filename="x.xlsx").code == "macro"


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = zip_parts_replace(data=_sample("000_phu_luc.docx"), parts={"word/media/zeros.bin": bytes(60 * 1024 * 1024)})

    assert len(bomb) < 1024 * 1024
    assert _refused(bomb).code == "zip_bomb"


def test_an_entry_compressed_more_than_a_hundredfold_is_refused():
    dense = zip_parts_replace(data=_sample("000_phu_luc.docx"), parts={"word/media/zeros.bin": bytes(5 * 1024 * 1024)})

    assert _refused(dense).code == "zip_bomb"


def test_a_zip_with_thousands_of_entries_is_refused():
    crowded = zip_parts_replace(
        data=_sample("000_phu_luc.docx"), parts={f"word/media/{index}.txt": b"x" for index in range(3000)}
    )

    assert _refused(crowded).code == "zip_bomb"


def test_an_old_binary_doc_or_xls_is_refused_with_advice_to_save_as_docx():
    refused = _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000), filename="ke_hoach.doc")

    assert refused.code == "legacy_office"
    with translation.override("en"):
        assert ".docx" in str(refused) and ".xlsx" in str(refused)


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def test_a_word_file_declaring_xml_entities_is_refused():
    hostile = zip_parts_replace(data=_sample("000_phu_luc.docx"), parts={"word/document.xml": BILLION_LAUGHS})

    assert _refused(hostile).code == "xml_entities"


def test_an_excel_sheet_declaring_an_external_entity_in_utf16_is_refused():
    parts = zip_parts(data=_sample("003_phu_luc.xlsx"))
    body = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
    sheet = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body
    hostile = zip_parts_replace(data=_sample("003_phu_luc.xlsx"),
                                parts={"xl/worksheets/sheet1.xml": sheet.encode("utf-16")})

    assert _refused(hostile, filename="x.xlsx").code == "xml_entities"


def test_entities_are_found_in_an_xml_part_whatever_its_name_but_an_svg_image_may_have_a_doctype():
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    with_svg = zip_parts_replace(data=_sample("000_phu_luc.docx"), parts={"word/media/logo.svg": svg})
    with_odd_part = zip_parts_replace(data=_sample("000_phu_luc.docx"), parts={"word/custom.dat": BILLION_LAUGHS})

    assert len(tables_read(data=with_svg, filename="x.docx")) == 2
    assert _refused(with_odd_part).code == "xml_entities"


def test_a_sheet_with_a_huge_merged_range_is_refused():
    data = xlsx_bytes(sheets={"S": [["a"]]})
    parts = zip_parts(data=data)
    sheet = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    )

    hostile = zip_parts_replace(data=data, parts={"xl/worksheets/sheet1.xml": sheet})

    assert _refused(hostile, filename="x.xlsx").code == "sheet_too_large"


def test_a_damaged_workbook_is_refused_as_unreadable():
    broken = zip_parts_replace(data=_sample("003_phu_luc.xlsx"), parts={"xl/workbook.xml": b"<not-a-workbook"})

    assert _refused(broken, filename="x.xlsx").code == "unreadable"


# Mutated files ---------------------------------------------------------------------------------

_SEED_DOCX = _sample("003_phu_luc.docx")


@st.composite
def _mutated_docx(draw) -> bytes:
    data = bytearray(_SEED_DOCX)
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data[position] = draw(st.integers(min_value=0, max_value=255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    return bytes(data)


@hypothesis_settings(max_examples=int(os.environ.get("SAURO_FUZZ_EXAMPLES", "60")), deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(data=_mutated_docx())
def test_a_mutated_word_file_is_read_or_refused_but_never_crashes(data):
    try:
        tables = tables_read(data=data, filename="ke_hoach.docx")
    except FileRefused:
        return
    appendix_read(tables=tables)


@hypothesis_settings(max_examples=int(os.environ.get("SAURO_FUZZ_EXAMPLES", "60")), deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(b"<>/=\"' 0123456789wvtcrgpM")),
                      min_size=1, max_size=12))
def test_a_document_xml_with_mutated_markup_is_read_or_refused_but_never_crashes(flips):
    parts = zip_parts(data=_SEED_DOCX)
    xml = bytearray(parts["word/document.xml"])
    for position, byte in flips:
        xml[position % len(xml)] = byte
    data = zip_bytes(entries={**parts, "word/document.xml": bytes(xml)}, compression=zipfile.ZIP_STORED)
    try:
        tables = tables_read(data=data, filename="ke_hoach.docx")
    except FileRefused:
        return
    appendix_read(tables=tables)
