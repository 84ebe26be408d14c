"""Working days in Viet Nam: weekends and public holidays off, with a commune's overrides.

Public holidays (Tết Nguyên Đán included, which moves with the lunar calendar) come from the
`holidays` package. The package also knows the Saturdays the government turned into working
days to make a bridge holiday (for example 26/04/2025 for the day off on 02/05/2025); those
count as working days. A commune can add its own overrides on top: days off moved by a
government or provincial decision, and Saturdays made working days.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

COUNTRY_CODE = "VN"
WEEKEND_WEEKDAYS = frozenset({5, 6})  # Saturday, Sunday
ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=None)
def public_holidays_of_year(year: int) -> frozenset[date]:
    """Viet Nam's public holidays (and the package's substituted days off) in one year."""
    return frozenset(holidays.country_holidays(COUNTRY_CODE, years=year).keys())


@functools.lru_cache(maxsize=None)
def substituted_working_days_of_year(year: int) -> frozenset[date]:
    """Weekend days the government made working days, to make up for a bridge day off."""
    national_calendar = holidays.country_holidays(COUNTRY_CODE, years=year)
    # The package keeps these across every year it has ever populated, so filter.
    workdays = getattr(national_calendar, "weekend_workdays", ())
    return frozenset(day for day in workdays if day.year == year)


def month_last_day(*, year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - ONE_DAY


@dataclass(frozen=True)
class WorkingCalendar:
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        # The commune's overrides win over the national calendar, and a day listed as a
        # working day wins over a day listed as off: a decision to work is the more specific.
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if day in substituted_working_days_of_year(day.year):
            return True
        if day.weekday() in WEEKEND_WEEKDAYS:
            return False
        return day not in public_holidays_of_year(day.year)

    def working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def last_working_day_of_month(self, *, year: int, month: int) -> date:
        return self.working_day_on_or_before(month_last_day(year=year, month=month))

    def working_days_add(self, *, start: date, days: int) -> date:
        """The `days`-th working day after `start` (before it when `days` is negative).

        `start` itself is never counted, so adding 1 to a Friday gives the Monday and adding
        1 to a Saturday also gives the Monday. Adding 0 returns `start` when it is a working
        day and otherwise the next working day: a deadline counted from a day off starts
        running on the next day the office is open.
        """
        if days == 0:
            return self.working_day_on_or_after(start)
        step = ONE_DAY if days > 0 else -ONE_DAY
        remaining = abs(days)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, *, start: date, end: date) -> int:
        """The number of working days in (start, end]; minus those in (end, start] if end < start.

        So `working_days_between(start=a, end=b) == -working_days_between(start=b, end=a)`,
        and `working_days_between(start=s, end=working_days_add(start=s, days=n)) == n` for
        every n >= 1 (and for n = 0 when s is a working day).
        """
        if end < start:
            return -self.working_days_between(start=end, end=start)
        # Counted from per-year running totals, so years of lateness cost a few lookups, not a day-by-day walk.
        if start.year == end.year:
            running = self._running_total(start.year)
            return running[end.timetuple().tm_yday] - running[start.timetuple().tm_yday]
        first, last = self._running_total(start.year), self._running_total(end.year)
        count = first[-1] - first[start.timetuple().tm_yday] + last[end.timetuple().tm_yday]
        for year in range(start.year + 1, end.year):
            count += self._running_total(year)[-1]
        return count

    def _running_total(self, year: int) -> tuple[int, ...]:
        """running[n] = working days from 1 January to the n-th day of `year` (running[0] = 0)."""
        known = self._running_totals
        if year not in known:
            known[year] = _year_running_total(year=year, calendar=WorkingCalendar(
                extra_days_off=frozenset(day for day in self.extra_days_off if day.year == year),
                extra_working_days=frozenset(day for day in self.extra_working_days if day.year == year)))
        return known[year]

    @functools.cached_property
    def _running_totals(self) -> dict[int, tuple[int, ...]]:
        return {}


@functools.lru_cache(maxsize=4096)
def _year_running_total(*, year: int, calendar: WorkingCalendar) -> tuple[int, ...]:
    running, count, day = [0], 0, date(year, 1, 1)
    while day.year == year:
        count += calendar.is_working_day(day)
        running.append(count)
        day += ONE_DAY
    return tuple(running)


def calendar_build(
    *, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()
) -> WorkingCalendar:
    return WorkingCalendar(
        extra_days_off=frozenset(extra_days_off),
        extra_working_days=frozenset(extra_working_days),
    )
