"""Submitted files: judged by content, refused when hostile, stored privately under random names, served safely."""
from __future__ import annotations

import ast
import hashlib
import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import polib_lite
import pytest
from django.utils import translation
from django.utils.functional import Promise
from docbuild import WordTable, docm_disguised, docx_bytes, zip_bytes, zip_parts, zip_parts_replace
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from workflow.uploads import (
    CheckedUpload,
    UploadRefused,
    upload_check,
    upload_name_clean,
    upload_open,
    upload_response,
    upload_store,
    upload_verify,
)

ROOT = Path(__file__).resolve().parent.parent
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def pdf_bytes() -> bytes:
    """A minimal valid PDF: one empty page, with a cross-reference table whose offsets are right."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes() -> bytes:
    """A real 1×1 grey PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """A JFIF header and the end-of-image marker: the magic is what is checked."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def odf_bytes(*, mimetype: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument file built by hand: `mimetype` first and stored uncompressed, then the parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        parts = {
            "content.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                           b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3">'
                           b"<office:body><office:text/></office:body></office:document-content>",
            "META-INF/manifest.xml": b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                                     b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            **(extra or {}),
        }
        for name, content in parts.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DOCX = docx_bytes(tables=[WordTable(rows=[["STT", "Tên nhiệm vụ"], ["1", "Ban hành kế hoạch"]])],
                  paragraphs=["Quyết định"])


def _xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["STT", "Chỉ tiêu"])
    workbook.active.append([1, "Tỷ lệ hồ sơ trực tuyến"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = _xlsx()
ODT = odf_bytes(mimetype=ODT_MIMETYPE)
ODS = odf_bytes(mimetype=ODS_MIMETYPE)
PDF = pdf_bytes()


# --- Accepted files ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "filename", "kind", "content_type", "extension"), [
    (PDF, "quyet-dinh.pdf", "pdf", "application/pdf", ".pdf"),
    (DOCX, "ke-hoach.docx", "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    (XLSX, "bao-cao.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    (ODT, "bien-ban.odt", "odt", "application/vnd.oasis.opendocument.text", ".odt"),
    (ODS, "so-lieu.ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    (png_bytes(), "anh.png", "png", "image/png", ".png"),
    (jpeg_bytes(), "anh.jpeg", "jpeg", "image/jpeg", ".jpg"),
])
def test_accepted_files_are_known_by_their_content(data, filename, kind, content_type, extension):
    checked = upload_check(data=data, filename=filename)
    assert checked == CheckedUpload(kind=kind, content_type=content_type, extension=extension, size=len(data),
                                    sha256=hashlib.sha256(data).hexdigest(), original_name=filename)


def test_the_name_never_decides_the_type():
    checked = upload_check(data=PDF, filename="ke-hoach.docx")
    assert (checked.kind, checked.extension, checked.original_name) == ("pdf", ".pdf", "ke-hoach.docx.pdf")


def test_the_limit_comes_from_settings(settings):
    assert isinstance(settings.SAURO_UPLOAD_MAX_BYTES, int)
    if "SAURO_UPLOAD_MAX_BYTES" not in os.environ:
        assert settings.SAURO_UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    settings.SAURO_UPLOAD_MAX_BYTES = len(PDF)
    assert upload_check(data=PDF, filename="a.pdf").size == len(PDF)
    with pytest.raises(UploadRefused) as refused:
        upload_check(data=PDF + b"\n", filename="a.pdf")
    assert refused.value.code == "too_large"


# --- Refused files -------------------------------------------------------------------------------------------

def _doctype_docx() -> bytes:
    document = zip_parts(data=DOCX)["word/document.xml"]
    hostile = document.replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
    ).replace(b"Quy", b"&xxe;Quy", 1)
    return zip_parts_replace(data=DOCX, parts={"word/document.xml": hostile})


def _zip_bomb() -> bytes:
    return zip_parts_replace(data=DOCX, parts={"word/media/image1.bin": bytes(4 * 1024 * 1024)})


REFUSED = [
    ("empty", b"", "trong.pdf", "empty"),
    ("too large", PDF, "lon.pdf", "too_large"),
    ("exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100) + b"This program cannot be run in DOS mode", "x.pdf",
     "unknown_type"),
    ("html renamed pdf", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "bien-ban.pdf",
     "unknown_type"),
    ("html with a late pdf magic", b"<html><script>alert(1)</script>%PDF-1.4", "a.pdf", "unknown_type"),
    ("svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "anh.png",
     "unknown_type"),
    ("text renamed docx", "Kế hoạch số 12/KH-UBND\n".encode(), "ke-hoach.docx", "unknown_type"),
    ("docm renamed docx", docm_disguised(data=DOCX), "ke-hoach.docx", "macro"),
    ("zip bomb", _zip_bomb(), "ke-hoach.docx", "zip_bomb"),
    ("docx with an XML entity", _doctype_docx(), "ke-hoach.docx", "xml_entities"),
    ("odt with Basic macros", odf_bytes(mimetype=ODT_MIMETYPE, extra={"Basic/Standard/Module1.xml": b"<x/>"}),
     "a.odt", "macro"),
    ("ods with scripts", odf_bytes(mimetype=ODS_MIMETYPE, extra={"Scripts/python/run.py": b"import os"}),
     "a.ods", "macro"),
    ("odp presentation", odf_bytes(mimetype=b"application/vnd.oasis.opendocument.presentation"), "a.odt",
     "unknown_type"),
    ("odt template", odf_bytes(mimetype=b"application/vnd.oasis.opendocument.text-template"), "a.odt",
     "unknown_type"),
    ("plain zip", zip_bytes(entries={"readme.txt": b"hello"}), "a.docx", "unknown_type"),
    ("jar renamed docx", zip_bytes(entries={"META-INF/MANIFEST.MF": b"Main-Class: X\n", "X.class": b"\xca\xfe"}),
     "a.docx", "unknown_type"),
    ("empty zip", b"PK\x05\x06" + bytes(18), "a.docx", "unknown_type"),
    ("truncated docx", DOCX[: len(DOCX) // 2], "a.docx", "damaged"),
]


@pytest.mark.parametrize(("data", "filename", "code"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_hostile_or_unknown_files_are_refused(data, filename, code):
    with pytest.raises(UploadRefused) as refused:
        upload_check(data=data, filename=filename, max_bytes=len(PDF) - 1 if code == "too_large" else None)
    assert refused.value.code == code
    assert str(refused.value.message)


def test_the_unknown_type_message_says_what_is_accepted():
    with pytest.raises(UploadRefused) as refused:
        upload_check(data=b"MZ\x90\x00", filename="setup.exe")
    message = refused.value.message
    assert isinstance(message, Promise)
    for accepted in ("PDF", ".docx", ".xlsx", ".odt", ".ods", "PNG", "JPEG"):
        assert accepted in str(message)


def test_the_too_large_message_is_lazy_and_names_the_limit():
    with pytest.raises(UploadRefused) as refused:
        upload_check(data=bytes(3 * 1024 * 1024), filename="a.pdf", max_bytes=2 * 1024 * 1024)
    message = refused.value.message
    assert isinstance(message, Promise)
    for language in ("en", "vi"):  # config/formats writes decimals with a comma in both languages
        with translation.override(language):
            assert "2,0\xa0MB" in str(message)


# --- Display names -------------------------------------------------------------------------------------------

NFD_NAME = unicodedata.normalize("NFD", "Quyết định số 12.pdf")


@pytest.mark.parametrize(("filename", "expected"), [
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\evil\\x.pdf", "x.pdf"),
    ("/var/www/../x.pdf", "x.pdf"),
    ("bad\nname.pdf", "bad name.pdf"),
    ("a\r\n\tb.pdf", "a b.pdf"),
    ("nul\x00byte.pdf", "nulbyte.pdf"),
    ("bell\x07\x1b[31mred.pdf", "bell[31mred.pdf"),
    ("\u202efdp.exe", "fdp.exe.pdf"),
    (NFD_NAME, "Quyết định số 12.pdf"),
    ("report.exe", "report.exe.pdf"),
    ("Kế hoạch 2025", "Kế hoạch 2025.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("..", "tệp.pdf"),
    ("../", "tệp.pdf"),
    ("", "tệp.pdf"),
    ("\x00\n", "tệp.pdf"),
    ("  Báo   cáo.PDF  ", "Báo cáo.PDF"),
])
def test_display_names_are_made_safe(filename, expected):
    assert upload_check(data=PDF, filename=filename).original_name == expected


@pytest.mark.parametrize("filename", ["x" * 400 + ".pdf", "x" * 400, "ễ" * 400 + ".pdf", "a/" * 300 + "b" * 400])
def test_long_names_are_cut_to_150_characters_keeping_the_extension(filename):
    name = upload_check(data=PDF, filename=filename).original_name
    assert len(name) == 150 and name.endswith(".pdf")


def test_a_jpeg_may_keep_its_jpeg_suffix():
    assert upload_check(data=jpeg_bytes(), filename="anh.JPEG").original_name == "anh.JPEG"
    assert upload_check(data=jpeg_bytes(), filename="anh.png").original_name == "anh.png.jpg"


@given(st.text(max_size=500))
def test_any_name_becomes_a_safe_name(filename):
    for kind in (None, "pdf", "jpeg"):
        name = upload_name_clean(filename=filename, kind=kind)
        assert 1 <= len(name) <= 150
        assert "/" not in name and "\\" not in name
        assert not any(unicodedata.category(char).startswith("C") for char in name)
        assert unicodedata.is_normalized("NFC", name)
        assert not name.startswith(".")


# --- Anything at all only ever raises UploadRefused ----------------------------------------------------------

def _mutated(base: bytes) -> st.SearchStrategy[bytes]:
    return st.lists(st.tuples(st.integers(0, len(base) - 1), st.integers(0, 255)), max_size=8).map(
        lambda edits: bytes(_apply(base, edits)))


def _apply(base: bytes, edits) -> bytearray:
    out = bytearray(base)
    for position, value in edits:
        out[position] = value
    return out


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=2048).map(lambda tail: b"PK\x03\x04" + tail),
    st.binary(max_size=256).map(lambda tail: b"PK\x05\x06" + tail),
    _mutated(DOCX),
    _mutated(ODT),
), st.text(max_size=50))
def test_random_bytes_are_accepted_or_refused_never_crash(data, filename):
    try:
        checked = upload_check(data=data, filename=filename, max_bytes=1024 * 1024)
    except UploadRefused as refused:
        assert refused.code and str(refused.message)
    else:
        assert checked.kind in {"pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg"}


# --- Private storage -----------------------------------------------------------------------------------------

@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


def _all_files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file() or path.is_symlink()}


def test_a_stored_file_has_a_random_private_name(private_root, tmp_path):
    checked = upload_check(data=PDF, filename="Quyết định bí mật số 99.pdf")
    first = upload_store(checked=checked, data=PDF)
    second = upload_store(checked=checked, data=PDF)
    assert first != second
    for relative in (first, second):
        assert re.fullmatch(r"outputs/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", relative)
        # The full match above already says the name is 32 random hex digits; no word of the user's survives.
        for part in ("Quy", "bí", "mật", "quyet"):
            assert part not in Path(relative).name
        stored = private_root / relative
        assert stored.read_bytes() == PDF
        assert stored.stat().st_mode & 0o777 == 0o640
    assert _all_files(tmp_path) == {private_root / first, private_root / second}  # no temp file, nothing outside


def test_only_the_checked_data_is_stored(private_root):
    checked = upload_check(data=PDF, filename="a.pdf")
    with pytest.raises(ValueError):
        upload_store(checked=checked, data=PDF[:-1] + b"X")
    forged = CheckedUpload(kind="pdf", content_type="application/pdf", extension="/../../x.sh", size=len(PDF),
                           sha256=checked.sha256, original_name="a.pdf")
    with pytest.raises(ValueError):
        upload_store(checked=forged, data=PDF)
    assert not private_root.exists() or _all_files(private_root) == set()


def test_stored_files_open_and_verify(private_root):
    checked = upload_check(data=DOCX, filename="ke-hoach.docx")
    relative = upload_store(checked=checked, data=DOCX)
    with upload_open(relative_path=relative) as handle:
        assert handle.read() == DOCX
    assert upload_verify(relative_path=relative, sha256=checked.sha256)
    assert upload_verify(relative_path=relative, sha256=checked.sha256.upper())


def test_a_changed_byte_or_a_missing_file_fails_verification(private_root):
    checked = upload_check(data=PDF, filename="a.pdf")
    relative = upload_store(checked=checked, data=PDF)
    path = private_root / relative
    changed = bytearray(path.read_bytes())
    changed[len(changed) // 2] ^= 0x01
    path.write_bytes(bytes(changed))
    assert not upload_verify(relative_path=relative, sha256=checked.sha256)
    path.unlink()
    assert not upload_verify(relative_path=relative, sha256=checked.sha256)
    with pytest.raises(FileNotFoundError):
        upload_open(relative_path=relative)


def test_paths_leaving_the_private_root_are_refused(private_root, tmp_path):
    relative = upload_store(checked=upload_check(data=PDF, filename="a.pdf"), data=PDF)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"secret")
    (private_root / "outputs" / "link.pdf").symlink_to(secret)
    (private_root / "outputs" / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    hostile = [
        "../secret.txt", "outputs/../../secret.txt", str(secret), "/etc/passwd", str(private_root / relative),
        "..\\secret.txt", "C:\\Windows\\win.ini", "C:secret.txt", "outputs/link.pdf", "outputs/dirlink/secret.txt",
        "", ".", "outputs", "outputs/\x00.pdf",
    ]
    for path in hostile:
        with pytest.raises(ValueError):
            upload_open(relative_path=path)
    with pytest.raises(ValueError):
        upload_verify(relative_path="../secret.txt", sha256=hashlib.sha256(b"secret").hexdigest())


# --- Serving ---------------------------------------------------------------------------------------------------

def _served(response) -> bytes:
    # Read and close the file itself: response.close() would fire Django's request_finished
    # signal, which touches the database connection these tests do not ask for.
    try:
        return b"".join(response.streaming_content)
    finally:
        response.file_to_stream.close()


def test_a_file_is_served_as_a_download_with_safe_headers(private_root):
    checked = upload_check(data=DOCX, filename="ke-hoach.docx")
    relative = upload_store(checked=checked, data=DOCX)
    response = upload_response(relative_path=relative, content_type=checked.content_type,
                               original_name=checked.original_name)
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach.docx"'
    assert response["Content-Type"] == checked.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(DOCX))
    assert _served(response) == DOCX


def test_a_vietnamese_name_is_rfc5987_encoded(private_root):
    relative = upload_store(checked=upload_check(data=PDF, filename="a.pdf"), data=PDF)
    response = upload_response(relative_path=relative, content_type="application/pdf",
                               original_name="Quyết định.pdf")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf"
    _served(response)


def test_a_stored_name_with_a_newline_or_quote_cannot_break_the_header(private_root):
    relative = upload_store(checked=upload_check(data=PDF, filename="a.pdf"), data=PDF)
    response = upload_response(relative_path=relative, content_type="application/pdf",
                               original_name='x"\r\nSet-Cookie: a=b.pdf')
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]
    assert response.get("Set-Cookie") is None
    _served(response)


@pytest.mark.parametrize(("data", "content_type", "inline", "disposition", "served_type"), [
    (PDF, "application/pdf", True, "inline", "application/pdf"),
    (png_bytes(), "image/png", True, "inline", "image/png"),
    (jpeg_bytes(), "image/jpeg", True, "inline", "image/jpeg"),
    (PDF, "application/pdf", False, "attachment", "application/pdf"),
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True, "attachment",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (PDF, "text/html", True, "attachment", "application/octet-stream"),
    (PDF, "image/svg+xml", True, "attachment", "application/octet-stream"),
])
def test_only_pdf_and_images_are_shown_inline(private_root, data, content_type, inline, disposition, served_type):
    relative = upload_store(checked=upload_check(data=data, filename="x"), data=data)
    response = upload_response(relative_path=relative, content_type=content_type, original_name="x", inline=inline)
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert response["Content-Type"] == served_type
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    _served(response)


def test_serving_refuses_paths_outside_the_root(private_root, tmp_path):
    (tmp_path / "secret.txt").write_bytes(b"secret")
    with pytest.raises(ValueError):
        upload_response(relative_path="../secret.txt", content_type="application/pdf", original_name="a.pdf")


# --- Translations ----------------------------------------------------------------------------------------------

def _msgids_in(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
            found.add(node.args[0].value)
    return found


def test_every_upload_message_has_a_vietnamese_translation():
    used = _msgids_in(ROOT / "workflow" / "uploadcheck.py") | _msgids_in(ROOT / "workflow" / "uploads.py")
    assert len(used) >= 4
    entries = {entry.msgid: entry for entry in polib_lite.entries_read(path=ROOT / "locale" / "sources" / "uploads.po")}
    assert used <= set(entries)
    assert all(entries[msgid].translated and not entries[msgid].fuzzy for msgid in used)
