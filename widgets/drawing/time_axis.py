"""Time labels under a chart, at round local times that do not drift."""

from __future__ import annotations

import math
import time

from rich.style import Style

from widgets.drawing.cell_grid import CellGrid
from widgets.drawing.time_buckets import TimeBuckets

_STEPS = (
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    2 * 3600,
    3 * 3600,
    6 * 3600,
    12 * 3600,
    86400,
    2 * 86400,
    7 * 86400,
    14 * 86400,
    30 * 86400,
)
"""Spacings between labels, in seconds; the smallest that leaves room is used."""
_GAP = 3
"""Cells kept empty between two labels."""


def time_labels(
    buckets: TimeBuckets, buckets_per_cell: int, cells: int
) -> list[tuple[int, str]]:
    """(column, text) of labels for a plot `cells` wide drawn from `buckets`.

    Labels sit at whole multiples of a round step in local time (every 15
    minutes, every hour...), written HH:MM, or as a date when a step is a day or
    more; each column is the cell where that moment is drawn.
    """
    seconds_per_cell = buckets.duration * buckets_per_cell
    daily = False
    label_width = 5
    step = float(_STEPS[-1])
    for candidate in _STEPS:
        daily = candidate >= 86400
        label_width = 6 if daily else 5
        if candidate >= (label_width + _GAP) * seconds_per_cell:
            step = float(candidate)
            break
    first_time = buckets.start_of(0)
    last_time = buckets.start_of(buckets.count)
    offset = time.localtime(first_time).tm_gmtoff
    moment = math.ceil((first_time + offset) / step) * step - offset
    labels: list[tuple[int, str]] = []
    while moment < last_time:
        column = math.floor(buckets.position_of(moment) + 1e-9) // buckets_per_cell
        if 0 <= column < cells:
            pattern = "%b %d" if daily else "%H:%M"
            labels.append((column, time.strftime(pattern, time.localtime(moment))))
        moment += step
    return labels


def draw_time_axis(
    grid: CellGrid,
    row: int,
    left: int,
    buckets: TimeBuckets,
    *,
    buckets_per_cell: int,
    style: Style,
) -> None:
    """Write time labels on `row`, centred under their columns from `left`.

    A label that would overlap the previous one or leave the grid is dropped.
    """
    cells = grid.width - left
    free_from = 0
    for column, text in time_labels(buckets, buckets_per_cell, cells):
        start = left + column - len(text) // 2
        if start < free_from or start < 0 or start + len(text) > grid.width:
            continue
        grid.put(start, row, text, style)
        free_from = start + len(text) + 1
