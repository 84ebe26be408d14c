"""The plan's appendix as an Excel workbook, with status and figure columns.

Sheet "Nhiệm vụ": the task appendix as the plan wrote it (number, task, lead, supporting units,
output, timeline), then the standing of its occurrences (done on time, done late, overdue, in
progress), how many are in each status now, and the latest due date. Sheet "Chỉ tiêu": each
indicator with its target per milestone year, its latest figure and its assessment.

The same writer serves a report (from the figures the report stored) and the export at any
time (from live data): both hand it a standing from reports.selectors.plan_standing_get.
"""
from __future__ import annotations

import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.models import ReportDraft
from workflow.models import OccurrenceStatus

STANDING_COLUMNS = ("total", "done_on_time", "done_late", "overdue", "in_progress")
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _standing_headings() -> list[str]:
    return [_("Occurrences"), _("Done on time"), _("Done late"), _("Overdue"), _("In progress, not yet due")]


def _heading_row(sheet, row: int, headings: list[str]) -> None:
    for column, text in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font, cell.alignment, cell.border = Font(bold=True), _HEAD, _BORDER


def _widths(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _row(sheet, row: int, values: list, *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border, cell.alignment = _BORDER, _WRAP
        if bold:
            cell.font = Font(bold=True)
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"


def _tasks_sheet(sheet, *, plan, standing: dict, caption: str) -> None:
    statuses = list(OccurrenceStatus.choices)
    headings = [_("No."), _("Task"), _("Lead unit"), _("Supporting units"), _("Required output"), _("Timeline"),
                *_standing_headings(), *[str(label) for _value, label in statuses], _("Latest due date")]
    sheet.title = _("Tasks")[:31]
    sheet.cell(row=1, column=1, value=plan.title).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=caption).font = Font(italic=True)
    _heading_row(sheet, 4, headings)
    # Two bands over the figures: where the work stood at the reckoning day, and each status as it is now.
    first = 7
    for label, width in ((_("Standing"), len(STANDING_COLUMNS)), (_("Status now"), len(statuses))):
        cell = sheet.cell(row=3, column=first, value=label)
        cell.font, cell.alignment, cell.border = Font(bold=True), _HEAD, _BORDER
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + width - 1)
        first += width
    row, group = 5, None
    for task in standing["tasks"]:
        if task["group"] and task["group"] != group:
            group = task["group"]
            sheet.cell(row=row, column=1, value=group).font = Font(bold=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            row += 1
        latest = date.fromisoformat(task["latest_due"]) if task["latest_due"] else None
        _row(sheet, row, [task["number"], task["name"], task["lead"], task["supporting"], task["output"],
                          task["timeline"], *[task["counts"][key] for key in STANDING_COLUMNS],
                          *[task["statuses"].get(value, 0) for value, _label in statuses], latest])
        row += 1
    totals = standing["totals"]
    _row(sheet, row, ["", _("Total"), "", "", "", "", *[totals[key] for key in STANDING_COLUMNS],
                      *[sum(t["statuses"].get(value, 0) for t in standing["tasks"]) for value, _label in statuses], None],
         bold=True)
    _widths(sheet, [7, 48, 24, 24, 26, 18] + [12] * (len(STANDING_COLUMNS) + len(statuses)) + [13])
    sheet.freeze_panes = "C5"


def _indicators_sheet(sheet, *, standing: dict, caption: str) -> None:
    years = [str(year) for year in standing["years"]]
    headings = [_("No."), _("Indicator"), _("Unit of measure"), _("Monitoring unit"),
                *[_("Target %(year)s") % {"year": year} for year in years],
                _("Latest figure"), _("Period of the figure"), _("Next target"), _("Assessment")]
    sheet.cell(row=1, column=1, value=_("Indicators")).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=caption).font = Font(italic=True)
    _heading_row(sheet, 4, headings)
    for row, indicator in enumerate(standing["indicators"], start=5):
        _row(sheet, row, [indicator["number"], indicator["name"], indicator["measurement_unit"],
                          indicator["monitoring_unit"], *[indicator["targets"].get(year, "") for year in years],
                          indicator["latest_value"], indicator["latest_period"], indicator["next_target"],
                          indicator["status_label"]])
    _widths(sheet, [7, 48, 14, 26] + [12] * len(years) + [14, 14, 16, 18])
    sheet.freeze_panes = "C5"


def _workbook(*, plan, standing: dict, caption: str) -> bytes:
    with translation.override("vi"):  # an official appendix: always in Vietnamese
        workbook = Workbook()
        _tasks_sheet(workbook.active, plan=plan, standing=standing, caption=caption)
        _indicators_sheet(workbook.create_sheet(_("Indicators")[:31]), standing=standing, caption=caption)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _day(value: str | date) -> str:
    return (date.fromisoformat(value) if isinstance(value, str) else value).strftime("%d/%m/%Y")


def appendix_xlsx_build(*, plan, standing: dict, generated_on: date) -> bytes:
    with translation.override("vi"):
        caption = _("Live status on %(day)s") % {"day": _day(generated_on)}
    return _workbook(plan=plan, standing=standing, caption=caption)


def report_xlsx_build(*, draft: ReportDraft) -> bytes:
    with translation.override("vi"):
        caption = _("Figures up to %(until)s, generated on %(day)s") % {
            "until": _day(draft.figures["until"]), "day": _day(draft.generated_on)}
    return _workbook(plan=draft.plan, standing=draft.figures, caption=caption)
