"""Issue 8, bad input: the importers fed random bytes and damaged copies of the real appendices.

Whatever arrives, an import ends one of two ways: refused (PlanImportFailed, each problem said in
Vietnamese and in English) with the database exactly as it was, or — when a mutation happens to
leave a readable appendix — one whole plan and its one audit event. It never ends in another
exception, and never half-way. The file readers alone end in their tables or in FileRefused.

Every example runs in a savepoint that is rolled back, so the examples stay independent. On
PostgreSQL (CI) this also proves that no value a file can carry breaks a column's limits.
SAURO_FUZZ_EXAMPLES scales the number of examples for a longer run.
"""
from __future__ import annotations

import csv
import io
import os

import docx
import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from audit.models import AuditEvent
from roles.models import Commune, Post, Unit
from tasks.importers.appendix import appendix_read
from tasks.importers.files import FileRefused, tables_read
from tasks.models import Indicator, IndicatorTarget, Plan, PlanUpload, RowGroup, Task
from tasks.problems import PlanImportFailed
from tasks.services import PlanFile, plan_import
from tests.conftest import DATA
from tests.docbuild import zip_bytes, zip_parts

SCALE = int(os.environ.get("SAURO_FUZZ_EXAMPLES", "0")) or None
# Hypothesis warns when it prints a huge failing example; the huge cells are the point here.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")


def _examples(default: int) -> int:
    return SCALE or default


def _fuzz(examples: int):
    # In CI the examples are the same on every run (a failure there reproduces); locally they vary.
    return settings(max_examples=_examples(examples), deadline=None, derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


SAMPLES = {path.name: path.read_bytes() for path in sorted(DATA.iterdir())
           if path.name.startswith("000_")}  # Thanh Miện's own plan: it imports cleanly into Thanh Miện
WORD, EXCEL = SAMPLES["000_phu_luc.docx"], SAMPLES["000_phu_luc.xlsx"]
CSV_INDICATORS, CSV_TASKS = SAMPLES["000_phu_luc_1_chi_tieu.csv"], SAMPLES["000_phu_luc_2_nhiem_vu.csv"]
ZIPPED = {"000_phu_luc.docx": WORD, "000_phu_luc.xlsx": EXCEL}

COUNTED = (Commune, Unit, Post, Plan, RowGroup, Task, Indicator, IndicatorTarget, AuditEvent)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _problems_bilingual(failed: PlanImportFailed) -> None:
    assert failed.problems, "a refusal must say why"
    rendered = [problem.as_dict() for problem in failed.problems]
    for problem in rendered:
        assert problem["vi"].strip() and problem["en"].strip(), problem
    assert any(problem["vi"] != problem["en"] for problem in rendered), f"not translated: {rendered}"
    assert str(failed).strip()


def _import(*, commune: Commune, files: list[PlanFile], create_missing: bool = False) -> str:
    """Import in a savepoint rolled back afterwards; "refused" or "imported", after checking either."""
    before = _counts()
    with transaction.atomic():
        try:
            result = plan_import(commune_slug=commune.slug, files=files, create_missing=create_missing)
        except PlanImportFailed as failed:
            _problems_bilingual(failed)
            assert _counts() == before, "a refused import changed the database"
            outcome = "refused"
        else:
            after = _counts()
            assert after["Plan"] == before["Plan"] + 1
            assert after["Task"] - before["Task"] == result.tasks
            assert after["Indicator"] - before["Indicator"] == result.indicators
            assert AuditEvent.objects.filter(kind="imported", plan_id=result.plan.pk).count() == 1
            outcome = "imported"
        transaction.set_rollback(True)
    assert _counts() == before
    return outcome


def _refused(*, commune: Commune, files: list[PlanFile], create_missing: bool = False) -> None:
    assert _import(commune=commune, files=files, create_missing=create_missing) == "refused", [f.name for f in files]


# Strategies: whole files ----------------------------------------------------------------------

FILENAMES = st.sampled_from(["ke_hoach.docx", "ke_hoach.xlsx", "phu_luc.csv", "phu_luc", "a.pdf", "../../x.docx",
                             "C:\\Users\\van thu\\Phụ lục.docx", ""])
SIGNATURES = [b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0", b"%PDF-", b"{\\rtf", b"\xef\xbb\xbf",
              b"\xff\xfe", b"\xfe\xff", b"STT,T\xc3\xaan nhi\xe1\xbb\x87m v\xe1\xbb\xa5\n"]


@st.composite
def random_bytes(draw) -> bytes:
    return draw(st.sampled_from(SIGNATURES)) + draw(st.binary(max_size=3000))


@st.composite
def truncated_sample(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(ZIPPED)))
    data = ZIPPED[name]
    return name, data[: draw(st.integers(min_value=0, max_value=len(data) - 1))]


@st.composite
def flipped_sample(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(ZIPPED)))
    data = bytearray(ZIPPED[name])
    for _ in range(draw(st.integers(min_value=1, max_value=10))):
        data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(st.integers(min_value=0, max_value=255))
    return name, bytes(data)


@st.composite
def entries_dropped(draw) -> tuple[str, bytes, set[str]]:
    name = draw(st.sampled_from(sorted(ZIPPED)))
    parts = zip_parts(data=ZIPPED[name])
    dropped = set(draw(st.lists(st.sampled_from(sorted(parts)), min_size=1, max_size=len(parts), unique=True)))
    return name, zip_bytes(entries={part: content for part, content in parts.items() if part not in dropped}), dropped


XML_DAMAGE = ["truncate", "unclosed", "stray_lt", "stray_amp", "bad_encoding", "doctype", "garbage", "empty",
              "nul", "deep"]


def _xml_damaged(*, xml: bytes, how: str, at: int) -> bytes:
    at = at % max(len(xml), 1)
    if how == "truncate":
        return xml[:at]
    if how == "unclosed":
        closing = xml.rfind(b"</")
        return xml[:closing] if closing > 0 else xml + b"<open>"
    if how == "stray_lt":
        return xml[:at] + b"<" + xml[at:]
    if how == "stray_amp":
        return xml[:at] + b"&nbsp;&#xFFFFFF;&" + xml[at:]
    if how == "bad_encoding":
        return b'<?xml version="1.0" encoding="x-unknown-7"?>' + xml.split(b"?>", 1)[-1]
    if how == "doctype":
        return b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "e">]>' + xml.split(b"?>", 1)[-1]
    if how == "garbage":
        return xml[:at] + bytes(range(256)) + xml[at:]
    if how == "empty":
        return b""
    if how == "nul":
        return xml.replace(b"<", b"\x00<", 5)
    return xml[:at] + b"<a>" * 5000 + b"</a>" * 5000 + xml[at:]  # deep nesting


@st.composite
def xml_corrupted(draw) -> tuple[str, bytes, str]:
    name = draw(st.sampled_from(sorted(ZIPPED)))
    parts = zip_parts(data=ZIPPED[name])
    part = draw(st.sampled_from(sorted(p for p in parts if p.endswith((".xml", ".rels")))))
    how = draw(st.sampled_from(XML_DAMAGE))
    parts[part] = _xml_damaged(xml=parts[part], how=how, at=draw(st.integers(min_value=0)))
    return name, zip_bytes(entries=parts), f"{part}: {how}"


# Strategies: one cell of a real appendix changed ----------------------------------------------

NASTY_CELLS = st.one_of(
    st.integers(min_value=20_000, max_value=300_000).map(lambda n: ("Nhiệm vụ rất dài " * (n // 17 + 1))[:n]),
    st.integers(min_value=21, max_value=400).map(lambda n: ("1." * n)[:n]),  # a number no column holds
    st.sampled_from(["", " ", "\u200b", "=cmd|'/C calc'!A0", "@SUM(1)", "\u202eLTR", "😀" * 50, "Năm 99999",
                     "Năm 0", "Năm 2025", "Quý 0/2025", "Tháng 13/2025", "31/2/2025", "≥ 1" + "0" * 400 + "%",
                     "I.", "II", "IV.", "Văn phòng Đảng ủy, " * 200, "Phòng " + "X" * 300, "Đồng chí " + "Y" * 300,
                     "\x00\x01\x02", "<w:p>", "&amp;", "\"", "'", "\n\n\n", "NaN", "1e308", "-1"]),
    st.text(max_size=60),
)


def _xml_safe(value: str) -> str:
    """What Word and Excel can save at all: XML 1.0 has no control characters or lone surrogates."""
    return "".join(character for character in value if (character >= " " or character in "\n\t")
                   and not "\ud800" <= character <= "\udfff" and character not in "\ufffe\uffff")


def _csv_cell_changed(*, data: bytes, row: int, column: int, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    target = rows[row % len(rows)]
    target[column % len(target)] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _docx_cell_changed(*, data: bytes, table: int, row: int, column: int, value: str) -> bytes:
    document = docx.Document(io.BytesIO(data))
    chosen = document.tables[table % len(document.tables)]
    cells = chosen.rows[row % len(chosen.rows)].cells
    cells[column % len(cells)].text = _xml_safe(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_paragraph_changed(*, data: bytes, paragraph: int, value: str) -> bytes:
    """A heading line changed: the plan's number, issuer and title are read from these."""
    document = docx.Document(io.BytesIO(data))
    chosen = document.paragraphs[paragraph % len(document.paragraphs)]
    chosen.text = _xml_safe(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HEADING_LINES = st.one_of(NASTY_CELLS, st.sampled_from([
    "KẾ HOẠCH số " + "9" * 120 + "-KH/ĐU ngày 10/9/2025",
    "(Kèm theo Kế hoạch số 12-KH/ĐU ngày 31/2/2025 của " + "BAN THƯỜNG VỤ ĐẢNG ỦY " * 20 + ")",
    "ĐẢNG ỦY XÃ " + "THANH MIỆN " * 40,
    "Kế hoạch số -KH/ĐU ngày 99/99/9999",
]))


def _xlsx_cell_changed(*, data: bytes, sheet: int, row: int, column: int, value: str) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    chosen = workbook.worksheets[sheet % len(workbook.worksheets)]
    row, column = row % chosen.max_row + 1, column % chosen.max_column + 1
    for merged in chosen.merged_cells.ranges:  # a merged range is written through its top-left cell
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            row, column = merged.min_row, merged.min_col
    chosen.cell(row=row, column=column).value = _xml_safe(value)[:32767]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def one_cell_changed(draw) -> tuple[list[PlanFile], str]:
    kind = draw(st.sampled_from(["docx", "docx_heading", "xlsx", "csv_tasks", "csv_indicators"]))
    value = draw(HEADING_LINES if kind == "docx_heading" else NASTY_CELLS)
    row, column = draw(st.integers(min_value=0, max_value=60)), draw(st.integers(min_value=0, max_value=12))
    if kind == "docx_heading":
        files = [PlanFile(name="ke_hoach.docx", data=_docx_paragraph_changed(data=WORD, paragraph=row, value=value))]
    elif kind == "docx":
        files = [PlanFile(name="ke_hoach.docx", data=_docx_cell_changed(
            data=WORD, table=draw(st.integers(min_value=0, max_value=3)), row=row, column=column, value=value))]
    elif kind == "xlsx":
        files = [PlanFile(name="ke_hoach.xlsx", data=_xlsx_cell_changed(
            data=EXCEL, sheet=draw(st.integers(min_value=0, max_value=3)), row=row, column=column, value=value))]
    else:
        changed, kept = (CSV_TASKS, CSV_INDICATORS) if kind == "csv_tasks" else (CSV_INDICATORS, CSV_TASKS)
        files = [PlanFile(name=f"{kind}.csv", data=_csv_cell_changed(data=changed, row=row, column=column, value=value)),
                 PlanFile(name="other.csv", data=kept)]
    return files, f"{kind} row {row} column {column}: {value[:40]!r}… ({len(value)} characters)"


# The readers alone ----------------------------------------------------------------------------


def _read_or_refused(*, data: bytes, filename: str) -> None:
    try:
        tables = tables_read(data=data, filename=filename)
    except FileRefused as refused:
        assert refused.code
        for language in ("vi", "en"):
            with translation.override(language):
                assert str(refused.message).strip()
        return
    appendix_read(tables=tables)  # whatever the tables hold, reading them as an appendix does not raise


@_fuzz(150)
@given(data=random_bytes(), filename=FILENAMES)
def test_random_bytes_are_refused_by_the_reader_or_read_as_text(data, filename):
    _read_or_refused(data=data, filename=filename)


@_fuzz(60)
@given(sample=st.one_of(truncated_sample(), flipped_sample()))
def test_a_truncated_or_flipped_office_file_is_read_or_refused_by_the_reader(sample):
    name, data = sample
    _read_or_refused(data=data, filename=name)


# The whole import, against the database -------------------------------------------------------


@pytest.fixture
def commune(thanh_mien):
    return thanh_mien


@_fuzz(40)
@given(data=random_bytes(), filename=FILENAMES, create_missing=st.booleans())
def test_an_import_of_random_bytes_is_refused_and_changes_nothing(commune, data, filename, create_missing):
    _refused(commune=commune, files=[PlanFile(name=filename, data=data)], create_missing=create_missing)


@_fuzz(25)
@given(sample=truncated_sample())
def test_an_import_of_a_truncated_word_or_excel_file_is_refused_and_changes_nothing(commune, sample):
    name, data = sample
    _refused(commune=commune, files=[PlanFile(name=name, data=data)])


@_fuzz(25)
@given(sample=flipped_sample(), create_missing=st.booleans())
def test_an_import_of_a_file_with_flipped_bytes_is_whole_or_refused(commune, sample, create_missing):
    name, data = sample
    _import(commune=commune, files=[PlanFile(name=name, data=data)], create_missing=create_missing)


MAIN_PARTS = {"word/document.xml", "xl/workbook.xml"}


@_fuzz(25)
@given(sample=entries_dropped())
def test_an_import_missing_parts_of_the_archive_is_whole_or_refused(commune, sample):
    name, data, dropped = sample
    outcome = _import(commune=commune, files=[PlanFile(name=name, data=data)])
    if dropped & MAIN_PARTS:
        assert outcome == "refused", dropped


@_fuzz(30)
@given(sample=xml_corrupted())
def test_an_import_with_broken_xml_inside_the_archive_is_whole_or_refused(commune, sample):
    name, data, damage = sample
    outcome = _import(commune=commune, files=[PlanFile(name=name, data=data)])
    if damage.startswith(("word/document.xml", "xl/workbook.xml")) and not damage.endswith(("deep", "nul")):
        assert outcome == "refused", damage


@_fuzz(20)
@given(sample=one_cell_changed(), create_missing=st.booleans())
def test_an_import_with_one_hostile_cell_is_whole_or_refused(commune, sample, create_missing):
    files, _what = sample
    _import(commune=commune, files=files, create_missing=create_missing)


def test_a_huge_csv_cell_is_refused_saying_so(commune):
    data = _csv_cell_changed(data=CSV_TASKS, row=1, column=1, value="x" * 200_000)
    with pytest.raises(PlanImportFailed) as caught:
        plan_import(commune_slug=commune.slug, files=[PlanFile(name="nv.csv", data=data),
                                                      PlanFile(name="ct.csv", data=CSV_INDICATORS)])
    _problems_bilingual(caught.value)
    with translation.override("en"):
        assert "too long" in str(caught.value.problems[0].message)


def test_the_unchanged_samples_import_so_the_mutations_start_from_a_good_file(commune):
    for files in ([PlanFile(name="k.docx", data=WORD)], [PlanFile(name="k.xlsx", data=EXCEL)],
                  [PlanFile(name="a.csv", data=CSV_INDICATORS), PlanFile(name="b.csv", data=CSV_TASKS)]):
        assert _import(commune=commune, files=files) == "imported"


# Through the import page ----------------------------------------------------------------------


@_fuzz(12)
@given(sample=st.one_of(truncated_sample(), flipped_sample(), xml_corrupted().map(lambda s: s[:2]),
                        random_bytes().map(lambda data: ("ke_hoach.docx", data))))
def test_the_import_page_shows_the_refusal_and_confirming_it_changes_nothing(commune, people, login, sample):
    name, data = sample
    client = login(people["party_office"])
    before = _counts()
    with transaction.atomic():
        response = client.post(reverse("plan_upload"), {
            "commune": commune.pk, "file": _upload(name=name or "x.docx", data=data)})
        if response.status_code == 200:  # the form refused it (an empty file): nothing was kept
            assert not PlanUpload.objects.exists() and response.context["form"].errors
        else:
            assert response.status_code == 302, response.status_code
            upload = PlanUpload.objects.get()
            preview = client.get(response["Location"])
            if preview.status_code == 422:
                assert preview.context["problems"]
                assert client.post(reverse("plan_upload_confirm", args=[upload.pk])).status_code == 302
                assert {k: v for k, v in _counts().items()} == before
            else:
                assert preview.status_code == 200
        transaction.set_rollback(True)


def _upload(*, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
