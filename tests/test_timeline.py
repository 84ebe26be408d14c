import json
import unicodedata
from datetime import date
from typing import Any

import pytest
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st

from tasks.parsing.timeline import (
    Timeline,
    TimelineKind,
    text_fold,
    timeline_due_dates,
    timeline_first_due,
    timeline_from_dict,
    timeline_parse,
)
from workflow.calendar import calendar_build

CALENDAR = calendar_build()

ONCE = TimelineKind.ONCE
ANNUAL = TimelineKind.ANNUAL
MONTHLY = TimelineKind.MONTHLY
QUARTERLY = TimelineKind.QUARTERLY
SEMIANNUAL = TimelineKind.SEMIANNUAL
ONGOING = TimelineKind.ONGOING
ON_REQUEST = TimelineKind.ON_REQUEST
OPEN_ENDED = TimelineKind.OPEN_ENDED
UNREADABLE = TimelineKind.UNREADABLE


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


PARSE_CASES: list[tuple[str, TimelineKind, dict[str, Any]]] = [
    ("Thường xuyên", ONGOING, {}),
    ("Hằng năm", ANNUAL, {}),
    ("Hàng năm", ANNUAL, {}),
    ("Tháng 9/2025", ONCE, {"year": 2025, "month": 9}),
    ("Hoàn thành trong tháng 9/2025", ONCE, {"year": 2025, "month": 9}),
    ("Tháng 12/2025", ONCE, {"year": 2025, "month": 12}),
    ("Trong tháng 10 năm 2025", ONCE, {"year": 2025, "month": 10}),
    ("Quý III/2025", ONCE, {"year": 2025, "quarter": 3}),
    ("Quý 4 năm 2025", ONCE, {"year": 2025, "quarter": 4}),
    ("Năm 2025", ONCE, {"year": 2025}),
    ("Đến hết năm 2025", ONCE, {"year": 2025}),
    ("Trước ngày 10 hàng tháng", MONTHLY, {"day_of_month": 10, "before": True}),
    ("trước ngày 10 hằng tháng", MONTHLY, {"day_of_month": 10, "before": True}),
    ("Hằng quý", QUARTERLY, {}),
    ("Hàng quý", QUARTERLY, {}),
    ("6 tháng", SEMIANNUAL, {}),
    ("6 tháng một lần", SEMIANNUAL, {}),
    ("Định kỳ 6 tháng", SEMIANNUAL, {}),
    ("Hằng tháng", MONTHLY, {"day_of_month": None}),
    ("Theo yêu cầu", ON_REQUEST, {}),
    ("2025 và những năm tiếp theo", OPEN_ENDED, {"start_year": 2025}),
    ("Từ năm 2026", OPEN_ENDED, {"start_year": 2026}),
    ("30/9/2025", ONCE, {"year": 2025, "month": 9, "day": 30, "before": False}),
    ("Trước 30/9/2025", ONCE, {"year": 2025, "month": 9, "day": 30, "before": True}),
    ("Trước ngày 15/10/2025", ONCE, {"year": 2025, "month": 10, "day": 15, "before": True}),
    ("Giai đoạn 2025-2030", ANNUAL, {"start_year": 2025, "end_year": 2030}),
    ("Giai đoạn 2025 – 2030", ANNUAL, {"start_year": 2025, "end_year": 2030}),
    ("Quý I hằng năm", ANNUAL, {"quarter": 1}),
    # NFD input, odd spacing, mixed case, trailing punctuation.
    (nfd("Tháng 9/2025"), ONCE, {"year": 2025, "month": 9}),
    (nfd("Hằng năm"), ANNUAL, {}),
    (nfd("Trước ngày 10 hàng tháng"), MONTHLY, {"day_of_month": 10}),
    ("  THƯỜNG   XUYÊN ", ONGOING, {}),
    ("hoàn THÀNH trong   tháng 9 / 2025.", ONCE, {"year": 2025, "month": 9}),
    ("QUÝ iii/2025", ONCE, {"year": 2025, "quarter": 3}),
    ("Thuong xuyen", ONGOING, {}),  # typed without diacritics
    ("Hằng\u00a0quý", QUARTERLY, {}),  # a no-break space from Word
    # Garbage and impossible dates: never a silent guess.
    ("", UNREADABLE, {}),
    ("   ", UNREADABLE, {}),
    ("sớm nhất có thể", UNREADABLE, {}),
    ("31/2/2025", UNREADABLE, {}),
    ("Tháng 13/2025", UNREADABLE, {}),
    ("Quý V/2025", UNREADABLE, {}),
    ("Trước ngày 32 hằng tháng", UNREADABLE, {}),
    ("Năm 1990", UNREADABLE, {}),
    ("Giai đoạn 2030-2025", UNREADABLE, {}),
    ("Tháng 9", UNREADABLE, {}),
]


@pytest.mark.parametrize(("text", "kind", "fields"), PARSE_CASES)
def test_timeline_parse(text: str, kind: TimelineKind, fields: dict[str, Any]) -> None:
    timeline = timeline_parse(text=text)

    assert timeline.kind is kind
    assert timeline.text == text  # kept exactly as written
    for name, expected in fields.items():
        assert getattr(timeline, name) == expected, name
    if kind is UNREADABLE:
        assert isinstance(timeline.reason, Promise)  # translated when shown, not now
        assert str(timeline.reason)
    else:
        assert timeline.reason is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/2/2025", "The date 31/2/2025 does not exist."),
        ("Tháng 13/2025", "There is no month 13; a year has months 1 to 12."),
        ("Quý V/2025", "There is no quarter V; a year has quarters I to IV."),
        ("sớm nhất có thể", "The timeline could not be read; a person must set the due date."),
        ("", "No timeline was written; a person must set the due date."),
    ],
)
def test_unreadable_timelines_say_why(text: str, reason: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        assert str(timeline_parse(text=text).reason) == reason


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("hoá", "hóa"),
        ("thuỷ", "thủy"),
        ("Hằng năm", "hang nam"),
        (nfd("Phòng Văn hoá - Xã hội"), "phòng văn hóa – xã hội"),
    ],
)
def test_text_fold_folds_tone_placement_case_and_form(first: str, second: str) -> None:
    assert text_fold(text=first) == text_fold(text=second)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tháng 9/2025", date(2025, 9, 30)),  # a Tuesday
        ("Hoàn thành trong tháng 9/2025", date(2025, 9, 30)),
        ("Tháng 8/2025", date(2025, 8, 29)),  # 31/08 is a Sunday: the Friday before
        ("Tháng 11/2025", date(2025, 11, 28)),  # 30/11 is a Sunday
        ("Tháng 1/2025", date(2025, 1, 24)),  # the end of January 2025 is Tết
        ("Tháng 12/2025", date(2025, 12, 31)),
        ("Quý III/2025", date(2025, 9, 30)),
        ("Quý 4 năm 2025", date(2025, 12, 31)),
        ("Năm 2025", date(2025, 12, 31)),
        ("30/9/2025", date(2025, 9, 30)),
        ("Trước 30/9/2025", date(2025, 9, 29)),  # "before" leaves the day itself out
        ("Trước ngày 15/10/2025", date(2025, 10, 14)),
        ("31/8/2025", date(2025, 8, 29)),  # a Sunday: the working day before
        ("2/9/2025", date(2025, 8, 29)),  # National Day, then the weekend before
    ],
)
def test_once_due_date(text: str, expected: date) -> None:
    timeline = timeline_parse(text=text)
    assert timeline_due_dates(
        timeline=timeline, calendar=CALENDAR, start=date(2025, 1, 1), end=date(2025, 12, 31)
    ) == [expected]
    assert timeline_first_due(
        timeline=timeline, calendar=CALENDAR, on_or_after=date(2025, 1, 1)
    ) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        (
            "Hằng năm",
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, 12, 31)],
        ),
        (
            "Hằng quý",
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)],
        ),
        (
            "Thường xuyên",  # quarterly check-ins
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)],
        ),
        (
            "6 tháng một lần",
            date(2025, 1, 1),
            date(2025, 12, 31),
            [date(2025, 6, 30), date(2025, 12, 31)],
        ),
        (
            "Trước ngày 10 hàng tháng",
            date(2026, 2, 1),
            date(2026, 3, 31),
            [date(2026, 2, 9), date(2026, 3, 9)],
        ),
        (
            "Trước ngày 20 hằng tháng",  # 16–20/02/2026 is Tết: the Friday before it
            date(2026, 2, 1),
            date(2026, 2, 28),
            [date(2026, 2, 13)],
        ),
        (
            "Trước ngày 3 hằng tháng",  # 27/01–01/02/2025 is Tết, 02/02 a Sunday
            date(2025, 1, 10),
            date(2025, 2, 28),
            [date(2025, 1, 24), date(2025, 2, 28)],  # March's falls on Friday 28/02
        ),
        (
            "Trước ngày 1 hằng tháng",  # January's report is due in December
            date(2025, 12, 1),
            date(2025, 12, 31),
            [date(2025, 12, 31)],
        ),
        (
            "Trước ngày 31 hằng tháng",  # every day of February is before the 31st
            date(2026, 2, 1),
            date(2026, 2, 28),
            [date(2026, 2, 27)],
        ),
        (
            "Hằng tháng",
            date(2025, 7, 1),
            date(2025, 11, 30),
            [
                date(2025, 7, 31),
                date(2025, 8, 29),
                date(2025, 9, 30),
                date(2025, 10, 31),
                date(2025, 11, 28),
            ],
        ),
        (
            "Quý I hằng năm",
            date(2025, 1, 1),
            date(2026, 12, 31),
            [date(2025, 3, 31), date(2026, 3, 31)],
        ),
        (
            "Giai đoạn 2025-2030",
            date(2020, 1, 1),
            date(2040, 12, 31),
            [
                date(2025, 12, 31),
                date(2026, 12, 31),
                date(2027, 12, 31),
                date(2028, 12, 29),  # 31/12/2028 is a Sunday
                date(2029, 12, 31),
                date(2030, 12, 31),
            ],
        ),
        (
            "Từ năm 2026",
            date(2025, 1, 1),
            date(2027, 12, 31),
            [date(2026, 12, 31), date(2027, 12, 31)],
        ),
        (
            "2025 và những năm tiếp theo",
            date(2024, 1, 1),
            date(2025, 12, 31),
            [date(2025, 12, 31)],
        ),
        ("Tháng 9/2025", date(2025, 10, 1), date(2025, 12, 31), []),  # outside the window
        ("Theo yêu cầu", date(2025, 1, 1), date(2025, 12, 31), []),
        ("sớm nhất có thể", date(2025, 1, 1), date(2025, 12, 31), []),
        ("Hằng năm", date(2025, 12, 31), date(2025, 1, 1), []),  # an empty window
    ],
)
def test_timeline_due_dates(text: str, start: date, end: date, expected: list[date]) -> None:
    timeline = timeline_parse(text=text)
    assert timeline_due_dates(timeline=timeline, calendar=CALENDAR, start=start, end=end) == (
        expected
    )


def test_due_dates_follow_the_communes_overrides() -> None:
    calendar = calendar_build(
        extra_days_off=[date(2025, 9, 30)], extra_working_days=[date(2026, 2, 28)]
    )
    september = timeline_parse(text="Tháng 9/2025")
    february = timeline_parse(text="Hằng tháng")

    assert timeline_due_dates(
        timeline=september, calendar=calendar, start=date(2025, 1, 1), end=date(2025, 12, 31)
    ) == [date(2025, 9, 29)]
    assert timeline_due_dates(
        timeline=february, calendar=calendar, start=date(2026, 2, 1), end=date(2026, 2, 28)
    ) == [date(2026, 2, 28)]


@pytest.mark.parametrize(
    ("text", "on_or_after", "expected"),
    [
        ("Tháng 9/2025", date(2026, 1, 1), date(2025, 9, 30)),  # overdue: still due then
        ("Hằng năm", date(2026, 1, 1), date(2026, 12, 31)),
        ("Hằng năm", date(2025, 12, 31), date(2025, 12, 31)),
        ("Trước ngày 10 hàng tháng", date(2026, 2, 10), date(2026, 3, 9)),
        ("Hằng quý", date(2025, 10, 1), date(2025, 12, 31)),
        ("Từ năm 2026", date(2025, 1, 1), date(2026, 12, 31)),
        ("Giai đoạn 2025-2030", date(2031, 1, 1), None),  # the period is over
        ("Theo yêu cầu", date(2025, 1, 1), None),
        ("31/2/2025", date(2025, 1, 1), None),
    ],
)
def test_timeline_first_due(text: str, on_or_after: date, expected: date | None) -> None:
    timeline = timeline_parse(text=text)
    assert (
        timeline_first_due(timeline=timeline, calendar=CALENDAR, on_or_after=on_or_after)
        == expected
    )


@pytest.mark.parametrize(("text", "_kind", "_fields"), PARSE_CASES)
def test_to_dict_round_trips_through_json(text: str, _kind: object, _fields: object) -> None:
    timeline = timeline_parse(text=text)
    data = json.loads(json.dumps(timeline.to_dict()))

    restored = timeline_from_dict(data=data)

    assert restored == timeline
    assert restored.to_dict() == timeline.to_dict()


def test_from_dict_keeps_a_reason_the_text_no_longer_gives() -> None:
    data = Timeline(kind=UNREADABLE, text="Tháng 9/2025", reason="Set by hand").to_dict()
    assert timeline_from_dict(data=data).reason == "Set by hand"


VIETNAMESE_TOKENS = [
    "tháng", "quý", "năm", "hằng", "hàng", "trước", "ngày", "thường", "xuyên", "theo",
    "yêu", "cầu", "giai", "đoạn", "từ", "và", "những", "tiếp", "theo", "định", "kỳ",
    "một", "lần", "III", "IV", "V", "9/2025", "31/2/2025", "2025", "2030", "-", "/",
    "10", "0", "99", "(", ")", "hoàn", "thành", "trong", "đến", "hết",
]


@given(text=st.text())
def test_timeline_parse_never_raises_on_any_text(text: str) -> None:
    timeline = timeline_parse(text=text)
    assert isinstance(timeline, Timeline)
    assert timeline.text == text


@given(words=st.lists(st.sampled_from(VIETNAMESE_TOKENS), max_size=6))
def test_timeline_parse_and_due_dates_never_raise_on_near_misses(words: list[str]) -> None:
    timeline = timeline_parse(text=" ".join(words))
    assert isinstance(timeline, Timeline)
    dues = timeline_due_dates(
        timeline=timeline, calendar=CALENDAR, start=date(2025, 1, 1), end=date(2026, 12, 31)
    )
    assert dues == sorted(dues)
    assert timeline_from_dict(data=timeline.to_dict()) == timeline
