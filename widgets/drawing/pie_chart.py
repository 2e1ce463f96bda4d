"""Shares of a whole, drawn as a proportional stacked bar with a legend.

A round pie is hard to read at terminal resolution; a bar whose segments are
proportional to the shares, with a legend giving each share's percentage and
value, answers the same question ("which part is biggest, and by how much")
in a few lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.number_format import format_value
from widgets.drawing.palette import Palette

OTHER = "other"
"""The name of the slice that gathers the small ones."""
MIN_SHARE = 0.02
"""Slices smaller than this share of the whole are gathered into `OTHER`."""


@dataclass(frozen=True)
class _Slice:
    label: str
    value: float
    style: Style
    fill: str


def draw_pie_chart(
    slices: Sequence[tuple[str, float]],
    *,
    width: int,
    height: int,
    palette: Palette,
    unit: str = "",
    decimals: int | None = None,
) -> list[Strip]:
    """A stacked bar (two lines high when there is room) and one legend line a slice.

    Each legend line reads `█ label  42.0%  value`. Slices under 2% of the total
    are merged into one `other` slice drawn last, when there are at least two of
    them; a single small slice keeps its own name. Slices that are zero,
    negative or not finite are left out. When the legend does not fit, its last
    line counts the slices left unlisted.
    """
    if width <= 0 or height <= 0:
        return CellGrid(width, height).strips()
    parts = _merged(slices, palette)
    if not parts:
        return message_lines("no data", width, height, palette.no_data)
    total = sum(part.value for part in parts)
    bar_rows = 2 if height >= 4 and height - 2 >= len(parts) else 1
    grid = CellGrid(width, height)
    x = 0
    for part, cells in zip(parts, _allocate(parts, total, width), strict=True):
        for row in range(bar_rows):
            grid.fill(x, row, cells, part.fill, part.style)
        x += cells
    _draw_legend(
        grid,
        bar_rows,
        parts,
        total=total,
        unit=unit,
        decimals=decimals,
        palette=palette,
    )
    return grid.strips()


def _merged(slices: Sequence[tuple[str, float]], palette: Palette) -> list[_Slice]:
    """Positive slices with their styles, the small ones gathered into `other`."""
    positive = [
        (index, label, value)
        for index, (label, value) in enumerate(slices)
        if math.isfinite(value) and value > 0
    ]
    total = sum(value for _, _, value in positive)
    small = [item for item in positive if item[2] / total < MIN_SHARE] if total else []
    merge = len(small) >= 2
    parts = [
        _Slice(label, value, palette.series_style(index), palette.series_fill(index))
        for index, label, value in positive
        if not (merge and value / total < MIN_SHARE)
    ]
    if merge:
        other = sum(value for _, _, value in small)
        # A light shade sets `other` apart from real slices; monochrome fills
        # already use the shades, so there it is dotted instead.
        fill = "·" if palette.is_monochrome else "░"
        parts.append(_Slice(OTHER, other, palette.muted, fill))
    return parts


def _allocate(parts: list[_Slice], total: float, width: int) -> list[int]:
    """Whole cells per slice summing to `width`, by the largest-remainder method."""
    exact = [part.value / total * width for part in parts]
    cells = [math.floor(share) for share in exact]
    by_remainder = sorted(
        range(len(parts)), key=lambda index: (-(exact[index] - cells[index]), index)
    )
    for index in by_remainder[: width - sum(cells)]:
        cells[index] += 1
    return cells


def _draw_legend(
    grid: CellGrid,
    top: int,
    parts: list[_Slice],
    *,
    total: float,
    unit: str,
    decimals: int | None,
    palette: Palette,
) -> None:
    """`swatch label percent value` per slice in aligned columns, from row `top`."""
    rows = grid.height - top
    if rows <= 0:
        return
    listed = parts if len(parts) <= rows else parts[: rows - 1]
    percents = [f"{part.value / total * 100:.1f}%" for part in listed]
    values = [format_value(part.value, unit, decimals) for part in listed]
    percent_width = max((len(text) for text in percents), default=0)
    value_width = max((cell_len(text) for text in values), default=0)
    numbers_width = percent_width + 2 + value_width
    label_room = grid.width - 2 - 2 - numbers_width
    if label_room < 4:
        # Too narrow for values: keep swatch, label and percentage.
        numbers_width = percent_width
        label_room = grid.width - 2 - 1 - numbers_width
    longest = max((cell_len(part.label) for part in listed), default=0)
    label_width = min(longest, max(0, label_room))
    for row, (part, percent, value) in enumerate(
        zip(listed, percents, values, strict=True), start=top
    ):
        grid.put(0, row, part.fill, part.style)
        grid.put(2, row, crop(part.label, label_width), palette.text)
        x = 2 + label_width + 2
        grid.put(x + percent_width - len(percent), row, percent, palette.text)
        if numbers_width > percent_width:
            grid.put_right(x + numbers_width, row, value, palette.muted)
    if len(listed) < len(parts):
        grid.put(0, grid.height - 1, f"+{len(parts) - len(listed)} more", palette.muted)
