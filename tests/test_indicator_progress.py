"""The progress rule (indicators/progress.py) for every kind of target and every status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from indicators.progress import progress_judge, target_next


@dataclass(frozen=True)
class T:
    year: int
    kind: str
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True)
class F:
    period_end: date
    value: Decimal | None = None
    rank: int | None = None
    done: bool | None = None
    assessment: str = ""


def d(text: str) -> date:
    return date.fromisoformat(text)


def n(value) -> Decimal:
    return Decimal(str(value))


def at_least(year, low):
    return T(year, "at_least", n(low))


def value(day, number):
    return F(d(day), value=n(number))


# A path from the 2025 milestone (≥60 on 31/12/2025) to the 2030 one (≥100): read on 30/06/2028,
# 912 of 1826 days along, the path expects 60 + 40 × 912/1826 ≈ 79.98; 10% of the gap is 4.
TWO_MILESTONES = [at_least(2025, 60), at_least(2030, 100)]
# "≤ 5" reached from a first figure of 10 on 31/03/2025: on 30/09/2025 (183 of 275 days) the path
# expects about 6.67; 10% of the gap is 0.5.
AT_MOST = [T(2025, "at_most", high=n(5))]
FIRST_TEN = value("2025-03-31", 10)
RANGE = [T(2035, "not_applicable"), T(2040, "range", n(80), n(90))]
FIRST_SEVENTY = value("2040-03-31", 70)
RANKS = [T(2025, "top_rank", high=n(100)), T(2030, "top_rank", high=n(50))]

CASES = [
    # (what, targets, figures, as_of, status)
    ("no targets at all", [], [value("2025-03-31", 1)], "2025-06-01", "no_target"),
    ("only '-'", [T(2025, "not_applicable"), T(2030, "not_applicable")], [], "2025-06-01", "no_target"),
    ("only empty cells", [T(2025, "empty")], [value("2025-03-31", 5)], "2025-06-01", "no_target"),
    ("a target but no approved figure", [at_least(2025, 60)], [], "2025-06-01", "no_data"),
    ("a figure of a period not over yet is not read", [at_least(2025, 60)], [value("2025-06-30", 70)],
     "2025-06-01", "no_data"),
    ("at least: met", [at_least(2025, 60)], [value("2025-06-30", 65)], "2025-07-10", "achieved"),
    ("at least: exactly the target", [at_least(2025, 60)], [value("2025-06-30", 60)], "2025-07-10", "achieved"),
    ("at least: on the path from the last milestone", TWO_MILESTONES, [value("2028-06-30", 80)], "2028-07-15",
     "on_track"),
    ("at least: within 10% of the gap behind", TWO_MILESTONES, [value("2028-06-30", 77)], "2028-07-15", "at_risk"),
    ("at least: further behind", TWO_MILESTONES, [value("2028-06-30", 70)], "2028-07-15", "off_track"),
    ("at least: the latest figure counts, not the best", TWO_MILESTONES,
     [value("2028-03-31", 85), value("2028-06-30", 70)], "2028-07-15", "off_track"),
    ("at least: the milestone passed unmet", [at_least(2025, 60)], [value("2025-12-31", 50)], "2026-02-01",
     "off_track"),
    ("more than: the target itself is not enough", [T(2025, "more_than", n(50))],
     [value("2025-03-31", 40), value("2025-12-31", 50)], "2026-01-10", "off_track"),
    ("more than: above it", [T(2025, "more_than", n(50))], [value("2025-06-30", "50.5")], "2025-07-10",
     "achieved"),
    ("one figure only: the path starts at it", [T(2025, "more_than", n(50))], [value("2025-03-31", 10)],
     "2025-04-10", "on_track"),
    ("at most: met", AT_MOST, [FIRST_TEN, value("2025-09-30", 5)], "2025-10-10", "achieved"),
    ("at most: ahead of the path down", AT_MOST, [FIRST_TEN, value("2025-09-30", "6.5")], "2025-10-10", "on_track"),
    ("at most: a little behind", AT_MOST, [FIRST_TEN, value("2025-09-30", 7)], "2025-10-10", "at_risk"),
    ("at most: far behind", AT_MOST, [FIRST_TEN, value("2025-09-30", 8)], "2025-10-10", "off_track"),
    ("less than: the target itself is not enough", [T(2025, "less_than", high=n(5))], [value("2025-06-30", 5)],
     "2025-07-10", "on_track"),
    ("less than: below it", [T(2025, "less_than", high=n(5))], [value("2025-06-30", "4.9")], "2025-07-10",
     "achieved"),
    ("a bare number: reached", [T(2025, "exact", n(100), n(100))], [value("2025-06-30", 100)], "2025-07-10",
     "achieved"),
    ("a bare number: beyond it counts as reached", [T(2025, "exact", n(3), n(3))],
     [value("2025-03-31", 1), value("2025-06-30", 4)], "2025-07-10", "achieved"),
    ("a bare number reached downwards", [T(2025, "exact", n(2), n(2))], [value("2025-03-31", 5),
                                                                        value("2025-06-30", 1)],
     "2025-07-10", "achieved"),
    ("a bare number: behind the path", [T(2025, "exact", n(100), n(100))],
     [value("2025-03-31", 0), value("2025-09-30", 20)], "2025-10-10", "off_track"),
    ("a range: inside", RANGE, [value("2040-06-30", 85)], "2040-07-10", "achieved"),
    ("a range: its ends count", RANGE, [value("2040-06-30", 90)], "2040-07-10", "achieved"),
    ("a range: on the path up to it", RANGE, [FIRST_SEVENTY, value("2040-09-30", 77)], "2040-10-10", "on_track"),
    ("a range: a little behind", RANGE, [FIRST_SEVENTY, value("2040-09-30", 76)], "2040-10-10", "at_risk"),
    ("a range: far behind", RANGE, [FIRST_SEVENTY, value("2040-09-30", 72)], "2040-10-10", "off_track"),
    ("a range: above it, not coming down", RANGE, [value("2040-03-31", 95), value("2040-09-30", 96)],
     "2040-10-10", "off_track"),
    ("top rank: inside", RANKS, [F(d("2028-06-30"), rank=40)], "2028-07-10", "achieved"),
    ("top rank: lower is better, on the path", RANKS, [F(d("2028-06-30"), rank=60)], "2028-07-10", "on_track"),
    ("top rank: a little behind", RANKS, [F(d("2028-06-30"), rank=77)], "2028-07-10", "at_risk"),
    ("top rank: far behind", RANKS, [F(d("2028-06-30"), rank=90)], "2028-07-10", "off_track"),
    ("top rank: a number is not a rank", RANKS, [value("2028-06-30", 40)], "2028-07-10", "no_data"),
    ("done: reported done", [T(2025, "done")], [F(d("2025-06-30"), done=True)], "2025-07-10", "achieved"),
    ("done: not yet, months to go", [T(2025, "done")], [F(d("2025-03-31"), done=False)], "2025-04-10", "on_track"),
    ("done: not yet, the last 92 days", [T(2025, "done")], [F(d("2025-09-30"), done=False)], "2025-10-10",
     "at_risk"),
    ("done: the milestone passed", [T(2025, "done")], [F(d("2025-12-31"), done=False)], "2026-01-10", "off_track"),
    ("words: the approved assessment", [T(2025, "text")], [F(d("2025-06-30"), assessment="at_risk")],
     "2025-07-10", "at_risk"),
    ("words: achieved", [T(2025, "text")], [F(d("2025-06-30"), assessment="achieved")], "2025-07-10", "achieved"),
    ("words: on track", [T(2025, "text")], [F(d("2025-06-30"), assessment="on_track")], "2025-07-10", "on_track"),
    ("words: off track", [T(2025, "text")], [F(d("2025-06-30"), assessment="off_track")], "2025-07-10",
     "off_track"),
    ("words: a figure without an assessment is no data", [T(2025, "text")], [value("2025-06-30", 3)],
     "2025-07-10", "no_data"),
    ("'-' this year: judged against the next year that sets a target",
     [T(2025, "not_applicable"), at_least(2030, 10)], [value("2025-06-30", 12)], "2025-07-10", "achieved"),
]


@pytest.mark.parametrize(("what", "targets", "figures", "as_of", "status"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_gives_the_documented_status(what, targets, figures, as_of, status):
    assert progress_judge(targets=targets, figures=figures, as_of=d(as_of)).status == status


def test_every_status_and_every_target_kind_has_a_case():
    statuses = {case[4] for case in CASES}
    kinds = {target.kind for case in CASES for target in case[1]}
    assert statuses == {"achieved", "on_track", "at_risk", "off_track", "no_data", "no_target"}
    assert kinds == {"at_least", "more_than", "at_most", "less_than", "exact", "range", "top_rank", "done",
                     "not_applicable", "empty", "text"}


def test_the_next_target_skips_years_that_set_nothing_and_stays_on_the_last_once_all_are_past():
    targets = [T(2025, "not_applicable"), at_least(2030, 10), T(2035, "empty"), at_least(2040, 20)]
    assert target_next(targets=targets, as_of=d("2025-05-01")).year == 2030
    assert target_next(targets=targets, as_of=d("2031-05-01")).year == 2040
    assert target_next(targets=targets, as_of=d("2050-05-01")).year == 2040


def test_no_target_still_shows_what_the_plan_wrote_for_the_year():
    verdict = progress_judge(targets=[T(2025, "not_applicable")], figures=[], as_of=d("2025-05-01"))
    assert verdict.status == "no_target" and verdict.target.kind == "not_applicable"
