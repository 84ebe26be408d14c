"""Find the task and indicator appendices among a file's tables and read their rows, as written."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from tasks.importers.blockread import BlockRead, Segment, block_read
from tasks.importers.layout import LayoutRead, layout_read
from config.lazytext import message_format
from tasks.importers.raw import RawTable
from tasks.importers.results import AppendixRead, GroupRow, IndicatorRow, RowProblem, TaskRow
from tasks.importers.rowshape import field_cell_get, item_number_detect

__all__ = ["AppendixRead", "GroupRow", "IndicatorRow", "RowProblem", "TaskRow", "appendix_read"]


@dataclass(frozen=True)
class _Block:
    """One appendix table, with the header-less tables that continue it (a Word table split in two)."""

    layout_read: LayoutRead
    segments: tuple[Segment, ...]


def appendix_read(*, tables: Sequence[RawTable]) -> AppendixRead:
    blocks, ignored = _blocks_find(tables=tables)
    if not blocks:
        return AppendixRead(groups=(), tasks=(), indicators=(), warnings=(), errors=_nothing_found(tables=tables),
                            ignored_tables=ignored)
    reads: list[BlockRead] = []
    warnings: list[RowProblem] = []
    errors: list[RowProblem] = []
    for block in blocks:
        warnings.extend(_notes(block=block))
        warnings.extend(block.layout_read.warnings)
        errors.extend(block.layout_read.errors)
        if not block.layout_read.errors:
            offset = sum(len(read.groups) for read in reads)
            reads.append(block_read(layout=block.layout_read.layout, segments=block.segments, group_offset=offset))
    return AppendixRead(
        groups=tuple(group for read in reads for group in read.groups),
        tasks=tuple(task for read in reads for task in read.tasks),
        indicators=tuple(indicator for read in reads for indicator in read.indicators),
        warnings=(*warnings, *(warning for read in reads for warning in read.warnings)),
        errors=(*errors, *(error for read in reads for error in read.errors)),
        ignored_tables=ignored,
    )


def _blocks_find(*, tables: Sequence[RawTable]) -> tuple[list[_Block], tuple[str, ...]]:
    blocks: list[_Block] = []
    ignored: list[str] = []
    continuable = False
    for table in tables:
        found = layout_read(table=table)
        if found is not None:
            blocks.append(_Block(layout_read=found, segments=(Segment(table=table, start=found.layout.body_start),)))
            continuable = True
        elif continuable and _continuation_is(block=blocks[-1], table=table):
            blocks[-1] = replace(blocks[-1], segments=(*blocks[-1].segments, Segment(table=table, start=0)))
        else:
            ignored.append(table.label)
            continuable = False
    return blocks, tuple(ignored)


def _continuation_is(*, block: _Block, table: RawTable) -> bool:
    """A header-less Word table right after an appendix table, as wide, starting with a numbered row."""
    previous = block.segments[-1].table
    if table.source != "docx" or previous.source != "docx" or not table.rows or not previous.rows:
        return False
    if len(table.rows[0]) != len(previous.rows[0]):
        return False
    first = next((row for row in table.rows if any(row)), ())
    return item_number_detect(text=field_cell_get(cells=first, layout=block.layout_read.layout, field="number"))


def _notes(*, block: _Block) -> list[RowProblem]:
    return [
        RowProblem(table=segment.table.label, row=note.row, column="", message=note.message)
        for segment in block.segments
        for note in segment.table.notes
    ]


def _nothing_found(*, tables: Sequence[RawTable]) -> tuple[RowProblem, ...]:
    if not tables:
        return (RowProblem(table="", row=0, column="", message=_(
            "The file has no table. The appendix must be a table with a header row such as "
            "“STT | Tên nhiệm vụ | Cơ quan chủ trì | Tiến độ thực hiện”.")),)
    return tuple(
        RowProblem(table=table.label, row=0, column="", message=message_format(
            template=_(
                "No task or indicator table was found: “%(table)s” has no header row with columns such as "
                "“STT”, “Tên nhiệm vụ”, “Cơ quan chủ trì” or “Chỉ tiêu”, “Năm 2025”."
            ),
            table=table.label,
        ))
        for table in tables
    )
