"""Names of units and posts as appendix cells write them, and what they refer to.

A cell may spell one unit many ways ("Phòng VHXH", "Phòng Văn hóa-Xã hội", "Đồng chí Trưởng
phòng Văn hoá - Xã hội"), list several ("Phòng VHXH, Phòng KT"), or name a collective ("Các cơ
quan, đơn vị"). Matching goes through a folded key; stored originals are never rewritten.
Pure functions only: callers bring the commune's units and posts as entries.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

UNIT_KINDS: tuple[str, ...] = (
    "party_body",
    "department",
    "police",
    "front",
    "mass_organisation",
    "party_cell",
    "school",
    "bank",
    "other",
)

# The abbreviations communes write, each with its expansion as a unit name would spell it.
# Folding expands them so that keys match; a commune's own spellings go in unit aliases.
ABBREVIATIONS: Mapping[str, str] = MappingProxyType({
    "VHXH": "Văn hóa - Xã hội",
    "VH-XH": "Văn hóa - Xã hội",
    "KT": "Kinh tế",
    "HCC": "hành chính công",
    "ĐU": "Đảng ủy",
    "VPĐU": "Văn phòng Đảng ủy",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "MTTQ VN": "Mặt trận Tổ quốc Việt Nam",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "UBKT": "Ủy ban kiểm tra",
    "BCH": "Ban Chấp hành",
    "CĐS": "chuyển đổi số",
    "KHCN": "khoa học công nghệ",
    "ĐMST": "đổi mới sáng tạo",
})


@dataclass(frozen=True)
class Collective:
    """A phrase that assigns a row to every unit of some kinds ("Các cơ quan, đơn vị")."""

    label: str | Promise
    kinds: tuple[str, ...]
    phrases: tuple[str, ...]


COLLECTIVES: Mapping[str, Collective] = MappingProxyType({
    "all_units": Collective(
        label=_("All agencies and units"),
        kinds=UNIT_KINDS,
        phrases=(
            "Các cơ quan, đơn vị",
            "Cơ quan, đơn vị",
            "Thủ trưởng các cơ quan, đơn vị",
            "Các cơ quan, đơn vị liên quan",
            "Các cơ quan, tổ chức, đơn vị",
            "Phòng, ban ngành, đơn vị",
            "Các phòng, ban ngành, đơn vị",
            "Các ngành, đơn vị",
            "Các ban, ngành, đoàn thể",
            "Các đơn vị",
        ),
    ),
    "departments": Collective(
        label=_("People's Committee departments"),
        kinds=("department",),
        phrases=(
            "Phòng, ban ngành",
            "Phòng, ban, ngành",
            "Các phòng, ban ngành",
            "Các phòng, ban, ngành",
            "Các phòng, ban ngành liên quan",
            "Các phòng ban",
            "Các phòng ban liên quan",
            "Các phòng chuyên môn",
        ),
    ),
    "party_bodies": Collective(
        label=_("Party bodies"),
        kinds=("party_body",),
        phrases=("Các ban Đảng", "Các cơ quan tham mưu, giúp việc Đảng ủy"),
    ),
    "mass_organisations": Collective(
        label=_("Mass organisations"),
        kinds=("mass_organisation",),
        phrases=("Các đoàn thể", "Các hội, đoàn thể", "Các tổ chức chính trị - xã hội"),
    ),
    "party_cells": Collective(
        label=_("Party cells"),
        kinds=("party_cell",),
        phrases=("Các chi bộ", "Các chi bộ trực thuộc", "Chi bộ trực thuộc"),
    ),
    "schools": Collective(
        label=_("Schools"),
        kinds=("school",),
        phrases=("Các trường", "Các trường học", "Các nhà trường"),
    ),
})

# Official names that contain a comma or "và", so a cell listing them must not be cut there
# (People's Committee offices, and departments whose names list their fields).
_MULTIPART_NAMES: tuple[str, ...] = (
    "HĐND và UBND",
    "Kinh tế, Hạ tầng và Đô thị",
    "Tuyên giáo và Dân vận",
    "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo",
    "Nông nghiệp và Môi trường",
    "Tài nguyên và Môi trường",
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa và Thông tin",
    "Thông tin và Truyền thông",
    "Thương binh và Xã hội",
)

_HONORIFICS: tuple[str, ...] = ("Các đồng chí", "Đồng chí", "Đ/c", "Đc")
_HEAD_TITLES: tuple[str, ...] = (
    "Người đứng đầu",
    "Thủ trưởng",
    "Hiệu trưởng",
    "Giám đốc",
    "Chủ nhiệm",
    "Chủ tịch",
    "Bí thư",
    "Lãnh đạo",
    "Chánh",
    "Trưởng",
)
_DEPUTY = "Phó"
# "Trường phòng" (a school's word) for "Trưởng phòng" is a typo found in real plans; no school
# is called "Trường phòng …" or "Trường ban …", so reading it as the head's title is safe.
_MISTYPED_HEAD = "Trường"
_HEAD = "Trưởng"
_HEADED_UNIT_NOUNS: tuple[str, ...] = ("Phòng", "Ban")

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_HARD_SEPARATOR = re.compile(r";")
_SOFT_SEPARATOR = re.compile(r",|[\n\r\v\f\u2028\u2029]|\s+v(?:à|a\u0300)\s+", re.IGNORECASE)
_LEADING_BULLETS = re.compile(r"^[\s\-–—+•*·]+")
_TRAILING_PUNCTUATION = re.compile(r"[\s.,;:]+$")
_COLON = re.compile(":")
_PLURAL_MARKER = re.compile(r"^\s*(?:các|những)\s+", re.IGNORECASE)
_DISTRIBUTIVE_PREFIX_MAX_WORDS = 4


# ---------------------------------------------------------------- folding


def _word_fold(word: str) -> str:
    # Legacy encodings put the Icelandic eth (Ð) where Vietnamese has Đ.
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("ð", "đ"))
    tones = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
    letters = "".join(mark for mark in decomposed if mark not in _TONE_MARKS)
    return unicodedata.normalize("NFC", letters + tones)


def _words_fold(text: str) -> tuple[str, ...]:
    """Folded words without abbreviation expansion: the unit on which prefixes are matched."""
    return tuple(_word_fold(word) for word in _WORD.findall(unicodedata.normalize("NFC", text)))


_ABBREVIATION_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    sorted(
        ((_words_fold(short), _words_fold(full)) for short, full in ABBREVIATIONS.items()),
        key=lambda pair: -len(pair[0]),
    )
)


def _abbreviation_at(words: tuple[str, ...], position: int) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    for short, full in _ABBREVIATION_WORDS:
        if words[position:position + len(short)] == short:
            return short, full
    return None


def _abbreviations_expand(words: tuple[str, ...]) -> tuple[str, ...]:
    expanded: list[str] = []
    position = 0
    while position < len(words):
        match = _abbreviation_at(words, position)
        if match is None:
            expanded.append(words[position])
            position += 1
        else:
            expanded.extend(match[1])
            position += len(match[0])
    return tuple(expanded)


def name_fold(*, text: str) -> str:
    """The key names are matched on: tone marks at the syllable's end, case and punctuation
    ignored, abbreviations expanded. Different tones or vowels still give different keys."""
    return " ".join(_abbreviations_expand(_words_fold(text)))


def _key(words: tuple[str, ...]) -> str:
    return " ".join(words)


def _starts_with(words: tuple[str, ...], prefix: tuple[str, ...]) -> bool:
    return bool(prefix) and words[:len(prefix)] == prefix


def _ends_with(words: tuple[str, ...], suffix: tuple[str, ...]) -> bool:
    return bool(suffix) and len(words) >= len(suffix) and words[len(words) - len(suffix):] == suffix


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(words[start:start + len(part)] == part for start in range(len(words) - len(part) + 1))


def _folded(*phrases: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_words_fold(phrase) for phrase in phrases)


# ---------------------------------------------------------------- honorifics and head titles

_FOLDED_HONORIFICS = tuple(sorted(_folded(*_HONORIFICS), key=len, reverse=True))
_FOLDED_HEAD_TITLES = tuple(sorted(_folded(*_HEAD_TITLES), key=len, reverse=True))
(_FOLDED_DEPUTY,) = _folded(_DEPUTY)
(_FOLDED_MISTYPED_HEAD,) = _folded(_MISTYPED_HEAD)
(_FOLDED_HEAD,) = _folded(_HEAD)
_FOLDED_HEADED_UNIT_NOUNS = _folded(*_HEADED_UNIT_NOUNS)


def _honorific_length(words: tuple[str, ...]) -> int:
    for honorific in _FOLDED_HONORIFICS:
        if _starts_with(words, honorific) and len(words) > len(honorific):
            return len(honorific)
    return 0


def _title_length_after_deputy(words: tuple[str, ...]) -> int:
    for title in _FOLDED_HEAD_TITLES:
        if _starts_with(words, title):
            return len(title)
    if _starts_with(words, _FOLDED_MISTYPED_HEAD) and words[1:2] in _FOLDED_HEADED_UNIT_NOUNS:
        return len(_FOLDED_MISTYPED_HEAD)
    return 0


def _head_title_length(words: tuple[str, ...]) -> int:
    """How many leading words are a head's title ("Phó Trưởng", "Chánh", "Chủ nhiệm")."""
    deputy = len(_FOLDED_DEPUTY) if _starts_with(words, _FOLDED_DEPUTY) else 0
    title = _title_length_after_deputy(words[deputy:])
    length = deputy + title if title else 0
    # A title alone ("Trưởng") names no unit; keep it as it is.
    return length if len(words) > length else 0


def _mistyped_head_correct(words: tuple[str, ...]) -> tuple[str, ...]:
    deputy = len(_FOLDED_DEPUTY) if _starts_with(words, _FOLDED_DEPUTY) else 0
    rest = words[deputy:]
    if _starts_with(rest, _FOLDED_MISTYPED_HEAD) and rest[1:2] in _FOLDED_HEADED_UNIT_NOUNS:
        return words[:deputy] + _FOLDED_HEAD + rest[len(_FOLDED_MISTYPED_HEAD):]
    return words


def _honorific_strip(words: tuple[str, ...]) -> tuple[str, ...]:
    return words[_honorific_length(words):]


def _head_title_strip(words: tuple[str, ...]) -> tuple[str, ...]:
    return words[_head_title_length(words):]


# ---------------------------------------------------------------- splitting


def _top_level_spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans between separators, ignoring separators inside brackets ("Phòng KT (chủ trì, tổng hợp)")."""
    spans: list[tuple[int, int]] = []
    start = position = depth = 0
    while position < len(text):
        char = text[position]
        found = separator.match(text, position) if depth == 0 else None
        if found is not None:
            spans.append((start, position))
            start = position = found.end()
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        position += 1
    spans.append((start, len(text)))
    return spans


def _phrase_protection(phrase: str) -> tuple[str, ...]:
    segments = (name_fold(text=phrase[start:end]) for start, end in _top_level_spans(phrase, _SOFT_SEPARATOR))
    return tuple(segment for segment in segments if segment)


def _protections_build(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    protections = {_phrase_protection(phrase) for phrase in phrases}
    return tuple(sorted((p for p in protections if len(p) > 1), key=lambda p: (-len(p), p)))


_BUILTIN_PROTECTIONS = _protections_build(
    (*_MULTIPART_NAMES, *(phrase for collective in COLLECTIVES.values() for phrase in collective.phrases))
)


def _protections_with(names: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    protections = set(_BUILTIN_PROTECTIONS) | set(_protections_build(names))
    return tuple(sorted(protections, key=lambda p: (-len(p), p)))


def _key_ends_with(key: str, tail: str) -> bool:
    return key == tail or key.endswith(" " + tail)


def _key_starts_with(key: str, head: str) -> bool:
    return key == head or key.startswith(head + " ")


def _protection_fits(keys: list[str], index: int, protection: tuple[str, ...]) -> bool:
    last = index + len(protection) - 1
    if last >= len(keys):
        return False
    inner_fits = all(keys[index + offset] == protection[offset] for offset in range(1, len(protection) - 1))
    return inner_fits and _key_ends_with(keys[index], protection[0]) and _key_starts_with(keys[last], protection[-1])


def _protected_width(keys: list[str], index: int, protections: tuple[tuple[str, ...], ...]) -> int:
    return max((len(p) for p in protections if _protection_fits(keys, index, p)), default=1)


def _soft_split(text: str, protections: tuple[tuple[str, ...], ...]) -> list[str]:
    """Cut at commas, line breaks and "và", except inside a protected phrase."""
    spans = _top_level_spans(text, _SOFT_SEPARATOR)
    keys = [name_fold(text=text[start:end]) for start, end in spans]
    index = 0
    while index < len(spans):
        width = _protected_width(keys, index, protections)
        if width == 1:
            index += 1
            continue
        # The merged piece may itself begin another protected phrase, so look again here.
        merged = (spans[index][0], spans[index + width - 1][1])
        spans[index:index + width] = [merged]
        keys[index:index + width] = [name_fold(text=text[merged[0]:merged[1]])]
    return [text[start:end] for start, end in spans]


def _piece_trim(piece: str) -> str:
    return _TRAILING_PUNCTUATION.sub("", _LEADING_BULLETS.sub("", piece)).strip()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _distributive_prefix(piece: str) -> tuple[str, str] | None:
    """("Phòng", "Văn hoá - Xã hội, Kinh tế") for "Các phòng: Văn hoá - Xã hội, Kinh tế"."""
    spans = _top_level_spans(piece, _COLON)
    if len(spans) != 2:
        return None
    prefix, items = piece[spans[0][0]:spans[0][1]], piece[spans[1][0]:spans[1][1]]
    if not name_fold(text=items):
        return None
    word_count = len(_words_fold(prefix))
    if not 0 < word_count <= _DISTRIBUTIVE_PREFIX_MAX_WORDS or len(_top_level_spans(prefix, _SOFT_SEPARATOR)) > 1:
        return None
    noun = _capitalised(_PLURAL_MARKER.sub("", unicodedata.normalize("NFC", _piece_trim(prefix))))
    return noun, items


def _distributed(noun: str, item: str) -> str:
    if _starts_with(_words_fold(item), _words_fold(noun)):
        return item
    return f"{noun} {item}"


def _hard_piece_split(piece: str, protections: tuple[tuple[str, ...], ...]) -> list[str]:
    distributive = _distributive_prefix(piece)
    if distributive is None:
        return [_piece_trim(name) for name in _soft_split(piece, protections)]
    noun, items = distributive
    trimmed = (_piece_trim(item) for item in _soft_split(items, protections))
    return [_distributed(noun, item) for item in trimmed if item]


def _names_split(text: str, protections: tuple[tuple[str, ...], ...]) -> list[str]:
    names: list[str] = []
    for start, end in _top_level_spans(text, _HARD_SEPARATOR):
        names.extend(_hard_piece_split(text[start:end], protections))
    return [name for name in names if name_fold(text=name)]


def names_split(*, text: str, keep_whole: Iterable[str] = ()) -> list[str]:
    """The names a cell lists, as written and trimmed. `keep_whole` adds names (a commune's
    units) that contain a comma or "và" and must not be cut there."""
    return _names_split(text, _protections_with(keep_whole))


# ---------------------------------------------------------------- collectives


def _collective_index_build() -> Mapping[str, str]:
    index: dict[str, str] = {}
    for key, collective in COLLECTIVES.items():
        for phrase in collective.phrases:
            words = _honorific_strip(_words_fold(phrase))
            for candidate in (words, _head_title_strip(words)):
                index.setdefault(_key(_abbreviations_expand(candidate)), key)
    return MappingProxyType(index)


_COLLECTIVE_INDEX = _collective_index_build()


# ---------------------------------------------------------------- unit directory


@dataclass(frozen=True)
class UnitEntry:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitDirectory:
    entries: tuple[UnitEntry, ...]
    index: Mapping[str, int]
    protections: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class UnitResolution:
    unit_ids: tuple[int, ...]
    collectives: tuple[str, ...]
    collective_unit_ids: tuple[int, ...]
    unknown: tuple[str, ...]
    empty: bool


@dataclass(frozen=True)
class _Spelling:
    owner_id: int
    owner_name: str
    text: str


def _unit_key(text: str) -> str:
    return _key(_abbreviations_expand(_honorific_strip(_words_fold(text))))


def _spellings_index(
    *, spellings: Iterable[_Spelling], key_of: Callable[[str], str], clash_message: Promise
) -> Mapping[str, int]:
    index: dict[str, _Spelling] = {}
    for spelling in spellings:
        key = key_of(spelling.text)
        if not key:
            continue
        known = index.setdefault(key, spelling)
        if known.owner_id != spelling.owner_id:
            raise ValueError(clash_message % {
                "first": known.owner_name, "second": spelling.owner_name, "spelling": spelling.text,
            })
    return MappingProxyType({key: spelling.owner_id for key, spelling in index.items()})


def _ids_check(*, pairs: Iterable[tuple[int, str]], message: Promise) -> None:
    seen: dict[int, str] = {}
    for owner_id, name in pairs:
        if owner_id in seen:
            raise ValueError(message % {"id": owner_id, "first": seen[owner_id], "second": name})
        seen[owner_id] = name


def _unit_entry_check(entry: UnitEntry) -> None:
    if not name_fold(text=entry.name):
        raise ValueError(_("Unit %(id)s has no name.") % {"id": entry.id})
    if entry.kind not in UNIT_KINDS:
        raise ValueError(_("The unit “%(name)s” has an unknown kind “%(kind)s”.") % {
            "name": entry.name, "kind": entry.kind,
        })


def unit_directory_build(*, entries: Iterable[UnitEntry]) -> UnitDirectory:
    """Index a commune's units by every folded spelling; two units may not share one."""
    units = tuple(entries)
    for entry in units:
        _unit_entry_check(entry)
    _ids_check(pairs=((entry.id, entry.name) for entry in units),
               message=_("Two units have the id %(id)s: “%(first)s” and “%(second)s”."))
    spellings = [
        _Spelling(owner_id=entry.id, owner_name=entry.name, text=text)
        for entry in units for text in (entry.name, *entry.aliases)
    ]
    index = _spellings_index(
        spellings=spellings, key_of=_unit_key,
        clash_message=_("The units “%(first)s” and “%(second)s” cannot both be written “%(spelling)s”."),
    )
    protections = _protections_with(spelling.text for spelling in spellings)
    return UnitDirectory(entries=units, index=index, protections=protections)


@dataclass(frozen=True)
class _Match:
    unit_id: int | None = None
    collective: str | None = None


def _exact_match(words: tuple[str, ...], index: Mapping[str, int]) -> _Match | None:
    key = _key(words)
    if key in index:
        return _Match(unit_id=index[key])
    if key in _COLLECTIVE_INDEX:
        return _Match(collective=_COLLECTIVE_INDEX[key])
    return None


_VILLAGE_SUFFIXES = _folded("xã", "của xã")
_LOOSE_PREFIXES = _folded("các", "phòng")


def _suffix_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    bare = next((words[:-len(s)] for s in _VILLAGE_SUFFIXES[::-1] if _ends_with(words, s)), words)
    return {words, bare, *(bare + suffix for suffix in _VILLAGE_SUFFIXES)}


def _prefix_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    bare = next((words[len(p):] for p in _LOOSE_PREFIXES if _starts_with(words, p)), words)
    return {words, bare, *(prefix + bare for prefix in _LOOSE_PREFIXES)}


def _variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Spellings that differ only by "xã", "của xã", "các" or "phòng" at the edges."""
    variants = {prefixed for stem in _suffix_variants(words) for prefixed in _prefix_variants(stem)}
    return {variant for variant in variants if variant and variant != words}


def _loose_match(candidates: tuple[tuple[str, ...], ...], index: Mapping[str, int]) -> _Match | None:
    found = {
        match for words in candidates for variant in _variants(words)
        if (match := _exact_match(variant, index)) is not None
    }
    # Two different units within reach is ambiguity, and ambiguity is not guessed away.
    return found.pop() if len(found) == 1 else None


def _unit_name_match(name: str, index: Mapping[str, int]) -> _Match | None:
    words = _honorific_strip(_words_fold(name))
    candidates = tuple(dict.fromkeys((_abbreviations_expand(words), _abbreviations_expand(_head_title_strip(words)))))
    for candidate in candidates:
        match = _exact_match(candidate, index)
        if match is not None:
            return match
    return _loose_match(candidates, index)


def _collective_unit_ids(
    *, collectives: Iterable[str], named: Iterable[int], directory: UnitDirectory
) -> tuple[int, ...]:
    kinds = {kind for key in collectives for kind in COLLECTIVES[key].kinds}
    excluded = set(named)
    return tuple(entry.id for entry in directory.entries if entry.kind in kinds and entry.id not in excluded)


def unit_references_resolve(*, text: str, directory: UnitDirectory) -> UnitResolution:
    """The units a lead, supporting or monitoring cell names, in cell order."""
    names = _names_split(text, directory.protections)
    unit_ids: dict[int, None] = {}
    collectives: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for name in names:
        match = _unit_name_match(name, directory.index)
        if match is None:
            unknown[name] = None
        elif match.unit_id is not None:
            unit_ids[match.unit_id] = None
        elif match.collective is not None:
            collectives[match.collective] = None
    return UnitResolution(
        unit_ids=tuple(unit_ids),
        collectives=tuple(collectives),
        collective_unit_ids=_collective_unit_ids(collectives=collectives, named=unit_ids, directory=directory),
        unknown=tuple(unknown),
        empty=not names,
    )


# ---------------------------------------------------------------- posts


@dataclass(frozen=True)
class PostEntry:
    id: int
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostDirectory:
    entries: tuple[PostEntry, ...]
    index: Mapping[str, int]
    protections: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PostResolution:
    post_ids: tuple[int, ...]
    unknown: tuple[str, ...]
    empty: bool
    # "Đồng chí Thủ trưởng các cơ quan, đơn vị" names the heads of a collective, not a post.
    collectives: tuple[str, ...] = ()


def _post_key(text: str) -> str:
    return _key(_abbreviations_expand(_mistyped_head_correct(_honorific_strip(_words_fold(text)))))


def post_directory_build(*, entries: Iterable[PostEntry]) -> PostDirectory:
    """Index a commune's posts by every folded spelling of their titles; two posts may not share one."""
    posts = tuple(entries)
    for entry in posts:
        if not name_fold(text=entry.title):
            raise ValueError(_("Post %(id)s has no title.") % {"id": entry.id})
    _ids_check(pairs=((entry.id, entry.title) for entry in posts),
               message=_("Two posts have the id %(id)s: “%(first)s” and “%(second)s”."))
    spellings = [
        _Spelling(owner_id=entry.id, owner_name=entry.title, text=text)
        for entry in posts for text in (entry.title, *entry.aliases)
    ]
    index = _spellings_index(
        spellings=spellings, key_of=_post_key,
        clash_message=_("The posts “%(first)s” and “%(second)s” cannot both be written “%(spelling)s”."),
    )
    protections = _protections_with(spelling.text for spelling in spellings)
    return PostDirectory(entries=posts, index=index, protections=protections)


def _post_exact(words: tuple[str, ...], index: Mapping[str, int]) -> int | None:
    if _key(words) in index:
        return index[_key(words)]
    found = {index[_key(variant)] for variant in _suffix_variants(words) if _key(variant) in index}
    return found.pop() if len(found) == 1 else None


def _leading_title(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The title a following name without one inherits: "Trưởng phòng VHXH, Phòng KT"."""
    length = _head_title_length(words)
    if not length:
        return ()
    title = words[:length]
    noun = words[length:length + 1]
    return (title, title + noun) if noun in _FOLDED_HEADED_UNIT_NOUNS else (title,)


def _post_match(words: tuple[str, ...], inherited: tuple[tuple[str, ...], ...], index: Mapping[str, int]) -> int | None:
    own = _post_exact(_abbreviations_expand(words), index)
    if own is not None or _head_title_length(words):
        return own
    for title in inherited:
        found = _post_exact(_abbreviations_expand(title + words), index)
        if found is not None:
            return found
    return None


def _collective_of(words: tuple[str, ...]) -> str | None:
    for candidate in (words, _head_title_strip(words)):
        expanded = _abbreviations_expand(candidate)
        for variant in (expanded, *_prefix_variants(expanded)):
            if _key(variant) in _COLLECTIVE_INDEX:
                return _COLLECTIVE_INDEX[_key(variant)]
    return None


def post_reference_resolve(*, text: str, directory: PostDirectory) -> PostResolution:
    """The posts a directing- or presiding-comrade cell names, in cell order."""
    names = _names_split(text, directory.protections)
    post_ids: dict[int, None] = {}
    collectives: dict[str, None] = {}
    unknown: dict[str, None] = {}
    inherited: tuple[tuple[str, ...], ...] = ()
    for name in names:
        words = _mistyped_head_correct(_honorific_strip(_words_fold(name)))
        post_id = _post_match(words, inherited, directory.index)
        collective = None if post_id is not None else _collective_of(words)
        if post_id is not None:
            post_ids[post_id] = None
        elif collective is not None:
            collectives[collective] = None
        else:
            unknown[name] = None
        inherited = _leading_title(words) or inherited
    return PostResolution(
        post_ids=tuple(post_ids), unknown=tuple(unknown), empty=not names, collectives=tuple(collectives),
    )


# ---------------------------------------------------------------- creating units from a plan

_KIND_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # (kind, how the phrase must sit in the name, phrases); the first rule that fits wins.
    ("party_body", "starts", ("Văn phòng Đảng ủy", "Ủy ban kiểm tra", "Đảng ủy", "Ban Tuyên giáo",
                              "Ban Dân vận", "Ban Tổ chức")),
    ("front", "contains", ("Mặt trận",)),
    ("party_body", "ban_of_party", ("Ban",)),
    ("department", "starts", ("Phòng", "Trung tâm")),
    ("department", "office_of_committee", ("Văn phòng",)),
    ("police", "starts", ("Công an",)),
    ("party_cell", "starts", ("Chi bộ",)),
    ("school", "starts", ("Trường", "Nhà trường")),
    ("bank", "starts", ("Ngân hàng", "Quỹ tín dụng")),
    ("other", "starts", ("Hội đồng",)),
    ("mass_organisation", "starts", ("Đoàn", "Hội", "Công đoàn", "Liên đoàn", "Cựu chiến binh")),
)
_FOLDED_KIND_RULES = tuple((kind, how, _folded(*phrases)) for kind, how, phrases in _KIND_RULES)
(_FOLDED_PARTY,) = _folded("Đảng")
_FOLDED_COMMITTEES = _folded("Ủy ban nhân dân", "Hội đồng nhân dân")


def _kind_rule_fits(how: str, phrase: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if how == "contains":
        return _contains(words, phrase)
    if how == "ban_of_party":
        return _starts_with(words, phrase) and _contains(words[len(phrase):], _FOLDED_PARTY)
    if how == "office_of_committee":
        return _starts_with(words, phrase) and any(_contains(words, body) for body in _FOLDED_COMMITTEES)
    return _starts_with(words, phrase)


def unit_kind_guess(*, name: str) -> str:
    """The likely kind of a unit a plan names, for creating it; "other" when nothing fits."""
    words = _abbreviations_expand(_head_title_strip(_honorific_strip(_words_fold(name))))
    for kind, how, phrases in _FOLDED_KIND_RULES:
        if any(_kind_rule_fits(how, phrase, words) for phrase in phrases):
            return kind
    return "other"


_DISPLAY_ABBREVIATIONS = tuple(
    sorted(((_words_fold(short), full) for short, full in ABBREVIATIONS.items()), key=lambda pair: -len(pair[0]))
)


def _display_abbreviation_at(folded: tuple[str, ...], position: int) -> tuple[int, str] | None:
    for short, full in _DISPLAY_ABBREVIATIONS:
        if folded[position:position + len(short)] == short:
            return len(short), full
    return None


def _abbreviations_display(text: str) -> str:
    """Expand abbreviations in place, keeping everything else as written."""
    words = list(_WORD.finditer(text))
    folded = tuple(_word_fold(word.group()) for word in words)
    parts: list[str] = []
    written_up_to = position = 0
    while position < len(words):
        match = _display_abbreviation_at(folded, position)
        if match is None:
            position += 1
            continue
        width, full = match
        parts += [text[written_up_to:words[position].start()], full]
        written_up_to = words[position + width - 1].end()
        position += width
    parts.append(text[written_up_to:])
    return "".join(parts)


def unit_canonical_name(*, text: str) -> str:
    """The name to create a unit under from a reference: "Đồng chí Trưởng phòng VHXH" gives
    "Phòng Văn hóa - Xã hội". Honorifics and head titles go, known abbreviations are spelt out."""
    composed = unicodedata.normalize("NFC", text)
    words = list(_WORD.finditer(composed))
    folded = tuple(_word_fold(word.group()) for word in words)
    honorific = _honorific_length(folded)
    dropped = honorific + _head_title_length(folded[honorific:])
    if not words:
        return ""
    remainder = _piece_trim(composed[words[dropped].start():])
    return _capitalised(" ".join(_abbreviations_display(remainder).split()))
