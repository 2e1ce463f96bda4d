"""Where each panel goes on screen, from its place on the 12-column grid.

Wide terminals get the grid as the profile drew it, stretched to fill the height when
there is room. Narrower ones get the panels reflowed into two columns or one, in
reading order (top to bottom, left to right), and the dashboard scrolls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GRID_COLUMNS = 12
WIDE_ENOUGH_FOR_GRID = 120
"""Below this many cells, twelve columns get too thin to read; panels reflow."""
REFLOW_COLUMN_WIDTH = 38
"""Cells per column when panels reflow: two columns at 80 cells (less a scrollbar),
one below 76."""


@dataclass(frozen=True, slots=True)
class GridCell:
    """A panel's place on the grid and the fewest lines it can be read in."""

    x: int
    y: int
    w: int
    h: int
    min_height: int = 3


@dataclass(frozen=True, slots=True)
class Box:
    """A panel's place on screen, in cells, relative to the dashboard's corner."""

    x: int
    y: int
    width: int
    height: int


def place_panels(cells: Sequence[GridCell], width: int, height: int) -> list[Box]:
    """A box for every cell, in the same order."""
    if not cells or width <= 0:
        return [Box(0, 0, 0, 0) for _ in cells]
    if width >= WIDE_ENOUGH_FOR_GRID:
        return _grid(cells, width, height)
    columns = max(1, min(3, width // REFLOW_COLUMN_WIDTH))
    return _reflow(cells, width, columns)


def _grid(cells: Sequence[GridCell], width: int, height: int) -> list[Box]:
    rows = max(cell.y + cell.h for cell in cells)
    # Integer arithmetic, so that the last row ends exactly on the last line.
    lines = max(height, rows)

    def column_edge(column: int) -> int:
        return (column * width + GRID_COLUMNS // 2) // GRID_COLUMNS

    def row_edge(row: int) -> int:
        return row * lines // rows

    return [
        Box(
            column_edge(cell.x),
            row_edge(cell.y),
            column_edge(cell.x + cell.w) - column_edge(cell.x),
            row_edge(cell.y + cell.h) - row_edge(cell.y),
        )
        for cell in cells
    ]


def _reflow(cells: Sequence[GridCell], width: int, columns: int) -> list[Box]:
    order = sorted(range(len(cells)), key=lambda i: (cells[i].y, cells[i].x))
    boxes: dict[int, Box] = {}
    column_width = width // columns
    top = 0
    row: list[int] = []
    used = 0

    def close_row() -> None:
        nonlocal top, row, used
        if not row:
            return
        row_height = max(max(cells[i].h, cells[i].min_height) for i in row)
        x = 0
        for position, index in enumerate(row):
            span = _span(cells[index], columns)
            last = position == len(row) - 1
            box_width = width - x if last else span * column_width
            boxes[index] = Box(x, top, box_width, row_height)
            x += box_width
        top += row_height
        row, used = [], 0

    for index in order:
        span = _span(cells[index], columns)
        if used + span > columns:
            close_row()
        row.append(index)
        used += span
    close_row()
    return [boxes[i] for i in range(len(cells))]


def _span(cell: GridCell, columns: int) -> int:
    # A panel drawn at least two thirds of the grid wide keeps a full row when
    # reflowed; anything narrower takes one column.
    return columns if cell.w * 3 >= GRID_COLUMNS * 2 else 1
