"""Read the body rows of one appendix table (and any table continuing it) into groups and items."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tasks.importers.folding import name_fold
from tasks.importers.layout import Layout
from config.lazytext import message_format
from tasks.importers.raw import RawTable
from tasks.importers.results import INDICATORS, GroupRow, IndicatorRow, RowProblem, TaskRow
from tasks.importers.rowshape import (
    RowKind,
    RowShape,
    content_columns_list,
    field_cell_get,
    number_levels_split,
    row_shape_classify,
)


@dataclass(frozen=True)
class Segment:
    table: RawTable
    start: int  # 0-based index of the first body row


@dataclass(frozen=True)
class BlockRead:
    groups: tuple[GroupRow, ...]
    tasks: tuple[TaskRow, ...]
    indicators: tuple[IndicatorRow, ...]
    warnings: tuple[RowProblem, ...]
    errors: tuple[RowProblem, ...]


@dataclass(frozen=True)
class SourceRow:
    table: str
    row: int  # 1-based
    cells: tuple[str, ...]


def block_read(*, layout: Layout, segments: Sequence[Segment], group_offset: int) -> BlockRead:
    """`group_offset`: how many groups earlier tables produced, so group indexes count across tables."""
    rows = [
        SourceRow(table=segment.table.label, row=index + 1, cells=segment.table.rows[index])
        for segment in segments
        for index in range(segment.start, len(segment.table.rows))
    ]
    reader = _BlockReader(layout=layout, group_offset=group_offset)
    for source, next_number in zip(rows, _next_numbers(rows=rows, layout=layout)):
        shape = row_shape_classify(cells=source.cells, layout=layout, next_number=next_number)
        reader.take(source=source, shape=shape)
    return reader.result()


def _next_numbers(*, rows: list[SourceRow], layout: Layout) -> list[str]:
    """For each row, the number of the next row that has anything in it."""
    following, result = "", []
    for source in reversed(rows):
        result.append(following)
        if _has_content(cells=source.cells, layout=layout):
            following = field_cell_get(cells=source.cells, layout=layout, field="number")
    return result[::-1]


def _has_content(*, cells: tuple[str, ...], layout: Layout) -> bool:
    indexes = [*content_columns_list(layout=layout), layout.fields.get("number", -1)]
    return any(cells[index] for index in indexes if 0 <= index < len(cells))


class _BlockReader:
    """Keeps what a row needs from the rows above it: its group, its section year, numbers seen."""

    def __init__(self, *, layout: Layout, group_offset: int) -> None:
        self.layout = layout
        self.group_offset = group_offset
        self.groups: list[GroupRow] = []
        self.items: list[TaskRow | IndicatorRow] = []
        self.warnings: list[RowProblem] = []
        self.errors: list[RowProblem] = []
        # Open groups, innermost last, with the depth of their decimal numeral (0 for "I.", "A" or none).
        self.open_groups: list[tuple[int, int]] = []
        self.section_year: int | None = None
        self.sectionless_reported = False
        self.rows_by_number: dict[str, int] = {}
        self.rows_by_numeral: dict[str, int] = {}
        self.rows_by_name: dict[str, int] = {}

    def result(self) -> BlockRead:
        return BlockRead(
            groups=tuple(self.groups),
            tasks=tuple(item for item in self.items if isinstance(item, TaskRow)),
            indicators=tuple(item for item in self.items if isinstance(item, IndicatorRow)),
            warnings=tuple(self.warnings),
            errors=tuple(self.errors),
        )

    def take(self, *, source: SourceRow, shape: RowShape) -> None:
        if shape.kind in (RowKind.GROUP, RowKind.SECTION):
            self._group_take(source=source, shape=shape)
        elif shape.kind is RowKind.ITEM:
            self._item_take(source=source)
        elif shape.kind is RowKind.STRAY:
            self._warn(source=source, field="number", message=_(
                "This row was skipped: it has text only in the number column, and that text is not a number."))

    def _group_take(self, *, source: SourceRow, shape: RowShape) -> None:
        if shape.kind is RowKind.SECTION:
            self._section_take(source=source, shape=shape)
        self._duplicate_check(source=source, seen=self.rows_by_numeral, written=shape.numeral,
                              key=shape.numeral.rstrip(".)"), field="number",
                              template=_("The heading number “%(value)s” was already used in row %(row)s."))
        self.groups.append(GroupRow(
            appendix=self.layout.appendix, numeral=shape.numeral, title=shape.title,
            milestone_year=shape.year if shape.kind is RowKind.SECTION else None,
            table=source.table, row=source.row,
        ))
        self._group_open(index=self.group_offset + len(self.groups) - 1, numeral=shape.numeral)

    def _group_open(self, *, index: int, numeral: str) -> None:
        depth = len(number_levels_split(number=numeral))
        self.open_groups = self._groups_enclosing(depth=depth) if depth else []
        self.open_groups.append((index, depth))

    def _group_of(self, *, number: str) -> int | None:
        """The innermost open group: "10" after "8 Hạ tầng số" and its 9.1–9.3 is outside it."""
        depth = len(number_levels_split(number=number))
        if depth:
            self.open_groups = self._groups_enclosing(depth=depth)
        return self.open_groups[-1][0] if self.open_groups else None

    def _groups_enclosing(self, *, depth: int) -> list[tuple[int, int]]:
        return [(index, level) for index, level in self.open_groups if not level or level < depth]

    def _section_take(self, *, source: SourceRow, shape: RowShape) -> None:
        if shape.year is None:
            self.errors.append(self._problem(source=source, field="name", message=_(
                "This section row should give the milestone year of the targets below it, "
                "but no year can be read from it. Write it as “Đến năm 2030”.")))
        self.section_year = shape.year

    def _item_take(self, *, source: SourceRow) -> None:
        cell = self._cell_reader(source=source)
        if not cell("name"):
            self.errors.append(self._problem(source=source, field="name", message=_(
                "This row has no name. Fill in the name, or delete the row if it is not a task or indicator.")))
            return
        self._duplicate_check(source=source, seen=self.rows_by_number, written=cell("number"),
                              key=cell("number").rstrip(".)"), field="number",
                              template=_("The number “%(value)s” was already used in row %(row)s."))
        self._duplicate_check(source=source, seen=self.rows_by_name, written=cell("name"),
                              key=name_fold(text=cell("name")), field="name",
                              template=_("Same name as row %(row)s; both rows are kept, as written."))
        if self.layout.appendix == INDICATORS:
            self.items.append(self._indicator_build(source=source))
        else:
            self.items.append(self._task_build(source=source))

    def _task_build(self, *, source: SourceRow) -> TaskRow:
        cell = self._cell_reader(source=source)
        if not cell("lead"):
            self._warn(source=source, field="lead", message=_("This task has no lead unit."))
        if "timeline" in self.layout.fields and not cell("timeline"):
            self._warn(source=source, field="timeline", message=_("This task has no timeline."))
        return TaskRow(
            number=cell("number"), name=cell("name"), directing=cell("directing"), lead=cell("lead"),
            supporting=cell("supporting"), output=cell("output"), timeline=cell("timeline"),
            group_index=self._group_of(number=cell("number")), table=source.table, row=source.row,
        )

    def _indicator_build(self, *, source: SourceRow) -> IndicatorRow:
        cell = self._cell_reader(source=source)
        targets = self._targets(source=source)
        if not any(text for _year, text in targets):
            self.warnings.append(self._problem(source=source, column=self._targets_header(), message=_(
                "This indicator has no target for any milestone year.")))
        if "monitoring" in self.layout.fields and not cell("monitoring"):
            self._warn(source=source, field="monitoring", message=_("This indicator has no monitoring unit."))
        return IndicatorRow(
            number=cell("number"), name=cell("name"), measurement_unit=cell("measurement_unit"), targets=targets,
            directing=cell("directing"), presiding=cell("presiding"), monitoring=cell("monitoring"),
            output=cell("output"), group_index=self._group_of(number=cell("number")), table=source.table,
            row=source.row,
        )

    def _targets(self, *, source: SourceRow) -> tuple[tuple[int, str], ...]:
        targets = []
        for column in self.layout.targets:
            year = column.year if column.year is not None else self.section_year
            if year is None:
                self._sectionless_report(source=source, header=column.header)
                continue
            targets.append((year, source.cells[column.index] if column.index < len(source.cells) else ""))
        return tuple(targets)

    def _sectionless_report(self, *, source: SourceRow, header: str) -> None:
        if self.sectionless_reported:
            return
        self.sectionless_reported = True
        self.errors.append(self._problem(source=source, column=header, message=message_format(
            template=_("The “%(column)s” column has no year, and no section row above this row "
                       "(such as “I. Đến năm 2030”) gives one."),
            column=header)))

    def _targets_header(self) -> str:
        targets = self.layout.targets
        return targets[0].header if len(targets) == 1 else ""

    def _duplicate_check(
        self, *, source: SourceRow, seen: dict[str, int], written: str, key: str, field: str, template: Promise
    ) -> None:
        if not key:
            return
        if key in seen:
            self._warn(source=source, field=field,
                       message=message_format(template=template, value=written, row=seen[key]))
            return
        seen[key] = source.row

    def _cell_reader(self, *, source: SourceRow) -> Callable[[str], str]:
        return lambda field: field_cell_get(cells=source.cells, layout=self.layout, field=field)

    def _warn(self, *, source: SourceRow, field: str, message: Promise) -> None:
        self.warnings.append(self._problem(source=source, field=field, message=message))

    def _problem(
        self, *, source: SourceRow, message: Promise, field: str = "", column: str | None = None
    ) -> RowProblem:
        header = column if column is not None else self.layout.header_of(field)
        return RowProblem(table=source.table, row=source.row, column=header, message=message)
