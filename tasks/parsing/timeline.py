"""A task's timeline cell ("Tiến độ", "Thời gian hoàn thành") read into a schedule.

The parser never guesses: a cell it cannot read becomes an `unreadable` timeline with a
reason, and a person sets the due date. The text is kept exactly as written.

Conventions (where the documents leave room for reading):
- A deadline cannot fall on a day off, so every due date moves back to the working day on
  or before it ("Tháng 9/2025" is due on the last working day of September 2025).
- "Trước ngày N" / "Trước ngày dd/mm/yyyy" is read strictly: due on the last working day
  before day N ("trước ngày 10 hằng tháng" is due on the 9th, or earlier if the 9th is off).
- Recurring kinds are due at the end of each period: the last working day of the month,
  the quarter (March, June, September, December), the half year (June, December) or the
  year. "Thường xuyên" (ongoing) has a check-in at the end of every quarter.
- "2025 và những năm tiếp theo" and "Từ năm 2026" recur every year from that year on;
  "Giai đoạn 2025-2030" recurs every year from the first year to the last, both included.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from workflow.calendar import WorkingCalendar

# Plans run to 2045; anything far outside this is a typing error, not a deadline.
YEAR_MIN = 2000
YEAR_MAX = 2100
FIRST_DUE_SEARCH_YEARS = 30

QUARTER_END_MONTHS = (3, 6, 9, 12)
HALF_YEAR_END_MONTHS = (6, 12)
ALL_MONTHS = tuple(range(1, 13))

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

UNREADABLE_MESSAGE = _("The timeline could not be read; a person must set the due date.")
EMPTY_MESSAGE = _("No timeline was written; a person must set the due date.")


class TimelineKind(StrEnum):
    ONCE = "once"
    ANNUAL = "annual"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ONGOING = "ongoing"
    ON_REQUEST = "on_request"
    OPEN_ENDED = "open_ended"
    UNREADABLE = "unreadable"


KINDS_WITHOUT_DUE_DATES = frozenset({TimelineKind.ON_REQUEST, TimelineKind.UNREADABLE})


@dataclass(frozen=True)
class Timeline:
    """A schedule read from a timeline cell.

    once: `year` always; `month` and `day` for a date, `month` alone for a month, `quarter`
    for a quarter; `year` alone for a whole year. `before` marks "trước …" (strictly before).
    monthly: `day_of_month` for "trước ngày N hằng tháng" (with `before`).
    annual: optional `month` or `quarter` ("Quý I hằng năm"), optional `start_year` and
    `end_year` ("Giai đoạn 2025-2030").
    open_ended: `start_year`, recurring every year.
    unreadable: `reason`, a translatable message saying why.
    """

    kind: TimelineKind
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    day_of_month: int | None = None
    before: bool = False
    start_year: int | None = None
    end_year: int | None = None
    reason: str | Promise | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "text": self.text,
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "quarter": self.quarter,
            "day_of_month": self.day_of_month,
            "before": self.before,
            "start_year": self.start_year,
            "end_year": self.end_year,
            "reason": None if self.reason is None else str(self.reason),
        }


# --- Text folding --------------------------------------------------------------------------


def text_normalise(*, text: str) -> str:
    """NFC, casefolded, one space between words, one kind of dash. For matching only."""
    composed = unicodedata.normalize("NFC", text).casefold()
    composed = composed.translate({ord(dash): "-" for dash in DASHES})
    return " ".join(composed.split())


def text_fold(*, text: str) -> str:
    """The normalised text without any diacritics, for matching only.

    Dropping every mark folds both tone-mark placements ("hoá"/"hóa", "thuỷ"/"thủy"),
    NFC and NFD input, and text typed without accents. The phrases matched against are few
    and fixed, and none of them collide once their marks are gone.
    """
    decomposed = unicodedata.normalize("NFD", text_normalise(text=text))
    bare = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return bare.replace("đ", "d")


# --- Parsing -------------------------------------------------------------------------------

# Words that frame a deadline without changing it: "Hoàn thành trong tháng 9/2025",
# "Đến hết năm 2025", "Định kỳ 6 tháng".
FILLER_PREFIX = re.compile(r"^(?:hoan thanh|den het|den|het|trong|vao|cuoi|dinh ky)\b ?")
TRAILING_PUNCTUATION = " .,;:"

YEAR = r"(?P<year>[0-9]{4})"
MONTH_YEAR_SEPARATOR = r" ?(?:[/.-]|nam) ?"
DATE_SEPARATOR = r" ?[/.-] ?"
EVERY = r"(?:hang|moi)"

Builder = Callable[..., Timeline]  # called as builder(match=..., text=...)


def timeline_unreadable(*, text: str, reason: str | Promise = UNREADABLE_MESSAGE) -> Timeline:
    return Timeline(kind=TimelineKind.UNREADABLE, text=text, reason=reason)


def _message_format(message: Promise, params: Mapping[str, object]) -> str:
    return str(message) % params


# Formatting a lazy message right away would fix its language at parse time; this keeps it
# lazy so that it renders in the language of whoever reads it.
_message_format_lazy = lazy(_message_format, str)


def _year_checked(*, year: int, text: str) -> Timeline | None:
    """An unreadable timeline when the year is out of range, else None."""
    if YEAR_MIN <= year <= YEAR_MAX:
        return None
    reason = _message_format_lazy(
        _("The year %(year)s is outside the years a plan can cover (%(first)s–%(last)s)."),
        {"year": year, "first": YEAR_MIN, "last": YEAR_MAX},
    )
    return timeline_unreadable(text=text, reason=reason)


def _quarter_number(*, written: str) -> int | None:
    if written.isdigit():
        number = int(written)
        return number if 1 <= number <= 4 else None
    return ROMAN_QUARTERS.get(written)


def _quarter_unreadable(*, written: str, text: str) -> Timeline:
    reason = _message_format_lazy(
        _("There is no quarter %(quarter)s; a year has quarters I to IV."),
        {"quarter": written.upper()},
    )
    return timeline_unreadable(text=text, reason=reason)


def _month_unreadable(*, month: int, text: str) -> Timeline:
    reason = _message_format_lazy(
        _("There is no month %(month)s; a year has months 1 to 12."), {"month": month}
    )
    return timeline_unreadable(text=text, reason=reason)


def _build_simple(kind: TimelineKind) -> Builder:
    return lambda *, match, text: Timeline(kind=kind, text=text)


def _build_once_year(*, match: re.Match[str], text: str) -> Timeline:
    year = int(match["year"])
    return _year_checked(year=year, text=text) or Timeline(
        kind=TimelineKind.ONCE, text=text, year=year
    )


def _build_once_month(*, match: re.Match[str], text: str) -> Timeline:
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= 12:
        return _month_unreadable(month=month, text=text)
    return _year_checked(year=year, text=text) or Timeline(
        kind=TimelineKind.ONCE, text=text, year=year, month=month
    )


def _build_once_quarter(*, match: re.Match[str], text: str) -> Timeline:
    year, quarter = int(match["year"]), _quarter_number(written=match["quarter"])
    if quarter is None:
        return _quarter_unreadable(written=match["quarter"], text=text)
    return _year_checked(year=year, text=text) or Timeline(
        kind=TimelineKind.ONCE, text=text, year=year, quarter=quarter
    )


def _build_once_date(*, match: re.Match[str], text: str) -> Timeline:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    try:
        date(year, month, day)
    except ValueError:
        reason = _message_format_lazy(
            _("The date %(date)s does not exist."), {"date": f"{day}/{month}/{year}"}
        )
        return timeline_unreadable(text=text, reason=reason)
    return _year_checked(year=year, text=text) or Timeline(
        kind=TimelineKind.ONCE,
        text=text,
        year=year,
        month=month,
        day=day,
        before=bool(match["before"]),
    )


def _build_monthly_by_day(*, match: re.Match[str], text: str) -> Timeline:
    day_of_month = int(match["day"])
    if not 1 <= day_of_month <= 31:
        reason = _message_format_lazy(
            _("There is no day %(day)s in a month."), {"day": day_of_month}
        )
        return timeline_unreadable(text=text, reason=reason)
    return Timeline(
        kind=TimelineKind.MONTHLY,
        text=text,
        day_of_month=day_of_month,
        before=bool(match["before"]),
    )


def _build_annual_in_quarter(*, match: re.Match[str], text: str) -> Timeline:
    quarter = _quarter_number(written=match["quarter"])
    if quarter is None:
        return _quarter_unreadable(written=match["quarter"], text=text)
    return Timeline(kind=TimelineKind.ANNUAL, text=text, quarter=quarter)


def _build_annual_in_month(*, match: re.Match[str], text: str) -> Timeline:
    month = int(match["month"])
    if not 1 <= month <= 12:
        return _month_unreadable(month=month, text=text)
    return Timeline(kind=TimelineKind.ANNUAL, text=text, month=month)


def _build_open_ended(*, match: re.Match[str], text: str) -> Timeline:
    year = int(match["year"])
    return _year_checked(year=year, text=text) or Timeline(
        kind=TimelineKind.OPEN_ENDED, text=text, start_year=year
    )


def _build_period(*, match: re.Match[str], text: str) -> Timeline:
    start_year, end_year = int(match["year"]), int(match["end_year"])
    unreadable = _year_checked(year=start_year, text=text) or _year_checked(
        year=end_year, text=text
    )
    if unreadable:
        return unreadable
    if end_year < start_year:
        reason = _message_format_lazy(
            _("The period %(first)s–%(last)s ends before it starts."),
            {"first": start_year, "last": end_year},
        )
        return timeline_unreadable(text=text, reason=reason)
    return Timeline(
        kind=TimelineKind.ANNUAL, text=text, start_year=start_year, end_year=end_year
    )


QUARTER = r"(?P<quarter>[ivx]+|[0-9]{1,2})"
BEFORE = r"(?P<before>truoc )?"

RULES: tuple[tuple[re.Pattern[str], Builder], ...] = tuple(
    (re.compile(pattern), builder)
    for pattern, builder in (
        (
            r"(?:thuong xuyen|lien tuc)(?:,? (?:thuong xuyen|lien tuc))?",
            _build_simple(TimelineKind.ONGOING),
        ),
        (r"(?:theo|khi co) yeu cau\b.*", _build_simple(TimelineKind.ON_REQUEST)),
        (rf"{EVERY} nam", _build_simple(TimelineKind.ANNUAL)),
        (rf"{EVERY} quy", _build_simple(TimelineKind.QUARTERLY)),
        (rf"{EVERY} thang", _build_simple(TimelineKind.MONTHLY)),
        (
            rf"(?:{EVERY} )?(?:0?6|sau) thang(?: ?(?:/|mot|1) ?lan)?|{EVERY} nua nam",
            _build_simple(TimelineKind.SEMIANNUAL),
        ),
        (rf"{BEFORE}ngay (?P<day>[0-9]{{1,2}}) (?:{EVERY}|cac) thang", _build_monthly_by_day),
        (rf"quy {QUARTER} {EVERY} nam", _build_annual_in_quarter),
        (rf"thang (?P<month>[0-9]{{1,2}}) {EVERY} nam", _build_annual_in_month),
        (rf"quy {QUARTER}{MONTH_YEAR_SEPARATOR}{YEAR}", _build_once_quarter),
        (rf"thang (?P<month>[0-9]{{1,2}}){MONTH_YEAR_SEPARATOR}{YEAR}", _build_once_month),
        (rf"(?:nam )?{YEAR}", _build_once_year),
        (
            rf"{BEFORE}(?:ngay )?(?P<day>[0-9]{{1,2}}){DATE_SEPARATOR}"
            rf"(?P<month>[0-9]{{1,2}}){DATE_SEPARATOR}{YEAR}",
            _build_once_date,
        ),
        (
            rf"{BEFORE}ngay (?P<day>[0-9]{{1,2}}) thang (?P<month>[0-9]{{1,2}}) nam {YEAR}",
            _build_once_date,
        ),
        (
            rf"(?:tu )?(?:nam )?{YEAR},? (?:va )?(?:nhung|cac) nam tiep theo",
            _build_open_ended,
        ),
        (rf"tu (?:nam )?{YEAR}(?: tro di)?", _build_open_ended),
        (rf"(?:nam )?{YEAR} tro di", _build_open_ended),
        (
            rf"(?:giai doan )?(?:tu )?(?:nam )?{YEAR} ?(?:-|den(?: nam)?) ?"
            r"(?P<end_year>[0-9]{4})",
            _build_period,
        ),
    )
)


def _filler_strip(*, folded: str) -> str:
    while True:
        stripped = FILLER_PREFIX.sub("", folded, count=1)
        if stripped == folded:
            return folded
        folded = stripped


def timeline_parse(*, text: str) -> Timeline:
    """Read a timeline cell. Never raises: what it cannot read comes back `unreadable`."""
    folded = text_fold(text=text).strip(TRAILING_PUNCTUATION)
    if not folded:
        return timeline_unreadable(text=text, reason=EMPTY_MESSAGE)
    core = _filler_strip(folded=folded)
    for pattern, builder in RULES:
        match = pattern.fullmatch(core)
        if match:
            return builder(match=match, text=text)
    return timeline_unreadable(text=text)


def timeline_from_dict(*, data: Mapping[str, Any]) -> Timeline:
    """The inverse of `Timeline.to_dict`.

    An unreadable timeline's reason follows from its text, so it is read again to get the
    translatable message back; the stored string (rendered in whatever language was active)
    is kept only when the text now reads differently.
    """
    kind = TimelineKind(data["kind"])
    text = str(data.get("text", ""))
    reason = data.get("reason")
    if kind is TimelineKind.UNREADABLE:
        reread = timeline_parse(text=text)
        if reread.kind is TimelineKind.UNREADABLE:
            reason = reread.reason
    return Timeline(
        kind=kind,
        text=text,
        year=data.get("year"),
        month=data.get("month"),
        day=data.get("day"),
        quarter=data.get("quarter"),
        day_of_month=data.get("day_of_month"),
        before=bool(data.get("before", False)),
        start_year=data.get("start_year"),
        end_year=data.get("end_year"),
        reason=reason,
    )


# --- Due dates -----------------------------------------------------------------------------


def _once_due(*, timeline: Timeline, calendar: WorkingCalendar) -> date | None:
    """The one due date of a `once` timeline: the end of the period it names."""
    if timeline.year is None:
        return None
    if timeline.day is not None and timeline.month is not None:
        return _date_due(
            calendar=calendar,
            written=date(timeline.year, timeline.month, timeline.day),
            before=timeline.before,
        )
    if timeline.month is not None:
        return calendar.last_working_day_of_month(year=timeline.year, month=timeline.month)
    if timeline.quarter is not None:
        return _quarter_end_due(calendar=calendar, year=timeline.year, quarter=timeline.quarter)
    return calendar.last_working_day_of_month(year=timeline.year, month=12)


def _date_due(*, calendar: WorkingCalendar, written: date, before: bool) -> date:
    if before:
        # "Trước ngày 10" leaves the 10th itself out.
        return calendar.working_day_on_or_before(written - timedelta(days=1))
    return calendar.working_day_on_or_before(written)


def _quarter_end_due(*, calendar: WorkingCalendar, year: int, quarter: int) -> date:
    return calendar.last_working_day_of_month(year=year, month=QUARTER_END_MONTHS[quarter - 1])


def _monthly_due(*, timeline: Timeline, calendar: WorkingCalendar, year: int, month: int) -> date:
    if timeline.day_of_month is None:
        return calendar.last_working_day_of_month(year=year, month=month)
    month_length = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    if timeline.day_of_month > month_length:
        # "Trước ngày 31" in a 30-day month: the whole month is before the 31st.
        return calendar.last_working_day_of_month(year=year, month=month)
    return _date_due(
        calendar=calendar,
        written=date(year, month, timeline.day_of_month),
        before=timeline.before,
    )


def _annual_due(*, timeline: Timeline, calendar: WorkingCalendar, year: int) -> date:
    if timeline.quarter is not None:
        return _quarter_end_due(calendar=calendar, year=year, quarter=timeline.quarter)
    month = timeline.month if timeline.month is not None else 12
    return calendar.last_working_day_of_month(year=year, month=month)


def _year_in_timeline(*, timeline: Timeline, year: int) -> bool:
    if timeline.start_year is not None and year < timeline.start_year:
        return False
    return timeline.end_year is None or year <= timeline.end_year


def _month_ends_due(
    *, calendar: WorkingCalendar, years: Iterable[int], months: tuple[int, ...]
) -> Iterator[date]:
    for year in years:
        for month in months:
            yield calendar.last_working_day_of_month(year=year, month=month)


def _recurring_candidates(
    *, timeline: Timeline, calendar: WorkingCalendar, years: range
) -> Iterator[date]:
    kind = timeline.kind
    if kind in (TimelineKind.ANNUAL, TimelineKind.OPEN_ENDED):
        for year in years:
            if _year_in_timeline(timeline=timeline, year=year):
                yield _annual_due(timeline=timeline, calendar=calendar, year=year)
    elif kind is TimelineKind.MONTHLY:
        for year in years:
            for month in ALL_MONTHS:
                yield _monthly_due(timeline=timeline, calendar=calendar, year=year, month=month)
    elif kind in (TimelineKind.QUARTERLY, TimelineKind.ONGOING):
        yield from _month_ends_due(calendar=calendar, years=years, months=QUARTER_END_MONTHS)
    elif kind is TimelineKind.SEMIANNUAL:
        yield from _month_ends_due(calendar=calendar, years=years, months=HALF_YEAR_END_MONTHS)


def timeline_due_dates(
    *, timeline: Timeline, calendar: WorkingCalendar, start: date, end: date
) -> list[date]:
    """Every due date in [start, end], sorted. None for on_request and unreadable."""
    if end < start:
        return []
    if timeline.kind is TimelineKind.ONCE:
        due = _once_due(timeline=timeline, calendar=calendar)
        return [due] if due is not None and start <= due <= end else []
    # A period's due date can fall in the year before it ("trước ngày 1 hằng tháng" in
    # January is due in December), so look one year past the window on each side.
    years = range(max(start.year - 1, MINYEAR + 1), min(end.year + 1, MAXYEAR - 1) + 1)
    candidates = _recurring_candidates(timeline=timeline, calendar=calendar, years=years)
    return sorted({due for due in candidates if start <= due <= end})


def timeline_first_due(
    *, timeline: Timeline, calendar: WorkingCalendar, on_or_after: date
) -> date | None:
    """The first due date on or after a day, or None when there is none.

    A `once` timeline returns its date even when it is earlier than `on_or_after`: an
    overdue one-off task is still due on the day it was due. Recurring kinds are searched
    up to 30 years ahead.
    """
    if timeline.kind is TimelineKind.ONCE:
        return _once_due(timeline=timeline, calendar=calendar)
    if timeline.kind in KINDS_WITHOUT_DUE_DATES:
        return None
    last_year = min(on_or_after.year + FIRST_DUE_SEARCH_YEARS, MAXYEAR - 1)
    for year in range(on_or_after.year, last_year + 1):
        window_end = date(year, 12, 31)
        dues = timeline_due_dates(
            timeline=timeline,
            calendar=calendar,
            start=max(on_or_after, date(year, 1, 1)),
            end=window_end,
        )
        if dues:
            return dues[0]
    return None
