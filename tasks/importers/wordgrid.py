"""Lay a Word table's cells out on its grid, giving a merged cell's text to every position it covers."""
from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from tasks.importers.raw import cell_text_tidy

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {"w": W_NAMESPACE, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
# Word itself stops at 63 columns; a larger grid only comes from a damaged or hostile file.
MAX_COLUMNS = 64

_ROWS = etree.XPath("w:tr | w:sdt/w:sdtContent/w:tr", namespaces=NAMESPACES)
_CELLS = etree.XPath("w:tc | w:sdt/w:sdtContent/w:tc | w:customXml/w:tc", namespaces=NAMESPACES)
_PARAGRAPHS = etree.XPath("w:p | w:sdt/w:sdtContent/w:p", namespaces=NAMESPACES)
_TEXT_PIECES = etree.XPath(
    ".//w:r[not(ancestor::w:txbxContent)][not(ancestor::mc:Fallback)][not(ancestor::w:moveFrom)]"
    "/*[self::w:t or self::w:tab or self::w:br or self::w:cr or self::w:noBreakHyphen]",
    namespaces=NAMESPACES,
)
_GRID_BEFORE = etree.XPath("w:trPr/w:gridBefore/@w:val", namespaces=NAMESPACES)
_GRID_SPAN = etree.XPath("w:tcPr/w:gridSpan/@w:val", namespaces=NAMESPACES)
_VERTICAL_MERGE = etree.XPath("w:tcPr/w:vMerge", namespaces=NAMESPACES)
_HORIZONTAL_MERGE = etree.XPath("w:tcPr/w:hMerge", namespaces=NAMESPACES)
_VAL = f"{{{W_NAMESPACE}}}val"
_PIECE_TEXT = {f"{{{W_NAMESPACE}}}tab": "\t", f"{{{W_NAMESPACE}}}br": "\n", f"{{{W_NAMESPACE}}}cr": "\n",
               f"{{{W_NAMESPACE}}}noBreakHyphen": "-"}


@dataclass(frozen=True)
class Region:
    """One cell as the reader sees it: maybe merged over several rows and columns."""

    top: int
    left: int
    height: int
    width: int
    paragraphs: tuple[str, ...]  # each trimmed, empty ones kept: they can be real empty cells

    @property
    def text(self) -> str:
        return cell_text_tidy(text="\n".join(self.paragraphs))

    @property
    def rows(self) -> range:
        return range(self.top, self.top + self.height)


@dataclass(frozen=True)
class Grid:
    row_count: int
    width: int
    regions: tuple[Region, ...]
    owners: dict[tuple[int, int], int]  # (row, column) → index into regions

    def region_at(self, *, row: int, column: int) -> Region | None:
        index = self.owners.get((row, column))
        return None if index is None else self.regions[index]


@dataclass(frozen=True)
class _Placement:
    row: int
    column: int
    width: int
    vertical_merge: str  # "", "restart" or "continue"
    paragraphs: tuple[str, ...]


def grid_build(*, table: etree._Element) -> Grid:
    placements = [_row_placements(row=row, row_index=index) for index, row in enumerate(_ROWS(table))]
    regions = _regions_merge(placements=placements)
    owners: dict[tuple[int, int], int] = {}
    for index, region in enumerate(regions):
        for row in region.rows:
            for column in range(region.left, region.left + region.width):
                owners.setdefault((row, column), index)
    width = max((region.left + region.width for region in regions), default=0)
    return Grid(row_count=len(placements), width=width, regions=tuple(regions), owners=owners)


def _row_placements(*, row: etree._Element, row_index: int) -> list[_Placement]:
    placements: list[_Placement] = []
    column = min(_int_or(values=_GRID_BEFORE(row), default=0), MAX_COLUMNS)
    for cell in _CELLS(row):
        if column >= MAX_COLUMNS:
            break
        span = max(1, min(_int_or(values=_GRID_SPAN(cell), default=1), MAX_COLUMNS - column))
        if _horizontal_continue(cell=cell) and placements:
            placements[-1] = replace(placements[-1], width=placements[-1].width + span)
        else:
            placements.append(_Placement(
                row=row_index, column=column, width=span,
                vertical_merge=_vertical_merge(cell=cell), paragraphs=_paragraphs(cell=cell),
            ))
        column += span
    return placements


def _regions_merge(*, placements: list[list[_Placement]]) -> list[Region]:
    """Join each vMerge="continue" cell to the region that ends just above it in the same column."""
    regions: list[Region] = []
    open_by_column: dict[int, int] = {}
    for row_placements in placements:
        still_open: dict[int, int] = {}
        for placement in row_placements:
            index = open_by_column.get(placement.column)
            if placement.vertical_merge == "continue" and index is not None:
                regions[index] = replace(regions[index], height=regions[index].height + 1)
            else:
                regions.append(Region(
                    top=placement.row, left=placement.column, height=1,
                    width=placement.width, paragraphs=placement.paragraphs,
                ))
                index = len(regions) - 1
            still_open[placement.column] = index
        open_by_column = still_open
    return regions


def _int_or(*, values: list[str], default: int) -> int:
    try:
        return int(values[0]) if values else default
    except ValueError:
        return default


def _vertical_merge(*, cell: etree._Element) -> str:
    found = _VERTICAL_MERGE(cell)
    if not found:
        return ""
    return "restart" if found[0].get(_VAL) == "restart" else "continue"


def _horizontal_continue(*, cell: etree._Element) -> bool:
    found = _HORIZONTAL_MERGE(cell)
    return bool(found) and found[0].get(_VAL) != "restart"


def _paragraphs(*, cell: etree._Element) -> tuple[str, ...]:
    return tuple(_paragraph_text(paragraph=paragraph).strip() for paragraph in _PARAGRAPHS(cell))


def _paragraph_text(*, paragraph: etree._Element) -> str:
    return "".join(_PIECE_TEXT.get(piece.tag, piece.text or "") for piece in _TEXT_PIECES(paragraph))
