"""A grid of styled terminal cells that every drawing composes into strips."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

BLANK = " "
"""An empty cell."""


class CellGrid:
    """`width` by `height` cells, each one character and one style.

    Drawings write text at positions and the grid clips whatever falls outside,
    so a drawing cannot produce a line of the wrong width however long its
    labels are. Characters two cells wide take their cell and the next; one
    that would straddle the right edge is left out rather than split.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self._chars: list[list[str]] = [
            [BLANK] * self.width for _ in range(self.height)
        ]
        self._styles: list[list[Style | None]] = [
            [None] * self.width for _ in range(self.height)
        ]

    def put(self, x: int, y: int, text: str, style: Style | None = None) -> int:
        """Write `text` from column `x` of line `y`; return the column after it."""
        if not 0 <= y < self.height:
            return x + cell_len(text)
        chars, styles = self._chars[y], self._styles[y]
        for char in text:
            size = cell_len(char)
            if size == 0:
                continue
            if x >= 0 and x + size <= self.width:
                chars[x] = char
                styles[x] = style
                if size == 2:
                    # The second half of a wide character holds no text.
                    chars[x + 1] = ""
                    styles[x + 1] = style
            x += size
        return x

    def put_right(self, x_end: int, y: int, text: str, style: Style | None) -> int:
        """Write `text` so that it ends just before column `x_end`; return its start."""
        start = x_end - cell_len(text)
        self.put(start, y, text, style)
        return start

    def put_centered(
        self, y: int, text: str, style: Style | None, x: int = 0, width: int = -1
    ) -> int:
        """Centre `text` on line `y` within `width` cells from `x`; return its start."""
        span = self.width - x if width < 0 else width
        text = crop(text, span)
        start = x + max(0, (span - cell_len(text)) // 2)
        self.put(start, y, text, style)
        return start

    def fill(self, x: int, y: int, count: int, char: str, style: Style | None) -> None:
        """Write `char` into `count` cells from column `x` of line `y`."""
        if count > 0:
            self.put(x, y, char * count, style)

    def char_at(self, x: int, y: int) -> str:
        """The character in a cell, for tests and for drawings that overlay."""
        return self._chars[y][x]

    def strips(self) -> list[Strip]:
        """The lines as strips, one segment for each run of one style."""
        return [self._strip(y) for y in range(self.height)]

    def _strip(self, y: int) -> Strip:
        chars, styles = self._chars[y], self._styles[y]
        segments: list[Segment] = []
        run_start = 0
        for x in range(1, self.width + 1):
            if x == self.width or styles[x] != styles[run_start]:
                text = "".join(chars[run_start:x])
                # Textual's NO_COLOR filter cannot take a segment without a style.
                segments.append(Segment(text, styles[run_start] or PLAIN))
                run_start = x
        return Strip(segments, self.width)


PLAIN = Style()
"""The style of cells nobody styled."""


def crop(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in `…` when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"


def message_lines(
    text: str, width: int, height: int, style: Style | None
) -> list[Strip]:
    """`height` lines with `text` centred on the middle one: "no data", "too small"."""
    grid = CellGrid(width, height)
    grid.put_centered(height // 2, text, style)
    return grid.strips()
