"""Big three-line digits, and the single-value panel built around them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop
from widgets.drawing.number_format import format_parts, format_value
from widgets.drawing.palette import Palette
from widgets.drawing.sample_columns import Point
from widgets.drawing.sparkline import draw_sparkline

FONT: dict[str, tuple[str, str, str]] = {
    "0": ("┏━┓", "┃ ┃", "┗━┛"),
    "1": ("╺┓ ", " ┃ ", "╺┻╸"),
    "2": ("╺━┓", "┏━┛", "┗━╸"),
    "3": ("╺━┓", " ━┫", "╺━┛"),
    "4": ("╻ ╻", "┗━┫", "  ╹"),
    "5": ("┏━╸", "┗━┓", "╺━┛"),
    "6": ("┏━╸", "┣━┓", "┗━┛"),
    "7": ("╺━┓", "  ┃", "  ╹"),
    "8": ("┏━┓", "┣━┫", "┗━┛"),
    "9": ("┏━┓", "┗━┫", "╺━┛"),
    ".": (" ", " ", "╹"),
    "-": ("   ", "╺━╸", "   "),
    # The diagonal is U+2571, written as an escape because it looks like "/".
    "%": ("▫ \u2571", " \u2571 ", "\u2571 ▫"),
    "k": ("╻  ", "┣━┛", "╹ ╹"),
    "M": ("┏┳┓", "┃┃┃", "╹ ╹"),
    "G": ("┏━╸", "┃╺┓", "┗━┛"),
    " ": (" ", " ", " "),
}
"""Glyphs three lines high, drawn with box characters."""
BIG_HEIGHT = 3
"""Lines taken by the big font."""

ARROW_UP = "▲"
ARROW_DOWN = "▼"
ARROW_FLAT = "▶"
_FLAT_CHANGE = 0.0005
"""Changes smaller than this fraction read as flat (they print as 0.0%)."""


def big_text(text: str) -> tuple[str, str, str] | None:
    """`text` in the big font, one letter space apart; `None` if a glyph is missing."""
    if not text or any(char not in FONT for char in text):
        return None
    rows: list[list[str]] = [[], [], []]
    for index, char in enumerate(text):
        for row in range(BIG_HEIGHT):
            if index:
                rows[row].append(" ")
            rows[row].append(FONT[char][row])
    top, middle, bottom = ("".join(row) for row in rows)
    return top, middle, bottom


def draw_big_number(
    value: float | None,
    unit: str,
    decimals: int | None,
    *,
    width: int,
    height: int,
    style: Style,
) -> list[Strip]:
    """`value` centred in big digits with its unit after them, or as plain bold text.

    The plain form is used when the big one does not fit in `width` by `height`
    or the formatted value holds a character the font lacks.
    """
    grid = CellGrid(width, height)
    _put_value(grid, 0, height, value=value, unit=unit, decimals=decimals, style=style)
    return grid.strips()


def _put_value(
    grid: CellGrid,
    top: int,
    rows: int,
    *,
    value: float | None,
    unit: str,
    decimals: int | None,
    style: Style,
) -> int:
    """Draw the value centred in `rows` lines from `top`; return the lines used."""
    number, suffix = format_parts(value, unit, decimals)
    if suffix == "%":
        number, suffix = number + "%", ""
    big = big_text(number) if rows >= BIG_HEIGHT else None
    bold = style + Style(bold=True)
    if big is not None:
        total = cell_len(big[0]) + cell_len(suffix)
        if total <= grid.width:
            start = (grid.width - total) // 2
            first = top + (rows - BIG_HEIGHT) // 2
            for offset, line in enumerate(big):
                grid.put(start, first + offset, line, bold)
            grid.put(start + cell_len(big[0]), first + BIG_HEIGHT - 1, suffix, style)
            return BIG_HEIGHT
    if rows >= 1:
        grid.put_centered(top + (rows - 1) // 2, number + suffix, bold)
    return 1


def change_text(change: float, window_label: str) -> tuple[str, str]:
    """The arrow and the words for a change: (`▲`, `12.5% vs prev 1h`)."""
    if abs(change) < _FLAT_CHANGE:
        arrow = ARROW_FLAT
    else:
        arrow = ARROW_UP if change > 0 else ARROW_DOWN
    percent = format_value(abs(change) * 100, "%", 1 if abs(change) < 10 else 0)
    words = f"{percent} vs {window_label}" if window_label else percent
    return arrow, words


def draw_single_value(
    value: float | None,
    unit: str,
    decimals: int | None,
    *,
    change: float | None,
    change_label: str,
    trend: Sequence[Point],
    trend_start: float,
    trend_end: float,
    state_style: Style,
    width: int,
    height: int,
    palette: Palette,
) -> list[Strip]:
    """A single-value panel: the big number, its change, and a sparkline under it.

    `change` is the fraction by which the value moved against the previous
    window (0.125 reads `▲ 12.5% vs <change_label>`); `None` leaves that line
    out. The sparkline draws `trend` over `trend_start`..`trend_end` on the last
    line. Lines are given to the number first, then the change, then the
    sparkline, and whatever is left centres them vertically.
    """
    grid = CellGrid(width, height)
    if width <= 0 or height <= 0:
        return grid.strips()
    has_change = change is not None
    has_trend = bool(trend)
    extras = int(has_change) + int(has_trend)
    number_rows = BIG_HEIGHT if height >= BIG_HEIGHT + min(extras, 1) else 1
    change_rows = 1 if has_change and height >= number_rows + 1 else 0
    trend_rows = 1 if has_trend and height >= number_rows + change_rows + 1 else 0
    spare = height - number_rows - change_rows - trend_rows
    # The sparkline keeps to the bottom line; the rest is centred above it.
    top = spare // 2
    _put_value(
        grid,
        top,
        number_rows,
        value=value,
        unit=unit,
        decimals=decimals,
        style=state_style,
    )
    if change_rows and change is not None:
        arrow, words = change_text(change, change_label)
        line = crop(f"{arrow} {words}", width)
        start = grid.put_centered(top + number_rows, line, palette.muted)
        grid.put(start, top + number_rows, arrow, palette.text)
    if trend_rows:
        sparkline = draw_sparkline(
            trend, start=trend_start, end=trend_end, width=width, style=state_style
        )
        x = 0
        for segment in sparkline:
            x = grid.put(x, height - 1, segment.text, segment.style)
    return grid.strips()
