"""The health score panel: the score in big digits, its trend, and what costs it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.big_number import (
    ARROW_DOWN,
    ARROW_FLAT,
    ARROW_UP,
    BIG_HEIGHT,
    big_text,
)
from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.palette import STATE_GLYPHS, Palette, State
from widgets.drawing.sample_columns import Point
from widgets.drawing.sparkline import draw_sparkline


@dataclass(frozen=True, slots=True)
class Contributor:
    """One line under the score: a panel that costs points, or is unknown."""

    title: str
    """The panel's title."""
    state: State
    """Its state; sets the glyph and colour."""
    lost: float | None
    """Points of the score it costs; None for an unknown panel."""


def draw_health_score(
    score: float | None,
    *,
    state_style: Style,
    change: float | None,
    change_label: str,
    trend: Sequence[Point],
    trend_start: float,
    trend_end: float,
    contributors: Sequence[Contributor],
    width: int,
    height: int,
    palette: Palette,
) -> list[Strip]:
    """A health score panel, `height` lines of `width` cells.

    From the top: the score out of 100 (big digits when there is room), its change
    in points over the trend window (`▼ 12 pts vs 1h ago`), a sparkline of the
    score over that window, then one line per worst contributor
    (`✖ Checkout fails  -25`) and per unknown panel (`? Revenue  unknown`). When
    lines run short the contributors keep theirs first after the number, since
    they say what to look at.
    """
    grid = CellGrid(width, height)
    if width <= 0 or height <= 0:
        return grid.strips()
    if score is None:
        return message_lines(
            "no weighed panel has data yet", width, height, palette.no_data
        )
    listed = list(contributors)[: max(0, height - 1)]
    rest = height - len(listed)
    number_rows = BIG_HEIGHT if rest >= BIG_HEIGHT + 1 else 1
    change_rows = 1 if change is not None and rest >= number_rows + 1 else 0
    trend_rows = 1 if trend and rest >= number_rows + change_rows + 1 else 0
    spare = rest - number_rows - change_rows - trend_rows
    y = spare // 2
    _put_score(grid, y, number_rows, score, state_style)
    y += number_rows
    if change_rows and change is not None:
        arrow = _arrow(change)
        words = f"{abs(change):.0f} pts vs {change_label}"
        start = grid.put_centered(y, crop(f"{arrow} {words}", width), palette.muted)
        grid.put(start, y, arrow, palette.text)
        y += 1
    if trend_rows:
        line = draw_sparkline(
            trend,
            start=trend_start,
            end=trend_end,
            width=width,
            style=state_style,
            y_min=0.0,
            y_max=100.0,
        )
        x = 0
        for segment in line:
            x = grid.put(x, y, segment.text, segment.style)
        y += 1
    y += spare - spare // 2
    for contributor in listed:
        _put_contributor(grid, y, contributor, palette)
        y += 1
    return grid.strips()


def _put_score(grid: CellGrid, top: int, rows: int, score: float, style: Style) -> None:
    number = f"{score:.0f}"
    bold = style + Style(bold=True)
    big = big_text(number) if rows >= BIG_HEIGHT else None
    suffix = " /100"
    if big is not None and cell_len(big[0]) + len(suffix) <= grid.width:
        start = (grid.width - cell_len(big[0]) - len(suffix)) // 2
        for offset, line in enumerate(big):
            grid.put(start, top + offset, line, bold)
        grid.put(start + cell_len(big[0]), top + BIG_HEIGHT - 1, suffix, style)
        return
    grid.put_centered(top + (rows - 1) // 2, crop(number + suffix, grid.width), bold)


def _arrow(change: float) -> str:
    if abs(change) < 0.5:
        return ARROW_FLAT
    return ARROW_UP if change > 0 else ARROW_DOWN


def _put_contributor(
    grid: CellGrid, y: int, contributor: Contributor, palette: Palette
) -> None:
    style = palette.state(contributor.state)
    glyph = STATE_GLYPHS[contributor.state]
    amount = "unknown" if contributor.lost is None else f"-{contributor.lost:.0f}"
    right = len(amount) + 1
    x = grid.put(0, y, glyph + " ", style)
    title = crop(contributor.title, max(0, grid.width - x - right))
    grid.put(x, y, title, palette.text)
    grid.put_right(grid.width, y, amount, style)
