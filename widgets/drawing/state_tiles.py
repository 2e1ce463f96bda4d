"""Status boards of small state tiles, and the large tile of a single alert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from widgets.drawing.cell_grid import CellGrid, crop, message_lines
from widgets.drawing.palette import (
    STATE_GLYPHS,
    STATE_SEVERITY,
    STATE_WORDS,
    Palette,
    State,
)

TILE_MIN_WIDTH = 14
"""Tiles are never narrower than this, unless the board itself is."""
TILE_MAX_WIDTH = 20
"""Tiles are never wider than this: more columns beat wider tiles."""
_GAP = 1
"""Cells between two tiles."""
EDGE = "▌"
"""The left edge of a tile, in its state's style."""


@dataclass(frozen=True)
class Tile:
    """One thing on a status board."""

    label: str
    """What the tile is about: a service, a check, a panel."""
    state: State
    """Its state; sets the colour and the glyph."""
    detail: str = ""
    """A short second line: the value, or why it is in that state."""


def draw_status_board(
    tiles: Sequence[Tile], *, width: int, height: int, palette: Palette
) -> list[Strip]:
    """A grid of tiles 14 to 20 cells wide and up to three lines high.

    Each tile has an edge and a glyph in its state's style (`●` ok, `▲` warning,
    `✖` critical, `?` no data, `◌` stale, `!` error) so it reads without colour,
    its label, its detail and, with three lines, its state in words; critical
    tiles have their first line in reverse video. Tiles keep the given order;
    when they do not all fit, the most severe are kept and the last slot
    counts the rest by state.
    """
    if width <= 0 or height <= 0:
        return CellGrid(width, height).strips()
    if not tiles:
        return message_lines("no data", width, height, palette.no_data)
    columns = max(1, (width + _GAP) // (TILE_MIN_WIDTH + _GAP))
    tile_width = min(TILE_MAX_WIDTH, (width - _GAP * (columns - 1)) // columns)
    tile_width = max(1, min(tile_width, width))
    tile_height = _tile_height(len(tiles), columns, height)
    rows = max(1, (height + 1) // (tile_height + 1)) if tile_height > 1 else height
    slots = columns * rows
    shown, hidden = _choose(tiles, slots)

    grid = CellGrid(width, height)
    spacing = tile_height + 1 if tile_height > 1 else 1
    for slot, tile in enumerate(shown):
        x = (slot % columns) * (tile_width + _GAP)
        y = (slot // columns) * spacing
        _draw_tile(
            grid,
            x,
            y,
            width=tile_width,
            height=tile_height,
            tile=tile,
            palette=palette,
        )
    if hidden:
        slot = len(shown)
        x = (slot % columns) * (tile_width + _GAP)
        y = (slot // columns) * spacing
        _draw_more(
            grid,
            x,
            y,
            width=tile_width,
            height=tile_height,
            hidden=hidden,
            palette=palette,
        )
    return grid.strips()


def _tile_height(count: int, columns: int, height: int) -> int:
    """The tallest tile (3, 2 or 1 lines) that lets every tile fit, else 1.

    When not all tiles fit, one-line tiles show the most of them, which matters
    more than their details.
    """
    rows_needed = -(-count // columns)
    for tile_height in (3, 2):
        # Rows of tiles are separated by a blank line.
        if rows_needed * (tile_height + 1) - 1 <= height:
            return tile_height
    return 1


def _choose(tiles: Sequence[Tile], slots: int) -> tuple[list[Tile], list[Tile]]:
    """Tiles to draw in order and those left out, keeping the most severe."""
    if len(tiles) <= slots:
        return list(tiles), []
    room = max(0, slots - 1)
    ranked = sorted(
        range(len(tiles)),
        key=lambda index: (-STATE_SEVERITY[tiles[index].state], index),
    )
    keep = set(ranked[:room])
    shown = [tile for index, tile in enumerate(tiles) if index in keep]
    hidden = [tile for index, tile in enumerate(tiles) if index not in keep]
    return shown, hidden


def _draw_tile(
    grid: CellGrid,
    x: int,
    y: int,
    *,
    width: int,
    height: int,
    tile: Tile,
    palette: Palette,
) -> None:
    style = palette.state(tile.state)
    head_style = style + Style(bold=True)
    if tile.state == "critical":
        head_style += Style(reverse=True)
        grid.fill(x, y, width, " ", head_style)
    lines = [f"{STATE_GLYPHS[tile.state]} {tile.label}", tile.detail]
    if height >= 3:
        lines.append(STATE_WORDS[tile.state].lower())
    for offset in range(height):
        grid.put(x, y + offset, EDGE, style)
    for offset, text in enumerate(lines[:height]):
        line_style = (
            head_style
            if offset == 0
            else (palette.text if offset == 1 else palette.muted)
        )
        grid.put(x + 1, y + offset, crop(text, width - 1), line_style)


def _draw_more(
    grid: CellGrid,
    x: int,
    y: int,
    *,
    width: int,
    height: int,
    hidden: list[Tile],
    palette: Palette,
) -> None:
    """`+N more` and how many of those are in each bad state, below or after it."""
    more = f"+{len(hidden)} more"
    counts: list[str] = []
    for state in sorted(STATE_SEVERITY, key=lambda state: -STATE_SEVERITY[state]):
        count = sum(1 for tile in hidden if tile.state == state)
        if count and state != "ok":
            counts.append(f"{count}{STATE_GLYPHS[state]}")
    if height == 1:
        grid.put(x, y, crop(" ".join([more, *counts]), width), palette.muted)
        return
    grid.put(x, y, crop(more, width), palette.muted)
    grid.put(x, y + 1, crop(" ".join(counts), width), palette.muted)


def draw_alert_tile(
    state: State,
    headline: str,
    detail_lines: Sequence[str],
    *,
    width: int,
    height: int,
    palette: Palette,
    firing: bool | None = None,
    words: str | None = None,
    inverted: bool = False,
) -> list[Strip]:
    """One alert, large: a banner with the state in words, the headline, details.

    The banner reads `✖ FIRING CRITICAL`, `▲ FIRING WARNING`, `● OK` and so on,
    letter-spaced when there is room, across the full width in reverse video
    for critical. `firing` defaults to true for warning and critical. `words`
    replaces FIRING (`ACKNOWLEDGED`, `PENDING`, `SILENCED`) and takes the reverse
    video away: someone has the alert. `inverted` (an escalated alert) draws the
    whole tile in reverse video. The headline follows in bold, then as many
    detail lines as fit.
    """
    grid = CellGrid(width, height)
    if width <= 0 or height <= 0:
        return grid.strips()
    if firing is None:
        firing = state in ("warning", "critical")
    held = words is not None
    if words is None:
        words = "FIRING " if firing else ""
    words = f"{words} {STATE_WORDS[state]}".strip()
    style = palette.state(state) + Style(bold=True)
    if state == "critical" and not held:
        style += Style(reverse=True)
    body = palette.text
    if inverted:
        body = palette.state(state) + Style(reverse=True)
        for row in range(height):
            grid.fill(0, row, width, " ", body)
    lines: list[tuple[str, Style]] = [(headline, body + Style(bold=True))]
    lines.extend((line, body) for line in detail_lines)
    banner_rows = 3 if height >= 3 + min(len(lines), 2) + 1 else 1
    glyph = STATE_GLYPHS[state]
    spaced = " ".join(words).replace("   ", "  ")
    banner = (
        f"{glyph}  {spaced}"
        if cell_len(spaced) + 3 <= width - 2
        else f"{glyph} {words}"
    )
    for row in range(banner_rows):
        grid.fill(0, row, width, " ", style)
    grid.put_centered(banner_rows // 2, banner, style)
    body_top = banner_rows + (1 if height > banner_rows + len(lines) else 0)
    for offset, (text, line_style) in enumerate(lines):
        row = body_top + offset
        if row >= height:
            break
        grid.put(
            1 if width > 2 else 0,
            row,
            crop(text, width - 2 if width > 2 else width),
            line_style,
        )
    return grid.strips()
