"""The figures the performance overlay shows, as plain rows (no drawing here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from console.usage.load_watch import LoadWatch
from console.usage.reservoir import CallStats, StatsBook

SLOW_CALL = 1.0
"""Seconds past which a source's p95 is shown as slow."""

SLOW_DRAW = 0.02
"""Seconds past which a panel's draw p95 is shown as slow (a frame at 50 Hz)."""


@dataclass(frozen=True, slots=True)
class PanelOnScreen:
    """What the overlay needs to know about one panel on screen."""

    dashboard: str
    panel: str
    title: str
    sources: Sequence[str]
    """Names of the sources the panel's queries go to."""


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One line of the overlay: a name and its figures, each already formatted."""

    name: str
    first: str
    """Seconds until the panel's first answer, or calls made (for a source)."""
    p50: str
    p95: str
    errors: str
    slow: bool
    """True when the figures are past the slow marks."""


@dataclass(frozen=True, slots=True)
class LiveFigures:
    """Everything the overlay shows at one moment; equal figures mean no repaint."""

    load: str
    panels: tuple[FigureRow, ...]
    sources: tuple[FigureRow, ...]


def milliseconds(seconds: float | None) -> str:
    """`12ms`, `1.4s`, or `-` for no figure."""
    if seconds is None:
        return "-"
    if seconds < 1.0:
        return f"{seconds * 1000:.0f}ms"
    return f"{seconds:.1f}s"


def live_figures(
    panels: Iterable[PanelOnScreen],
    watch: LoadWatch | None,
    sources: StatsBook,
    renders: StatsBook,
) -> LiveFigures:
    """The overlay's figures for the panels on screen and the sources behind them."""
    panel_rows: list[FigureRow] = []
    wanted: dict[str, None] = {}
    count = 0
    for panel in panels:
        count += 1
        wanted.update(dict.fromkeys(panel.sources))
        ready = None
        if watch is not None and watch.dashboard == panel.dashboard:
            ready = watch.ready.get(panel.panel)
        stats = renders.get(f"{panel.dashboard}/{panel.panel}")
        panel_rows.append(_row(panel.title, milliseconds(ready), stats, SLOW_DRAW))
    source_rows = []
    for name in wanted:
        stats = sources.get(name)
        calls = str(stats.calls) if stats is not None else "0"
        source_rows.append(_row(name, calls, stats, SLOW_CALL))
    return LiveFigures(_load_line(watch, count), tuple(panel_rows), tuple(source_rows))


def _row(name: str, first: str, stats: CallStats | None, slow: float) -> FigureRow:
    if stats is None:
        return FigureRow(name, first, "-", "-", "-", False)
    p95 = stats.p95
    return FigureRow(
        name,
        first,
        milliseconds(stats.p50),
        milliseconds(p95),
        str(stats.errors),
        stats.errors > 0 or (p95 is not None and p95 > slow),
    )


def _load_line(watch: LoadWatch | None, panels: int) -> str:
    if watch is None:
        return "load: not measured"
    if watch.result is not None:
        failed = len(watch.result.errors)
        tail = f", {failed} failed" if failed else ""
        return f"loaded in {milliseconds(watch.result.seconds)}{tail}"
    return f"loading: {len(watch.ready)} of {len(watch.panel_keys)} panels answered"
