"""A time-series line chart in braille: axes, thresholds, several series, legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.braille import BrailleCanvas
from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.number_format import (
    axis_ticks,
    format_axis_labels,
    format_value,
    nice_scale,
)
from widgets.drawing.palette import Palette, Thresholds
from widgets.drawing.sample_columns import Columns, Point, columns_of
from widgets.drawing.time_axis import draw_time_axis
from widgets.drawing.time_buckets import (
    TimeBuckets,
    bucket_points,
    joined,
    time_buckets,
)

MIN_WIDTH = 12
"""Narrower than this, a chart says "too small" instead."""
MIN_HEIGHT = 3
"""Shorter than this, a chart says "too small" instead."""
_LEGEND_MIN_HEIGHT = 6
"""The legend takes a line only when at least this many are available."""
_WARNING_DASH = (1, 1)
_CRITICAL_DASH = (2, 1)


@dataclass(frozen=True)
class ChartSeries:
    """One named line on a chart."""

    name: str
    """Shown in the legend."""
    points: Sequence[Point]
    """Samples as (unix timestamp, value), in any order; non-finite values skipped."""
    earlier: bool = False
    """An earlier window moved onto this one for comparison: drawn dimmed, behind
    the live series, with a dotted mark in the legend."""


@dataclass(frozen=True)
class _Scale:
    """The value range of the plot and where a value lands on it."""

    lo: float
    hi: float
    step: float
    dot_height: int

    def dot_y(self, value: float) -> int:
        """Dot row of `value`, 0 at the top, clamped onto the plot."""
        fraction = (value - self.lo) / (self.hi - self.lo)
        fraction = min(1.0, max(0.0, fraction))
        return self.dot_height - 1 - round(fraction * (self.dot_height - 1))


def draw_line_chart(
    series: Sequence[ChartSeries],
    *,
    start: float,
    end: float,
    width: int,
    height: int,
    palette: Palette,
    y_min: float | None = None,
    y_max: float | None = None,
    thresholds: Thresholds | None = None,
    unit: str = "",
    show_legend: bool = True,
    decimals: int | None = None,
    markers: Sequence[float] = (),
) -> list[Strip]:
    """`height` lines of `width` cells charting `series` from `start` to `end`.

    The y axis is a nice scale around the data and the thresholds (so their
    lines are always in view) unless `y_min` or `y_max` fix it. Each series is
    reduced to the largest value per time bucket, two buckets per cell, aligned
    to absolute time (see `time_buckets`); a bucket without samples breaks the
    line unless the series is simply sampled less often than the buckets are
    narrow. The legend under the time axis names each series with its latest
    value, coloured by state when `thresholds` are given. Each time in `markers`
    (an annotation) inside the window is a dotted vertical line `┊` behind the
    series.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return message_lines("too small", width, height, palette.muted)
    every = [columns_of(item.points) for item in series]
    in_window = [columns.within(start, end) for columns in every]
    if not any(in_window):
        return message_lines("no data", width, height, palette.no_data)
    legend_rows = 1 if show_legend and height >= _LEGEND_MIN_HEIGHT else 0
    plot_height = height - 1 - legend_rows
    scale = _fit_scale(
        in_window,
        plot_height,
        y_min=y_min,
        y_max=y_max,
        thresholds=thresholds,
        unit=unit,
    )
    ticks = axis_ticks(scale.lo, scale.hi, scale.step)
    labels = format_axis_labels(ticks, scale.step, unit)
    label_width = min(max(cell_len(label) for label in labels), width // 3)
    plot_left = label_width + 1
    plot_width = width - plot_left
    buckets = time_buckets(start, end, plot_width * 2, per_cell=2)

    grid = CellGrid(width, height)
    _draw_y_axis(
        grid, ticks, labels, scale, label_width=label_width, style=palette.muted
    )
    for marker in markers:
        index = buckets.index_of(marker)
        if index is not None:
            for row in range(plot_height):
                grid.put(plot_left + index // 2, row, "┊", palette.text)
    canvas = BrailleCanvas(plot_width, plot_height)
    if thresholds is not None:
        _draw_thresholds(canvas, scale, thresholds, palette)
    styles = _series_styles(series, palette)
    # Earlier windows first, so that the live lines are drawn over them.
    for _item, columns, style in sorted(
        zip(series, every, styles, strict=True),
        key=lambda triple: not triple[0].earlier,
    ):
        _draw_series(canvas, columns, buckets, scale, style)
    canvas.draw_onto(grid, plot_left, 0)
    draw_time_axis(
        grid,
        plot_height,
        plot_left,
        buckets,
        buckets_per_cell=2,
        style=palette.muted,
    )
    if legend_rows:
        _draw_legend(
            grid,
            height - 1,
            series,
            in_window,
            thresholds=thresholds,
            unit=unit,
            decimals=decimals,
            palette=palette,
        )
    return grid.strips()


def _fit_scale(
    in_window: list[Columns],
    plot_height: int,
    *,
    y_min: float | None,
    y_max: float | None,
    thresholds: Thresholds | None,
    unit: str,
) -> _Scale:
    """A nice scale over the data and thresholds, overridden by fixed bounds.

    The fit uses every sample in the window rather than the bucket maxima, so
    dips hidden by the maxima still widen the axis and the axis does not move
    when samples merely change buckets.
    """
    values = [
        extreme(window.values)
        for window in in_window
        if window
        for extreme in (min, max)
    ]
    if thresholds is not None:
        values.extend(
            level
            for level in (thresholds.warning, thresholds.critical)
            if level is not None
        )
    lo = y_min if y_min is not None else min(values)
    hi = y_max if y_max is not None else max(values)
    tick_count = max(2, min(6, plot_height // 3 + 1))
    nice_lo, nice_hi, step = nice_scale(lo, hi, tick_count, unit=unit)
    lo = y_min if y_min is not None else nice_lo
    hi = y_max if y_max is not None else nice_hi
    if hi <= lo:
        hi = lo + step
    return _Scale(lo, hi, step, plot_height * 4)


def _draw_y_axis(
    grid: CellGrid,
    ticks: list[float],
    labels: list[str],
    scale: _Scale,
    *,
    label_width: int,
    style: Style,
) -> None:
    """Tick labels right-aligned before the axis line, one per distinct row."""
    for row in range(scale.dot_height // 4):
        grid.put(label_width, row, "│", style)
    used_rows: set[int] = set()
    for tick, label in zip(ticks, labels, strict=True):
        row = scale.dot_y(tick) // 4
        if row in used_rows:
            continue
        used_rows.add(row)
        grid.put_right(label_width, row, crop(label, label_width), style)
        grid.put(label_width, row, "┤", style)


def _draw_thresholds(
    canvas: BrailleCanvas, scale: _Scale, thresholds: Thresholds, palette: Palette
) -> None:
    """Dashed lines at the warning and critical levels, critical more densely."""
    last = canvas.dot_width - 1
    levels = (
        (thresholds.warning, palette.threshold_warning, _WARNING_DASH),
        (thresholds.critical, palette.threshold_critical, _CRITICAL_DASH),
    )
    for level, style, dash in levels:
        if level is not None and scale.lo <= level <= scale.hi:
            canvas.hline(scale.dot_y(level), 0, last, style, dash=dash)


def _draw_series(
    canvas: BrailleCanvas,
    columns: Columns,
    buckets: TimeBuckets,
    scale: _Scale,
    style: Style,
) -> None:
    """One series: a dot per non-empty bucket, joined where there is no gap."""
    bucketed = bucket_points(columns, buckets)
    previous: tuple[int, int] | None = None
    # `_Scale.dot_y` inlined: this loop runs for every bucket of every series.
    lo, span, bottom = scale.lo, scale.hi - scale.lo, scale.dot_height - 1
    for x, value in enumerate(bucketed.values):
        if value is None:
            continue
        y = bottom - round(min(1.0, max(0.0, (value - lo) / span)) * bottom)
        if previous is not None and joined(bucketed, previous[0], x):
            canvas.line(previous[0], previous[1], x, y, style)
        else:
            canvas.set(x, y, style)
        previous = (x, y)


def _series_styles(series: Sequence[ChartSeries], palette: Palette) -> list[Style]:
    """Each series' style: live ones take the palette's colours in turn, so a
    comparison never changes them; earlier ones are muted."""
    styles: list[Style] = []
    live = 0
    for item in series:
        if item.earlier:
            styles.append(palette.muted)
        else:
            styles.append(palette.series_style(live))
            live += 1
    return styles


def _draw_legend(
    grid: CellGrid,
    row: int,
    series: Sequence[ChartSeries],
    in_window: list[Columns],
    *,
    thresholds: Thresholds | None,
    unit: str,
    decimals: int | None,
    palette: Palette,
) -> None:
    """`━ name value` for each series in turn, and `+N` for those without room."""
    styles = _series_styles(series, palette)
    x = 0
    for index, item in enumerate(series):
        latest = in_window[index].latest
        value_style = (
            palette.state(thresholds.state_of(latest)) if thresholds else palette.text
        )
        value = format_value(latest, unit, decimals)
        entry_width = 2 + cell_len(item.name) + 1 + cell_len(value)
        remaining = len(series) - index
        reserve = 0 if remaining == 1 else len(f"  +{remaining - 1}")
        name = item.name
        if index == 0 and entry_width + reserve > grid.width:
            # The first entry always shows, with its name shortened to fit.
            spare = grid.width - reserve - (entry_width - cell_len(name))
            name = crop(name, max(1, spare))
        elif x + entry_width + reserve > grid.width:
            grid.put(x, row, f"+{remaining}", palette.muted)
            return
        mark = "┄ " if item.earlier else "━ "
        x = grid.put(x, row, mark, styles[index])
        x = grid.put(x, row, name + " ", palette.text)
        x = grid.put(x, row, value, value_style) + 2
