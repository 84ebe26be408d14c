"""A periodic report as a Word document, in the official layout of its plan's issuer.

- Party plan: Hướng dẫn 36-HD/VPTW (2018) — "ĐẢNG BỘ <higher body>" over "ĐẢNG ỦY XÃ <name>" and
  a "*", "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined on the right, "Số <n>-BC/ĐU", the place
  and date in italics, "BÁO CÁO" and its subject, the body, "Nơi nhận" and "T/M ĐẢNG ỦY".
- People's Committee plan: Nghị định 30/2020/NĐ-CP — "ỦY BAN NHÂN DÂN XÃ <name>", the national
  name and motto, "Số: <n>/BC-UBND", the place and date in italics, "BÁO CÁO", the body,
  "Nơi nhận:" and "TM. ỦY BAN NHÂN DÂN".
Both: A4, Times New Roman 14 pt body, margins top and bottom 20 mm, left 30 mm, right 15 mm.

The document is always in Vietnamese: the legal formulas of the layouts are written here as
they must appear; every other sentence is an English msgid rendered under translation.override("vi").
It is built from the draft's stored figures, so each download prints the same numbers, and it
ends with the head of the commune's audit chain captured when those figures were read.
"""
from __future__ import annotations

import copy
import functools
import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from django.utils import translation
from django.utils.translation import gettext as _

from reports.models import ReportDraft
from reports.periods import period_of
from tasks.models import PlanKind

FONT = "Times New Roman"
BODY_PT = 14

# The layouts' fixed formulas: legal text, always Vietnamese, never translated.
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
REPORT_KIND = "BÁO CÁO"
PARTY_SIGN = ("T/M ĐẢNG ỦY", "BÍ THƯ")
STATE_SIGN = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
RECIPIENTS_HEADING = "Nơi nhận:"
# Centrally governed cities: their Party organisation is "ĐẢNG BỘ THÀNH PHỐ …", a province's "ĐẢNG BỘ TỈNH …".
CENTRAL_CITIES = {"hà nội", "hồ chí minh", "thành phố hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
_LEVEL_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ")


def commune_place(name: str) -> tuple[str, str]:
    """("xã", "Thanh Miện") from "Xã Thanh Miện"; a name without a level is taken as a commune's."""
    lowered = name.lower()
    for prefix in _LEVEL_PREFIXES:
        if lowered.startswith(prefix):
            return prefix.strip(), name[len(prefix):].strip()
    return "xã", name.strip()


def higher_party_body(province: str) -> str:
    if not province:
        return ""
    level = "THÀNH PHỐ" if province.strip().lower() in CENTRAL_CITIES else "TỈNH"
    return f"ĐẢNG BỘ {level} {province.strip().upper()}"


def date_line(*, place: str, day: date) -> str:
    """"Thanh Miện, ngày 05 tháng 02 năm 2026": a zero before days below 10 and months below 3 (Nghị định 30)."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def plan_reference(plan) -> str:
    """How the subject names the plan: its number when it has one, else its title in sentence case."""
    if plan.number_symbol:
        return f"Kế hoạch số {plan.number_symbol}"
    words = plan.title.split()
    leading = 0
    while leading < len(words) and words[leading].isupper():
        leading += 1
    text = " ".join([word.lower() for word in words[:leading]] + words[leading:])
    return text[:1].lower() + text[1:]


def _fonts(run, size: float) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _para(container, text: str = "", *, bold: bool = False, italic: bool = False, underline: bool = False,
          size: float = BODY_PT, align=None, indent: bool = False, after: float = 0):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold, run.italic, run.underline = bold, italic, underline
        _fonts(run, size)
        if index + 1 < len(lines):
            run.add_break()
    return paragraph


def _widths(table, millimetres: tuple[int, ...]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's): a narrow first column wraps badly."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _cell(cell, text: str, **style):
    """Write into a table cell, reusing its first (empty) paragraph."""
    first = cell.paragraphs[0]
    paragraph = _para(cell, text, **style)
    first._element.getparent().remove(first._element)
    return paragraph


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return document


def _header(document, *, draft: ReportDraft, level: str, place: str) -> None:
    plan, commune = draft.plan, draft.plan.commune
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # 5 mm wider than the text on each side, as offices lay it out: each name and the date fit on one line.
    _widths(table, (88, 87) if plan.kind == PlanKind.PARTY else (70, 105))
    (names, motto), (number, when) = table.rows[0].cells, table.rows[1].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if plan.kind == PlanKind.PARTY:
        higher = higher_party_body(commune.province)
        # 14 pt by the guidance; a long higher body ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG") at 13 pt keeps to one line.
        _cell(names, higher or f"ĐẢNG ỦY {level.upper()} {place.upper()}", bold=not higher, align=centre,
              size=13 if len(higher) > 24 else BODY_PT)
        if higher:
            _para(names, f"ĐẢNG ỦY {level.upper()} {place.upper()}", bold=True, align=centre)
        _para(names, "*", align=centre)
        _cell(motto, PARTY_NAME, bold=True, underline=True, size=15, align=centre)
        _cell(number, f"Số {draft.number or '      '}-BC/ĐU", align=centre)
    else:
        _cell(names, f"ỦY BAN NHÂN DÂN\n{level.upper()} {place.upper()}", bold=True, size=13, align=centre)
        _cell(motto, STATE_NAME, bold=True, size=12, align=centre)
        _para(motto, STATE_MOTTO, bold=True, underline=True, align=centre)
        _cell(number, f"Số: {draft.number or '      '}/BC-UBND", size=13, align=centre)
    _cell(when, date_line(place=place, day=draft.generated_on), italic=True, align=centre)


def _table(document, *, headings: list[str], rows: list[list], widths: tuple[int, ...],
           bold_last: bool = False) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    # Widths first: every row added after takes its cells' widths from the grid.
    _widths(table, widths)
    for cell, heading in zip(table.rows[0].cells, headings):
        _cell(cell, heading, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, values in enumerate(rows):
        bold = bold_last and index == len(rows) - 1
        for tc, value in zip(table.add_row()._tr.tc_lst, values):
            _cell_text(tc, str(value), bold=bold, right=isinstance(value, int))


@functools.lru_cache(maxsize=8)
def _paragraph_template(*, bold: bool, right: bool):
    """A styled 12 pt table paragraph with one run, written once through python-docx and then copied:
    styling each of a report's thousands of cells through python-docx costs seconds."""
    paragraph = _para(Document(), "x", size=12, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT if right else None)
    return paragraph._p


def _cell_text(tc, text: str, *, bold: bool, right: bool) -> None:
    if "\n" in text:  # line breaks: the general path
        _cell(_Cell(tc, None), text, size=12, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT if right else None)
        return
    for empty in tc.findall(qn("w:p")):
        tc.remove(empty)
    paragraph = copy.deepcopy(_paragraph_template(bold=bold, right=right))
    text_element = paragraph.find(f"{qn('w:r')}/{qn('w:t')}")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    tc.append(paragraph)


def _iso(value: str) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _body(document, *, draft: ReportDraft, issuer: str, period_label: str) -> None:
    figures, totals = draft.figures, draft.figures["totals"]
    heading = {"bold": True, "after": 6}
    body = {"indent": True, "after": 6, "align": WD_ALIGN_PARAGRAPH.JUSTIFY}
    _para(document, _("Carrying out %(plan)s, %(issuer)s reports the results of %(period)s as follows:") % {
        "plan": plan_reference(draft.plan), "issuer": issuer, "period": period_label}, **body)

    _para(document, _("I. RESULTS OF THE TASKS"), **heading)
    _para(document, _("As of %(day)s, %(total)s task occurrences had been handed to the units: %(done_on_time)s done "
                      "on time, %(done_late)s done late, %(overdue)s overdue and not done, %(in_progress)s in "
                      "progress.") % {"day": _iso(figures["until"]), **totals}, **body)
    if "period" in figures:
        _para(document, _("In %(period)s, %(done)s were completed, %(done_on_time)s of them on time.") % {
            "period": period_label, **figures["period"]}, **body)
    _para(document, _("1. Results by task group"), **heading)
    columns = ("done_on_time", "done_late", "overdue", "in_progress")
    rows = [[group["label"] or _("Tasks"), group["counts"]["total"], *[group["counts"][c] for c in columns]]
            for group in figures["groups"]]
    rows.append([_("Total"), totals["total"], *[totals[c] for c in columns]])
    _table(document, headings=[_("Task group"), _("Occurrences"), _("Done on time"), _("Done late"), _("Overdue"),
                               _("In progress")], rows=rows, widths=(65, 20, 20, 20, 20, 20), bold_last=True)
    _para(document, "")
    _para(document, _("2. Overdue tasks"), **heading)
    if figures["overdue"]:
        _table(document, headings=[_("No."), _("Task"), _("Lead unit"), _("Due"), _("Working days late")], rows=[
            [str(index), f"{row['task_number']}. {row['task_name']}" if row["task_number"] else row["task_name"],
             row["unit"], _iso(row["due_on"]), row["working_days_late"]]
            for index, row in enumerate(figures["overdue"], start=1)], widths=(10, 70, 35, 26, 24))
        if figures.get("overdue_truncated"):
            _para(document, _("Only the first %(count)s are listed.") % {"count": len(figures["overdue"])},
                  italic=True, size=12)
    else:
        _para(document, _("No task is overdue."), **body)
    _para(document, "")

    _para(document, _("II. RESULTS OF THE INDICATORS"), **heading)
    if figures["indicators"]:
        _table(document, headings=[_("No."), _("Indicator"), _("Latest figure"), _("Target"), _("Assessment")],
               rows=[[row["number"], row["name"],
                      f"{row['latest_value']} ({row['latest_period']})" if row["latest_value"] else "—",
                      row["next_target"] or "—", row["status_label"] or "—"] for row in figures["indicators"]],
               widths=(12, 68, 30, 30, 25))
    else:
        _para(document, _("The plan has no indicators."), **body)
    _para(document, "")

    for title, text in ((_("III. OVERALL ASSESSMENT"), draft.overall_assessment),
                        (_("IV. DIFFICULTIES AND OBSTACLES"), draft.difficulties),
                        (_("V. PROPOSALS AND RECOMMENDATIONS"), draft.proposals)):
        _para(document, title, **heading)
        for line in (text.splitlines() if text.strip() else ["…"]):
            if line.strip():
                _para(document, line.strip(), **body)


def _closing(document, *, draft: ReportDraft) -> None:
    party = draft.plan.kind == PlanKind.PARTY
    table = document.add_table(rows=1, cols=2)
    _widths(table, (80, 85))
    left, right = table.rows[0].cells
    if party:
        _cell(left, RECIPIENTS_HEADING, underline=True)
    else:
        _cell(left, RECIPIENTS_HEADING, bold=True, italic=True, size=12)
    for line in draft.recipients.splitlines():
        if line.strip():
            _para(left, line.strip(), size=12 if party else 11)
    on_behalf, title = PARTY_SIGN if party else STATE_SIGN
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _cell(right, on_behalf, bold=True, align=centre)
    _para(right, title, bold=True, align=centre)
    for _line in range(3):
        _para(right, "", align=centre)
    _para(right, draft.signer_name, bold=True, align=centre)
    _para(document, "")
    _para(document, _("Audit history: a chain of %(seq)s events, head hash %(hash)s.") % {
        "seq": draft.chain_seq, "hash": draft.chain_hash or "—"}, italic=True, size=10)


def report_docx_build(*, draft: ReportDraft) -> bytes:
    period = period_of(kind=draft.period_kind, key=draft.period_key)
    level, place = commune_place(draft.plan.commune.name)
    with translation.override("vi"):
        document = _document()
        _header(document, draft=draft, level=level, place=place)
        _para(document, "")
        _para(document, REPORT_KIND, bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(document, _("Results of carrying out %(plan)s, %(period)s") % {
            "plan": plan_reference(draft.plan), "period": period.label_vi}, bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(document, "-----" if draft.plan.kind == PlanKind.PARTY else "", align=WD_ALIGN_PARAGRAPH.CENTER,
              after=6)
        issuer = (f"Đảng ủy {level} {place}" if draft.plan.kind == PlanKind.PARTY
                  else f"Ủy ban nhân dân {level} {place}")
        _body(document, draft=draft, issuer=issuer, period_label=period.label_vi)
        _closing(document, draft=draft)
        document.core_properties.title = f"{REPORT_KIND} {period.label_vi}"
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
