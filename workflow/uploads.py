"""Submitted files: checked by content (uploadcheck), kept under a private root by random names, served safely."""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from workflow.uploadcheck import KINDS, CheckedUpload, UploadRefused, upload_check, upload_name_clean

__all__ = [
    "CheckedUpload", "UploadRefused", "upload_check", "upload_name_clean",
    "upload_store", "upload_open", "upload_verify", "upload_response",
]

FILE_MODE = 0o640
FOLDER_MODE = 0o750
_CHUNK = 1024 * 1024
_INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
_SERVED_TYPES = {content_type for content_type, _extension, _suffixes in KINDS.values()}
_EXTENSIONS = {extension for _content_type, extension, _suffixes in KINDS.values()}


def upload_store(*, checked: CheckedUpload, data: bytes) -> str:
    """Write `data` under PRIVATE_MEDIA_ROOT as outputs/<yyyy>/<mm>/<random hex><extension>; return that path.

    The user's filename is never part of the path. The file appears whole or not at all (temp file + os.replace).
    """
    if checked.extension not in _EXTENSIONS:
        raise ValueError(f"unexpected extension {checked.extension!r}")
    if len(data) != checked.size or hashlib.sha256(data).hexdigest() != checked.sha256:
        raise ValueError("the data is not the data that was checked")
    now = timezone.localtime()
    relative = PurePosixPath("outputs", f"{now:%Y}", f"{now:%m}", f"{uuid.uuid4().hex}{checked.extension}")
    folder = _root() / relative.parent
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), FILE_MODE)
        os.replace(temporary, folder / relative.name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _folder_sync(folder=folder)
    return str(relative)


def upload_open(*, relative_path: str) -> BinaryIO:
    """Open a stored file for reading. ValueError for any path that leaves the private root
    (absolute, "..", or a symlink pointing out); FileNotFoundError if it is simply missing."""
    path = _path_resolve(relative_path=relative_path)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError(f"not a regular file: {relative_path!r}")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def upload_verify(*, relative_path: str, sha256: str) -> bool:
    """Whether the stored file still has this SHA-256 checksum (False if it is gone)."""
    digest = hashlib.sha256()
    try:
        with upload_open(relative_path=relative_path) as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return hmac.compare_digest(digest.hexdigest(), str(sha256).strip().lower())


def upload_response(*, relative_path: str, content_type: str, original_name: str, inline: bool = False) -> FileResponse:
    """Serve a stored file as a download, under its original name (RFC 5987 encoded when not ASCII).

    No permission check happens here: the caller's view must have decided that the user may see the
    file before calling this. `inline` is honoured for PDF and images only; everything else, and any
    content type we never accept, is served as an attachment (unknown types as application/octet-stream).
    The headers forbid sniffing, scripts and caching.
    """
    served_type = content_type if content_type in _SERVED_TYPES else "application/octet-stream"
    response = FileResponse(
        upload_open(relative_path=relative_path),
        as_attachment=not (inline and served_type in _INLINE_TYPES),
        filename=upload_name_clean(filename=original_name),
        content_type=served_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _path_resolve(*, relative_path: str) -> Path:
    text = str(relative_path)
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if (
        not text.strip() or "\x00" in text or PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive or ".." in parts
    ):
        raise ValueError(f"refused path outside the private storage: {relative_path!r}")
    root = _root().resolve()
    path = (root / text).resolve()
    if path == root or not path.is_relative_to(root):
        raise ValueError(f"refused path outside the private storage: {relative_path!r}")
    return path


def _folder_sync(*, folder: Path) -> None:
    """Make the rename durable; not every system lets a folder be opened, hence best effort."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
