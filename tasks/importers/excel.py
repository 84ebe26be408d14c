"""Read every sheet of an Excel (.xlsx) workbook as a table."""
from __future__ import annotations

import io
import re
import warnings

import openpyxl
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from tasks.importers.excelcells import cell_text_render
from config.lazytext import message_format
from tasks.importers.officezip import archive_parts_read
from tasks.importers.raw import RawTable, rows_trailing_trim
from tasks.importers.refusal import FileRefused

# An appendix fills a few hundred cells. These bounds keep a hostile sheet from exhausting memory:
# openpyxl builds an object for every cell, and for every position of a merged range.
MAX_CELLS = 500_000
MAX_MERGED_POSITIONS = 200_000
MAX_SHEET_POSITIONS = 200_000

_CELL_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_MERGE_REFERENCE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})\""
)


def excel_tables_read(*, data: bytes) -> list[RawTable]:
    _sheet_parts_check(data=data)
    workbook = _workbook_load(data=data)
    return [_sheet_read(sheet=sheet) for sheet in workbook.worksheets]


def _sheet_parts_check(*, data: bytes) -> None:
    cells = merged = 0
    for _name, content in archive_parts_read(data=data, prefix="xl/worksheets/"):
        cells += len(_CELL_ELEMENT.findall(content))
        merged += sum(_merge_area(match=match) for match in _MERGE_REFERENCE.finditer(content))
    if cells > MAX_CELLS or merged > MAX_MERGED_POSITIONS:
        raise FileRefused(
            code="sheet_too_large",
            message=_(
                "The workbook has far more cells than an appendix needs. "
                "Copy the appendix into a new workbook and upload that."
            ),
        )


def _merge_area(*, match: re.Match[bytes]) -> int:
    first_column, first_row, last_column, last_row = match.groups()
    rows = abs(int(last_row) - int(first_row)) + 1
    columns = abs(_column_number(letters=last_column) - _column_number(letters=first_column)) + 1
    return rows * columns


def _column_number(*, letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter - ord("A") + 1)
    return number


def _workbook_load(*, data: bytes) -> openpyxl.Workbook:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, conditional formats): irrelevant here.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many unrelated types on a broken workbook
        raise FileRefused(
            code="unreadable",
            message=_("The Excel file could not be read. Open it in Excel, save it as .xlsx again and upload it."),
        ) from error


def _sheet_read(*, sheet: Worksheet) -> RawTable:
    if sheet.max_row * sheet.max_column > MAX_SHEET_POSITIONS:
        raise FileRefused(
            code="sheet_too_large",
            message=message_format(
                template=_(
                    "The sheet “%(sheet)s” reaches cell %(cell)s, far beyond any appendix. "
                    "Delete the unused rows and columns and upload it again."
                ),
                sheet=sheet.title,
                cell=f"{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}",
            ),
        )
    merged = _merged_texts(sheet=sheet)
    rows = tuple(
        tuple(_cell_text(cell=cell, merged=merged) for cell in row)
        for row in sheet.iter_rows(min_row=1, min_col=1, max_row=sheet.max_row, max_col=sheet.max_column)
    )
    return RawTable(label=sheet.title, rows=rows_trailing_trim(rows=rows), source="xlsx")


def _cell_text(*, cell: Cell | MergedCell, merged: dict[tuple[int, int], str]) -> str:
    position = (cell.row, cell.column)
    if position in merged:
        return merged[position]
    return cell_text_render(value=cell.value, number_format=cell.number_format)


def _merged_texts(*, sheet: Worksheet) -> dict[tuple[int, int], str]:
    """The top-left value of every merged range, for every position the range covers."""
    texts: dict[tuple[int, int], str] = {}
    for merged_range in sheet.merged_cells.ranges:
        anchor = sheet.cell(row=merged_range.min_row, column=merged_range.min_col)
        text = cell_text_render(value=anchor.value, number_format=anchor.number_format)
        for row in range(merged_range.min_row, min(merged_range.max_row, sheet.max_row) + 1):
            for column in range(merged_range.min_col, min(merged_range.max_col, sheet.max_column) + 1):
                texts[(row, column)] = text
    return texts
