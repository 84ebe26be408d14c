"""Pages of a long list: a fixed number of rows per request, so the page costs the same whatever the data."""
from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def page_number_get(value: str | None) -> int:
    """The page asked for in the query string; anything that is not a positive whole number is page 1."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 100_000 else 1


def page_rows_get(*, queryset, number: int, size: int = PAGE_SIZE) -> tuple[list, Page]:
    """One page of an ordered queryset, in one query (one row more tells whether a next page exists)."""
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return rows[:size], Page(number=number, has_previous=number > 1, has_next=len(rows) > size)
