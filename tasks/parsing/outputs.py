"""Classify a required-output cell ("Quyết định", "Kế hoạch công tác", "Số liệu báo cáo"…)."""
from __future__ import annotations

import unicodedata

from tasks.models import OutputKind

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("quyết định", OutputKind.DECISION),
    ("kế hoạch", OutputKind.PLAN),
    ("báo cáo", OutputKind.REPORT),
    ("bộ số liệu", OutputKind.DATA),
    ("số liệu", OutputKind.DATA),
    ("văn bản", OutputKind.DOCUMENT),
    ("công văn", OutputKind.DOCUMENT),
    ("tờ trình", OutputKind.DOCUMENT),
    ("nghị quyết", OutputKind.DOCUMENT),
    ("chỉ thị", OutputKind.DOCUMENT),
    ("đề án", OutputKind.DOCUMENT),
    ("chương trình", OutputKind.DOCUMENT),
)


def _fold(text: str) -> str:
    # Tone-mark placement differs between typists; compare without combining marks.
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


_FOLDED_PREFIXES = tuple((_fold(prefix), kind) for prefix, kind in _PREFIXES)


def output_kind_classify(*, text: str) -> str:
    """The kind of document a task must produce; OUTCOME when the cell states a result instead."""
    folded = _fold(text).strip(" .-–")
    if not folded:
        return OutputKind.NONE
    for prefix, kind in _FOLDED_PREFIXES:
        if folded.startswith(prefix):
            return kind
    return OutputKind.OUTCOME
