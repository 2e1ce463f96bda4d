"""A table drawn into cells: a header with the sort marked, then the rows."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.palette import Palette

GAP = 2
"""Blank cells between columns."""

BOLD = Style(bold=True)

MIN_COLUMN = 4
"""A column is never squeezed narrower than this many cells."""


def draw_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[bool],
    sort_column: int | None,
    descending: bool,
    width: int,
    height: int,
    palette: Palette,
) -> list[Strip]:
    """`height` lines of `width` cells: a bold header with ▼ or ▲ on the sorted
    column, then as many rows as fit, numbers right-aligned, and `+N more rows`
    on the last line when they do not all fit.

    Columns keep the width of their widest cell; when the table is too wide the
    widest columns give way first and their cells end in `…`.
    """
    if width <= 0 or height <= 0:
        return [Strip.blank(max(0, width)) for _ in range(max(0, height))]
    if not columns:
        return message_lines("no rows", width, height, palette.muted)
    headers = [
        name + (_arrow(descending) if index == sort_column else "")
        for index, name in enumerate(columns)
    ]
    natural = [
        max([cell_len(header)] + [cell_len(row[i]) for row in rows if i < len(row)])
        for i, header in enumerate(headers)
    ]
    widths = _fit(natural, width)
    grid = CellGrid(width, height)
    _put_row(
        grid,
        0,
        cells=headers,
        widths=widths,
        numeric=numeric,
        style=palette.text + BOLD,
    )
    room = height - 1
    shown = rows if len(rows) <= room else rows[: max(0, room - 1)]
    for line, row in enumerate(shown, start=1):
        _put_row(
            grid, line, cells=row, widths=widths, numeric=numeric, style=palette.text
        )
    hidden = len(rows) - len(shown)
    if hidden > 0 and room > 0:
        grid.put(0, height - 1, f"+{hidden} more rows", palette.muted)
    return grid.strips()


def _arrow(descending: bool) -> str:
    return " ▼" if descending else " ▲"


def _fit(widths: list[int], room: int) -> list[int]:
    """Narrow the widest columns until the table fits `room` cells."""
    fitted = list(widths)
    while sum(fitted) + GAP * (len(fitted) - 1) > room:
        widest = max(range(len(fitted)), key=fitted.__getitem__)
        if fitted[widest] <= MIN_COLUMN:
            break
        fitted[widest] -= 1
    return fitted


def _put_row(
    grid: CellGrid,
    y: int,
    *,
    cells: Sequence[str],
    widths: Sequence[int],
    numeric: Sequence[bool],
    style: Style,
) -> None:
    x = 0
    for index, column_width in enumerate(widths):
        text = crop(cells[index] if index < len(cells) else "", column_width)
        if index < len(numeric) and numeric[index]:
            grid.put_right(x + column_width, y, text, style)
        else:
            grid.put(x, y, text, style)
        x += column_width + GAP
