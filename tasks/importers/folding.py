"""Fold Vietnamese text for matching, never for storing: the original is always kept as written."""
from __future__ import annotations

import re
import unicodedata

# Grave, acute, tilde, hook above, dot below: the five tone marks, which writers place differently
# ("hoá" / "hóa"). The vowel marks (breve, circumflex, horn) change the letter and are kept.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_NOT_WORD = re.compile(r"[\W_]+")


def header_fold(*, text: str) -> str:
    """A header as bare lower-case words: no marks at all, no punctuation ("Cơ quan chủ trì" → "co quan chu tri")."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    lowered = bare.casefold().replace("đ", "d")
    return " ".join(_NOT_WORD.sub(" ", lowered).split())


def name_fold(*, text: str) -> str:
    """A name compared without case, spacing or tone marks, so "Văn hoá" equals "Văn hóa"."""
    decomposed = unicodedata.normalize("NFD", text)
    toneless = "".join(character for character in decomposed if character not in _TONE_MARKS)
    return " ".join(unicodedata.normalize("NFC", toneless).casefold().split())
