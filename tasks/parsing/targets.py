"""An indicator's target cell ("≥60%", "Phấn đấu ít nhất 3%", "Top 50 của thành phố") read.

Never raises: a cell it cannot read comes back as kind `text`, keeping the words as written.

Conventions (where the documents leave room for reading):
- A decimal comma is Vietnamese ("3,5" is three and a half); a dot followed by groups of
  exactly three digits separates thousands ("1.000" is one thousand), any other dot is a
  decimal point ("2.5").
- A top rank ("Top 50") is a ceiling on the rank: `high` is 50, `low` is None.
- Words after a number without "%" are its unit ("≥ 2 doanh nghiệp"); words after "%"
  and text in parentheses go to `note`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tasks.parsing.timeline import text_fold

PERCENT = "%"


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    EXACT = "exact"
    RANGE = "range"
    TOP_RANK = "top_rank"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
    EMPTY = "empty"
    TEXT = "text"


@dataclass(frozen=True)
class Target:
    """A target read from a cell. `text` is kept exactly as written.

    exact: low == high. at_least, more_than: low. at_most, less_than, top_rank: high.
    range: low and high. `strive` marks "Phấn đấu"; `scope` is what a top rank is among
    ("của thành phố"); `note` holds words in parentheses (or after "%").
    """

    text: str
    kind: TargetKind
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    strive: bool = False
    scope: str = ""
    note: str = ""


# Folded (no diacritics, casefolded) phrases; longer phrases first so that "khong qua"
# is not read as "qua" and ">=" not as ">".
COMPARATOR_PHRASES: tuple[tuple[str, TargetKind], ...] = (
    (">=", TargetKind.AT_LEAST),
    ("=>", TargetKind.AT_LEAST),
    ("\u2265", TargetKind.AT_LEAST),  # ≥
    ("\u2267", TargetKind.AT_LEAST),  # ≧
    ("<=", TargetKind.AT_MOST),
    ("=<", TargetKind.AT_MOST),
    ("\u2264", TargetKind.AT_MOST),  # ≤
    ("\u2266", TargetKind.AT_MOST),  # ≦
    (">", TargetKind.MORE_THAN),
    ("<", TargetKind.LESS_THAN),
    ("khong it hon", TargetKind.AT_LEAST),
    ("khong duoi", TargetKind.AT_LEAST),
    ("it nhat", TargetKind.AT_LEAST),
    ("toi thieu", TargetKind.AT_LEAST),
    ("khong vuot qua", TargetKind.AT_MOST),
    ("khong qua", TargetKind.AT_MOST),
    ("khong tren", TargetKind.AT_MOST),
    ("toi da", TargetKind.AT_MOST),
    ("cao hon", TargetKind.MORE_THAN),
    ("vuot", TargetKind.MORE_THAN),
    ("tren", TargetKind.MORE_THAN),
    ("hon", TargetKind.MORE_THAN),
    ("thap hon", TargetKind.LESS_THAN),
    ("it hon", TargetKind.LESS_THAN),
    ("duoi", TargetKind.LESS_THAN),
)
SUFFIX_KINDS = {"tro len": TargetKind.AT_LEAST, "tro xuong": TargetKind.AT_MOST}
DONE_WORDS = frozenset({"x", "\u2713", "\u2714", "\u221a", "dat", "hoan thanh", "da hoan thanh"})
NOT_APPLICABLE_WORDS = frozenset({"n/a", "khong ap dung"})

NUMBER = r"[0-9]+(?:[.,][0-9]+)*"
COMPARATOR = "|".join(re.escape(phrase) for phrase, _kind in COMPARATOR_PHRASES)
STRIVE_PREFIX = re.compile(r"^phan dau (?:dat )?")
ATTAIN_PREFIX = re.compile(r"^dat ")
BOUND_PATTERN = re.compile(
    rf"(?:(?P<comparator>{COMPARATOR}) ?)?(?:tu )?(?P<number>{NUMBER}) ?(?P<percent>%)?"
    r"(?: (?P<rest>.*))?"
)
RANGE_PATTERN = re.compile(
    rf"(?:tu )?(?P<low>{NUMBER}) ?%? ?(?:-|den) ?(?P<high>{NUMBER}) ?(?P<percent>%)?"
    r"(?: (?P<rest>.*))?"
)
TOP_PATTERN = re.compile(r"(?:(?:nam )?trong )?top ?(?P<rank>[0-9]+)(?: (?P<scope>.*))?")
NOTE_PATTERN = re.compile(r"(?P<body>[^()]*?)\s*\((?P<note>.*)\)\s*", re.DOTALL)
WRITTEN_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:\s*%)?")
GROUPED_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
DECIMAL_COMMA = re.compile(r"[0-9]+(?:,[0-9]+)?")
DECIMAL_POINT = re.compile(r"[0-9]+\.[0-9]+")


def _decimal_read(*, written: str) -> Decimal | None:
    if GROUPED_THOUSANDS.fullmatch(written):
        return Decimal(written.replace(".", "").replace(",", "."))
    if DECIMAL_COMMA.fullmatch(written):
        return Decimal(written.replace(",", "."))
    if DECIMAL_POINT.fullmatch(written):
        return Decimal(written)
    return None


def _words_as_written(*, text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _tail_after_number(*, text: str, last: bool) -> str:
    """The words as written after the first or last number (and its "%") in a cell."""
    written = _words_as_written(text=text)
    numbers = list(WRITTEN_NUMBER.finditer(written))
    if not numbers:
        return ""
    number = numbers[-1] if last else numbers[0]
    return written[number.end() :].strip()


def _unit_choose(*, percent_written: bool, words: str, measurement_unit: str) -> str:
    measurement_unit = _words_as_written(text=measurement_unit)
    if percent_written or measurement_unit.startswith(PERCENT):
        return PERCENT
    return words or measurement_unit


def _comparator_kind(*, folded_phrase: str | None) -> TargetKind | None:
    return dict(COMPARATOR_PHRASES).get(folded_phrase or "")


def _bounds(*, kind: TargetKind, value: Decimal) -> tuple[Decimal | None, Decimal | None]:
    if kind in (TargetKind.AT_LEAST, TargetKind.MORE_THAN):
        return value, None
    if kind in (TargetKind.AT_MOST, TargetKind.LESS_THAN):
        return None, value
    return value, value


@dataclass(frozen=True)
class _Reading:
    """A numeric reading of a cell's body, before the unit and note are settled."""

    kind: TargetKind
    low: Decimal | None
    high: Decimal | None
    percent_written: bool
    rest_words: str
    scope: str = ""


def _rest_read(
    *, kind: TargetKind, explicit: bool, folded_rest: str, body: str
) -> tuple[TargetKind, str] | None:
    """The kind after a suffix ("trở lên") and the words after the number, as written.

    None when the rest holds another number: that is not a reading to guess at.
    """
    if not folded_rest:
        return kind, ""
    if folded_rest in SUFFIX_KINDS:
        return (kind if explicit else SUFFIX_KINDS[folded_rest]), ""
    if re.search(r"[0-9]", folded_rest):
        return None
    return kind, _tail_after_number(text=body, last=True)


def _bound_read(*, folded: str, body: str) -> _Reading | None:
    match = BOUND_PATTERN.fullmatch(folded)
    if not match:
        return None
    value = _decimal_read(written=match["number"])
    if value is None:
        return None
    explicit_kind = _comparator_kind(folded_phrase=match["comparator"])
    read = _rest_read(
        kind=explicit_kind or TargetKind.EXACT,
        explicit=explicit_kind is not None,
        folded_rest=match["rest"] or "",
        body=body,
    )
    if read is None:
        return None
    kind, rest_words = read
    low, high = _bounds(kind=kind, value=value)
    return _Reading(
        kind=kind,
        low=low,
        high=high,
        percent_written=bool(match["percent"]),
        rest_words=rest_words,
    )


def _range_read(*, folded: str, body: str) -> _Reading | None:
    match = RANGE_PATTERN.fullmatch(folded)
    if not match:
        return None
    low = _decimal_read(written=match["low"])
    high = _decimal_read(written=match["high"])
    if low is None or high is None or high < low:
        return None
    read = _rest_read(
        kind=TargetKind.RANGE, explicit=True, folded_rest=match["rest"] or "", body=body
    )
    if read is None:
        return None
    return _Reading(
        kind=TargetKind.RANGE,
        low=low,
        high=high,
        percent_written="%" in folded,
        rest_words=read[1],
    )


def _top_read(*, folded: str, body: str) -> _Reading | None:
    match = TOP_PATTERN.fullmatch(folded)
    # Decimal, not int: int() refuses digit strings longer than 4300 characters.
    if not match or Decimal(match["rank"]) < 1:
        return None
    scope = _tail_after_number(text=body, last=False) if match["scope"] else ""
    return _Reading(
        kind=TargetKind.TOP_RANK,
        low=None,
        high=Decimal(match["rank"]),
        percent_written=False,
        rest_words="",
        scope=scope,
    )


def _numeric_read(*, body: str) -> tuple[_Reading, bool] | None:
    """The reading of a body and whether it was marked "Phấn đấu"; None if not numeric."""
    folded = text_fold(text=body)
    stripped = STRIVE_PREFIX.sub("", folded, count=1)
    strive = stripped != folded
    folded = ATTAIN_PREFIX.sub("", stripped, count=1)
    for reader in (_top_read, _range_read, _bound_read):
        reading = reader(folded=folded, body=body)
        if reading is not None:
            return reading, strive
    return None


def _symbolic_kind(*, folded: str) -> TargetKind | None:
    if not folded:
        return TargetKind.EMPTY
    if folded in DONE_WORDS:
        return TargetKind.DONE
    if re.fullmatch(r"-+", folded) or folded in NOT_APPLICABLE_WORDS:
        return TargetKind.NOT_APPLICABLE
    return None


def _body_and_note(*, text: str) -> tuple[str, str]:
    match = NOTE_PATTERN.fullmatch(text.strip())
    if match and match["body"].strip():
        return match["body"], _words_as_written(text=match["note"])
    return text, ""


def target_parse(*, text: str, measurement_unit: str = "") -> Target:
    """Read a target cell. Never raises: what it cannot read comes back as kind `text`."""
    measured_unit = _unit_choose(
        percent_written=False, words="", measurement_unit=measurement_unit
    )
    symbolic = _symbolic_kind(folded=text_fold(text=text))
    if symbolic is not None:
        return Target(text=text, kind=symbolic, unit=measured_unit)
    body, parenthesised = _body_and_note(text=text)
    numeric = _numeric_read(body=body)
    if numeric is None:
        return Target(text=text, kind=TargetKind.TEXT, unit=measured_unit)
    reading, strive = numeric
    unit_words = "" if reading.percent_written else reading.rest_words
    after_percent = reading.rest_words if reading.percent_written else ""
    return Target(
        text=text,
        kind=reading.kind,
        low=reading.low,
        high=reading.high,
        unit=_unit_choose(
            percent_written=reading.percent_written,
            words=unit_words,
            measurement_unit=measurement_unit,
        ),
        strive=strive,
        scope=reading.scope,
        note="; ".join(part for part in (after_percent, parenthesised) if part),
    )


# --- Describing ----------------------------------------------------------------------------


def _amount_format(*, value: Decimal, unit: str) -> str:
    number = number_format(value)
    if not unit:
        return number
    if unit == PERCENT:
        return f"{number}{PERCENT}"
    return f"{number} {unit}"


COMPARATOR_DESCRIPTIONS = {
    TargetKind.AT_LEAST: _("≥ %(value)s"),
    TargetKind.MORE_THAN: _("> %(value)s"),
    TargetKind.AT_MOST: _("≤ %(value)s"),
    TargetKind.LESS_THAN: _("< %(value)s"),
}


def _numeric_describe(*, target: Target) -> str:
    if target.kind is TargetKind.RANGE and target.low is not None and target.high is not None:
        # The unit is written once, after the upper end: "80–90%".
        amounts = {
            "low": number_format(target.low),
            "high": _amount_format(value=target.high, unit=target.unit),
        }
        return str(_("%(low)s–%(high)s") % amounts)
    value = target.low if target.low is not None else target.high
    if value is None:
        return _words_as_written(text=target.text)
    amount = _amount_format(value=value, unit=target.unit)
    if target.kind in COMPARATOR_DESCRIPTIONS:
        return str(COMPARATOR_DESCRIPTIONS[target.kind] % {"value": amount})
    return amount


def _plain_describe(*, target: Target) -> str:
    if target.kind is TargetKind.TOP_RANK:
        rank = number_format(target.high) if target.high is not None else ""
        if target.scope:
            return str(_("Top %(rank)s %(scope)s") % {"rank": rank, "scope": target.scope})
        return str(_("Top %(rank)s") % {"rank": rank})
    if target.kind is TargetKind.DONE:
        return str(_("Done"))
    if target.kind is TargetKind.NOT_APPLICABLE:
        return str(_("Not applicable"))
    if target.kind is TargetKind.EMPTY:
        return str(_("No target set"))
    return _words_as_written(text=target.text)


NUMERIC_KINDS = frozenset(
    {
        TargetKind.AT_LEAST,
        TargetKind.MORE_THAN,
        TargetKind.AT_MOST,
        TargetKind.LESS_THAN,
        TargetKind.EXACT,
        TargetKind.RANGE,
    }
)


def target_describe(*, target: Target) -> str:
    """A short phrase in the active language: "≥ 60%", "Strive for ≥ 3%", "Top 50 …"."""
    if target.kind in NUMERIC_KINDS:
        phrase = _numeric_describe(target=target)
    else:
        phrase = _plain_describe(target=target)
    if target.strive:
        return str(_("Strive for %(target)s") % {"target": phrase})
    return phrase
