"""Read every table of a Word (.docx) file, in document order."""
from __future__ import annotations

import io

import docx
from django.utils.translation import gettext_lazy as _
from lxml import etree

from tasks.importers.raw import RawTable
from tasks.importers.refusal import FileRefused
from tasks.importers.wordblocks import collapsed_blocks_split
from tasks.importers.wordgrid import NAMESPACES, Grid, grid_build

# Tables nested in a cell belong to that cell; a text box's fallback copy would repeat its table.
_TABLES = etree.XPath(".//w:tbl[not(ancestor::w:tbl)][not(ancestor::mc:Fallback)]", namespaces=NAMESPACES)


def word_tables_read(*, data: bytes) -> list[RawTable]:
    document = _document_element(data=data)
    return [_table_read(table=table, number=number) for number, table in enumerate(_TABLES(document), start=1)]


def _document_element(*, data: bytes) -> etree._Element:
    try:
        return docx.Document(io.BytesIO(data)).element
    except Exception as error:  # python-docx and lxml raise many unrelated types on a broken package
        raise FileRefused(
            code="unreadable",
            message=_("The Word file could not be read. Open it in Word, save it as .docx again and upload it."),
        ) from error


def _table_read(*, table: etree._Element, number: int) -> RawTable:
    grid = grid_build(table=table)
    split_texts, notes = collapsed_blocks_split(grid=grid)
    rows = tuple(
        tuple(_text_at(grid=grid, split_texts=split_texts, row=row, column=column) for column in range(grid.width))
        for row in range(grid.row_count)
    )
    return RawTable(label=f"Bảng {number}", rows=rows, source="docx", notes=notes)


def _text_at(*, grid: Grid, split_texts: dict[tuple[int, int], str], row: int, column: int) -> str:
    if (row, column) in split_texts:
        return split_texts[(row, column)]
    region = grid.region_at(row=row, column=column)
    return "" if region is None else region.text
