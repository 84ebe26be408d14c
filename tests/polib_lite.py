"""Just enough PO reading for the translation tests (no extra dependency)."""
from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Entry:
    msgid: str
    msgstr: str
    plural: bool
    translated: bool
    fuzzy: bool
    context: bool = False


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def entries_read(*, path: Path) -> list[Entry]:
    entries, block = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            entry = _entry_parse(block)
            if entry is not None:
                entries.append(entry)
            block = []
    return entries


def _entry_parse(block: list[str]) -> Entry | None:
    if all(line.startswith("#~") or line.startswith("#") for line in block):
        return None
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
    fields: dict[str, str] = {}
    current = None
    for line in block:
        if line.startswith("#"):
            continue
        if line.startswith(("msgid", "msgstr", "msgctxt")):
            current, _, rest = line.partition(" ")
            fields[current] = _unquote(rest)
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
    msgid = fields.get("msgid", "")
    if msgid == "":
        return None
    strings = [value for key, value in fields.items() if key.startswith("msgstr")]
    return Entry(msgid=msgid, msgstr=strings[0] if strings else "", plural="msgid_plural" in fields,
                 translated=bool(strings) and all(strings), fuzzy=fuzzy,
                 context="msgctxt" in fields)


def mo_matches_po(*, po: Path, mo: Path) -> bool:
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in entries_read(path=po):
        if entry.plural or entry.fuzzy or entry.context:
            continue
        if catalogue.gettext(entry.msgid) != entry.msgstr:
            return False
    return True
