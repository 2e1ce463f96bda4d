"""Drill-down: one panel at full size, its samples, its query and its levels."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

import yaml
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from console.durations import format_duration
from console.evaluation import evaluate_panel
from console.profile_schema import Dashboard, Panel
from console.results import Cell
from widgets.drawing.number_format import format_value
from widgets.panel import PanelView
from widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

SAMPLES_SHOWN = 500
"""Newest samples (or table rows) listed in the drill-down, across all series."""

SAMPLE_COLUMNS = ["time", "series", "value"]


class DrillDownScreen(Screen[None]):
    """A closer look at one panel; Esc goes back to the dashboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("g", "follow_link", "Open linked dashboard"),
        Binding("r", "refresh", "Refresh"),
    ]

    DEFAULT_CSS = """
    DrillDownScreen > PanelView { height: 3fr; }
    DrillDownScreen > Horizontal { height: 2fr; }
    DrillDownScreen DataTable { width: 1fr; height: 1fr; }
    DrillDownScreen #details {
        width: 1fr;
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 1;
    }
    """

    def __init__(self, dashboard: Dashboard, panel: Panel) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.panel = panel
        self._keys: list[str] = []
        self._versions: tuple[int, ...] = ()

    @property
    def deck(self) -> WatchdeckApp:
        """The application, with its store, poller and session."""
        return cast("WatchdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield PanelView(
            self.panel,
            self.panel.range or self.dashboard.range,
            dashboard_id=self.dashboard.id,
        )
        with Horizontal():
            table: DataTable[str] = DataTable(zebra_stripes=True, cursor_type="row")
            table.add_columns(*SAMPLE_COLUMNS)
            yield table
            with VerticalScroll(id="details"):
                yield Static(self._details(), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._keys = [q.key for q in self.deck.session.panel_queries(self.panel)]
        header = self.query_one(StatusHeader)
        header.location = (
            f"{self.deck.loaded.profile.title} › {self.dashboard.title} › "
            f"{self.panel.title}"
        )
        header.time_range = format_duration(self.panel.range or self.dashboard.range)
        header.clock = time.strftime("%H:%M", time.localtime(self.deck.clock.now()))
        header.read_only = self.deck.read_only
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        demands = self.deck.session.demands(
            self.dashboard, [self.panel], {self.panel.id: 1000}
        )
        self.deck.poller.set_demands(demands)
        self.query_one(StatusHeader).paused = self.deck.poller.paused
        self.data_arrived(None)

    def data_arrived(self, keys: frozenset[str] | None) -> None:
        """Redraw the panel and its samples when its queries changed."""
        if keys is not None and not keys.intersection(self._keys):
            return
        now = self.deck.clock.now()
        states = [self.deck.store.get(key) for key in self._keys]
        view = self.query_one(PanelView)
        status = evaluate_panel(self.panel, states, now, view.range_seconds)
        view.show(states, status, now)
        versions = tuple(state.version if state else -1 for state in states)
        if versions != self._versions:
            self._versions = versions
            self._fill_samples()

    def _fill_samples(self) -> None:
        tables = [
            state.table
            for key in self._keys
            if (state := self.deck.store.get(key)) is not None and state.table
        ]
        if tables:
            self._fill_table_rows(tables[0].columns, tables[0].rows)
            return
        rows: list[tuple[float, str, float]] = []
        for key in self._keys:
            state = self.deck.store.get(key)
            if state is None:
                continue
            for name, points in state.series.items():
                rows.extend((t, name, v) for t, v in list(points)[-SAMPLES_SHOWN:])
        rows.sort(key=lambda row: row[0], reverse=True)
        table = self.query_one(DataTable)
        if [str(column.label) for column in table.columns.values()] != SAMPLE_COLUMNS:
            table.clear(columns=True)
            table.add_columns(*SAMPLE_COLUMNS)
        table.clear()
        for stamp, name, value in rows[:SAMPLES_SHOWN]:
            table.add_row(
                time.strftime("%H:%M:%S", time.localtime(stamp)),
                name,
                format_value(value, self.panel.unit, self.panel.decimals),
            )

    def _fill_table_rows(
        self, columns: Sequence[str], rows: Sequence[Sequence[Cell]]
    ) -> None:
        """Every row of a table panel, keeping the cursor on the same row."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        if [str(column.label) for column in table.columns.values()] != list(columns):
            table.clear(columns=True)
            table.add_columns(*columns)
        else:
            table.clear()
        for row in rows[:SAMPLES_SHOWN]:
            table.add_row(*(_cell_text(cell, self.panel) for cell in row))
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    def _details(self) -> str:
        panel = self.panel
        lines = [panel.title]
        if panel.description:
            lines += ["", panel.description]
        lines += ["", f"type: {panel.type}   stat: {panel.stat}"]
        refresh = panel.refresh or self.dashboard.refresh
        lines.append(f"refresh: {format_duration(refresh)}")
        if panel.thresholds is not None:
            t = panel.thresholds
            lines.append(
                f"thresholds ({t.direction}): warning {_level(t.warning, panel.unit)}"
                f", critical {_level(t.critical, panel.unit)}"
            )
        else:
            lines.append("thresholds: none")
        for query in panel.all_queries():
            body = {"source": query.source, **query.params()}
            lines += ["", "query:", yaml.safe_dump(body, sort_keys=False).rstrip()]
        if panel.drill is not None:
            lines += ["", f"g opens dashboard {panel.drill.dashboard!r}"]
        return "\n".join(lines)

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self.deck.poller.refresh_now()

    def action_follow_link(self) -> None:
        link = self.panel.drill
        if link is None:
            self.notify("this panel links to no other dashboard", severity="warning")
            return
        self.dismiss()
        self.app.call_later(self.deck.open_dashboard, link.dashboard, link.with_)


def _cell_text(cell: Cell, panel: Panel) -> str:
    if cell is None:
        return "–"
    if isinstance(cell, float):
        return format_value(cell, "", panel.decimals)
    return str(cell)


def _level(level: float | None, unit: str) -> str:
    return "none" if level is None else f"{level:g}{unit}"
