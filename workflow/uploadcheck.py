"""Decide what a submitted file is from its bytes alone, and refuse everything we do not accept."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format
from tasks.importers.officezip import EXCEL_MAIN_PART, WORD_MAIN_PART, archive_parts_read, archive_safety_inspect
from tasks.importers.refusal import FileRefused

NAME_MAX_CHARS = 150
NAME_FALLBACK_STEM = "tệp"

# kind -> (MIME type, extension we store and serve it with, name suffixes that already fit it)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ".pdf", (".pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", (".xlsx",)),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt", (".odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ".ods", (".ods",)),
    "png": ("image/png", ".png", (".png",)),
    "jpeg": ("image/jpeg", ".jpg", (".jpg", ".jpeg")),
}
_MAGIC = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"))
_ZIP_MAGIC = b"PK\x03\x04"
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# OpenDocument keeps Basic macros under Basic/ and Python/JavaScript/BeanShell scripts under Scripts/.
_ODF_MACRO_FOLDERS = ("basic/", "scripts/")


class UploadRefused(FileRefused):
    """A submitted file we will not keep. `code` is for programs, `message` (lazy) for people."""


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def upload_check(*, data: bytes, filename: str, max_bytes: int | None = None) -> CheckedUpload:
    """Accept PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG, judged by content; raise UploadRefused otherwise.

    The filename is only kept, cleaned, for display: it never decides the type.
    """
    limit = settings.SAURO_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if not data:
        raise UploadRefused(code="empty", message=_("The file is empty. Choose the file again and upload it."))
    if len(data) > limit:
        raise UploadRefused(
            code="too_large",
            message=message_format(
                template=_(
                    "The file is larger than %(limit)s, the most that can be uploaded. Make it smaller "
                    "(for example, scan it at a lower resolution) and upload it again."
                ),
                limit=_size_lazy(limit),
            ),
        )
    kind = _kind_detect(data=data)
    content_type, extension, _suffixes = KINDS[kind]
    return CheckedUpload(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=upload_name_clean(filename=filename, kind=kind),
    )


def upload_name_clean(*, filename: str, kind: str | None = None) -> str:
    """The name made safe to show and to offer as a download name; never empty, at most 150 characters.

    Basename only; control and format characters (newlines, NUL, bidi overrides) and leading dots removed; NFC.
    With `kind`, the name is made to end with a suffix of that kind ("x.exe" becomes "x.exe.pdf"),
    so that a saved download never opens as something other than what it was checked to be.
    """
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if char.isspace() else char for char in name
                   if char.isspace() or not unicodedata.category(char).startswith("C"))
    # Leading dots would make a hidden file of the download, or read as "..".
    name = re.sub(r" {2,}", " ", unicodedata.normalize("NFC", name)).strip().lstrip(". ")
    suffix = ""
    if kind is not None:
        _content_type, extension, suffixes = KINDS[kind]
        if not name.lower().endswith(suffixes):
            suffix = extension
        elif len(name) > NAME_MAX_CHARS:
            stem, dot, ending = name.rpartition(".")
            name, suffix = stem, dot + ending
    if not name:
        name = NAME_FALLBACK_STEM
    return name[: NAME_MAX_CHARS - len(suffix)].rstrip(" .") + suffix or NAME_FALLBACK_STEM


def _size_lazy_render(size: int) -> str:
    return str(filesizeformat(size))


_size_lazy = lazy(_size_lazy_render, str)


def _unknown_type() -> UploadRefused:
    return UploadRefused(
        code="unknown_type",
        message=_(
            "This type of file is not accepted. Accepted types: PDF, Word (.docx), Excel (.xlsx), "
            "OpenDocument text (.odt) or spreadsheet (.ods), and PNG or JPEG images. "
            "The type is judged from the file's content, not from its name."
        ),
    )


def _kind_detect(*, data: bytes) -> str:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(_ZIP_MAGIC):
        return _archive_kind_detect(data=data)
    raise _unknown_type()


def _archive_kind_detect(*, data: bytes) -> str:
    """Refuse bombs, macros and XML entities (the plan importer's checks) before looking at the parts."""
    try:
        names = archive_safety_inspect(data=data)
        odf_kind = _odf_kind_detect(data=data, names=names)
    except UploadRefused:
        raise
    except FileRefused as refused:
        raise UploadRefused(code=refused.code, message=refused.message) from refused
    lowered = {name.lower() for name in names}
    if odf_kind is not None:
        return odf_kind
    if WORD_MAIN_PART in lowered:
        return "docx"
    if EXCEL_MAIN_PART in lowered:
        return "xlsx"
    raise _unknown_type()


def _odf_kind_detect(*, data: bytes, names: list[str]) -> str | None:
    """OpenDocument: the first entry is `mimetype`, holding the document's MIME type and nothing else."""
    if not names or names[0] != "mimetype":
        return None
    declared = next(
        (content for name, content in archive_parts_read(data=data, prefix="mimetype") if name == "mimetype"), b""
    )
    kind = _ODF_MIMETYPES.get(declared.strip())
    if kind is not None and any(name.lower().startswith(_ODF_MACRO_FOLDERS) for name in names):
        raise UploadRefused(
            code="macro",
            message=_(
                "The file contains macros or scripts. Files with macros are not accepted: save it as a plain "
                "OpenDocument text (.odt) or spreadsheet (.ods) without macros and upload that."
            ),
        )
    return kind
