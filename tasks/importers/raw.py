"""A table as read from a file: cell texts only, every row as wide as the widest."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class TableNote:
    """Something the reader changed or doubted in a table, for the appendix reader to report."""

    row: int  # 1-based, as a person counts rows
    message: Promise | str


@dataclass(frozen=True)
class RawTable:
    label: str
    rows: tuple[tuple[str, ...], ...]
    source: str  # "docx", "xlsx" or "csv"
    notes: tuple[TableNote, ...] = ()


def cell_text_tidy(*, text: str) -> str:
    """Trim every line and drop the empty ones, the way a person reads a cell."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def rows_pad(*, rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Pad every row to the widest one."""
    width = max((len(row) for row in rows), default=0)
    return tuple(tuple(row) + ("",) * (width - len(row)) for row in rows)


def rows_trailing_trim(*, rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Drop fully empty rows at the bottom and fully empty columns at the right."""
    kept = list(rows)
    while kept and not any(kept[-1]):
        kept.pop()
    width = max((index + 1 for row in kept for index, text in enumerate(row) if text), default=0)
    return tuple(row[:width] for row in kept)
