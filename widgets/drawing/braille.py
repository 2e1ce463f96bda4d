"""A canvas of braille dots: two across and four down in every terminal cell."""

from __future__ import annotations

from rich.style import Style

from widgets.drawing.cell_grid import CellGrid

BRAILLE_BLANK = 0x2800
"""The empty braille pattern; a dot's bit is added to it."""

# Bit of the dot at (column, row) inside one cell, as Unicode numbers them.
_DOT_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


class BrailleCanvas:
    """Dots on a `width` by `height` cell area, with one style per cell.

    A cell holds up to eight dots but only one colour, so where two lines cross
    the one drawn last colours the whole cell: draw what matters most last.
    Coordinates are in dots, x to the right and y downwards from the top left.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self.dot_width = self.width * 2
        self.dot_height = self.height * 4
        self._bits = [[0] * self.width for _ in range(self.height)]
        self._styles: list[list[Style | None]] = [
            [None] * self.width for _ in range(self.height)
        ]

    def set(self, x: int, y: int, style: Style | None) -> None:
        """Raise the dot at (`x`, `y`) and give its cell `style`; ignored if outside."""
        if 0 <= x < self.dot_width and 0 <= y < self.dot_height:
            column, row = x // 2, y // 4
            self._bits[row][column] |= _DOT_BITS[x % 2][y % 4]
            self._styles[row][column] = style

    def line(self, x0: int, y0: int, x1: int, y1: int, style: Style | None) -> None:
        """Dots from (`x0`, `y0`) to (`x1`, `y1`) by Bresenham's algorithm."""
        # `set` inlined: a busy chart draws a quarter of a million dots.
        bits, styles = self._bits, self._styles
        width, height = self.dot_width, self.dot_height
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        step_x = 1 if x0 < x1 else -1
        step_y = 1 if y0 < y1 else -1
        error = dx + dy
        while True:
            if 0 <= x0 < width and 0 <= y0 < height:
                row, column = y0 >> 2, x0 >> 1
                bits[row][column] |= _DOT_BITS[x0 & 1][y0 & 3]
                styles[row][column] = style
            if x0 == x1 and y0 == y1:
                return
            doubled = 2 * error
            if doubled >= dy:
                error += dy
                x0 += step_x
            if doubled <= dx:
                error += dx
                y0 += step_y

    def hline(
        self,
        y: int,
        x0: int,
        x1: int,
        style: Style | None,
        *,
        dash: tuple[int, int] = (1, 0),
    ) -> None:
        """A horizontal line of dots on row `y` from `x0` to `x1` inclusive.

        `dash` is (cells on, cells off): the pattern is counted in whole cells
        from the canvas's left edge, so a dashed line looks the same wherever it
        starts and does not crawl as data changes.
        """
        on, off = dash
        period = max(1, on + off)
        for x in range(max(0, min(x0, x1)), min(self.dot_width, max(x0, x1) + 1)):
            if off == 0 or (x // 2) % period < on:
                self.set(x, y, style)

    def is_set(self, x: int, y: int) -> bool:
        """Whether the dot at (`x`, `y`) is raised."""
        if not (0 <= x < self.dot_width and 0 <= y < self.dot_height):
            return False
        return bool(self._bits[y // 4][x // 2] & _DOT_BITS[x % 2][y % 4])

    def draw_onto(self, grid: CellGrid, left: int, top: int) -> None:
        """Copy the cells that hold dots onto `grid`, with (`left`, `top`) as origin."""
        for row, bits_row in enumerate(self._bits):
            styles = self._styles[row]
            for column, bits in enumerate(bits_row):
                if bits:
                    grid.put(
                        left + column,
                        top + row,
                        chr(BRAILLE_BLANK + bits),
                        styles[column],
                    )
