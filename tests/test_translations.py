"""Vietnamese first: every string of the interface has a Vietnamese translation, and the catalogue is compiled."""
from __future__ import annotations

from pathlib import Path

import polib_lite

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_vietnamese_translation():
    entries = polib_lite.entries_read(path=CATALOGUE)
    assert len(entries) > 100
    untranslated = [entry.msgid for entry in entries if not entry.translated]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_size > 1000
    assert polib_lite.mo_matches_po(po=CATALOGUE, mo=compiled)
