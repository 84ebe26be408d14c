"""Cells too big for the column they are stored in: refused by name before anything is written.

SQLite stores any length, PostgreSQL refuses it mid-import (DataError, a 500 on the import page);
found by tests/test_fuzz_importers.py. The limits are read from the models, so they cannot drift.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format
from roles.models import Post, Unit
from roles.unitnames import names_split, unit_canonical_name
from tasks.importers.appendix import AppendixRead
from tasks.importers.metadata import plan_heading_read
from tasks.models import Indicator, IndicatorTarget, Plan, RowGroup, Task
from tasks.parsing.targets import target_parse
from tasks.parsing.timeline import YEAR_MAX, YEAR_MIN
from tasks.problems import ImportProblem


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _largest_decimal(model, name: str) -> Decimal:
    field = model._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def _too_long(*, table: str, row: int, column, text: str, limit: int) -> ImportProblem | None:
    if len(text) <= limit:
        return None
    return ImportProblem(table=table, row=row, column=column, message=message_format(
        template=_("The cell holds %(length)s characters; at most %(limit)s fit in this column."),
        length=len(text), limit=limit))


def _target_problem(*, table: str, row: int, year: int, text: str, measurement_unit: str) -> ImportProblem | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return ImportProblem(table=table, row=row, column=_("Target"), message=message_format(
            template=_("The year %(year)s is outside the years a plan can cover (%(first)s–%(last)s)."),
            year=year, first=YEAR_MIN, last=YEAR_MAX))
    target = target_parse(text=text, measurement_unit=measurement_unit)
    largest = _largest_decimal(IndicatorTarget, "low")
    if any(value is not None and value >= largest for value in (target.low, target.high)):
        return ImportProblem(table=table, row=row, column=_("Target"), message=message_format(
            template=_("The target “%(target)s” is a larger number than a target can be."), target=text[:60]))
    return None


def _names_to_create_problems(*, read: AppendixRead) -> list[ImportProblem]:
    """A unit or post the import would create under a name longer than a name can be."""
    cells = [(row, _("Lead unit"), row.lead, Unit, "name") for row in read.tasks]
    cells += [(row, _("Supporting units"), row.supporting, Unit, "name") for row in read.tasks]
    cells += [(row, _("Monitoring unit"), row.monitoring, Unit, "name") for row in read.indicators]
    cells += [(row, _("Directing comrade"), row.directing, Post, "title") for row in (*read.tasks, *read.indicators)]
    problems = []
    for row, column, text, model, field in cells:
        for name in names_split(text=text):
            created = unit_canonical_name(text=name) if model is Unit else name.strip()
            if len(created) > _max_length(model, field):
                problems.append(ImportProblem(table=row.table, row=row.row, column=column, message=message_format(
                    template=_("The name “%(name)s…” is longer than the %(limit)s characters a name can have."),
                    name=created[:40], limit=_max_length(model, field))))
    return problems


def _heading_problems(*, heading_lines: list[str], table: str) -> list[ImportProblem]:
    heading = plan_heading_read(lines=heading_lines)
    return [_too_long(table=table, row=0, column=label, text=getattr(heading, name), limit=_max_length(Plan, name))
            for name, label in (("number_symbol", _("Number and symbol")), ("issuer", _("Issued by")))]


def cells_fit_problems(*, read: AppendixRead, heading_lines: list[str] = (), table: str = "",
                       create_missing: bool = False) -> list[ImportProblem]:
    """Every cell the import would store in a column too small for it (or a target out of range).
    `table` names the file the heading lines come from."""
    problems = _heading_problems(heading_lines=list(heading_lines), table=table)
    if create_missing:
        problems += _names_to_create_problems(read=read)
    for group in read.groups:
        problems.append(_too_long(table=group.table, row=group.row, column=_("Group number"), text=group.numeral,
                                  limit=_max_length(RowGroup, "numeral")))
        if group.milestone_year is not None and not YEAR_MIN <= group.milestone_year <= YEAR_MAX:
            problems.append(_target_problem(table=group.table, row=group.row, year=group.milestone_year, text="",
                                            measurement_unit=""))
    for task in read.tasks:
        problems.append(_too_long(table=task.table, row=task.row, column=_("Item number"), text=task.number,
                                  limit=_max_length(Task, "number")))
    for indicator in read.indicators:
        problems.append(_too_long(table=indicator.table, row=indicator.row, column=_("Item number"),
                                  text=indicator.number, limit=_max_length(Indicator, "number")))
        problems.append(_too_long(table=indicator.table, row=indicator.row, column=_("Unit of measure"),
                                  text=indicator.measurement_unit, limit=_max_length(Indicator, "measurement_unit")))
        problems.extend(_target_problem(table=indicator.table, row=indicator.row, year=year, text=text,
                                        measurement_unit=indicator.measurement_unit)
                        for year, text in indicator.targets)
    return [problem for problem in problems if problem is not None]
