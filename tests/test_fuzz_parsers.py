"""Issue 8, bad input: the cell parsers fed random and near-miss text.

Each parser's documented contract is checked on whatever hypothesis makes of it: the timeline and
target parsers never raise and give back values a person could act on (real dates, working days,
finite numbers, ranges that are not upside down), an unreadable cell says why in Vietnamese and in
English, the output classifier answers one of its kinds, and the unit and post name readers resolve
only to the commune's own ids. The directories' one documented refusal is ValueError.

SAURO_FUZZ_EXAMPLES raises the number of examples for a longer run (CI keeps the default).
"""
from __future__ import annotations

import json
import os
import unicodedata
from datetime import date
from decimal import Decimal

from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from roles.unitnames import (
    COLLECTIVES,
    UNIT_KINDS,
    PostEntry,
    UnitEntry,
    names_split,
    post_directory_build,
    post_reference_resolve,
    unit_canonical_name,
    unit_directory_build,
    unit_kind_guess,
    unit_references_resolve,
)
from tasks.demo import DEMO_COMMUNES
from tasks.models import OutputKind
from tasks.parsing.outputs import output_kind_classify
from tasks.parsing.targets import NUMERIC_KINDS, Target, TargetKind, target_describe, target_parse
from tasks.parsing.timeline import (
    YEAR_MAX,
    YEAR_MIN,
    Timeline,
    TimelineKind,
    timeline_due_dates,
    timeline_first_due,
    timeline_from_dict,
    timeline_parse,
)
from workflow.calendar import calendar_build

EXAMPLES = int(os.environ.get("SAURO_FUZZ_EXAMPLES", "150"))
# In CI the examples are the same on every run (a failure there reproduces); locally they vary.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=[HealthCheck.too_slow])
CALENDAR = calendar_build()


def _both_languages(message) -> dict[str, str]:
    rendered = {}
    for language in ("vi", "en"):
        with translation.override(language):
            rendered[language] = str(message)
    return rendered


# Text ------------------------------------------------------------------------------------------

# What cells really hold around the words: odd spaces, zero-width marks, dashes, stray punctuation.
NOISE = ["", " ", "  ", "\u00a0", "\t", "\n", "\u200b", "\ufeff", "–", "—", "-", ".", ",", ";", ":", "(", ")",
         "/", "*", "…", "\u0301", "\u0300", "\x00"]


def _tone_moved(text: str) -> str:
    """The tone mark on the other vowel, as older keyboards put it: "hóa" → "hoá", "Ủy" → "Uỷ"."""
    for new_style, old_style in (("óa", "oá"), ("òa", "oà"), ("ủy", "uỷ"), ("Ủy", "Uỷ"), ("ụy", "uỵ")):
        text = text.replace(new_style, old_style)
    return text


def _variants(text: str) -> st.SearchStrategy[str]:
    """The same words as different typists and programs write them."""
    return st.sampled_from([
        text, text.upper(), text.lower(), text.title(), unicodedata.normalize("NFD", text),
        unicodedata.normalize("NFC", text), _tone_moved(text), text.replace(" ", "  "),
    ])


@st.composite
def _phrase(draw, tokens: list[str]) -> str:
    """A few tokens with noise between them; sometimes one token typed differently."""
    words = draw(st.lists(st.sampled_from(tokens), min_size=1, max_size=7))
    pieces = []
    for word in words:
        pieces.append(draw(_variants(word)))
        pieces.append(draw(st.sampled_from(NOISE + [" "] * 8)))
    return "".join(pieces)


def _messy(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=80), _phrase(tokens), st.text(alphabet=st.sampled_from(
        "0123456789/.-– ,;:()%≥≤<>=IVXivx" + "".join(NOISE)), max_size=30))


# Timelines ------------------------------------------------------------------------------------

NUMBERS = [str(n) for n in (0, 1, 2, 4, 5, 6, 9, 10, 12, 13, 15, 28, 29, 30, 31, 32, 99)] + [
    "00", "01", "09", "1999", "2000", "2024", "2025", "2026", "2030", "2045", "2100", "2101", "9999", "0000",
    "29/2/2025", "29/02/2028", "31/4/2026", "31/12/2099", "1/1/2000", "15.9.2025", "15-09-2025", "9/2025",
    "13/2025", "0/2025", "2025-2030", "2030-2025", "2025 - 2030", "2025–2030",
]
TIMELINE_WORDS = [
    "tháng", "quý", "năm", "hằng", "hàng", "mỗi", "trước", "ngày", "thường", "xuyên", "liên", "tục", "theo",
    "yêu", "cầu", "khi", "có", "giai", "đoạn", "từ", "đến", "và", "những", "các", "tiếp", "theo", "trở", "đi",
    "định", "kỳ", "sáu", "6", "06", "một", "lần", "nửa", "hoàn", "thành", "trong", "hết", "vào", "cuối",
    "I", "II", "III", "IV", "V", "VI", "X", "iv",
] + NUMBERS

# Cells the parser must read: (text, kind). Mutating them gives near misses of real timelines.
REAL_TIMELINES = [
    "Thường xuyên", "Hằng năm", "Hằng quý", "Hằng tháng", "6 tháng/lần", "Theo yêu cầu", "Năm 2025",
    "Tháng 9/2025", "Quý IV/2025", "Quý III năm 2026", "Trước ngày 15/10/2025", "Ngày 30 tháng 6 năm 2026",
    "Trước ngày 10 hằng tháng", "Quý I hằng năm", "Tháng 12 hằng năm", "2025 và những năm tiếp theo",
    "Từ năm 2026", "Giai đoạn 2025-2030", "Hoàn thành trong tháng 9/2025", "Đến hết năm 2027",
]


@st.composite
def _mutated_timeline(draw) -> str:
    text = list(draw(st.sampled_from(REAL_TIMELINES)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        character = draw(st.sampled_from("0123456789/-– .IVXtháng" + "".join(NOISE)))
        if action == "insert":
            text.insert(position, character)
        elif text:
            index = min(position, len(text) - 1)
            if action == "delete":
                del text[index]
            else:
                text[index] = character
    return "".join(text)


TIMELINE_TEXT = st.one_of(_messy(TIMELINE_WORDS), _mutated_timeline(), _phrase(REAL_TIMELINES))


def _timeline_fields_sane(timeline: Timeline) -> None:
    assert timeline.kind in TimelineKind
    if timeline.kind is TimelineKind.UNREADABLE:
        reason = _both_languages(timeline.reason)
        assert reason["vi"].strip() and reason["en"].strip(), reason
        assert reason["vi"] != reason["en"], f"the reason is not translated: {reason}"
        return
    assert timeline.reason is None
    for year in (timeline.year, timeline.start_year, timeline.end_year):
        assert year is None or YEAR_MIN <= year <= YEAR_MAX
    assert timeline.month is None or 1 <= timeline.month <= 12
    assert timeline.quarter is None or 1 <= timeline.quarter <= 4
    assert timeline.day_of_month is None or 1 <= timeline.day_of_month <= 31
    if timeline.day is not None:
        date(timeline.year, timeline.month, timeline.day)  # a date that exists
    if timeline.start_year is not None and timeline.end_year is not None:
        assert timeline.start_year <= timeline.end_year
    if timeline.kind is TimelineKind.ONCE:
        assert timeline.year is not None


@FUZZ
@given(text=TIMELINE_TEXT)
def test_a_timeline_cell_is_read_or_said_unreadable_with_a_reason_in_both_languages(text):
    timeline = timeline_parse(text=text)

    assert isinstance(timeline, Timeline) and timeline.text == text
    _timeline_fields_sane(timeline)
    stored = json.loads(json.dumps(timeline.to_dict()))
    assert timeline_from_dict(data=stored) == timeline


@FUZZ
@given(text=TIMELINE_TEXT, on_or_after=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
       span=st.integers(min_value=-40, max_value=800))
def test_due_dates_of_any_timeline_are_working_days_in_order_within_the_window(text, on_or_after, span):
    timeline = timeline_parse(text=text)

    first = timeline_first_due(timeline=timeline, calendar=CALENDAR, on_or_after=on_or_after)
    if timeline.kind in (TimelineKind.UNREADABLE, TimelineKind.ON_REQUEST):
        assert first is None
    if first is not None:
        assert CALENDAR.is_working_day(first), first
        if timeline.kind is not TimelineKind.ONCE:  # a one-off task stays due on its day, even a past one
            assert first >= on_or_after

    end = date.fromordinal(on_or_after.toordinal() + span)
    dues = timeline_due_dates(timeline=timeline, calendar=CALENDAR, start=on_or_after, end=end)
    assert dues == sorted(set(dues))
    assert all(on_or_after <= due <= end and CALENDAR.is_working_day(due) for due in dues)
    if first is not None and dues and timeline.kind is not TimelineKind.ONCE:
        assert dues[0] == first


@FUZZ
@given(day=st.integers(min_value=-3, max_value=40), month=st.integers(min_value=-1, max_value=14),
       year=st.integers(min_value=1000, max_value=9999), before=st.booleans(),
       separator=st.sampled_from(["/", ".", "-", " / "]))
def test_a_written_date_is_due_on_it_or_refused_when_it_does_not_exist(day, month, year, before, separator):
    text = f"{'Trước ngày ' if before else ''}{day}{separator}{month}{separator}{year}"
    timeline = timeline_parse(text=text)

    try:
        written = date(year, month, day)
    except ValueError:
        written = None
    if written is None or not YEAR_MIN <= year <= YEAR_MAX or day < 0 or month < 0:
        assert timeline.kind is TimelineKind.UNREADABLE, text
        _timeline_fields_sane(timeline)
        return
    assert (timeline.kind, timeline.year, timeline.month, timeline.day, timeline.before) == (
        TimelineKind.ONCE, year, month, day, before)
    due = timeline_first_due(timeline=timeline, calendar=CALENDAR, on_or_after=date(2000, 1, 1))
    assert CALENDAR.is_working_day(due)
    assert due < written if before else due <= written
    assert (written - due).days <= 14  # moved back over a weekend or Tết at most, never to another season


# Targets --------------------------------------------------------------------------------------

TARGET_WORDS = [
    "≥", "≤", ">", "<", ">=", "<=", "=>", "=<", "≧", "≦", "-", "–", "%", "(", ")", "0", "01", "3,5", "3.5",
    "1.000", "1.000,5", "1.2.3", "12,345,678", "80", "100", "1" + "0" * 40, "phấn đấu", "phấn đấu đạt", "ít nhất",
    "tối thiểu", "không dưới", "không quá", "tối đa", "đạt", "trên", "dưới", "vượt", "hơn", "top", "Top 10",
    "trong top", "của thành phố", "x", "✓", "√", "trở lên", "trở xuống", "từ", "đến", "N/A", "không áp dụng",
    "hoàn thành", "doanh nghiệp", "hộ", "người", "km",
]
TARGET_TEXT = _messy(TARGET_WORDS)


def _target_values_sane(target: Target) -> None:
    assert target.kind in TargetKind
    for value in (target.low, target.high):
        assert value is None or (isinstance(value, Decimal) and value.is_finite() and value >= 0), value
    if target.kind in NUMERIC_KINDS | {TargetKind.TOP_RANK}:
        assert target.low is not None or target.high is not None
    else:
        assert target.low is None and target.high is None
    if target.kind in (TargetKind.AT_LEAST, TargetKind.MORE_THAN):
        assert target.low is not None and target.high is None
    if target.kind in (TargetKind.AT_MOST, TargetKind.LESS_THAN, TargetKind.TOP_RANK):
        assert target.high is not None and target.low is None
    if target.kind is TargetKind.EXACT:
        assert target.low == target.high
    if target.kind is TargetKind.RANGE:
        assert target.low is not None and target.high is not None


@FUZZ
@given(text=TARGET_TEXT, measurement_unit=st.one_of(st.sampled_from(["", "%", "doanh nghiệp", "hộ"]),
                                                    st.text(max_size=12)))
def test_a_target_cell_is_read_into_finite_values_or_kept_as_text(text, measurement_unit):
    target = target_parse(text=text, measurement_unit=measurement_unit)

    assert isinstance(target, Target) and target.text == text
    _target_values_sane(target)
    for language, described in _both_languages(lazy_describe(target)).items():
        assert isinstance(described, str)
        if target.kind in NUMERIC_KINDS | {TargetKind.TOP_RANK, TargetKind.DONE, TargetKind.NOT_APPLICABLE,
                                           TargetKind.EMPTY}:
            assert described.strip(), (language, target)


class lazy_describe:  # noqa: N801 — renders target_describe in whichever language is active
    def __init__(self, target: Target) -> None:
        self.target = target

    def __str__(self) -> str:
        return target_describe(target=self.target)


COMPARATORS = {
    "≥": TargetKind.AT_LEAST, ">=": TargetKind.AT_LEAST, "ít nhất": TargetKind.AT_LEAST,
    "Tối thiểu": TargetKind.AT_LEAST, "không dưới": TargetKind.AT_LEAST,
    "≤": TargetKind.AT_MOST, "<=": TargetKind.AT_MOST, "không quá": TargetKind.AT_MOST, "tối đa": TargetKind.AT_MOST,
    ">": TargetKind.MORE_THAN, "trên": TargetKind.MORE_THAN, "<": TargetKind.LESS_THAN, "dưới": TargetKind.LESS_THAN,
    "": TargetKind.EXACT,
}


def _written_vietnamese(value: Decimal) -> str:
    """How a Vietnamese cell writes a number: thousands with dots, decimals after a comma."""
    whole, _, fraction = f"{value:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


@FUZZ
@given(comparator=st.sampled_from(sorted(COMPARATORS)), strive=st.booleans(), percent=st.booleans(),
       value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       note=st.sampled_from(["", " (cấp xã)", " (so với năm 2024)"]))
def test_a_written_comparison_is_read_as_that_bound(comparator, strive, percent, value, note):
    written = _written_vietnamese(value)
    text = f"{'Phấn đấu ' if strive else ''}{comparator}{' ' if comparator else ''}{written}{'%' if percent else ''}{note}"

    target = target_parse(text=text)

    _target_values_sane(target)
    assert target.kind is COMPARATORS[comparator], text
    assert target.strive is strive
    assert (target.low if target.low is not None else target.high) == value, text
    assert (target.unit == "%") is percent


@FUZZ
@given(low=st.integers(min_value=0, max_value=10**6), high=st.integers(min_value=0, max_value=10**6),
       percent=st.booleans(), joiner=st.sampled_from(["-", " - ", "–", " đến "]))
def test_a_written_range_keeps_its_ends_and_an_upside_down_one_stays_text(low, high, percent, joiner):
    unit = "%" if percent else ""
    text = f"{low}{unit}{joiner}{high}{unit}"

    target = target_parse(text=text)

    _target_values_sane(target)
    if high < low:
        assert target.kind is TargetKind.TEXT, text
        return
    assert target.kind is TargetKind.RANGE, text
    assert (target.low, target.high) == (Decimal(low), Decimal(high))


# Outputs --------------------------------------------------------------------------------------

OUTPUT_PREFIXES = {
    "Quyết định": OutputKind.DECISION, "Kế hoạch": OutputKind.PLAN, "Báo cáo": OutputKind.REPORT,
    "Số liệu": OutputKind.DATA, "Bộ số liệu": OutputKind.DATA, "Văn bản": OutputKind.DOCUMENT,
    "Công văn": OutputKind.DOCUMENT, "Tờ trình": OutputKind.DOCUMENT, "Đề án": OutputKind.DOCUMENT,
}


@FUZZ
@given(text=_messy(list(OUTPUT_PREFIXES) + ["của UBND xã", "kết quả", "ban hành", "tỷ lệ", "%"]))
def test_an_output_cell_is_always_one_of_the_output_kinds(text):
    kind = output_kind_classify(text=text)

    assert kind in OutputKind.values
    if not text.strip(" \t\n\u00a0.-–"):
        assert kind == OutputKind.NONE


@FUZZ
@given(prefix=st.sampled_from(sorted(OUTPUT_PREFIXES)), rest=st.text(max_size=40),
       lead=st.sampled_from(["", " ", "  ", "\n", "- ", "– "]))
def test_an_output_cell_starting_with_a_document_kind_is_that_kind(prefix, rest, lead):
    for spelling in (prefix, prefix.upper(), unicodedata.normalize("NFD", prefix)):
        assert output_kind_classify(text=f"{lead}{spelling} {rest}") == OUTPUT_PREFIXES[prefix], spelling


# Unit and post names --------------------------------------------------------------------------

THANH_MIEN = DEMO_COMMUNES[0]
UNIT_ENTRIES = tuple(UnitEntry(id=index, name=unit.name, kind=unit.kind, aliases=tuple(unit.aliases))
                     for index, unit in enumerate(THANH_MIEN.units, start=1))
UNITS = unit_directory_build(entries=UNIT_ENTRIES)
POST_TITLES = sorted({*THANH_MIEN.commune_posts, *(login.post for login in THANH_MIEN.logins if login.post)})
POST_ENTRIES = tuple(PostEntry(id=index, title=title) for index, title in enumerate(POST_TITLES, start=1))
POSTS = post_directory_build(entries=POST_ENTRIES)
UNIT_IDS = {entry.id for entry in UNIT_ENTRIES}
POST_IDS = {entry.id for entry in POST_ENTRIES}

NAME_WORDS = ([unit.name for unit in THANH_MIEN.units] + [alias for unit in THANH_MIEN.units for alias in unit.aliases]
              + POST_TITLES + [phrase for collective in COLLECTIVES.values() for phrase in collective.phrases]
              + ["Đồng chí", "đ/c", "Trưởng phòng", "Phó", "các", "và", ",", ";", "/", "(", ")", "chủ trì", "xã",
                 "VHXH", "KT", "UBND", "MTTQ", "Phòng", "Ban", "Hội", "Đoàn"])
NAME_TEXT = _messy(NAME_WORDS)


@FUZZ
@given(text=NAME_TEXT)
def test_a_unit_cell_resolves_only_to_the_communes_units(text):
    resolved = unit_references_resolve(text=text, directory=UNITS)

    assert set(resolved.unit_ids) <= UNIT_IDS and set(resolved.collective_unit_ids) <= UNIT_IDS
    assert len(resolved.unit_ids) == len(set(resolved.unit_ids))
    assert set(resolved.collectives) <= set(COLLECTIVES)
    assert all(isinstance(name, str) and name.strip() for name in resolved.unknown)
    names = names_split(text=text, keep_whole=[entry.name for entry in UNIT_ENTRIES])
    assert all(isinstance(name, str) and name.strip() for name in names)
    assert resolved.empty == (not names)
    if resolved.empty:
        assert not (resolved.unit_ids or resolved.collectives or resolved.unknown)


@FUZZ
@given(text=NAME_TEXT)
def test_a_directing_cell_resolves_only_to_the_communes_posts(text):
    resolved = post_reference_resolve(text=text, directory=POSTS)

    assert set(resolved.post_ids) <= POST_IDS
    assert set(resolved.collectives) <= set(COLLECTIVES)
    assert all(isinstance(name, str) and name.strip() for name in resolved.unknown)
    if resolved.empty:
        assert not (resolved.post_ids or resolved.unknown or resolved.collectives)


@FUZZ
@given(text=NAME_TEXT)
def test_a_name_to_create_gets_a_known_kind_and_a_trimmed_name(text):
    assert unit_kind_guess(name=text) in UNIT_KINDS
    name = unit_canonical_name(text=text)
    assert isinstance(name, str) and name == name.strip()


@FUZZ
@given(chosen=st.lists(st.sampled_from(UNIT_ENTRIES), min_size=1, max_size=4, unique=True), data=st.data())
def test_a_list_of_the_communes_units_in_any_spelling_resolves_to_exactly_them(chosen, data):
    spellings = [data.draw(st.sampled_from((entry.name, *entry.aliases))) for entry in chosen]
    spellings = [data.draw(_variants(spelling)) for spelling in spellings]
    separators = [data.draw(st.sampled_from([", ", "; ", "\n", " và ", ",\u00a0"])) for _ in spellings[1:]]
    text = spellings[0] + "".join(separator + spelling for separator, spelling in zip(separators, spellings[1:]))

    resolved = unit_references_resolve(text=text, directory=UNITS)

    assert resolved.unit_ids == tuple(entry.id for entry in chosen), text
    assert resolved.unknown == () and not resolved.empty


@FUZZ
@given(entries=st.lists(st.builds(UnitEntry, id=st.integers(min_value=-2, max_value=5),
                                  name=st.one_of(st.sampled_from(NAME_WORDS), st.text(max_size=15)),
                                  kind=st.one_of(st.sampled_from(UNIT_KINDS), st.text(max_size=6)),
                                  aliases=st.lists(st.sampled_from(NAME_WORDS), max_size=2).map(tuple)),
                        max_size=5))
def test_a_unit_directory_is_built_or_refused_with_a_value_error_saying_why(entries):
    try:
        directory = unit_directory_build(entries=entries)
    except ValueError as refused:
        assert str(refused).strip()
        return
    # A name of words (no list punctuation, which a cell uses between names) finds its own unit.
    for entry in entries:
        if all(word.isalpha() for word in entry.name.replace("-", " ").split()):
            assert unit_references_resolve(text=entry.name, directory=directory).unit_ids == (entry.id,), entry
