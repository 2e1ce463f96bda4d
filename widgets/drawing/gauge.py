"""A horizontal gauge: the value in bold over a banded track from min to max."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.style import Style
from textual.strip import Strip

from widgets.drawing.bar_chart import bar_text
from widgets.drawing.cell_grid import CellGrid, crop
from widgets.drawing.number_format import format_value
from widgets.drawing.palette import Palette, State, Thresholds

TRACK_GLYPHS: dict[State, str] = {"ok": "─", "warning": "╌", "critical": "━"}
"""Track glyph of each band, so the bands read without colour."""
MARKER = "▼"
"""Drawn above the track where a threshold lies."""
MARKER_BELOW = "▲"
"""Drawn under the track, among the bounds, when there is no line above it."""


@dataclass(frozen=True)
class _Gauge:
    """What every part of one gauge needs: its range, levels and palette."""

    minimum: float
    maximum: float
    thresholds: Thresholds | None
    palette: Palette
    unit: str
    decimals: int | None

    @property
    def span(self) -> float:
        return self.maximum - self.minimum if self.maximum > self.minimum else 1.0

    def fraction(self, value: float) -> float:
        """Where `value` lies along the track, 0 at the minimum and 1 at the maximum."""
        return min(1.0, max(0.0, (value - self.minimum) / self.span))

    def band(self, fraction: float) -> State:
        """The state of the value at `fraction` along the track."""
        if self.thresholds is None:
            return "ok"
        return self.thresholds.state_of(self.minimum + fraction * self.span)


def draw_gauge(
    value: float | None,
    *,
    minimum: float,
    maximum: float,
    width: int,
    height: int,
    palette: Palette,
    unit: str = "",
    decimals: int | None = None,
    thresholds: Thresholds | None = None,
    state: State | None = None,
) -> list[Strip]:
    """The value in bold, then a bar from `minimum` to `maximum`, then the bounds.

    The bar fills up to the value in the value's state style (`state` if given,
    else from `thresholds`), to an eighth of a cell. The rest of the track shows
    the ok, warning and critical bands in their colours and glyphs, and a
    marker above the track points at each threshold when there is a line for
    it (or under it, among the bounds, when there is not). With fewer lines the
    parts go in this order of need: value, bar, bounds, markers; one line holds
    the value followed by the bar.
    """
    grid = CellGrid(width, height)
    if width <= 0 or height <= 0:
        return grid.strips()
    gauge = _Gauge(minimum, maximum, thresholds, palette, unit, decimals)
    if state is None:
        if value is None:
            state = "no_data"
        else:
            state = thresholds.state_of(value) if thresholds else "ok"
    style = palette.state(state)
    text = format_value(value, unit, decimals)
    fraction = None if value is None else gauge.fraction(value)

    if height == 1:
        x = grid.put(0, 0, crop(text, width), style + Style(bold=True)) + 1
        _draw_track(grid, 0, x, gauge, fraction=fraction, style=style)
        return grid.strips()

    parts = _layout(height)
    top = (height - len(parts)) // 2
    for row, part in enumerate(parts, start=top):
        if part == "value":
            grid.put_centered(row, text, style + Style(bold=True))
        elif part == "markers":
            _draw_markers(grid, row, gauge, MARKER)
        elif part == "bar":
            _draw_track(grid, row, 0, gauge, fraction=fraction, style=style)
        else:
            _draw_bounds(grid, row, gauge)
            if "markers" not in parts:
                _draw_markers(grid, row, gauge, MARKER_BELOW)
    return grid.strips()


def _layout(height: int) -> list[str]:
    """Which parts fit in `height` lines, top to bottom."""
    if height == 2:
        return ["value", "bar"]
    if height == 3:
        return ["value", "bar", "bounds"]
    return ["value", "markers", "bar", "bounds"]


def _draw_track(
    grid: CellGrid,
    row: int,
    left: int,
    gauge: _Gauge,
    *,
    fraction: float | None,
    style: Style,
) -> None:
    """Filled part up to `fraction` in `style`, then the banded track."""
    cells = grid.width - left
    if cells <= 0:
        return
    filled = bar_text(0 if fraction is None else round(fraction * cells * 8))
    for column in range(len(filled), cells):
        # A cell's band is the state of the value at the cell's middle.
        band = gauge.band((column + 0.5) / cells)
        glyph = TRACK_GLYPHS.get(band, "─")
        grid.put(left + column, row, glyph, gauge.palette.state(band))
    grid.put(left, row, filled, style)


def _draw_markers(grid: CellGrid, row: int, gauge: _Gauge, glyph: str) -> None:
    """A marker at each threshold within the track, where the line is free."""
    if gauge.thresholds is None:
        return
    levels = (
        (gauge.thresholds.warning, gauge.palette.threshold_warning),
        (gauge.thresholds.critical, gauge.palette.threshold_critical),
    )
    for level, style in levels:
        if level is None or not gauge.minimum <= level <= gauge.maximum:
            continue
        column = min(grid.width - 1, math.floor(gauge.fraction(level) * grid.width))
        if grid.char_at(column, row) == " ":
            grid.put(column, row, glyph, style)


def _draw_bounds(grid: CellGrid, row: int, gauge: _Gauge) -> None:
    """The minimum at the left end and the maximum at the right end."""
    style = gauge.palette.muted
    low = format_value(gauge.minimum, gauge.unit, gauge.decimals)
    high = format_value(gauge.maximum, gauge.unit, gauge.decimals)
    if len(low) + 1 + len(high) > grid.width:
        grid.put(0, row, crop(low, grid.width), style)
        return
    grid.put(0, row, low, style)
    grid.put_right(grid.width, row, high, style)
