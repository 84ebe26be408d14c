"""What the appendix reader returns: rows as written, and the problems found in them."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format

TASKS = "tasks"
INDICATORS = "indicators"


@dataclass(frozen=True)
class RowProblem:
    table: str
    row: int  # 1-based, header rows counted; 0 for the table as a whole
    column: str  # the header as written, or ""
    message: Promise | str

    def __str__(self) -> str:
        return str(self.described())

    def described(self) -> Promise:
        """The message preceded by where it is, translated when shown."""
        if not self.table:
            return message_format(template="%(message)s", message=self.message)
        if self.row and self.column:
            template = _("%(table)s, row %(row)s, column “%(column)s”: %(message)s")
        elif self.row:
            template = _("%(table)s, row %(row)s: %(message)s")
        else:
            template = _("%(table)s: %(message)s")
        return message_format(template=template, table=self.table, row=self.row, column=self.column,
                              message=self.message)


@dataclass(frozen=True)
class GroupRow:
    appendix: str  # TASKS or INDICATORS
    numeral: str
    title: str
    milestone_year: int | None
    table: str
    row: int


@dataclass(frozen=True)
class TaskRow:
    number: str
    name: str
    directing: str
    lead: str
    supporting: str
    output: str
    timeline: str
    group_index: int | None
    table: str
    row: int


@dataclass(frozen=True)
class IndicatorRow:
    number: str
    name: str
    measurement_unit: str
    targets: tuple[tuple[int, str], ...]  # (milestone year, target as written)
    directing: str
    presiding: str
    monitoring: str
    output: str
    group_index: int | None
    table: str
    row: int


@dataclass(frozen=True)
class AppendixRead:
    groups: tuple[GroupRow, ...]
    tasks: tuple[TaskRow, ...]
    indicators: tuple[IndicatorRow, ...]
    warnings: tuple[RowProblem, ...]
    errors: tuple[RowProblem, ...]
    ignored_tables: tuple[str, ...]
