import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tasks.parsing.targets import Target, TargetKind, target_describe, target_parse

AT_LEAST = TargetKind.AT_LEAST
MORE_THAN = TargetKind.MORE_THAN
AT_MOST = TargetKind.AT_MOST
LESS_THAN = TargetKind.LESS_THAN
EXACT = TargetKind.EXACT
RANGE = TargetKind.RANGE
TOP_RANK = TargetKind.TOP_RANK
DONE = TargetKind.DONE
NOT_APPLICABLE = TargetKind.NOT_APPLICABLE
EMPTY = TargetKind.EMPTY
TEXT = TargetKind.TEXT

LONG_NOTE = "Các hệ thống đảng số, chính quyền số vận hành hoàn toàn thông minh."


def d(value: str) -> Decimal:
    return Decimal(value)


# text, measurement unit, kind, low, high, unit, strive, scope
PARSE_CASES = [
    ("≥60%", "", AT_LEAST, d("60"), None, "%", False, ""),
    (">60%", "", MORE_THAN, d("60"), None, "%", False, ""),
    ("≥ 01", "Doanh nghiệp", AT_LEAST, d("1"), None, "Doanh nghiệp", False, ""),
    ("≥ 01", "Sáng kiến", AT_LEAST, d("1"), None, "Sáng kiến", False, ""),
    ("≥80", "%", AT_LEAST, d("80"), None, "%", False, ""),
    ("≥ 80", "%", AT_LEAST, d("80"), None, "%", False, ""),
    ("100", "", EXACT, d("100"), d("100"), "", False, ""),
    ("100", "% dân số", EXACT, d("100"), d("100"), "%", False, ""),
    ("100%", "", EXACT, d("100"), d("100"), "%", False, ""),
    ("80-90%", "", RANGE, d("80"), d("90"), "%", False, ""),
    ("80 - 90%", "", RANGE, d("80"), d("90"), "%", False, ""),
    ("80–90%", "", RANGE, d("80"), d("90"), "%", False, ""),
    ("Phấn đấu 2%", "", EXACT, d("2"), d("2"), "%", True, ""),
    ("Phấn đấu ít nhất 3%", "", AT_LEAST, d("3"), None, "%", True, ""),
    ("Đạt 3%", "", EXACT, d("3"), d("3"), "%", False, ""),
    ("Đạt trên 3%", "", MORE_THAN, d("3"), None, "%", False, ""),
    ("Đạt trên 3,5%", "", MORE_THAN, d("3.5"), None, "%", False, ""),
    ("≥ 1,0", "% tổng chi NSNN", AT_LEAST, d("1.0"), None, "%", False, ""),
    ("≥ 2,5", "% tổng chi NSNN", AT_LEAST, d("2.5"), None, "%", False, ""),
    ("Top 50 của thành phố", "", TOP_RANK, None, d("50"), "", False, "của thành phố"),
    ("Top 10 toàn tỉnh", "", TOP_RANK, None, d("10"), "", False, "toàn tỉnh"),
    ("TOP 10 toàn tỉnh", "", TOP_RANK, None, d("10"), "", False, "toàn tỉnh"),
    ("< 70", "Thứ bậc", LESS_THAN, None, d("70"), "Thứ bậc", False, ""),
    ("≤ 5", "", AT_MOST, None, d("5"), "", False, ""),
    ("<= 5", "", AT_MOST, None, d("5"), "", False, ""),
    ("Trên 50%", "", MORE_THAN, d("50"), None, "%", False, ""),
    ("Dưới 10%", "", LESS_THAN, None, d("10"), "%", False, ""),
    ("Từ 80% trở lên", "", AT_LEAST, d("80"), None, "%", False, ""),
    ("Không quá 5", "", AT_MOST, None, d("5"), "", False, ""),
    ("≥ 2 doanh nghiệp", "", AT_LEAST, d("2"), None, "doanh nghiệp", False, ""),
    ("1.000", "", EXACT, d("1000"), d("1000"), "", False, ""),
    ("X", "Hoàn thành", DONE, None, None, "Hoàn thành", False, ""),
    ("x", "", DONE, None, None, "", False, ""),
    ("-", "%", NOT_APPLICABLE, None, None, "%", False, ""),
    ("–", "", NOT_APPLICABLE, None, None, "", False, ""),
    ("", "", EMPTY, None, None, "", False, ""),
    ("  ", "Doanh nghiệp", EMPTY, None, None, "Doanh nghiệp", False, ""),
    (f"100 ({LONG_NOTE})", "%", EXACT, d("100"), d("100"), "%", False, ""),
    ("Nâng cao chất lượng dịch vụ", "", TEXT, None, None, "", False, ""),
    ("Phấn đấu", "", TEXT, None, None, "", False, ""),
    ("2 - 1", "", TEXT, None, None, "", False, ""),  # a range that runs backwards
    ("≥ 2 năm 2025 và 3 năm 2026", "", TEXT, None, None, "", False, ""),
    # NFD input, tone-mark placement, case and spacing.
    (unicodedata.normalize("NFD", "Phấn đấu ít nhất 3%"), "", AT_LEAST, d("3"), None, "%", True, ""),
    ("  PHẤN  ĐẤU   ÍT NHẤT 3 %", "", AT_LEAST, d("3"), None, "%", True, ""),
    ("Đạt trên 3,5%", " % GRDP", MORE_THAN, d("3.5"), None, "%", False, ""),
    ("Trên 3", " % GRDP", MORE_THAN, d("3"), None, "%", False, ""),
]


@pytest.mark.parametrize(
    ("text", "measurement_unit", "kind", "low", "high", "unit", "strive", "scope"),
    PARSE_CASES,
)
def test_target_parse(
    text: str,
    measurement_unit: str,
    kind: TargetKind,
    low: Decimal | None,
    high: Decimal | None,
    unit: str,
    strive: bool,
    scope: str,
) -> None:
    target = target_parse(text=text, measurement_unit=measurement_unit)

    assert target.text == text  # kept exactly as written
    assert target.kind is kind
    assert target.low == low
    assert target.high == high
    assert target.unit == unit
    assert target.strive is strive
    assert target.scope == scope


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (f"100 ({LONG_NOTE})", LONG_NOTE),
        ("≥ 60% (năm học 2025-2026)", "năm học 2025-2026"),
        ("60% dân số", "dân số"),
        ("≥60%", ""),
    ],
)
def test_target_parse_keeps_notes(text: str, note: str) -> None:
    assert target_parse(text=text).note == note


def test_target_kinds_are_exactly_the_agreed_ones() -> None:
    assert {kind.value for kind in TargetKind} == {
        "at_least",
        "more_than",
        "at_most",
        "less_than",
        "exact",
        "range",
        "top_rank",
        "done",
        "not_applicable",
        "empty",
        "text",
    }


@pytest.mark.parametrize(
    ("text", "measurement_unit", "description"),
    [
        ("≥60%", "", "≥ 60%"),
        (">60%", "", "> 60%"),
        ("≤ 5", "", "≤ 5"),
        ("< 70", "Thứ bậc", "< 70 Thứ bậc"),
        ("100%", "", "100%"),
        ("≥ 01", "Doanh nghiệp", "≥ 1 Doanh nghiệp"),
        ("80-90%", "", "80–90%"),
        ("Đạt trên 3,5%", "", "> 3,5%"),
        ("Phấn đấu ít nhất 3%", "", "Strive for ≥ 3%"),
        ("Top 50 của thành phố", "", "Top 50 của thành phố"),
        ("X", "", "Done"),
        ("-", "", "Not applicable"),
        ("", "", "No target set"),
        ("Nâng cao  chất lượng", "", "Nâng cao chất lượng"),
    ],
)
def test_target_describe(text: str, measurement_unit: str, description: str) -> None:
    target = target_parse(text=text, measurement_unit=measurement_unit)
    with translation.override("en"):
        assert target_describe(target=target) == description


@given(text=st.text(), measurement_unit=st.text(max_size=20))
def test_target_parse_never_raises(text: str, measurement_unit: str) -> None:
    target = target_parse(text=text, measurement_unit=measurement_unit)
    assert isinstance(target, Target)
    assert target.text == text
    assert isinstance(target_describe(target=target), str)


NEAR_MISS_TOKENS = [
    "≥", ">", "<", "≤", "-", "–", "%", "(", ")", "01", "3,5", "1.000", "1.2.3", "0",
    "80", "phấn đấu", "ít nhất", "đạt", "trên", "dưới", "top", "của thành phố", "x",
    "trở lên", "từ", "đến",
]


@given(words=st.lists(st.sampled_from(NEAR_MISS_TOKENS), max_size=6))
def test_target_parse_never_raises_on_near_misses(words: list[str]) -> None:
    target = target_parse(text=" ".join(words))
    assert isinstance(target, Target)
    if target.kind is RANGE:
        assert target.low is not None and target.high is not None
        assert target.low <= target.high
