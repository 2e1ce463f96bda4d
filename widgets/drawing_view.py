"""A widget that shows drawn lines and re-sends only the lines that changed."""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

Drawer = Callable[[int, int], list[Strip]]
"""Draws a picture `width` cells wide and `height` lines high."""


class DrawingView(Widget):
    """Shows the strips a drawer makes, repainting line by line.

    `redraw` asks the drawer for a new picture and marks dirty only the lines that
    differ from the one on screen, so a chart whose newest column moved costs a few
    lines of output rather than the whole panel; an unchanged picture costs nothing.
    """

    DEFAULT_CSS = """
    DrawingView {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, drawer: Drawer, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawer = drawer
        self._strips: list[Strip] = []
        self._drawn_size: tuple[int, int] = (0, 0)
        self.lines_refreshed = 0
        """Lines marked for repaint since mount; tests read it to check the budget."""

    def render_line(self, y: int) -> Strip:
        if self._drawn_size != (self.size.width, self.size.height):
            self._draw_all()
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width)

    def on_resize(self) -> None:
        self._draw_all()
        self.refresh()

    def redraw(self) -> None:
        """Draw again and repaint the lines that changed, if any."""
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return
        if self._drawn_size != (width, height):
            self._draw_all()
            self.lines_refreshed += height
            self.refresh()
            return
        fresh = self._draw(width, height)
        changed = [
            y
            for y, strip in enumerate(fresh)
            if y >= len(self._strips) or strip != self._strips[y]
        ]
        self._strips = fresh
        if changed:
            self.lines_refreshed += len(changed)
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def _draw_all(self) -> None:
        width, height = self.size.width, self.size.height
        self._strips = self._draw(width, height) if width and height else []
        self._drawn_size = (width, height)

    def _draw(self, width: int, height: int) -> list[Strip]:
        return self._drawer(width, height)
