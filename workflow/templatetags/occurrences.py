"""How periods and stored dates read on the pages."""
from __future__ import annotations

import re
from datetime import date

from django import template
from django.utils.translation import gettext as _

register = template.Library()
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def period_label(key: str) -> str:
    """"once" → one-off, "2026" → year 2026, "2026-Q1" → quarter I/2026, "2026-H1", "2026-03"."""
    if key == "once":
        return _("one-off")
    if re.fullmatch(r"\d{4}", key):
        return _("year %(year)s") % {"year": key}
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", key):
        return _("quarter %(quarter)s/%(year)s") % {"quarter": _ROMAN[int(match[2])], "year": match[1]}
    if match := re.fullmatch(r"(\d{4})-H([12])", key):
        label = _("first half of %(year)s") if match[2] == "1" else _("second half of %(year)s")
        return label % {"year": match[1]}
    if match := re.fullmatch(r"(\d{4})-(\d{2})", key):
        return _("month %(month)s/%(year)s") % {"month": match[2], "year": match[1]}
    return key


@register.filter
def iso_date(value: str) -> str:
    """A date stored in an event as ISO text, written dd/mm/yyyy."""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value or ""


@register.filter
def rung_label(rung: str | None) -> str:
    if not rung:
        return "—"
    labels = {
        "remind_7": _("First reminder"), "remind_3": _("Second reminder"), "remind_1": _("Last reminder"),
        "due": _("On the due date"), "overdue_3": _("Directing comrade and Party Office"),
        "overdue_10": _("Inspection Committee"),
    }
    return labels.get(rung, rung)
