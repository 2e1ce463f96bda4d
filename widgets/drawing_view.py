"""A widget that shows drawn lines and re-sends only the lines that changed."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.cells import cell_len
from rich.style import Style
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from widgets.drawing.cell_grid import PLAIN

Drawer = Callable[[int, int], list[Strip]]
"""Draws a picture `width` cells wide and `height` lines high."""

DrawTimer = Callable[[float], None]
"""Told how many seconds each drawing took (on the monotonic clock)."""


class DrawingView(Widget):
    """Shows the strips a drawer makes, repainting only what changed.

    `redraw` asks the drawer for a new picture and marks dirty only the span of
    each line that differs from the one on screen, so a chart whose newest column
    moved costs a few cells of output rather than the whole panel; an unchanged
    picture costs nothing.
    """

    DEFAULT_CSS = """
    DrawingView {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self,
        drawer: Drawer,
        *,
        id: str | None = None,
        on_drawn: DrawTimer | None = None,
    ) -> None:
        super().__init__(id=id)
        self._drawer = drawer
        self._on_drawn = on_drawn
        self._strips: list[Strip] = []
        self._drawn_size: tuple[int, int] = (0, 0)
        self.draws = 0
        """Pictures drawn since mount; tests read it to check that hidden panels
        cost nothing."""
        self.lines_refreshed = 0
        """Lines marked for repaint since mount; tests read it to check the budget."""
        self.cells_refreshed = 0
        """Cells marked for repaint since mount (after the first full paint)."""

    def render_line(self, y: int) -> Strip:
        if self._drawn_size != (self.size.width, self.size.height):
            self._draw_all()
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, PLAIN)

    def on_resize(self) -> None:
        if not self._in_view():
            # Drawn when it is next shown, at whatever size it has then.
            self._drawn_size = (0, 0)
            return
        self._draw_all()
        self.refresh()

    def redraw(self) -> None:
        """Draw again and repaint the lines that changed, if any."""
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return
        if not self._in_view():
            # Scrolled out of view: draw nothing now, and everything when
            # render_line is next asked for a line (the sizes will not match).
            self._drawn_size = (0, 0)
            return
        if self._drawn_size != (width, height):
            self._draw_all()
            self.lines_refreshed += height
            self.refresh()
            return
        fresh = self._draw(width, height)
        regions: list[Region] = []
        for y, strip in enumerate(fresh):
            old = self._strips[y] if y < len(self._strips) else None
            if old is None:
                regions.append(Region(0, y, width, 1))
            elif strip != old:
                start, end = changed_span(old, strip, width)
                regions.append(Region(start, y, end - start, 1))
        self._strips = fresh
        if regions:
            self.lines_refreshed += len(regions)
            self.cells_refreshed += sum(region.width for region in regions)
            self.refresh(*regions)

    def _in_view(self) -> bool:
        """Whether any of the widget shows on screen now. Textual's `is_on_screen`
        is true for every widget laid out, scrolled away or not, so the widget's
        region is checked against its container's visible part instead."""
        try:
            geometry = self.screen.find_widget(self)
        except (NoScreen, NoWidget):
            return False
        region = geometry.region
        return region.overlaps(geometry.clip) and region.overlaps(self.screen.region)

    def _draw_all(self) -> None:
        width, height = self.size.width, self.size.height
        self._strips = self._draw(width, height) if width and height else []
        self._drawn_size = (width, height)

    def _draw(self, width: int, height: int) -> list[Strip]:
        self.draws += 1
        if self._on_drawn is None:
            return self._drawer(width, height)
        began = time.perf_counter()
        strips = self._drawer(width, height)
        self._on_drawn(time.perf_counter() - began)
        return strips


def changed_span(old: Strip, new: Strip, width: int) -> tuple[int, int]:
    """The columns [start, end) outside which two lines are identical.

    Only that span is marked for repaint, so a chart whose newest column moved
    sends a few cells per line instead of the whole line. Lines holding characters
    wider than one cell are compared whole, since their columns do not map to
    characters one to one.
    """
    before, after = _cells(old), _cells(new)
    if before is None or after is None or len(before) != len(after):
        return 0, width
    start = 0
    while start < len(after) and before[start] == after[start]:
        start += 1
    end = len(after)
    while end > start and before[end - 1] == after[end - 1]:
        end -= 1
    return start, max(end, start + 1)


def _cells(strip: Strip) -> list[tuple[str, Style | None]] | None:
    cells: list[tuple[str, Style | None]] = []
    for segment in strip:
        text = segment.text
        if len(text) != cell_len(text):
            return None
        cells.extend((char, segment.style) for char in text)
    return cells
