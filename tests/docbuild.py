"""Build small Word, Excel and ZIP files in tests, laid out the way communes lay out their appendices."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import docx
import openpyxl

TASK_HEADER = ("STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành")
INDICATOR_HEADER = ("TT", "Chỉ tiêu", "Năm 2025", "Năm 2030", "Cơ quan chủ trì theo dõi, đánh giá")


@dataclass(frozen=True)
class Merge:
    """A merged range of cells, corners included, counted from 0."""

    top: int
    left: int
    bottom: int
    right: int

    def covers(self, *, row: int, column: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= column <= self.right


@dataclass(frozen=True)
class WordTable:
    """Rows of cell texts; a "\n" in a text starts a new paragraph, so "a\n\nb" has an empty one."""

    rows: Sequence[Sequence[str]]
    merges: Sequence[Merge] = field(default_factory=tuple)


def docx_bytes(*, tables: Sequence[WordTable], paragraphs: Sequence[str] = ()) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for spec in tables:
        _word_table_add(document=document, spec=spec)
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _word_table_add(*, document, spec: WordTable) -> None:
    width = max(len(row) for row in spec.rows)
    table = document.add_table(rows=len(spec.rows), cols=width)
    for row_index, row in enumerate(spec.rows):
        for column_index, text in enumerate(row):
            if _anchor_or_free(merges=spec.merges, row=row_index, column=column_index):
                _cell_write(cell=table.cell(row_index, column_index), text=text)
    for merge in spec.merges:
        table.cell(merge.top, merge.left).merge(table.cell(merge.bottom, merge.right))


def _anchor_or_free(*, merges: Sequence[Merge], row: int, column: int) -> bool:
    return all(not merge.covers(row=row, column=column) or (merge.top, merge.left) == (row, column) for merge in merges)


def _cell_write(*, cell, text: str) -> None:
    first, *rest = text.split("\n")
    cell.paragraphs[0].text = first
    for line in rest:
        cell.add_paragraph(line)


def word_nested_table_add(*, data: bytes, table_index: int, row: int, column: int, rows: Sequence[Sequence[str]]) -> bytes:
    """Put a table inside one cell of an existing table."""
    document = docx.Document(io.BytesIO(data))
    cell = document.tables[table_index].cell(row, column)
    nested = cell.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for row_index, values in enumerate(rows):
        for column_index, text in enumerate(values):
            nested.cell(row_index, column_index).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(
    *,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    merges: Mapping[str, Sequence[str]] | None = None,
    formats: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """Sheets by title; `merges` ("B4:K4") and `formats` ({"C5": "0%"}) per sheet title."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merges or {}).get(title, ()):
            sheet.merge_cells(cell_range)
        for coordinate, number_format in (formats or {}).get(title, {}).items():
            sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(*, entries: Mapping[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_parts(*, data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_parts_replace(*, data: bytes, parts: Mapping[str, bytes]) -> bytes:
    """The same archive with some parts replaced or added."""
    return zip_bytes(entries={**zip_parts(data=data), **parts})


def docm_disguised(*, data: bytes) -> bytes:
    """A macro-enabled Word file (.docm) renamed .docx: a VBA project and the macroEnabled content type."""
    parts = zip_parts(data=data)
    content_types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return zip_bytes(entries={
        **parts,
        "[Content_Types].xml": content_types,
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000),
    })
