"""Horizontal bars for labelled values, drawn to an eighth of a cell."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.cells import cell_len
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.number_format import format_value, nice_scale
from widgets.drawing.palette import Palette, Thresholds

EIGHTHS = " ▏▎▍▌▋▊▉"
"""Partial blocks by eighths of a cell; a full cell is `FULL_BLOCK`."""
FULL_BLOCK = "█"


def bar_text(eighths: int) -> str:
    """A bar `eighths` eighths of a cell long: full blocks and one partial block."""
    whole, part = divmod(max(0, eighths), 8)
    return FULL_BLOCK * whole + (EIGHTHS[part] if part else "")


def draw_bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    width: int,
    height: int,
    palette: Palette,
    unit: str = "",
    decimals: int | None = None,
    thresholds: Thresholds | None = None,
    max_value: float | None = None,
) -> list[Strip]:
    """One bar per line: label, bar from zero, value; `+N more` when they overflow.

    Bars run from zero to a nice maximum above the largest value (or to
    `max_value`), so a small change in the data rarely moves every bar. With
    `thresholds` a bar takes the style of its state, otherwise its series
    colour. When there are more bars than lines the largest ones are kept, in
    the order given, and the last line counts the rest.
    """
    if width <= 0 or height <= 0:
        return CellGrid(width, height).strips()
    if not bars:
        return message_lines("no data", width, height, palette.no_data)
    shown = _largest_in_order(bars, height)
    hidden = len(bars) - len(shown)
    if not shown:
        return message_lines(f"+{hidden} more", width, height, palette.muted)
    values = [format_value(value, unit, decimals) for _, value, _ in shown]
    value_width = max(cell_len(text) for text in values)
    label_width = min(max(cell_len(label) for label, _, _ in shown), width // 3)
    bar_left = label_width + 1 if label_width else 0
    bar_width = width - bar_left - value_width - 1
    top = _scale_top([value for _, value, _ in shown], max_value)

    grid = CellGrid(width, height)
    for row, ((label, value, index), text) in enumerate(
        zip(shown, values, strict=True)
    ):
        if thresholds is not None:
            style = palette.state(thresholds.state_of(value))
            fill = "█"
        else:
            style = palette.series_style(index)
            fill = palette.series_fill(index)
        grid.put(0, row, crop(label, label_width), palette.text)
        if bar_width >= 1:
            eighths = _eighths(value, top, bar_width)
            bar = bar_text(eighths)
            if fill != FULL_BLOCK:
                # Patterned fills (monochrome) have no partial blocks.
                bar = fill * math.ceil(eighths / 8)
            grid.put(bar_left, row, bar, style)
            grid.put_right(width, row, text, palette.text)
        else:
            grid.put_right(width, row, crop(text, width - bar_left), palette.text)
    if hidden:
        grid.put(0, height - 1, f"+{hidden} more", palette.muted)
    return grid.strips()


def _largest_in_order(
    bars: Sequence[tuple[str, float]], height: int
) -> list[tuple[str, float, int]]:
    """The bars that fit, with their original index; the largest when not all do."""
    indexed = [(label, value, index) for index, (label, value) in enumerate(bars)]
    if len(indexed) <= height:
        return indexed
    room = max(0, height - 1)
    by_size = sorted(indexed, key=lambda bar: (-_sortable(bar[1]), bar[2]))
    keep = {bar[2] for bar in by_size[:room]}
    return [bar for bar in indexed if bar[2] in keep]


def _sortable(value: float) -> float:
    return value if math.isfinite(value) else -math.inf


def _scale_top(values: list[float], max_value: float | None) -> float:
    if max_value is not None and max_value > 0:
        return max_value
    finite = [value for value in values if math.isfinite(value)]
    largest = max(finite, default=0.0)
    if largest <= 0:
        return 1.0
    return nice_scale(0.0, largest, 5)[1]


def _eighths(value: float, top: float, bar_width: int) -> int:
    if not math.isfinite(value) or value <= 0:
        return 0
    return min(bar_width * 8, round(value / top * bar_width * 8))
