"""A heatmap: one row per series, one column per time bucket, shaded by value."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.number_format import format_value, nice_scale
from widgets.drawing.palette import Palette
from widgets.drawing.sample_columns import Point
from widgets.drawing.time_axis import draw_time_axis
from widgets.drawing.time_buckets import bucket_points, time_buckets

MIN_WIDTH = 8
"""Narrower than this, a heatmap says "too small" instead."""


@dataclass(frozen=True)
class HeatRow:
    """One row of a heatmap: a named series."""

    name: str
    """Shown at the left of the row."""
    points: Sequence[Point]
    """Samples as (unix timestamp, value); non-finite values skipped."""


def draw_heatmap(
    rows: Sequence[HeatRow],
    *,
    start: float,
    end: float,
    width: int,
    height: int,
    palette: Palette,
    lo: float | None = None,
    hi: float | None = None,
    unit: str = "",
    decimals: int | None = None,
) -> list[Strip]:
    """Rows in the order given, each cell one time bucket shaded through the heat ramp.

    Cells take the largest sample of their bucket, aligned to absolute time
    like the line chart (one bucket per cell), and are shaded on a nice scale
    over all rows unless `lo`/`hi` fix it; empty buckets stay blank. Times run
    along the line under the rows, and when a line is left over the scale is
    explained under that (`0 ░▒▓█ 100`). Rows that do not fit are counted on
    the last row's line.
    """
    if width < MIN_WIDTH or height < 2:
        return message_lines("too small", width, height, palette.muted)
    if not rows:
        return message_lines("no data", width, height, palette.no_data)
    room = height - 1
    shown = list(rows) if len(rows) <= room else list(rows[: room - 1])
    hidden = len(rows) - len(shown)
    label_width = min(
        max(cell_len(row.name) for row in shown) if shown else 0, width // 4
    )
    left = label_width + 1 if label_width else 0
    cells = width - left
    buckets = time_buckets(start, end, cells)
    bucketed = [bucket_points(row.points, buckets).values for row in shown]
    present = [value for values in bucketed for value in values if value is not None]
    if not present and not hidden:
        return message_lines("no data", width, height, palette.no_data)
    low, high = _range(present, lo, hi)
    steps = len(palette.heat)

    grid = CellGrid(width, height)
    for y, (row, values) in enumerate(zip(shown, bucketed, strict=True)):
        grid.put(0, y, crop(row.name, label_width), palette.text)
        for x, value in enumerate(values):
            if value is None:
                continue
            step = _step(value, low, high, steps)
            grid.put(left + x, y, palette.heat_glyphs[step], palette.heat[step])
    if hidden:
        grid.put(0, len(shown), crop(f"+{hidden} more", width), palette.muted)
    axis_row = len(shown) + (1 if hidden else 0)
    draw_time_axis(
        grid, axis_row, left, buckets, buckets_per_cell=1, style=palette.muted
    )
    if axis_row + 1 < height:
        ends = (format_value(low, unit, decimals), format_value(high, unit, decimals))
        _draw_scale(grid, axis_row + 1, left, ends, palette)
    return grid.strips()


def _range(
    present: list[float], lo: float | None, hi: float | None
) -> tuple[float, float]:
    """Shading bounds: fixed ones where given, else a nice scale over the data."""
    if not present:
        return 0.0, 1.0
    nice_lo, nice_hi, _ = nice_scale(min(present), max(present), 5)
    low = nice_lo if lo is None else lo
    high = nice_hi if hi is None else hi
    return (low, high) if high > low else (low, low + 1.0)


def _step(value: float, low: float, high: float, steps: int) -> int:
    """Index into the heat ramp: equal slices of `low`..`high`, ends clamped."""
    fraction = (value - low) / (high - low)
    return min(steps - 1, max(0, math.floor(fraction * steps)))


def _draw_scale(
    grid: CellGrid,
    row: int,
    left: int,
    ends: tuple[str, str],
    palette: Palette,
) -> None:
    """`low ▒▒▒ high`: what the shades mean, under the time axis."""
    low_text = ends[0] + " "
    high_text = " " + ends[1]
    ramp_width = len(palette.heat) * 2
    if left + len(low_text) + ramp_width + len(high_text) > grid.width:
        return
    x = grid.put(left, row, low_text, palette.muted)
    for step, style in enumerate(palette.heat):
        x = grid.put(x, row, palette.heat_glyphs[step] * 2, style)
    grid.put(x, row, high_text, palette.muted)
