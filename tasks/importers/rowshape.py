"""Tell what a body row of an appendix table is: an item, a group heading, a section year, or nothing."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from tasks.importers.folding import header_fold
from tasks.importers.headers import column_numbers_row_detect
from tasks.importers.layout import Layout, row_fold
from tasks.importers.results import INDICATORS
from tasks.importers.vocabulary import milestone_heading_read

_GROUP_NUMERAL = re.compile(r"(?:[IVXLCDM]+|[A-Z])[.)]?")
_NUMBER_LIKE = re.compile(r"\(?[0-9A-Za-z]{1,6}(?:[.\-][0-9A-Za-z]{1,4})*[.)]?")
_LEADING_NUMERAL = re.compile(
    r"(?P<numeral>[IVXLCDM]+[.)]?|[A-Z][.)]|\d+(?:\.\d+)*[.)]?)\s+(?P<title>\S.*)", re.DOTALL
)


class RowKind(enum.Enum):
    SKIP = "skip"  # empty, a repeated header, a column index row, a note below the table
    STRAY = "stray"  # text in the number column only, that is no number
    GROUP = "group"
    SECTION = "section"  # a group that names the milestone year of the targets below it
    ITEM = "item"


@dataclass(frozen=True)
class RowShape:
    kind: RowKind
    numeral: str = ""
    title: str = ""
    year: int | None = None  # a section's milestone year; None when it cannot be read


def row_shape_classify(*, cells: tuple[str, ...], layout: Layout, next_number: str) -> RowShape:
    number = field_cell_get(cells=cells, layout=layout, field="number")
    name = field_cell_get(cells=cells, layout=layout, field="name")
    content = [cells[index] for index in content_columns_list(layout=layout) if index < len(cells)]
    filled = [text for text in content if text]
    if (not number and not filled) or _furniture_is(cells=cells, layout=layout):
        return RowShape(kind=RowKind.SKIP)
    merged = _merged_title(filled=filled, name=name)
    if merged:
        return _heading_shape(numeral=number, title=merged, layout=layout)
    if name and filled == [name]:
        if not number or _GROUP_NUMERAL.fullmatch(number) or _parent_is(number=number, next_number=next_number):
            return _heading_shape(numeral=number, title=name, layout=layout)
        return RowShape(kind=RowKind.ITEM)
    if not filled:
        return _number_only_shape(number=number)
    return RowShape(kind=RowKind.ITEM)


def field_cell_get(*, cells: tuple[str, ...], layout: Layout, field: str) -> str:
    index = layout.fields.get(field)
    return cells[index] if index is not None and index < len(cells) else ""


def content_columns_list(*, layout: Layout) -> list[int]:
    """The columns the reader uses, except the number: other columns never decide a row's kind."""
    number = layout.fields.get("number")
    used = {*layout.fields.values(), *(target.index for target in layout.targets)}
    return sorted(index for index in used if index != number)


def _furniture_is(*, cells: tuple[str, ...], layout: Layout) -> bool:
    """A header repeated on a new page, or the row of column numbers under it."""
    return column_numbers_row_detect(row=cells) or row_fold(row=cells) in layout.header_rows_folded


def _merged_title(*, filled: list[str], name: str) -> str:
    """The text of a row merged across its columns: every filled cell the same, the name among them."""
    if len(filled) >= 2 and name and all(text == name for text in filled):
        return name
    return ""


def _heading_shape(*, numeral: str, title: str, layout: Layout) -> RowShape:
    if numeral == title:
        numeral, title = _numeral_split(text=title)
    if header_fold(text=title).startswith("ghi chu"):
        return RowShape(kind=RowKind.SKIP)
    if layout.appendix == INDICATORS:
        is_section, year = milestone_heading_read(text=title)
        if is_section:
            return RowShape(kind=RowKind.SECTION, numeral=numeral, title=title, year=year)
    return RowShape(kind=RowKind.GROUP, numeral=numeral, title=title)


def _numeral_split(*, text: str) -> tuple[str, str]:
    """ "I. PHÁT TRIỂN HẠ TẦNG" merged over the whole row, number column included."""
    found = _LEADING_NUMERAL.fullmatch(text)
    return (found.group("numeral"), found.group("title")) if found else ("", text)


def item_number_detect(*, text: str) -> bool:
    """ "12", "9.1", "II.", "a)": what a number column holds, unlike a note typed into it."""
    return bool(_NUMBER_LIKE.fullmatch(text))


def _number_only_shape(*, number: str) -> RowShape:
    if header_fold(text=number).startswith("ghi chu"):
        return RowShape(kind=RowKind.SKIP)
    if item_number_detect(text=number):
        return RowShape(kind=RowKind.ITEM)
    return RowShape(kind=RowKind.STRAY)


def _parent_is(*, number: str, next_number: str) -> bool:
    """ "1" before "1.1", or "8" before "9.1": the next row is numbered one level deeper."""
    this, following = number_levels_split(number=number), number_levels_split(number=next_number)
    return bool(this and following) and len(following) > len(this)


def number_levels_split(*, number: str) -> tuple[str, ...]:
    """ "9.1" → ("9", "1"); empty for anything that is not a dotted decimal number."""
    parts = tuple(number.strip().rstrip(".)").split("."))
    return parts if all(part.isdigit() for part in parts) else ()
