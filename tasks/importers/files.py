"""Open an uploaded plan file safely and return its tables.

The type is judged from the content, never from the name: a ZIP holding `word/document.xml` is a
Word file, one holding `xl/workbook.xml` an Excel file, and UTF-8 or UTF-16 text is CSV.
Everything else, and anything hostile, is refused with FileRefused before a parser sees it.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tasks.importers.csvtext import csv_table_read
from tasks.importers.excel import excel_tables_read
from config.lazytext import message_format
from tasks.importers.officezip import office_kind_inspect
from tasks.importers.raw import RawTable, TableNote
from tasks.importers.refusal import FileRefused
from tasks.importers.word import word_tables_read

__all__ = ["FileRefused", "RawTable", "TableNote", "tables_read"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_PDF_SIGNATURE = b"%PDF-"
_RTF_SIGNATURE = b"{\\rtf"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def tables_read(*, data: bytes, filename: str, max_bytes: int | None = None) -> list[RawTable]:
    """Every table of a .docx, .xlsx or .csv file; raises FileRefused for anything else."""
    _size_check(data=data, max_bytes=_max_bytes(override=max_bytes))
    _known_formats_refuse(data=data)
    if data.startswith(ZIP_SIGNATURES):
        if office_kind_inspect(data=data) == "docx":
            return word_tables_read(data=data)
        return excel_tables_read(data=data)
    return [csv_table_read(text=_text_decode(data=data), filename=filename)]


def _max_bytes(*, override: int | None) -> int:
    if override is not None:
        return override
    return int(getattr(settings, "SAURO_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_check(*, data: bytes, max_bytes: int) -> None:
    if not data:
        raise FileRefused(code="empty", message=_("The file is empty."))
    if len(data) > max_bytes:
        raise FileRefused(
            code="too_large",
            message=message_format(
                template=_("The file is larger than %(limit)s MB, the most that can be imported."),
                limit=_megabytes(size=max_bytes),
            ),
        )


def _megabytes(*, size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _known_formats_refuse(*, data: bytes) -> None:
    if data.startswith(OLE2_SIGNATURE):
        raise FileRefused(
            code="legacy_office",
            message=_(
                "This is an old-format Word (.doc) or Excel (.xls) file. Open it, save it as "
                "a Word document (.docx) or Excel workbook (.xlsx), and upload that."
            ),
        )
    if data.startswith(_PDF_SIGNATURE):
        raise FileRefused(
            code="unsupported",
            message=_(
                "This is a PDF file. Upload the Word (.docx) or Excel (.xlsx) file the appendix "
                "was written in, not the signed PDF."
            ),
        )
    if data.startswith(_RTF_SIGNATURE):
        raise FileRefused(
            code="unsupported",
            message=_("This is an RTF file. Open it in Word, save it as a Word document (.docx) and upload that."),
        )


def _text_decode(*, data: bytes) -> str:
    try:
        text = _text_decode_by_bom(data=data)
    except UnicodeDecodeError as error:
        raise _unsupported() from error
    if _CONTROL_CHARACTERS.search(text):
        raise _unsupported()
    if not text.strip():
        raise FileRefused(code="empty", message=_("The file is empty."))
    return text


def _text_decode_by_bom(*, data: bytes) -> str:
    if data.startswith(_UTF8_BOM):
        return data.decode("utf-8-sig")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    return data.decode("utf-8")


def _unsupported() -> FileRefused:
    return FileRefused(
        code="unsupported",
        message=_(
            "This file is not a Word (.docx), Excel (.xlsx) or CSV file. "
            "Upload the appendix in one of those formats."
        ),
    )
