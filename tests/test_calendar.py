from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.calendar import (
    WorkingCalendar,
    calendar_build,
    public_holidays_of_year,
)

NATIONAL = calendar_build()

TET_2026 = [date(2026, 2, day) for day in range(16, 21)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        *[(tet_day, False) for tet_day in TET_2026],
        (date(2026, 2, 13), True),  # Friday before Tết
        (date(2026, 2, 23), True),  # Monday after Tết
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), False),  # bridge day off in 2025
        (date(2025, 4, 26), True),  # the Saturday worked to make up for 02/05/2025
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2026, 8, 31), False),  # bridge day off in 2026
        (date(2026, 8, 22), True),  # the Saturday worked to make up for 31/08/2026
        (date(2026, 9, 2), False),
        (date(2026, 1, 1), False),
        (date(2025, 12, 27), False),  # an ordinary Saturday
        (date(2025, 12, 28), False),  # an ordinary Sunday
        (date(2025, 12, 29), True),  # an ordinary Monday
    ],
)
def test_is_working_day_follows_the_national_calendar(day: date, expected: bool) -> None:
    assert NATIONAL.is_working_day(day) is expected


def test_holidays_package_gives_tet_2026_from_16_to_20_february() -> None:
    tet_days = {day for day in public_holidays_of_year(2026) if day.month == 2}
    assert tet_days == set(TET_2026)


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (date(2026, 2, 16), date(2026, 2, 13), date(2026, 2, 23)),  # Tết 2026
        (date(2026, 2, 18), date(2026, 2, 13), date(2026, 2, 23)),
        (date(2026, 4, 30), date(2026, 4, 29), date(2026, 5, 4)),  # 30/4 and 1/5, 2026
        (date(2026, 5, 1), date(2026, 4, 29), date(2026, 5, 4)),
        (date(2025, 4, 30), date(2025, 4, 29), date(2025, 5, 5)),  # 30/4 to 2/5, 2025
        (date(2025, 9, 2), date(2025, 8, 29), date(2025, 9, 3)),  # 2/9, 2025
        (date(2026, 9, 2), date(2026, 8, 28), date(2026, 9, 3)),  # 31/8 to 2/9, 2026
        (date(2025, 12, 29), date(2025, 12, 29), date(2025, 12, 29)),  # already working
    ],
)
def test_working_day_on_or_before_and_after(day: date, before: date, after: date) -> None:
    assert NATIONAL.working_day_on_or_before(day) == before
    assert NATIONAL.working_day_on_or_after(day) == after


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2025, 8, date(2025, 8, 29)),  # 31/08/2025 is a Sunday
        (2025, 11, date(2025, 11, 28)),  # 30/11/2025 is a Sunday
        (2026, 5, date(2026, 5, 29)),  # 31/05/2026 is a Sunday
        (2025, 9, date(2025, 9, 30)),  # a Tuesday
        (2025, 1, date(2025, 1, 24)),  # 27–31/01/2025 is Tết
        (2026, 2, date(2026, 2, 27)),  # 28/02/2026 is a Saturday
        (2025, 12, date(2025, 12, 31)),
    ],
)
def test_last_working_day_of_month(year: int, month: int, expected: date) -> None:
    assert NATIONAL.last_working_day_of_month(year=year, month=month) == expected


def test_a_saturday_made_a_working_day_counts() -> None:
    saturday = date(2026, 2, 28)
    calendar = calendar_build(extra_working_days=[saturday])

    assert calendar.is_working_day(saturday)
    assert calendar.last_working_day_of_month(year=2026, month=2) == saturday
    assert calendar.working_days_between(start=date(2026, 2, 27), end=date(2026, 3, 2)) == 2


def test_a_day_off_added_by_a_decision_is_skipped() -> None:
    decided_day_off = date(2025, 12, 31)
    calendar = calendar_build(extra_days_off=[decided_day_off])

    assert not calendar.is_working_day(decided_day_off)
    assert calendar.last_working_day_of_month(year=2025, month=12) == date(2025, 12, 30)
    assert calendar.working_days_add(start=date(2025, 12, 30), days=1) == date(2026, 1, 2)


def test_a_working_day_override_wins_over_a_day_off_override() -> None:
    day = date(2026, 3, 2)
    calendar = calendar_build(extra_days_off=[day], extra_working_days=[day])
    assert calendar.is_working_day(day)


def test_calendar_build_freezes_its_overrides() -> None:
    calendar = calendar_build(extra_days_off=[date(2025, 12, 31)])
    assert calendar == WorkingCalendar(extra_days_off=frozenset({date(2025, 12, 31)}))
    assert hash(calendar) == hash(WorkingCalendar(extra_days_off=frozenset({date(2025, 12, 31)})))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # across Tết 2026
        (date(2026, 2, 23), -1, date(2026, 2, 13)),
        (date(2026, 2, 13), 0, date(2026, 2, 13)),  # 0 on a working day: the same day
        (date(2026, 2, 14), 0, date(2026, 2, 23)),  # 0 on a day off: the next working day
        (date(2026, 2, 14), 1, date(2026, 2, 23)),  # counting starts after the start day
        (date(2026, 2, 14), -1, date(2026, 2, 13)),
        (date(2025, 12, 29), 5, date(2026, 1, 6)),  # skips 1/1 and the weekend
        (date(2025, 4, 25), 1, date(2025, 4, 26)),  # the Saturday worked in 2025
        (date(2025, 4, 29), 1, date(2025, 5, 5)),
        (date(2025, 9, 3), -2, date(2025, 8, 28)),
    ],
)
def test_working_days_add(start: date, days: int, expected: date) -> None:
    assert NATIONAL.working_days_add(start=start, days=days) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 2, 13), date(2026, 2, 23), 1),
        (date(2026, 2, 23), date(2026, 2, 13), -1),
        (date(2026, 2, 13), date(2026, 2, 13), 0),
        (date(2025, 12, 1), date(2025, 12, 8), 5),  # one ordinary week
        (date(2026, 2, 14), date(2026, 2, 22), 0),  # only weekend and Tết in between
        (date(2025, 4, 28), date(2025, 5, 5), 2),  # 29/4 and 5/5
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert NATIONAL.working_days_between(start=start, end=end) == expected


def test_holidays_are_cached_per_year() -> None:
    public_holidays_of_year(2031)
    hits_before = public_holidays_of_year.cache_info().hits
    for _ in range(3):
        NATIONAL.is_working_day(date(2031, 3, 3))
    assert public_holidays_of_year.cache_info().hits >= hits_before + 3


days_in_range = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@given(start=days_in_range, days=st.integers(min_value=1, max_value=60))
def test_between_counts_back_what_add_added(start: date, days: int) -> None:
    end = NATIONAL.working_days_add(start=start, days=days)
    assert NATIONAL.working_days_between(start=start, end=end) == days


@given(start=days_in_range, end=days_in_range)
def test_between_is_antisymmetric(start: date, end: date) -> None:
    if abs((end - start).days) > 120:
        end = start + timedelta(days=(end - start).days % 120)
    forward = NATIONAL.working_days_between(start=start, end=end)
    assert forward == -NATIONAL.working_days_between(start=end, end=start)


@given(day=days_in_range)
def test_nearest_working_days_are_working_days(day: date) -> None:
    before = NATIONAL.working_day_on_or_before(day)
    after = NATIONAL.working_day_on_or_after(day)
    assert before <= day <= after
    assert NATIONAL.is_working_day(before)
    assert NATIONAL.is_working_day(after)
