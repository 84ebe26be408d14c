"""Decide whether a table is a task or an indicator appendix, and which column feeds which field."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tasks.importers.folding import header_fold
from tasks.importers.headers import ColumnHeader, HeaderBlock, header_block_find
from config.lazytext import message_format
from tasks.importers.raw import RawTable
from tasks.importers.results import INDICATORS, TASKS, RowProblem
from tasks.importers.vocabulary import Role

# Each field takes the first column of the first role listed that has one.
TASK_FIELDS: dict[str, tuple[Role, ...]] = {
    "number": (Role.NUMBER,),
    "name": (Role.TASK_NAME,),
    "directing": (Role.DIRECTING,),
    "lead": (Role.LEAD, Role.PRESIDING),
    "supporting": (Role.SUPPORTING,),
    "output": (Role.OUTPUT, Role.RESULT),
    "timeline": (Role.TIMELINE,),
}
INDICATOR_FIELDS: dict[str, tuple[Role, ...]] = {
    "number": (Role.NUMBER,),
    "name": (Role.INDICATOR_NAME, Role.TASK_NAME),
    "measurement_unit": (Role.MEASUREMENT_UNIT,),
    "directing": (Role.DIRECTING,),
    "presiding": (Role.PRESIDING,),
    "monitoring": (Role.MONITORING, Role.LEAD),
    "output": (Role.OUTPUT, Role.RESULT),
}
_INDICATOR_SIGNS = frozenset({Role.TARGET, Role.MONITORING, Role.MEASUREMENT_UNIT, Role.PRESIDING})
_TASK_SIGNS = frozenset({Role.LEAD, Role.SUPPORTING, Role.TIMELINE})

ProblemMaker = Callable[..., RowProblem]


@dataclass(frozen=True)
class TargetColumn:
    index: int
    year: int | None  # None: each section row ("I. Đến năm 2030") gives the year
    header: str


@dataclass(frozen=True)
class Layout:
    appendix: str  # TASKS or INDICATORS
    header_first_row: int  # 0-based
    header_row_count: int
    fields: Mapping[str, int]  # field name → column index
    targets: tuple[TargetColumn, ...]
    headers: tuple[str, ...]  # per column, as written
    header_rows_folded: frozenset[tuple[str, ...]]  # to know the header when a page repeats it

    @property
    def body_start(self) -> int:
        return self.header_first_row + self.header_row_count

    def header_of(self, field: str) -> str:
        index = self.fields.get(field)
        return "" if index is None else self.headers[index]


@dataclass(frozen=True)
class LayoutRead:
    layout: Layout
    errors: tuple[RowProblem, ...]
    warnings: tuple[RowProblem, ...]


def layout_read(*, table: RawTable) -> LayoutRead | None:
    """The table's layout and what is wrong with its header; None when it is no appendix table."""
    block = header_block_find(table=table)
    if block is None:
        return None
    problem = _problem_maker(table=table, row=block.first_row + 1)
    appendix = _appendix_of(roles={column.match.role for column in block.columns if column.match})
    targets, target_errors = _targets(columns=block.columns, appendix=appendix, problem=problem)
    claimed = {column.index for column in block.columns if appendix == INDICATORS and _target_is(column=column)}
    layout = Layout(
        appendix=appendix,
        header_first_row=block.first_row,
        header_row_count=block.row_count,
        fields=_fields(columns=block.columns, appendix=appendix, taken=claimed | {t.index for t in targets}),
        targets=targets,
        headers=tuple(column.written for column in block.columns),
        header_rows_folded=frozenset(row_fold(row=row) for row in _header_rows(table=table, block=block)),
    )
    errors = (*target_errors, *_missing_columns(layout=layout, problem=problem))
    return LayoutRead(layout=layout, errors=errors, warnings=_missing_optional(layout=layout, problem=problem))


def row_fold(*, row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(header_fold(text=cell) for cell in row)


def _header_rows(*, table: RawTable, block: HeaderBlock) -> tuple[tuple[str, ...], ...]:
    return table.rows[block.first_row:block.first_row + block.row_count]


def _appendix_of(*, roles: set[Role]) -> str:
    if Role.INDICATOR_NAME in roles:
        return INDICATORS
    if Role.TASK_NAME in roles:
        return INDICATORS if Role.TARGET in roles else TASKS
    return INDICATORS if len(roles & _INDICATOR_SIGNS) > len(roles & _TASK_SIGNS) else TASKS


def _targets(
    *, columns: Sequence[ColumnHeader], appendix: str, problem: ProblemMaker
) -> tuple[tuple[TargetColumn, ...], tuple[RowProblem, ...]]:
    if appendix != INDICATORS:
        return (), ()
    targets: list[TargetColumn] = []
    errors: list[RowProblem] = []
    for column in filter(lambda column: _target_is(column=column), columns):
        year = column.match.year if column.match and column.match.role is Role.TARGET else None
        if year is None:
            errors.append(problem(column=column.written, message=_(
                "The milestone year cannot be read from this header. Write it as “Năm 2030” or “Đến năm 2030”.")))
        elif any(target.year == year for target in targets):
            errors.append(problem(column=column.written, message=message_format(
                template=_("Another column is already headed with the year %(year)s; keep only one."), year=year)))
        else:
            targets.append(TargetColumn(index=column.index, year=year, header=column.written))
    if not targets and not errors:
        targets.extend(_sectioned_target(columns=columns))
    return tuple(targets), tuple(errors)


def _target_is(*, column: ColumnHeader) -> bool:
    """A year column, or a column under a "Kết quả" heading whose own header is not a year."""
    if column.match is None:
        return False
    return column.match.role is Role.TARGET or (column.match.role is Role.RESULT and len(column.texts) > 1)


def _sectioned_target(*, columns: Sequence[ColumnHeader]) -> list[TargetColumn]:
    """A single "Kết quả" column: its year comes from section rows such as "I. Đến năm 2030"."""
    first = next((column for column in columns if column.match and column.match.role is Role.RESULT), None)
    return [] if first is None else [TargetColumn(index=first.index, year=None, header=first.written)]


def _fields(*, columns: Sequence[ColumnHeader], appendix: str, taken: set[int]) -> dict[str, int]:
    wanted = TASK_FIELDS if appendix == TASKS else INDICATOR_FIELDS
    fields: dict[str, int] = {}
    for field, roles in wanted.items():
        index = _first_column(columns=columns, roles=roles, used=taken | set(fields.values()))
        if index is not None:
            fields[field] = index
    return fields


def _first_column(*, columns: Sequence[ColumnHeader], roles: tuple[Role, ...], used: set[int]) -> int | None:
    for role in roles:
        for column in columns:
            if column.match and column.match.role is role and column.index not in used:
                return column.index
    return None


def _problem_maker(*, table: RawTable, row: int) -> ProblemMaker:
    def problem(*, message: Promise, column: str = "") -> RowProblem:
        return RowProblem(table=table.label, row=row, column=column, message=message)

    return problem


def _missing_columns(*, layout: Layout, problem: ProblemMaker) -> list[RowProblem]:
    if layout.appendix == TASKS:
        required = {
            "name": _("This task table has no task name column: its header needs a column such as “Tên nhiệm vụ”."),
            "lead": _(
                "This task table has no lead column: its header needs a column such as “Cơ quan chủ trì” "
                "or “Cá nhân/tổ chức được phân công chủ trì”."
            ),
        }
        return [problem(message=message) for field, message in required.items() if field not in layout.fields]
    missing = []
    if "name" not in layout.fields:
        missing.append(problem(message=_(
            "This indicator table has no indicator name column: its header needs a column such as “Tên chỉ tiêu”.")))
    if not layout.targets:
        missing.append(problem(message=_(
            "This indicator table has no target column: its header needs milestone years such as “Năm 2025” "
            "or “Đến năm 2030”, or one “Kết quả” column.")))
    return missing


def _missing_optional(*, layout: Layout, problem: ProblemMaker) -> tuple[RowProblem, ...]:
    if layout.appendix == TASKS and "timeline" not in layout.fields:
        return (problem(message=_(
            "This task table has no timeline column (such as “Tiến độ thực hiện”): its tasks have no due dates.")),)
    if layout.appendix == INDICATORS and "monitoring" not in layout.fields:
        return (problem(message=_(
            "This indicator table has no monitoring unit column (such as “Cơ quan chủ trì theo dõi, đánh giá”).")),)
    return ()
