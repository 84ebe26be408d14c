"""Undo a layout quirk: several rows of a table typed into one cell merged over them.

In 003_phu_luc.docx rows 28–31 ("8 Hạ tầng số", 9.1, 9.2, 9.3) have their own number cells, but
columns 2–9 are one cell merged over the four rows, holding one paragraph per original cell.
"""
from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from config.lazytext import message_format
from tasks.importers.raw import TableNote, cell_text_tidy
from tasks.importers.wordgrid import Grid, Region

CellTexts = dict[tuple[int, int], str]


def collapsed_blocks_split(*, grid: Grid) -> tuple[CellTexts, tuple[TableNote, ...]]:
    """Texts for the positions of every collapsed block that splits evenly, and a note per block."""
    texts: CellTexts = {}
    notes: list[TableNote] = []
    for region in grid.regions:
        if not _collapsed_block_is(grid=grid, region=region):
            continue
        split = _block_split(region=region)
        if split is None:
            notes.append(_note(region=region, template=_(
                "Rows %(first)s to %(last)s share one merged cell whose paragraphs do not divide into those "
                "rows; its text was kept whole in each row. Check these rows."
            )))
            continue
        texts.update(split)
        notes.append(_note(region=region, template=_(
            "Rows %(first)s to %(last)s were typed into one merged cell; its paragraphs were split back "
            "into those rows. Check them."
        )))
    return texts, tuple(notes)


def _collapsed_block_is(*, grid: Grid, region: Region) -> bool:
    if region.height < 2 or region.width < 2 or region.left < 1:
        return False
    if sum(1 for paragraph in region.paragraphs if paragraph) < 2:
        return False
    number_cells = [grid.region_at(row=row, column=0) for row in region.rows]
    if any(cell is None or cell.height != 1 for cell in number_cells):
        return False
    numbers = [cell.text for cell in number_cells if cell is not None]
    return all(numbers) and len(set(numbers)) == len(numbers)


def _block_split(*, region: Region) -> CellTexts | None:
    paragraphs, rows, columns = region.paragraphs, region.height, region.width
    if len(paragraphs) == rows * columns:
        chunks = [paragraphs[index * columns:(index + 1) * columns] for index in range(rows)]
    elif len(paragraphs) == 1 + (rows - 1) * columns:
        # The first row is a group title row: its title spans the block, as a merged group row would.
        title, body = paragraphs[0], paragraphs[1:]
        chunks = [(title,) * columns] + [body[index * columns:(index + 1) * columns] for index in range(rows - 1)]
    else:
        return None
    return {
        (region.top + row, region.left + column): cell_text_tidy(text=text)
        for row, chunk in enumerate(chunks)
        for column, text in enumerate(chunk)
    }


def _note(*, region: Region, template: Promise) -> TableNote:
    return TableNote(
        row=region.top + 1,
        message=message_format(template=template, first=region.top + 1, last=region.top + region.height),
    )
