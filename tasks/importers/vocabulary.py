"""The headers appendix tables use, and what each column holds."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from tasks.importers.folding import header_fold, name_fold


class Role(enum.Enum):
    NUMBER = "number"
    TASK_NAME = "task_name"
    INDICATOR_NAME = "indicator_name"
    DIRECTING = "directing"
    PRESIDING = "presiding"
    LEAD = "lead"
    SUPPORTING = "supporting"
    OUTPUT = "output"
    RESULT = "result"  # "Kết quả": a task's output, or an indicator's targets
    TIMELINE = "timeline"
    MONITORING = "monitoring"
    MEASUREMENT_UNIT = "measurement_unit"
    TARGET = "target"  # a milestone year's target
    NOTE = "note"


TERMS: dict[Role, tuple[str, ...]] = {
    Role.NUMBER: ("TT", "STT", "Số TT", "Số thứ tự"),
    Role.TASK_NAME: (
        "Tên nhiệm vụ", "Nhiệm vụ", "Nội dung", "Nội dung nhiệm vụ", "Nhiệm vụ, giải pháp",
        "Nhiệm vụ cụ thể", "Nội dung công việc", "Tên nhiệm vụ, đề án",
    ),
    Role.INDICATOR_NAME: ("Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu", "Chỉ tiêu cụ thể"),
    Role.DIRECTING: (
        "Đồng chí được phân công chỉ đạo", "Lãnh đạo chỉ đạo", "Lãnh đạo phụ trách", "Đồng chí chỉ đạo",
        "Chỉ đạo", "Người chỉ đạo",
    ),
    Role.PRESIDING: ("Đồng chí được phân công chủ trì", "Đồng chí chủ trì"),
    Role.LEAD: (
        "Cá nhân/tổ chức được phân công chủ trì", "Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan chủ trì thực hiện",
        "Cơ quan, đơn vị chủ trì", "Đơn vị chủ trì thực hiện", "Chủ trì", "Chủ trì thực hiện",
        "Cơ quan thực hiện", "Đơn vị thực hiện",
    ),
    Role.SUPPORTING: (
        "Cơ quan phối hợp", "Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp", "Cơ quan phối hợp thực hiện",
        "Phối hợp",
    ),
    Role.OUTPUT: ("Sản phẩm đầu ra", "Sản phẩm", "Kết quả đầu ra", "Sản phẩm dự kiến"),
    Role.RESULT: ("Kết quả", "Mục tiêu", "Kết quả thực hiện"),
    Role.TIMELINE: (
        "Tiến độ thực hiện", "Thời gian hoàn thành", "Thời gian thực hiện", "Tiến độ", "Tiến độ hoàn thành",
        "Thời hạn", "Thời hạn hoàn thành", "Thời gian",
    ),
    Role.MONITORING: (
        "Cơ quan chủ trì theo dõi, đánh giá", "Cơ quan theo dõi", "Cơ quan theo dõi, đánh giá",
        "Cơ quan chủ trì theo dõi", "Đơn vị theo dõi", "Đơn vị theo dõi, đánh giá",
        "Đơn vị chủ trì theo dõi, đánh giá",
    ),
    Role.MEASUREMENT_UNIT: ("Đơn vị", "Đơn vị tính", "ĐVT"),
    Role.NOTE: ("Ghi chú",),
}

_EXACT = {header_fold(text=term): role for role, terms in TERMS.items() for term in terms}
# Longer headers are often a known one followed by more words ("Thời gian hoàn thành dự kiến");
# only terms of three words or more are trusted as such a prefix, the longest first.
_PREFIXES = sorted(
    ((folded, role) for folded, role in _EXACT.items() if len(folded.split()) >= 3),
    key=lambda pair: -len(pair[0]),
)
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[\W_]+")
_BARE_YEARS = re.compile(r"^\d{4}(?: \d{4})?$")
_YEAR = re.compile(r"\b(?:19|20|21)\d\d\b")


def _milestone_pattern(*, result: str, until: str, end: str, year: str, period: str) -> re.Pattern[str]:
    return re.compile(
        rf"^(?:{result} )?(?:(?:{until}|trong) )?(?:{end} )?(?:{year}|{period})(?: (?P<rest>.*))?$"
    )


# Tone marks are dropped but vowel marks kept, so "Năm 2030" matches and "Nam Định" does not;
# a header typed without any diacritics is read without them.
_MILESTONE = _milestone_pattern(
    result="kêt qua|muc tiêu|chi tiêu", until="đên|tơi", end="hêt", year="năm", period="giai đoan"
)
_MILESTONE_PLAIN = _milestone_pattern(
    result="ket qua|muc tieu|chi tieu", until="den|toi", end="het", year="nam", period="giai doan"
)


@dataclass(frozen=True)
class HeaderMatch:
    role: Role
    year: int | None = None  # for Role.TARGET; None when the header names no readable year


def header_match(*, text: str) -> HeaderMatch | None:
    folded = header_fold(text=text)
    if not folded:
        return None
    return _target_match(text=text) or _term_match(folded=folded) or _term_match(
        folded=header_fold(text=_PARENTHESES.sub(" ", text))
    )


def milestone_heading_read(*, text: str) -> tuple[bool, int | None]:
    """Whether a text reads as a milestone heading ("Đến năm 2030"), and its year if one can be read."""
    plain = text.isascii()
    folded = header_fold(text=text) if plain else " ".join(_NOT_WORD.sub(" ", name_fold(text=text)).split())
    if _BARE_YEARS.match(folded):
        return True, _last_year(text=folded)
    found = (_MILESTONE_PLAIN if plain else _MILESTONE).match(folded)
    if not found:
        return False, None
    return True, _last_year(text=found.group("rest") or "")


def _target_match(*, text: str) -> HeaderMatch | None:
    is_milestone, year = milestone_heading_read(text=text)
    return HeaderMatch(role=Role.TARGET, year=year) if is_milestone else None


def _term_match(*, folded: str) -> HeaderMatch | None:
    if not folded:
        return None
    if folded in _EXACT:
        return HeaderMatch(role=_EXACT[folded])
    for prefix, role in _PREFIXES:
        if folded.startswith(prefix + " "):
            return HeaderMatch(role=role)
    return None


def _last_year(*, text: str) -> int | None:
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None
