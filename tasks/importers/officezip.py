"""Decide whether a ZIP is a Word or Excel file we can open safely, before any parser sees it."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format
from tasks.importers.refusal import FileRefused

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 100

WORD_MAIN_PART = "word/document.xml"
EXCEL_MAIN_PART = "xl/workbook.xml"
_CONTENT_TYPES_PART = "[content_types].xml"
_PARSED_SUFFIXES = (".xml", ".rels")


def office_kind_inspect(*, data: bytes) -> str:
    """Return "docx" or "xlsx", or raise FileRefused saying what is wrong with the archive."""
    with _archive_open(data=data) as archive:
        entries = archive.infolist()
        _bomb_refuse(entries=entries)
        names = {entry.filename.lower() for entry in entries}
        _macros_refuse(archive=archive, entries=entries, names=names)
        kind = _kind_detect(names=names)
        for entry in entries:
            _entities_refuse(name=entry.filename, content=_entry_read(archive=archive, entry=entry))
    return kind


def archive_safety_inspect(*, data: bytes) -> list[str]:
    """The checks of `office_kind_inspect` (entry count, size, compression ratio, macros, XML entities)
    on any ZIP, without requiring a Word or Excel part; return the entry names in archive order.

    For callers that decide the kind themselves (workflow/uploadcheck.py also accepts OpenDocument files).
    """
    with _archive_open(data=data) as archive:
        entries = archive.infolist()
        _bomb_refuse(entries=entries)
        _macros_refuse(archive=archive, entries=entries, names={entry.filename.lower() for entry in entries})
        for entry in entries:
            _entities_refuse(name=entry.filename, content=_entry_read(archive=archive, entry=entry))
    return [entry.filename for entry in entries]


def archive_parts_read(*, data: bytes, prefix: str) -> Iterator[tuple[str, bytes]]:
    """The parts under `prefix` of an archive that `office_kind_inspect` already accepted."""
    with _archive_open(data=data) as archive:
        for entry in archive.infolist():
            if entry.filename.lower().startswith(prefix) and not entry.is_dir():
                yield entry.filename, _entry_read(archive=archive, entry=entry)


def _archive_open(*, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # zipfile raises many unrelated types on a damaged directory
        raise _damaged() from error


def _entry_read(*, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(entry)
    except Exception as error:  # bad CRC, unknown compression, encryption, truncated data…
        raise _damaged() from error


def _damaged() -> FileRefused:
    return FileRefused(
        code="damaged",
        message=_("The file is damaged or incomplete (perhaps the upload was cut short). Save it again and upload it."),
    )


def _bomb_refuse(*, entries: list[zipfile.ZipInfo]) -> None:
    """Judge the archive from its central directory alone: nothing has been decompressed yet."""
    if len(entries) > MAX_ENTRIES:
        raise FileRefused(
            code="zip_bomb",
            message=message_format(
                template=_("The file holds %(count)s parts; a Word or Excel file holds far fewer. It was not opened."),
                count=len(entries),
            ),
        )
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            code="zip_bomb",
            message=_("The file would take more than 50 MB once unpacked. It was not opened."),
        )
    for entry in entries:
        if _ratio_excessive(entry=entry):
            raise FileRefused(
                code="zip_bomb",
                message=_("A part of the file is compressed far more than a real document can be. It was not opened."),
            )


def _ratio_excessive(*, entry: zipfile.ZipInfo) -> bool:
    if entry.file_size == 0:
        return False
    if entry.compress_size == 0:
        return True
    return entry.file_size / entry.compress_size > MAX_COMPRESSION_RATIO


def _macros_refuse(*, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], names: set[str]) -> None:
    has_vba_project = any(name.endswith("vbaproject.bin") for name in names)
    content_types = next((entry for entry in entries if entry.filename.lower() == _CONTENT_TYPES_PART), None)
    macro_content_type = content_types is not None and b"macroenabled" in _entry_read(
        archive=archive, entry=content_types
    ).lower()
    if has_vba_project or macro_content_type:
        raise FileRefused(
            code="macro",
            message=_(
                "The file contains macros (a .docm or .xlsm file). Files with macros are not accepted: "
                "save it as a plain Word document (.docx) or Excel workbook (.xlsx) and upload that."
            ),
        )


def _kind_detect(*, names: set[str]) -> str:
    if WORD_MAIN_PART in names:
        return "docx"
    if EXCEL_MAIN_PART in names:
        return "xlsx"
    raise FileRefused(
        code="not_office",
        message=_("The file is a ZIP archive but not a Word (.docx) or Excel (.xlsx) file. Upload the document itself."),
    )


def _xml_part_is(*, name: str, content: bytes) -> bool:
    """A part a parser may read as XML: named so, or starting like XML whatever its name.

    SVG images are left alone: they are never parsed here, and often carry a harmless DOCTYPE.
    """
    lowered = name.lower()
    if lowered.endswith(".svg"):
        return False
    start = content[:64].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    return lowered.endswith(_PARSED_SUFFIXES) or start.startswith(b"<")


def _entities_refuse(*, name: str, content: bytes) -> None:
    if not _xml_part_is(name=name, content=content):
        return
    # Removing NUL bytes also finds the declarations in UTF-16 encoded XML.
    folded = content.replace(b"\x00", b"").lower()
    if b"<!doctype" in folded or b"<!entity" in folded:
        raise FileRefused(
            code="xml_entities",
            message=message_format(
                template=_(
                    "The part “%(part)s” of the file declares XML entities, which documents saved by Word "
                    "or Excel never do. It was not opened."
                ),
                part=name,
            ),
        )
