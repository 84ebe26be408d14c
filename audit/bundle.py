"""Evidence bundles: a selection of a commune's history that can be checked away from the server.

A bundle is a zip:
- report.docx   the selection, the case if it is one, every event in Vietnamese, the files with their
                SHA-256, and the chain head;
- events.json   the events in full, the selection, the files and the head;
- files/…       the output and contribution files of the tasks in the selection, as stored;
- proof.json    what `manage.py verify_audit --bundle` re-computes offline (audit/verify.py,
                proof_verify): each selected event in full, re-hashed, and for every event between the
                first selected one and the chain head only its link (seq, prev_hash, hash), so the
                selection is shown to lead, unbroken, to the head printed in the report.

The head row is read first, then only events up to it: what the bundle proves is the history as it
stood at that moment, whatever is appended while it is built. The export itself is then recorded, after
the proof was built, so the bundle never holds its own export.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from xml.sax.saxutils import escape as xml_escape
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from audit.acting import acting_post_get
from audit.chain import GENESIS, HASHED_FIELDS, ChainBroken, ChainWalker, at_text
from audit.models import AuditEvent
from audit.selectors import chain_head_get
from audit.services import audit_record
from audit.workspace import SHOW_EVENTS, WorkspaceFilters, filters_describe, selection_events
from roles.models import Commune, User

PROOF_FORMAT = "sauro-audit-proof/1"
EVENTS_FORMAT = "sauro-audit-events/1"
BUNDLE_MAX_EVENTS = 5000
BUNDLE_MAX_LINKS = 1_000_000  # events between the first selected one and the head (see the report: verify.py's format)
BUNDLE_MAX_FILES = 300
_COLUMNS = ("id", "hash", *HASHED_FIELDS)
_CHUNK = 1024 * 1024


@dataclass
class BundleSelection:
    commune: Commune
    events: QuerySet  # of AuditEvent, not yet ordered nor cut at the head
    described: list[tuple[str, str]]
    detail: dict  # recorded in the export's own audit event
    case: object = None  # an InspectionCase when the bundle is a case's


@dataclass
class BundleFile:
    path: str  # inside the zip
    name: str
    occurrence_id: int
    version: int | None
    size: int
    sha256: str  # as recorded when it was submitted
    found: bool = False
    matches: bool = False

    def as_json(self) -> dict:
        return {"path": self.path, "name": self.name, "occurrence_id": self.occurrence_id,
                "output_version": self.version, "size": self.size, "sha256": self.sha256, "found": self.found,
                "sha256_matches": self.matches}


@dataclass
class BundleResult:
    events: int
    files: int
    head_seq: int
    head_hash: str
    chain_whole: bool
    sha256: str = ""
    size: int = 0
    file_rows: list[BundleFile] = field(default_factory=list)


def search_selection_get(*, commune: Commune, filters: WorkspaceFilters, show: str, today: date) -> BundleSelection:
    with translation.override("vi"):  # the report is in Vietnamese whatever language the page was in
        described = filters_describe(commune=commune, filters=filters, show=show)
        if show != SHOW_EVENTS:
            described.append((_("Holds"), _("every event of the tasks found")))
    return BundleSelection(commune=commune, events=selection_events(commune=commune, filters=filters, show=show,
                                                                    today=today),
                           described=described, detail={"show": show, **filters.as_detail()})


def case_selection_get(*, case) -> BundleSelection:
    """An inspection case: its own events and the whole history of the task it is about."""
    occurrence = case.occurrence
    events = AuditEvent.objects.filter(chain=case.commune_id).filter(
        Q(case_id=case.pk) | Q(occurrence_id=case.occurrence_id))
    with translation.override("vi"):
        described = [(_("Commune"), case.commune.name), (_("Inspection case"), f"#{case.pk} — {occurrence}")]
    return BundleSelection(commune=case.commune, events=events, case=case, detail={"case_id": case.pk},
                           described=described)


def _event_json(row: dict) -> dict:
    """An event exactly as chain.event_hash reads it, with its id and hash."""
    values = {"id": row["id"], "hash": row["hash"]}
    for name in HASHED_FIELDS:
        values[name] = at_text(row[name]) if name == "at" else row[name]
    return values


def _rows_read(*, selection: BundleSelection, head_seq: int) -> list[dict]:
    rows = list(selection.events.filter(chain=selection.commune.pk, seq__lte=head_seq).order_by("seq")
                .values(*_COLUMNS)[:BUNDLE_MAX_EVENTS + 1])
    if not rows:
        raise ValidationError(_("Nothing to export: the selection holds no event."))
    if len(rows) > BUNDLE_MAX_EVENTS:
        raise ValidationError(_("The selection holds more than %(limit)d events: narrow it (a shorter period, one "
                                "unit or one task) and export again.") % {"limit": BUNDLE_MAX_EVENTS})
    if head_seq - rows[0]["seq"] + 1 > BUNDLE_MAX_LINKS:
        raise ValidationError(_("The first event of the selection lies too far back in the history to be proved in "
                                "one bundle: narrow it to a later period."))
    return rows


def _proof_write(*, archive: zipfile.ZipFile, chain: int, rows: list[dict], head_seq: int, head_hash: str) -> str:
    """Stream proof.json, walking the chain as it is written; returns "" if whole, else the problem found."""
    selected = {row["seq"]: row for row in rows}
    first = rows[0]
    walker = ChainWalker(chain=chain, start_seq=first["seq"], start_prev=first["prev_hash"])
    problem = ""
    links = (AuditEvent.objects.filter(chain=chain, seq__gte=first["seq"], seq__lte=head_seq).order_by("seq")
             .values_list("seq", "prev_hash", "hash"))
    with archive.open("proof.json", "w", force_zip64=True) as handle:
        handle.write(("{" + f'"format": {json.dumps(PROOF_FORMAT)}, "chains": [{{"chain": {chain}, '
                      f'"from_seq": {first["seq"]}, "from_prev_hash": {json.dumps(first["prev_hash"])}, '
                      f'"head_seq": {head_seq}, "head_hash": {json.dumps(head_hash)}, "links": [\n').encode())
        for index, (seq, prev_hash, hash_) in enumerate(links.iterator(chunk_size=10_000)):
            if seq in selected:
                event = _event_json(selected[seq])
                link, fed, recompute = {"event": event}, event, True
            else:
                link = {"seq": seq, "prev_hash": prev_hash, "hash": hash_}
                fed, recompute = {"id": None, **link}, False
            handle.write(((",\n" if index else "") + json.dumps(link, ensure_ascii=False)).encode("utf-8"))
            if not problem:
                try:
                    walker.feed(fed, recompute=recompute)
                except ChainBroken as broken:
                    problem = str(broken)
        handle.write(b"\n]}]}\n")
    if not problem:
        try:
            walker.finish(head_seq=head_seq, head_hash=head_hash)
        except ChainBroken as broken:
            problem = str(broken)
    return problem


def _files_get(*, rows: list[dict]) -> list:
    from workflow.models import StoredFile

    occurrence_ids = {row["occurrence_id"] for row in rows if row["occurrence_id"]}
    if not occurrence_ids:
        return []
    stored = list(StoredFile.objects.filter(
        Q(output__occurrence_id__in=occurrence_ids) | Q(contribution__occurrence_id__in=occurrence_ids))
        .select_related("output", "contribution").order_by("pk")[:BUNDLE_MAX_FILES + 1])
    if len(stored) > BUNDLE_MAX_FILES:
        raise ValidationError(_("The tasks in the selection have more than %(limit)d files: narrow the selection "
                                "and export again.") % {"limit": BUNDLE_MAX_FILES})
    return stored


def _files_write(*, archive: zipfile.ZipFile, stored: list) -> list[BundleFile]:
    """Copy each file as stored, through the storage's own reader, and check it against its recorded SHA-256."""
    from workflow.uploads import upload_name_clean, upload_open

    written = []
    for item in stored:
        owner = item.output or item.contribution
        name = upload_name_clean(filename=item.original_name)
        row = BundleFile(path=f"files/{owner.occurrence_id}/{item.pk}-{name}", name=item.original_name,
                         occurrence_id=owner.occurrence_id, version=item.output.version if item.output else None,
                         size=item.size, sha256=item.sha256)
        try:
            source = upload_open(relative_path=item.relative_path)
        except (FileNotFoundError, ValueError):
            written.append(row)  # listed as missing: that too is evidence
            continue
        digest = hashlib.sha256()
        with source, archive.open(row.path, "w", force_zip64=True) as target:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
                target.write(chunk)
        row.found, row.matches = True, digest.hexdigest() == item.sha256.strip().lower()
        written.append(row)
    return written


def _local(value) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


class _EventWords:
    """What an event says, in the words of the pages (templates/audit/_event_what.html), as plain text."""

    def __init__(self):
        self.template = get_template("audit/_event_what.html")

    def __call__(self, row: dict) -> str:
        text = html.unescape(strip_tags(self.template.render({"event": row})))
        return re.sub(r"\s+", " ", text).strip()


_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_xml(text: str, *, width_cm: float, bold: bool) -> str:
    style = "<w:rPr><w:b/></w:rPr>" if bold else ""
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r>{style}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>'
        for line in _XML_UNSAFE.sub("", str(text)).split("\n"))
    return f'<w:tc><w:tcPr><w:tcW w:w="{round(width_cm * 567)}" w:type="dxa"/></w:tcPr><w:p>{runs}</w:p></w:tc>'


def _table(document, *, header: list[str], rows: list[list[str]], widths_cm: list[float]):
    """A table written as WordprocessingML in one go: python-docx's cell API takes ~20 s for 5,000 rows."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    head = "<w:trPr><w:tblHeader/></w:trPr>" + "".join(
        _cell_xml(value, width_cm=width, bold=True) for value, width in zip(header, widths_cm))
    body = ("<w:tr>" + "".join(_cell_xml(value, width_cm=width, bold=False) for value, width in zip(values, widths_cm))
            + "</w:tr>" for values in rows)
    fragment = parse_xml(f'<w:tbl {nsdecls("w")}><w:tr>{head}</w:tr>{"".join(body)}</w:tbl>')
    for row in list(fragment):
        table._tbl.append(row)
    return table


def _facts(document, pairs: list[tuple[str, str]]) -> None:
    _table(document, header=[_("Item"), _("Value")], rows=[[str(label), str(value)] for label, value in pairs],
           widths_cm=[6, 18])


def _case_facts(case) -> list[tuple[str, str]]:
    from workflow.templatetags.occurrences import period_label, rung_label

    occurrence = case.occurrence
    pairs = [
        (_("Inspection case"), f"#{case.pk}"), (_("Status"), case.get_status_display()),
        (_("Opened"), _local(case.opened_at)), (_("Opened because"), rung_label(case.opened_reason)),
        (_("Task"), str(occurrence.task)), (_("Lead unit"), str(occurrence.unit)),
        (_("Period"), period_label(occurrence.period_key)),
        (_("Due date"), occurrence.due_on.strftime("%d/%m/%Y")),
        (_("Original due date"), occurrence.original_due_on.strftime("%d/%m/%Y")),
        (_("Status of the task"), occurrence.get_status_display()),
    ]
    for explanation in case.explanations.select_related("requested_by", "answered_by").order_by("requested_at", "pk"):
        pairs.append((_("Explanation requested"), f"{explanation.requested_by}, {_local(explanation.requested_at)}: "
                                                  f"{explanation.question}"))
        if explanation.answered_at:
            pairs.append((_("Explanation given"), f"{explanation.answered_by}, {_local(explanation.answered_at)}: "
                                                  f"{explanation.answer}"))
    if case.closed_at:
        pairs += [(_("Closed"), f"{_local(case.closed_at)}, {case.closed_by}"), (_("Conclusion"), case.conclusion)]
    return pairs


def _report_write(*, selection: BundleSelection, rows: list[dict], files: list[BundleFile], head_seq: int,
                  head_hash: str, problem: str, actor: User, made_at: datetime) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(_("Evidence bundle from the audit history"), level=1)
    _facts(document, [
        (_("Commune"), selection.commune.name), (_("Exported by"), str(actor)), (_("Exported at"), _local(made_at)),
        (_("Events"), str(len(rows))), (_("Files"), str(len(files))),
    ])
    document.add_heading(_("Selection"), level=2)
    _facts(document, selection.described)
    if selection.case is not None:
        document.add_heading(_("Inspection case"), level=2)
        _facts(document, _case_facts(selection.case))
    document.add_heading(_("Events"), level=2)
    words = _EventWords()
    _table(document, header=[_("Time"), _("Who"), _("Post"), _("Unit"), _("What"), _("Reason")],
           widths_cm=[3, 4, 4.5, 4.5, 6, 4],
           rows=[[_local(row["at"]), row["actor_name"] or _("the system"), row["post_title"], row["unit_name"],
                  words(row), row["reason"]] for row in rows])
    document.add_heading(_("Output files"), level=2)
    if files:
        _table(document, header=[_("File"), _("Size (bytes)"), _("SHA-256"), _("Check")],
               widths_cm=[7, 2.5, 11, 4],
               rows=[[f"{item.name} ({item.path})", str(item.size), item.sha256,
                      _("matches") if item.matches else (_("DOES NOT MATCH") if item.found else _("MISSING"))]
                     for item in files])
    else:
        document.add_paragraph(_("The selection has no output files."))
    document.add_heading(_("Chain proof"), level=2)
    _facts(document, [
        (_("Chain"), str(selection.commune.pk)), (_("Head: event number"), str(head_seq)),
        (_("Head: hash"), head_hash),
        (_("Checked when the bundle was made"), _("the chain is whole") if not problem else problem),
    ])
    document.add_paragraph(_(
        "proof.json holds every selected event in full and the link of every event from the first of them to the "
        "head above. Anyone can check it without the server: python manage.py verify_audit --bundle <this zip file>. "
        "Compare the head with the one printed in the commune's reports."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bundle_build(*, selection: BundleSelection, actor: User, out: BinaryIO) -> BundleResult:
    """Write the bundle into `out` (a binary file open for writing). Nothing is recorded here."""
    commune = selection.commune
    head = chain_head_get(commune_id=commune.pk)  # first the head, then only what it covers
    head_seq, head_hash = head.seq, head.head_hash or GENESIS
    rows = _rows_read(selection=selection, head_seq=head_seq)
    stored = _files_get(rows=rows)
    made_at = timezone.now()
    with translation.override("vi"), zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        problem = _proof_write(archive=archive, chain=commune.pk, rows=rows, head_seq=head_seq, head_hash=head_hash)
        files = _files_write(archive=archive, stored=stored)
        archive.writestr("events.json", json.dumps({
            "format": EVENTS_FORMAT,
            "commune": {"id": commune.pk, "slug": commune.slug, "name": commune.name},
            "exported_at": made_at.isoformat(), "exported_by": {"id": actor.pk, "name": str(actor)},
            "selection": selection.detail,
            "described": [[str(label), str(value)] for label, value in selection.described],
            "case_id": getattr(selection.case, "pk", None),
            "head": {"chain": commune.pk, "seq": head_seq, "hash": head_hash, "chain_problem": problem},
            "events": [_event_json(row) for row in rows],
            "files": [item.as_json() for item in files],
        }, ensure_ascii=False, indent=1))
        archive.writestr("report.docx", _report_write(selection=selection, rows=rows, files=files, head_seq=head_seq,
                                                      head_hash=head_hash, problem=problem, actor=actor,
                                                      made_at=made_at))
    return BundleResult(events=len(rows), files=len(files), head_seq=head_seq, head_hash=head_hash,
                        chain_whole=not problem, file_rows=files)


def bundle_export(*, selection: BundleSelection, actor: User, out: BinaryIO) -> BundleResult:
    """Build the bundle into `out` (opened "w+b"), then record the export; `out` is left at its start."""
    result = bundle_build(selection=selection, actor=actor, out=out)
    out.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: out.read(_CHUNK), b""):
        digest.update(chunk)
    result.size, result.sha256 = out.tell(), digest.hexdigest()
    out.seek(0)
    audit_record(kind="exported", object_type="bundle", object_id=getattr(selection.case, "pk", "") or "",
                 commune_id=selection.commune.pk, actor=actor, post=acting_post_get(actor=actor),
                 case_id=getattr(selection.case, "pk", None),
                 detail={**selection.detail, "events": result.events, "files": result.files,
                         "head_seq": result.head_seq, "head_hash": result.head_hash, "sha256": result.sha256,
                         "size": result.size})
    return result

