"""How an indicator is judged against its next milestone target. Pure functions: no queries.

The rule, as the pages and reports apply it on a day `as_of`:

1. The next milestone target is the first target, in year order, whose year is `as_of`'s year
   or later and that sets something ("-", "không áp dụng" and an empty cell set nothing and are
   passed over). When every such year is past, it is the last target that sets something. A
   milestone of year Y falls due on 31/12/Y.
2. No target: the indicator has no target that sets something → "no_target". It is shown as
   such and never counted as off track.
3. No data: no approved figure that carries what the target measures (a number for numeric
   targets, a rank for a top rank, done yes/no for "X", an assessment for a target in words)
   → "no_data". Figures submitted but not approved do not count.
4. The latest figure is the approved one with the latest period end. It is "achieved" when it
   meets the target:
   - at least / more than / at most / less than: ≥, >, ≤, < the target's number;
   - a bare number ("5 mô hình", "100%") is the level to reach: met when the figure is at it
     or beyond it on the far side from the baseline (at or above when the baseline is below,
     at or below when the baseline is above, exactly at it when the baseline is already there);
   - a range ("80–90%"): inside it, ends included;
   - a top rank ("Top 50"): the rank is 50 or better (a lower rank is better);
   - "X" (done): the unit reported it done;
   - words: the unit head approved the assessment "achieved".
5. Not achieved, numeric targets and ranks: the straight-line path runs from the baseline to
   the target. The baseline is the previous milestone target (its number on 31/12 of its year;
   the middle of a range) when one sets a comparable number (a rank for a rank, a number for a
   number); otherwise the first approved figure (its number at its period's end). The path's
   expected level is read at the end of the latest figure's period, not at `as_of`: a figure
   measures its period, and a quarter reported in April must not look late against April.
   With `gap` = |target − baseline| and `shortfall` = how far the figure is behind the expected
   level in the target's direction (higher is better for at least / more than, lower is better
   for at most / less than and ranks, towards the target for a bare number and for the range's
   nearer end):
   - "on_track": shortfall ≤ 0 (at or ahead of the path);
   - "at_risk": 0 < shortfall ≤ 10% of gap;
   - "off_track": worse, or the milestone's date (31/12 of its year) is already past.
   A baseline taken from the only approved figure puts that figure on the path: on track.
6. Not done, "X" targets: "off_track" once 31/12 of the milestone year is past, "at_risk" in
   the last 92 days before it, "on_track" before that.
7. Words: the status is the unit head's approved assessment of the latest figure that has
   one (achieved, on track, at risk, off track).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_lazy as _

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, NO_TARGET = (
    "achieved", "on_track", "at_risk", "off_track", "no_data", "no_target")
STATUSES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, NO_TARGET)
STATUS_LABELS = {
    ACHIEVED: _("Achieved"), ON_TRACK: _("On track"), AT_RISK: _("At risk"), OFF_TRACK: _("Off track"),
    NO_DATA: _("No data"), NO_TARGET: _("No target"),
}
AT_RISK_SHARE = Decimal("0.10")
DONE_AT_RISK_DAYS = 92

NO_SETTING_KINDS = frozenset({"not_applicable", "empty"})
HIGHER_BETTER = frozenset({"at_least", "more_than"})
LOWER_BETTER = frozenset({"at_most", "less_than"})
VALUE_KINDS = frozenset({"at_least", "more_than", "at_most", "less_than", "exact", "range"})


class TargetLike(Protocol):
    year: int
    kind: str
    low: Decimal | None
    high: Decimal | None


class FigureLike(Protocol):
    period_end: date
    value: Decimal | None
    rank: int | None
    done: bool | None
    assessment: str


@dataclass(frozen=True)
class Verdict:
    status: str
    target: TargetLike | None  # the next milestone target (or the one that sets nothing, for no_target)
    figure: FigureLike | None  # the latest approved figure the verdict read


def status_label(*, status: str) -> str:
    return str(STATUS_LABELS[status])


def milestone_date(*, year: int) -> date:
    return date(year, 12, 31)


def target_next(*, targets: Iterable[TargetLike], as_of: date) -> TargetLike | None:
    """Rule 1: the next target that sets something, or None when none does."""
    setting = sorted((t for t in targets if t.kind not in NO_SETTING_KINDS), key=lambda t: t.year)
    for target in setting:
        if target.year >= as_of.year:
            return target
    return setting[-1] if setting else None


def target_shown(*, targets: Iterable[TargetLike], as_of: date) -> TargetLike | None:
    """The target to show: the next that sets something, else this year's (or the next) as written."""
    targets = list(targets)
    found = target_next(targets=targets, as_of=as_of)
    if found is not None:
        return found
    later = sorted((t for t in targets if t.year >= as_of.year), key=lambda t: t.year)
    return later[0] if later else None


def measure_of(*, kind: str, figure: FigureLike):
    """What a figure says for a target of `kind`: a Decimal, a rank as Decimal, a bool or an assessment."""
    if kind in VALUE_KINDS:
        return figure.value
    if kind == "top_rank":
        return Decimal(figure.rank) if figure.rank is not None else None
    if kind == "done":
        return figure.done
    if kind == "text":
        return figure.assessment or None
    return None


def _representative(target: TargetLike) -> Decimal | None:
    if target.kind == "range" and target.low is not None and target.high is not None:
        return (target.low + target.high) / 2
    if target.kind == "top_rank":
        return target.high
    return target.low if target.low is not None else target.high


def _comparable(previous: TargetLike, following: TargetLike) -> bool:
    if following.kind == "top_rank":
        return previous.kind == "top_rank"
    return previous.kind in VALUE_KINDS and following.kind in VALUE_KINDS


def _baseline(*, targets: Sequence[TargetLike], target: TargetLike,
              usable: list[tuple[FigureLike, object]]) -> tuple[date, Decimal]:
    previous = [t for t in targets if t.year < target.year and t.kind not in NO_SETTING_KINDS]
    if previous:
        last = max(previous, key=lambda t: t.year)
        value = _representative(last)
        if value is not None and _comparable(last, target):
            return milestone_date(year=last.year), value
    first_figure, first_value = usable[0]
    return first_figure.period_end, first_value


def _goal(*, target: TargetLike, baseline: Decimal, value: Decimal) -> tuple[Decimal, int]:
    """(the number aimed at, +1 if higher is better else -1)."""
    if target.kind in HIGHER_BETTER:
        return target.low, 1
    if target.kind in LOWER_BETTER or target.kind == "top_rank":
        return target.high, -1
    if target.kind == "range":
        reference = baseline if not (target.low <= baseline <= target.high) else value
        return (target.low, 1) if reference < target.low else (target.high, -1)
    goal = target.low
    if baseline != goal:
        return goal, 1 if goal > baseline else -1
    return goal, 1 if goal > value else -1


def _met(*, target: TargetLike, value: Decimal, baseline: Decimal) -> bool:
    kind, low, high = target.kind, target.low, target.high
    if kind == "at_least":
        return value >= low
    if kind == "more_than":
        return value > low
    if kind in ("at_most", "top_rank"):
        return value <= high
    if kind == "less_than":
        return value < high
    if kind == "range":
        return low <= value <= high
    if baseline < low:
        return value >= low
    if baseline > low:
        return value <= low
    return value == low


def _numeric_verdict(*, targets: Sequence[TargetLike], target: TargetLike,
                     usable: list[tuple[FigureLike, Decimal]], as_of: date) -> str:
    latest, value = usable[-1]
    baseline_on, baseline = _baseline(targets=targets, target=target, usable=usable)
    if _met(target=target, value=value, baseline=baseline):
        return ACHIEVED
    due = milestone_date(year=target.year)
    if as_of > due or latest.period_end >= due:
        return OFF_TRACK
    goal, direction = _goal(target=target, baseline=baseline, value=value)
    span = (due - baseline_on).days
    share = Decimal(1) if span <= 0 else min(max(Decimal((latest.period_end - baseline_on).days) / span, Decimal(0)),
                                              Decimal(1))
    expected = baseline + share * (goal - baseline)
    shortfall = (expected - value) * direction
    if shortfall <= 0:
        return ON_TRACK
    if shortfall <= AT_RISK_SHARE * abs(goal - baseline):
        return AT_RISK
    return OFF_TRACK


def _done_verdict(*, done: bool, target: TargetLike, as_of: date) -> str:
    if done:
        return ACHIEVED
    days_left = (milestone_date(year=target.year) - as_of).days
    if days_left < 0:
        return OFF_TRACK
    return AT_RISK if days_left <= DONE_AT_RISK_DAYS else ON_TRACK


def progress_judge(*, targets: Iterable[TargetLike], figures: Iterable[FigureLike], as_of: date) -> Verdict:
    """The verdict on `as_of` from an indicator's targets and its approved figures (any order).

    Figures for periods ending after `as_of` are ignored, so a verdict can be recomputed for a
    past day.
    """
    targets = sorted(targets, key=lambda t: t.year)
    target = target_next(targets=targets, as_of=as_of)
    figures = sorted((f for f in figures if f.period_end <= as_of), key=lambda f: f.period_end)
    if target is None:
        return Verdict(status=NO_TARGET, target=target_shown(targets=targets, as_of=as_of),
                       figure=figures[-1] if figures else None)
    usable = [(f, m) for f in figures if (m := measure_of(kind=target.kind, figure=f)) is not None]
    if not usable:
        return Verdict(status=NO_DATA, target=target, figure=figures[-1] if figures else None)
    latest, measure = usable[-1]
    if target.kind == "done":
        status = _done_verdict(done=measure, target=target, as_of=as_of)
    elif target.kind == "text":
        status = measure if measure in STATUS_LABELS else NO_DATA
    else:
        status = _numeric_verdict(targets=targets, target=target, usable=usable, as_of=as_of)
    return Verdict(status=status, target=target, figure=latest)
