"""The performance overlay: load time, draw times and source latency, live."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from console.usage.live_figures import FigureRow, LiveFigures

NAME_WIDTH = 18
"""Cells given to a panel's or source's name; longer names are cut."""


class PerformanceOverlay(Static):
    """A side panel over the screen's right edge showing `LiveFigures`.

    It has no timer: whoever owns the figures calls `show_figures` when data
    arrives, and it repaints only when the figures differ from those shown.
    """

    DEFAULT_CSS = """
    PerformanceOverlay {
        dock: right;
        layer: overlay;
        width: 52;
        max-width: 60%;
        height: auto;
        max-height: 100%;
        margin: 1 0 0 0;
        padding: 0 1;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self.border_title = "performance (o hides)"
        self._shown: LiveFigures | None = None
        self.repaints = 0
        """Times the figures changed and were repainted; tests read it."""

    def show_figures(self, figures: LiveFigures) -> None:
        """Show `figures`, unless they are the ones already shown."""
        if figures == self._shown:
            return
        self._shown = figures
        self.repaints += 1
        self.update(_content(figures))


def _content(figures: LiveFigures) -> Content:
    lines = [Content.styled(figures.load, "bold")]
    lines.append(_heading("panel", "first", "draw50", "draw95", "err"))
    lines.extend(_line(row) for row in figures.panels)
    if figures.sources:
        lines.append(_heading("source", "calls", "p50", "p95", "err"))
        lines.extend(_line(row) for row in figures.sources)
    return Content("\n").join(lines)


def _heading(*names: str) -> Content:
    return Content.styled(_columns(*names), "$text-muted")


def _line(row: FigureRow) -> Content:
    text = _columns(row.name, row.first, row.p50, row.p95, row.errors)
    return Content.styled(text, "$warning") if row.slow else Content(text)


def _columns(name: str, first: str, p50: str, p95: str, errors: str) -> str:
    cut = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
    return f"{cut:<{NAME_WIDTH}} {first:>6} {p50:>6} {p95:>6} {errors:>4}"
