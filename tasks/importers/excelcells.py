"""Render an Excel cell's value as the text a person sees in Vietnamese Excel."""
from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from tasks.importers.raw import cell_text_tidy

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DECIMALS = re.compile(r"[0#?]\.([0#?]+)")
# Vietnamese writes 3,5% and 1.500.000; the appendix texts do too, so numbers read alike.
_DECIMAL_MARK = ","
_GROUP_MARK = "."


def cell_text_render(*, value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return cell_text_tidy(text=value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return _datetime_display(value=value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float, Decimal)):
        return _number_display(value=value, number_format=number_format or "General")
    return cell_text_tidy(text=str(value))


def _datetime_display(*, value: datetime.datetime) -> str:
    if value.time() == datetime.time(0, 0):
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y %H:%M")


def _number_display(*, value: int | float | Decimal, number_format: str) -> str:
    section = _QUOTED.sub("", number_format.split(";")[0])
    is_percent = "%" in section
    number = Decimal(str(value))
    if not number.is_finite():
        return str(value)
    number *= 100 if is_percent else 1
    decimals = _decimals(section=section)
    text = _plain_number(number=number) if decimals is None else _fixed_number(number=number, decimals=decimals)
    if "#,#" in section or "0,0" in section:
        text = _grouped(text=text)
    return f"{text}%" if is_percent else text


def _decimals(*, section: str) -> int | None:
    """Digits after the decimal point the format asks for, or None for "General"."""
    found = _DECIMALS.search(section)
    if found:
        return len(found.group(1))
    return 0 if re.search(r"[0#?]", section) else None


def _plain_number(*, number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    # Excel shows at most 15 significant digits; float noise beyond them is not what a person sees.
    text = format(float(number), ".15g")
    if "e" in text:
        text = format(number.normalize(), "f")
    return text.replace(".", _DECIMAL_MARK)


def _fixed_number(*, number: Decimal, decimals: int) -> str:
    # Excel rounds halves away from zero; the precision covers any float's digits.
    with localcontext() as context:
        context.prec = 400
        rounded = number.quantize(Decimal(1).scaleb(-min(decimals, 30)), rounding=ROUND_HALF_UP)
    return format(rounded, "f").replace(".", _DECIMAL_MARK)


def _grouped(*, text: str) -> str:
    sign = "-" if text.startswith("-") else ""
    whole, _mark, fraction = text.lstrip("-").partition(_DECIMAL_MARK)
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    grouped = _GROUP_MARK.join([whole, *groups])
    return f"{sign}{grouped}{_DECIMAL_MARK}{fraction}" if fraction else f"{sign}{grouped}"
