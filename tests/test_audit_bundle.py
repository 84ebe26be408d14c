"""Evidence bundles (issue 5): what the zip holds, offline verification, tampering found, the export recorded."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from audit.chain import HASHED_FIELDS
from audit.models import AuditChain, AuditEvent
from audit.verify import bundle_verify
from inspection.models import InspectionCase
from tests.audit_history import RETURN_REASONS, TODAY, at, history_build, pdf
from workflow.models import StoredFile
from workflow.services import occurrence_accept


@pytest.fixture
def history(thanh_mien_plan, people):
    return history_build(plan=thanh_mien_plan, people=people)


@pytest.fixture
def today():
    with time_machine.travel(at(TODAY, 10), tick=False):
        yield TODAY


def _export(client, commune, data: dict):
    return client.post(reverse("audit_bundle_export", args=[commune.slug]), data)


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _saved(archive: zipfile.ZipFile, tmp_path: Path, name="bundle.zip", replace: dict | None = None) -> Path:
    """The bundle written to disk, optionally with some entries replaced (a tampered copy)."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as out:
        for item in archive.namelist():
            out.writestr(item, (replace or {}).get(item, archive.read(item)))
    return path


def _verify(path: Path, capsys) -> tuple[int, str]:
    try:
        call_command("verify_audit", bundle=str(path))
    except SystemExit as stopped:
        return stopped.code, capsys.readouterr().err
    return 0, capsys.readouterr().out


@pytest.fixture
def returned_bundle(login, people, history, today):
    """The inspector exports the tasks returned three times or more: task R."""
    response = _export(login(people["inspection"]), history.plan.commune, {"pattern": "returned_3"})
    return _zip(response)


def test_the_bundle_holds_the_report_the_events_the_files_and_the_proof(returned_bundle, history):
    names = set(returned_bundle.namelist())
    assert {"report.docx", "events.json", "proof.json"} <= names
    events = json.loads(returned_bundle.read("events.json"))
    expected = list(AuditEvent.objects.filter(occurrence_id=history.r.pk).order_by("seq").values_list("id", flat=True))
    assert [event["id"] for event in events["events"]] == expected
    assert [event["kind"] for event in events["events"]][:4] == ["created", "accepted", "submitted", "returned"]
    assert set(HASHED_FIELDS) <= set(events["events"][0])
    assert events["selection"] == {"show": "occurrences", "pattern": "returned_3"}
    files = sorted(name for name in names if name.startswith("files/"))
    stored = StoredFile.objects.filter(output__occurrence=history.r).order_by("pk")
    assert len(files) == stored.count() == 4
    for item in stored:
        path = next(name for name in files if name.startswith(f"files/{history.r.pk}/{item.pk}-"))
        assert hashlib.sha256(returned_bundle.read(path)).hexdigest() == item.sha256
    assert all(entry["sha256_matches"] for entry in events["files"])


def test_the_bundle_verifies_offline_and_a_changed_event_does_not(returned_bundle, tmp_path, capsys):
    code, said = _verify(_saved(returned_bundle, tmp_path), capsys)
    assert code == 0 and "11" in said

    proof = json.loads(returned_bundle.read("proof.json"))
    segment = proof["chains"][0]
    returned = next(link["event"] for link in segment["links"]
                    if "event" in link and link["event"]["kind"] == "returned")
    returned["reason"] = "Đã hoàn thành đúng hạn"  # someone rewrites why it was returned
    code, said = _verify(_saved(returned_bundle, tmp_path, "changed.zip",
                                replace={"proof.json": json.dumps(proof).encode()}), capsys)
    assert code == 1 and str(returned["seq"]) in said


def test_a_removed_link_or_a_moved_head_does_not_verify(returned_bundle, tmp_path, capsys):
    proof = json.loads(returned_bundle.read("proof.json"))
    links = proof["chains"][0]["links"]
    dropped = json.loads(json.dumps(proof))
    middle = next(index for index, link in enumerate(links) if "event" in link and index > 0)
    del dropped["chains"][0]["links"][middle]
    assert _verify(_saved(returned_bundle, tmp_path, "dropped.zip",
                          replace={"proof.json": json.dumps(dropped).encode()}), capsys)[0] == 1
    moved = json.loads(json.dumps(proof))
    moved["chains"][0]["head_hash"] = "f" * 64
    assert _verify(_saved(returned_bundle, tmp_path, "moved.zip",
                          replace={"proof.json": json.dumps(moved).encode()}), capsys)[0] == 1


def test_the_proof_follows_the_chain_from_the_first_selected_event_to_the_head(returned_bundle, history):
    segment = json.loads(returned_bundle.read("proof.json"))["chains"][0]
    first = AuditEvent.objects.filter(occurrence_id=history.r.pk).order_by("seq").first()
    assert segment["chain"] == history.plan.commune_id and segment["from_seq"] == first.seq
    assert segment["from_prev_hash"] == first.prev_hash
    seqs = [link["event"]["seq"] if "event" in link else link["seq"] for link in segment["links"]]
    assert seqs == list(range(first.seq, segment["head_seq"] + 1))
    assert sum(1 for link in segment["links"] if "event" in link) == 11


def test_the_export_is_recorded_after_the_proof_and_names_the_zip(login, people, history, today):
    client = login(people["inspection"])
    response = _export(client, history.plan.commune, {"pattern": "returned_3", "show": "occurrences"})
    data = b"".join(response.streaming_content)
    proof = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("proof.json"))
    exported = AuditEvent.objects.get(kind="exported")
    assert (exported.object_type, exported.actor_id, exported.commune_id) == (
        "bundle", people["inspection"].pk, history.plan.commune_id)
    assert exported.seq == proof["chains"][0]["head_seq"] + 1  # written after the head the proof ends at
    assert exported.detail["pattern"] == "returned_3" and exported.detail["events"] == 11
    assert exported.detail["sha256"] == hashlib.sha256(data).hexdigest()
    assert AuditChain.objects.get(chain=history.plan.commune_id).head_hash == exported.hash


def test_a_bundle_still_verifies_after_the_history_grows(returned_bundle, history, people, tmp_path, capsys):
    occurrence_accept(occurrence=history.n, actor=history.pkt_head, assignee=people["supporting"])
    assert _verify(_saved(returned_bundle, tmp_path), capsys)[0] == 0


def test_the_report_is_readable_in_vietnamese(returned_bundle, history):
    from docx import Document

    document = Document(io.BytesIO(returned_bundle.read("report.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert any(row[:6] == ["Thời gian", "Người thực hiện", "Chức vụ", "Đơn vị", "Nội dung", "Lý do"] for row in cells)
    returned = [row for row in cells if len(row) == 6 and row[5] in RETURN_REASONS]
    assert [row[0] for row in returned] == ["15/09/2025 15:30", "16/09/2025 15:30", "17/09/2025 15:30"]
    assert all(row[2] == "Trưởng phòng Văn hóa - Xã hội" and row[3] == "Phòng Văn hóa - Xã hội" for row in returned)
    assert returned[0][4] == "đã trả lại lần 1"
    flat = {cell for row in cells for cell in row}
    head = json.loads(returned_bundle.read("proof.json"))["chains"][0]
    assert head["head_hash"] in flat and str(head["head_seq"]) in flat
    for item in StoredFile.objects.filter(output__occurrence=history.r):
        assert item.sha256 in flat
    assert "Trả lại từ 3 lần trở lên" in flat  # the selection, in words
    assert "verify_audit --bundle" in text


def test_a_file_changed_on_disk_is_reported_not_hidden(login, people, history, today):
    stored = StoredFile.objects.filter(output__occurrence=history.r).order_by("pk").first()
    (Path(settings.PRIVATE_MEDIA_ROOT) / stored.relative_path).write_bytes(pdf("forged"))
    archive = _zip(_export(login(people["inspection"]), history.plan.commune, {"pattern": "returned_3"}))
    entry = next(item for item in json.loads(archive.read("events.json"))["files"] if item["sha256"] == stored.sha256
                 and item["path"].split("/")[-1].startswith(f"{stored.pk}-"))
    assert entry["found"] and not entry["sha256_matches"]


def test_a_case_bundle_holds_the_case_and_the_whole_task(login, people, history, today, tmp_path, capsys):
    from docx import Document

    case = InspectionCase.objects.get(occurrence=history.n)
    client = login(people["inspection"])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("audit_case_bundle_export", args=[case.pk]) in page
    archive = _zip(client.post(reverse("audit_case_bundle_export", args=[case.pk])))
    kinds = [event["kind"] for event in json.loads(archive.read("events.json"))["events"]]
    assert kinds == ["created", "escalated", "escalated", "opened"]
    cells = {cell.text for table in Document(io.BytesIO(archive.read("report.docx"))).tables
             for row in table.rows for cell in row.cells}
    assert f"#{case.pk}" in cells and "Vụ việc kiểm tra" in cells
    assert _verify(_saved(archive, tmp_path), capsys)[0] == 0
    exported = AuditEvent.objects.get(kind="exported")
    assert exported.case_id == case.pk and exported.detail["case_id"] == case.pk


@pytest.mark.parametrize("role", ["party_office", "unit_head", "directing", "staff"])
def test_those_who_see_a_case_but_are_not_inspectors_cannot_export_it(login, people, history, today, role):
    case = InspectionCase.objects.get(occurrence=history.n)
    client = login(people[role])
    assert client.post(reverse("audit_case_bundle_export", args=[case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(kind="exported").exists()


def test_a_timelines_export_and_an_empty_selection(login, people, history, today, tmp_path, capsys):
    client = login(people["inspection"])
    commune = history.plan.commune
    archive = _zip(_export(client, commune, {"show": "events", "person": people["directing"].pk}))
    assert [event["kind"] for event in json.loads(archive.read("events.json"))["events"]] == ["extension_approved"] * 3
    # the files of the tasks those events are about: E's one output (X has none yet)
    assert [name.split("/")[1] for name in archive.namelist() if name.startswith("files/")] == [str(history.e.pk)]
    assert _verify(_saved(archive, tmp_path), capsys)[0] == 0

    empty = _export(client, commune, {"show": "events", "kind": "handed_over"})
    assert empty.status_code == 302
    assert AuditEvent.objects.filter(kind="exported").count() == 1  # only the first export
    followed = client.get(empty["Location"]).content.decode()
    assert "Không có gì để xuất" in followed


def test_bundle_verify_reads_the_zip_directly(returned_bundle, tmp_path):
    assert bundle_verify(path=str(_saved(returned_bundle, tmp_path))) == 11
