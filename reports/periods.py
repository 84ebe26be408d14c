"""Report periods: a month, a quarter, a half-year or a year, keyed like occurrences' periods.

Keys: "2025-09" (month), "2025-Q3" (quarter), "2025-H1" (half), "2025" (year). A period's report
is due before the 10th of the month after it ends (units report "trước ngày 10 hàng tháng").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.calendar import month_last_day

REPORT_DUE_DAY = 10
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF = "half", _("6-monthly")
    YEAR = "year", _("Annual")


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: date
    end: date

    @property
    def due_on(self) -> date:
        """The 10th of the month after the period: the report is owed before it."""
        following = self.end + timedelta(days=1)
        return date(following.year, following.month, REPORT_DUE_DAY)

    @property
    def label_vi(self) -> str:
        """As the report's subject names it: "tháng 9 năm 2025", "quý III năm 2025", "6 tháng đầu năm 2025"."""
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return f"tháng {self.start.month} năm {year}"
        if self.kind == PeriodKind.QUARTER:
            return f"quý {_ROMAN[(self.start.month - 1) // 3 + 1]} năm {year}"
        if self.kind == PeriodKind.HALF:
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {year}"
        return f"năm {year}"


def period_of(*, kind: str, key: str) -> Period:
    """The period named by `kind` and `key`; ValueError when they do not fit together."""
    if kind == PeriodKind.MONTH and (m := re.fullmatch(r"(\d{4})-(\d{2})", key)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period(kind, key, date(year, month, 1), month_last_day(year=year, month=month))
    if kind == PeriodKind.QUARTER and (m := re.fullmatch(r"(\d{4})-Q([1-4])", key)):
        year, first = int(m[1]), (int(m[2]) - 1) * 3 + 1
        return Period(kind, key, date(year, first, 1), month_last_day(year=year, month=first + 2))
    if kind == PeriodKind.HALF and (m := re.fullmatch(r"(\d{4})-H([12])", key)):
        year, first = int(m[1]), 1 if m[2] == "1" else 7
        return Period(kind, key, date(year, first, 1), month_last_day(year=year, month=first + 5))
    if kind == PeriodKind.YEAR and re.fullmatch(r"\d{4}", key):
        return Period(kind, key, date(int(key), 1, 1), date(int(key), 12, 31))
    raise ValueError(f"{kind} {key}")


def period_containing(*, kind: str, day: date) -> Period:
    if kind == PeriodKind.MONTH:
        key = f"{day.year}-{day.month:02d}"
    elif kind == PeriodKind.QUARTER:
        key = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    elif kind == PeriodKind.HALF:
        key = f"{day.year}-H{1 if day.month <= 6 else 2}"
    else:
        key = f"{day.year}"
    return period_of(kind=kind, key=key)


def periods_due(*, today: date) -> list[Period]:
    """The periods whose draft the scheduler prepares on `today`: from the 1st to the 9th of a month,
    the month just ended, and the quarter, half-year and year that ended with it."""
    if today.day >= REPORT_DUE_DAY:
        return []
    last_day = today.replace(day=1) - timedelta(days=1)
    return [period_containing(kind=kind, day=last_day) for kind in PeriodKind
            if period_containing(kind=kind, day=last_day).end == last_day]


def periods_recent(*, today: date) -> list[Period]:
    """What the Party Office may prepare by hand: the current and recent periods of every kind."""
    result = []
    for kind, count in ((PeriodKind.MONTH, 12), (PeriodKind.QUARTER, 4), (PeriodKind.HALF, 2), (PeriodKind.YEAR, 2)):
        day = today
        for _index in range(count):
            period = period_containing(kind=kind, day=day)
            result.append(period)
            day = period.start - timedelta(days=1)
    return result
