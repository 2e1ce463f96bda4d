"""A one-line sparkline of block heights over a time window."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.style import Style
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid
from widgets.drawing.number_format import nice_scale
from widgets.drawing.sample_columns import Point
from widgets.drawing.time_buckets import bucket_points, time_buckets

LEVELS = "▁▂▃▄▅▆▇█"
"""Block heights from lowest to highest."""


def draw_sparkline(
    points: Sequence[Point],
    *,
    start: float,
    end: float,
    width: int,
    style: Style,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Strip:
    """One line of `width` cells, one time bucket per cell, bucketed like a chart.

    Each cell shows the largest sample of its bucket as one of eight heights on
    a nice scale around the visible values (or `y_min`..`y_max`), so a new sample
    rarely rescales the rest. Empty buckets stay blank.
    """
    grid = CellGrid(width, 1)
    if width <= 0:
        return grid.strips()[0]
    buckets = time_buckets(start, end, width)
    values = bucket_points(points, buckets).values
    present = [value for value in values if value is not None]
    if not present:
        return grid.strips()[0]
    lo, hi, _ = nice_scale(min(present), max(present), 5)
    lo = lo if y_min is None else y_min
    hi = hi if y_max is None else y_max
    span = hi - lo if hi > lo else 1.0
    top = len(LEVELS) - 1
    for x, value in enumerate(values):
        if value is None:
            continue
        fraction = min(1.0, max(0.0, (value - lo) / span))
        grid.put(x, 0, LEVELS[math.floor(fraction * top + 0.5)], style)
    return grid.strips()[0]
