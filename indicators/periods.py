"""Reporting periods: keys written like the occurrences' ("2026", "2026-H1", "2026-Q1", "2026-05")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow.calendar import month_last_day

_MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date


def _key(*, cadence: str, year: int, index: int) -> str:
    if cadence == "annual":
        return f"{year}"
    if cadence == "semiannual":
        return f"{year}-H{index}"
    if cadence == "quarterly":
        return f"{year}-Q{index}"
    return f"{year}-{index:02d}"


def period_containing(*, cadence: str, day: date) -> Period:
    months = _MONTHS_PER_PERIOD[cadence]
    index = (day.month - 1) // months + 1
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    return Period(key=_key(cadence=cadence, year=day.year, index=index), start=date(day.year, first_month, 1),
                  end=month_last_day(year=day.year, month=last_month))


def period_next(*, cadence: str, period: Period) -> Period:
    following = period.end.toordinal() + 1
    return period_containing(cadence=cadence, day=date.fromordinal(following))


def period_previous(*, cadence: str, period: Period) -> Period:
    return period_containing(cadence=cadence, day=date.fromordinal(period.start.toordinal() - 1))


def period_label(*, key: str) -> str:
    """"2026-Q1" → "quarter I/2026", in the active language: the same words as the occurrences'."""
    from workflow.templatetags.occurrences import period_label as occurrence_period_label

    return str(occurrence_period_label(key))
