"""Find an appendix table's header rows and what each of its columns holds."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.importers.raw import RawTable
from tasks.importers.vocabulary import HeaderMatch, Role, header_match

# Title rows ("PHỤ LỤC I", "(Kèm theo Kế hoạch…)") come before the header; a dozen is plenty.
HEADER_SEARCH_ROWS = 12
MAX_HEADER_ROWS = 4
# Two known headers are not enough: a list of members "STT | Họ và tên | Chức vụ | Nhiệm vụ" has two.
MIN_HEADER_ROLES = 3
_COLUMN_INDEX = re.compile(r"\(?(\d{1,2})\)?")


@dataclass(frozen=True)
class ColumnHeader:
    index: int
    texts: tuple[str, ...]  # top to bottom, as written
    match: HeaderMatch | None

    @property
    def written(self) -> str:
        return " / ".join(self.texts)


@dataclass(frozen=True)
class HeaderBlock:
    first_row: int  # 0-based
    row_count: int
    columns: tuple[ColumnHeader, ...]


def header_block_find(*, table: RawTable) -> HeaderBlock | None:
    rows = table.rows
    for start in range(min(len(rows), HEADER_SEARCH_ROWS)):
        if header_roles_count(row=rows[start]) >= MIN_HEADER_ROLES:
            count = _header_row_count(rows=rows, start=start)
            return HeaderBlock(first_row=start, row_count=count, columns=_columns(rows=rows[start:start + count]))
    return None


def header_roles_count(*, row: tuple[str, ...]) -> int:
    """Distinct roles the row's distinct texts name; a title merged across columns counts once."""
    matches = [header_match(text=text) for text in dict.fromkeys(cell for cell in row if cell)]
    roles = {match.role for match in matches if match and match.role is not Role.NOTE}
    targets = sum(1 for match in matches if match and match.role is Role.TARGET)
    return len(roles) + max(0, targets - 1)


def _header_row_count(*, rows: tuple[tuple[str, ...], ...], start: int) -> int:
    count = 1
    while start + count < len(rows) and count < MAX_HEADER_ROWS:
        if not _header_continues(row=rows[start + count], above=rows[start + count - 1]):
            break
        count += 1
    return count


def _header_continues(*, row: tuple[str, ...], above: tuple[str, ...]) -> bool:
    """A second header row: each new text is a header under an empty or merged-across header cell.

    That tells "Đến hết năm 2025" under "Kết quả" apart from a section row "Đến năm 2030" under
    "Tên chỉ tiêu", and from a title merged across the row.
    """
    if column_numbers_row_detect(row=row):
        return True
    new = [(index, cell) for index, (cell, upper) in enumerate(zip(row, above)) if cell and cell != upper]
    if not new:
        return any(row)
    if len({cell for _index, cell in new}) == 1 and len(new) > 1:
        return False
    return all(
        header_match(text=cell) is not None and _under_spanning_cell(above=above, index=index) for index, cell in new
    )


def _under_spanning_cell(*, above: tuple[str, ...], index: int) -> bool:
    text = above[index]
    beside = [above[neighbour] for neighbour in (index - 1, index + 1) if 0 <= neighbour < len(above)]
    return not text or text in beside


def column_numbers_row_detect(*, row: tuple[str, ...]) -> bool:
    """The row of column numbers under a header: "(1) (2) (3)…" or "1 2 3…"."""
    texts = [cell for cell in row if cell]
    found = [_COLUMN_INDEX.fullmatch(text) for text in texts]
    if len(texts) < 3 or not all(found):
        return False
    numbers = [int(match.group(1)) for match in found if match]
    return all(later == earlier + 1 for earlier, later in zip(numbers, numbers[1:]))


def _columns(*, rows: tuple[tuple[str, ...], ...]) -> tuple[ColumnHeader, ...]:
    text_rows = [row for row in rows if not column_numbers_row_detect(row=row)]
    width = max((len(row) for row in rows), default=0)
    return tuple(_column(index=index, texts=_column_texts(rows=text_rows, index=index)) for index in range(width))


def _column_texts(*, rows: list[tuple[str, ...]], index: int) -> tuple[str, ...]:
    texts = [row[index] for row in rows if index < len(row) and row[index]]
    return tuple(dict.fromkeys(texts))


def _column(*, index: int, texts: tuple[str, ...]) -> ColumnHeader:
    match = next(filter(None, (header_match(text=candidate) for candidate in _candidates(texts=texts))), None)
    return ColumnHeader(index=index, texts=texts, match=match)


def _candidates(*, texts: tuple[str, ...]) -> list[str]:
    """The most specific reading first: a lower header completed by those above it.

    ["Đồng chí được phân công", "Chủ trì"] reads as "Đồng chí được phân công Chủ trì" (presiding),
    ["Kết quả", "Đến hết năm 2025"] as a 2025 target.
    """
    suffixes = [" ".join(texts[start:]) for start in range(len(texts))]
    prefixes = [" ".join(texts[:end]) for end in range(len(texts) - 1, 0, -1)]
    return suffixes + prefixes
