"""Read a plan's heading from the lines around its appendix: symbol, issuer, title, what it implements."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from tasks.models import PlanKind

_SYMBOL = re.compile(
    r"(?:kế\s+hoạch(?:\s+hành\s+động)?|quyết\s+định)\s+số\s*(?P<number>[0-9]*)\s*(?P<sep>[-/]?)\s*"
    r"(?P<symbol>(?:KH|QĐ)[-/][A-ZĐ-]+)",
    re.IGNORECASE,
)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)
_ISSUER = re.compile(r"của\s+(?P<issuer>[^)]+)\)")
_IMPLEMENTS = re.compile(r"\b\d+\s*[-/]\s*(?:NQ|KH|QĐ|CT|KL|HD)\s*[-/]\s*[A-ZĐ]+\b")
_TITLE_START = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH)\b")


@dataclass(frozen=True)
class PlanHeading:
    number_symbol: str = ""
    kind: str = ""
    issuer: str = ""
    issued_on: date | None = None
    title: str = ""
    implements: tuple[str, ...] = field(default_factory=tuple)


def _kind_from(symbol: str, lines: list[str]) -> str:
    upper = symbol.upper()
    if "UBND" in upper:
        return PlanKind.STATE
    if "ĐU" in upper or "TW" in upper:
        return PlanKind.PARTY
    head = " ".join(lines[:3]).upper()
    if "ỦY BAN NHÂN DÂN" in head or "UBND" in head:
        return PlanKind.STATE
    return PlanKind.PARTY if "ĐẢNG" in head else ""


def _issued_on(text: str) -> date | None:
    match = _DATE.search(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def plan_heading_read(*, lines: list[str]) -> PlanHeading:
    """Best effort: what the heading does not say stays empty for the officer to fill in."""
    lines = [unicodedata.normalize("NFC", " ".join(line.split())) for line in lines if line and line.strip()]
    text = "\n".join(lines)
    number_symbol, symbol_text, issued_on, issuer = "", "", None, ""
    for line in lines:
        match = _SYMBOL.search(line)
        if match:
            symbol_text = match.group("symbol")
            number = match.group("number")
            # A blank number ("số    -KH/ĐU") means the plan was not yet numbered: leave it empty.
            number_symbol = f"{number}{match.group('sep') or '-'}{symbol_text}" if number else ""
            issued_on = _issued_on(line)
            issuer_match = _ISSUER.search(line)
            issuer = issuer_match.group("issuer").strip() if issuer_match else ""
            break
    title = next((line for line in lines if _TITLE_START.match(line)), "")
    if not issuer and len(lines) > 1 and lines[1].isupper():
        issuer = lines[1].title()
    found = (re.sub(r"\s+", "", m) for m in _IMPLEMENTS.findall(text))
    implements = tuple(dict.fromkeys(doc for doc in found if doc != number_symbol))
    return PlanHeading(
        number_symbol=number_symbol,
        kind=_kind_from(symbol_text, lines),
        issuer=issuer,
        issued_on=issued_on,
        title=title,
        implements=implements,
    )


def heading_lines_read(*, data: bytes, tables) -> list[str]:
    """The lines a heading can be read from: a Word file's paragraphs, a sheet's title rows.

    Call only after `tables_read` accepted the file: it has already refused hostile content.
    """
    lines: list[str] = []
    if data[:2] == b"PK":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_word = "word/document.xml" in archive.namelist()
        if is_word:
            import docx

            lines.extend(paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs)
    for table in tables:
        for row in table.rows[:3]:
            distinct = {cell.strip() for cell in row if cell.strip()}
            if len(distinct) == 1:
                lines.extend(distinct.pop().splitlines())
    return lines
