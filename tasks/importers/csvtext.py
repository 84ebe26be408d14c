"""Read a CSV text as one table, its delimiter guessed among comma, semicolon and tab."""
from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

from django.utils.translation import gettext_lazy as _

from tasks.importers.raw import RawTable, cell_text_tidy, rows_pad, rows_trailing_trim
from tasks.importers.refusal import FileRefused

DELIMITERS = (",", ";", "\t")
_SNIFF_RECORDS = 50


def csv_table_read(*, text: str, filename: str) -> RawTable:
    delimiter = _delimiter_guess(text=text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileRefused(
            code="unreadable",
            message=_("The CSV file could not be read: a quoted cell is not closed or is far too long."),
        ) from error
    rows = [[cell_text_tidy(text=cell) for cell in record] for record in records]
    return RawTable(label=_label(filename=filename), rows=rows_trailing_trim(rows=rows_pad(rows=rows)), source="csv")


def _delimiter_guess(*, text: str) -> str:
    """The delimiter that gives most records the same width, of at least two cells.

    csv.Sniffer is thrown off by the commas inside quoted Vietnamese cells; counting widths is not.
    """
    sample = "\n".join(text.splitlines()[:_SNIFF_RECORDS])
    scores = {delimiter: _delimiter_score(sample=sample, delimiter=delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: scores[delimiter])
    return best if scores[best][0] else ","


def _delimiter_score(*, sample: str, delimiter: str) -> tuple[bool, int, int]:
    try:
        widths = [len(record) for record in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(record)]
    except csv.Error:
        return (False, 0, 0)
    if not widths:
        return (False, 0, 0)
    common = max(set(widths), key=lambda width: (widths.count(width), width))
    return (common >= 2, widths.count(common), common)


def _label(*, filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).name or "CSV"
