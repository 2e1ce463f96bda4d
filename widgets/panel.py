"""One dashboard panel: a titled border showing its state, a reason line, a body."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import DataTable, Markdown, Static

from console.evaluation import PanelState, PanelStatus
from console.profile_schema import Panel
from console.store import QueryState
from widgets.drawing.palette import Palette
from widgets.drawing_view import DrawingView
from widgets.grid_placement import GridCell
from widgets.panel_drawings import PanelData, draw_panel, min_height
from widgets.panel_grid import GridPlaced
from widgets.panel_table import table_rows
from widgets.theme_palette import palette_for

_STATE_CLASSES = {state: f"-{state.value.replace('_', '-')}" for state in PanelState}
_BADGES = {
    PanelState.OK: "● OK",
    PanelState.WARNING: "▲ WARN",
    PanelState.CRITICAL: "✖ CRIT",
    PanelState.NO_DATA: "? NO DATA",
    PanelState.STALE: "◌ STALE",
    PanelState.ERROR: "! ERROR",
}


class PanelView(Vertical, GridPlaced, can_focus=True):
    """A panel of a dashboard, drawn from the store's data for its queries.

    The screen hands it new data with `show`; it repaints only what changed.
    """

    DEFAULT_CSS = """
    PanelView {
        border: round $foreground 30%;
        border-title-color: $foreground;
        border-subtitle-color: $success;
        padding: 0 1;
        height: 1fr;
        width: 1fr;
    }
    PanelView:focus {
        border: heavy $accent;
    }
    PanelView.-warning {
        border: round $warning;
        border-subtitle-color: $warning;
    }
    PanelView.-warning:focus { border: heavy $warning; }
    PanelView.-critical {
        border: round $error;
        border-subtitle-color: $error;
        border-subtitle-style: bold reverse;
    }
    PanelView.-critical:focus { border: heavy $error; }
    PanelView.-stale, PanelView.-no-data {
        border: round $foreground 20%;
        border-subtitle-color: $foreground 60%;
    }
    PanelView.-error {
        border: round $error 60%;
        border-subtitle-color: $error;
    }
    PanelView.-stale > DrawingView, PanelView.-error > DrawingView {
        text-opacity: 50%;
    }
    PanelView > .panel--reason {
        display: none;
        height: 1;
        color: $text-muted;
    }
    PanelView.-error > .panel--reason,
    PanelView.-stale > .panel--reason,
    PanelView.-no-data > .panel--reason {
        display: block;
    }
    PanelView.-error > .panel--reason { color: $error; }
    PanelView.-stale > .panel--reason { color: $warning; }
    PanelView > DataTable { height: 1fr; }
    PanelView > Markdown { height: 1fr; margin: 0; padding: 0; }
    """

    state: reactive[PanelState] = reactive(PanelState.NO_DATA, init=False)
    """The panel's state, which picks its border style and badge."""

    class Drilled(Message):
        """Posted when the user asks to drill into this panel; handled by the
        dashboard screen's `on_panel_view_drilled`."""

        def __init__(self, panel: PanelView) -> None:
            super().__init__()
            self.panel = panel

    def __init__(self, spec: Panel, range_seconds: float, *, dashboard_id: str) -> None:
        super().__init__(id=f"panel-{spec.id}")
        self.spec = spec
        self.dashboard_id = dashboard_id
        self.range_seconds = range_seconds
        self.grid_cell = GridCell(
            spec.at.x, spec.at.y, spec.at.w, spec.at.h, min_height(spec.type)
        )
        self.data = PanelData(spec, range_seconds)
        self.border_title = spec.title
        self.border_subtitle = _BADGES[PanelState.NO_DATA]
        self._table_version: tuple[int, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static("waiting for data", classes="panel--reason", markup=False)
        if self.spec.type == "table":
            table: DataTable[object] = DataTable(
                cursor_type="row", zebra_stripes=True, show_cursor=False
            )
            table.can_focus = False
            yield table
        elif self.spec.type == "text":
            yield Markdown(self.spec.text or "")
        else:
            yield DrawingView(self._draw)

    def on_mount(self) -> None:
        self.add_class(_STATE_CLASSES[PanelState.NO_DATA])
        if self.spec.type == "text":
            self.state = PanelState.OK

    def show(
        self,
        states: Sequence[QueryState | None],
        status: PanelStatus,
        now: float,
        since: float | None = None,
    ) -> None:
        """Take the newest data and judgement; repaint what they changed."""
        self.data.update(states, status, now, since)
        self.state = status.state
        self.border_subtitle = self._badge(status)
        reason = self.query_one(".panel--reason", Static)
        if str(reason.content) != status.reason:
            reason.update(status.reason)
        if self.spec.type == "table":
            self._update_table(states)
        elif self.spec.type != "text":
            self.query_one(DrawingView).redraw()

    def watch_state(self, old: PanelState, new: PanelState) -> None:
        self.remove_class(_STATE_CLASSES[old])
        self.add_class(_STATE_CLASSES[new])

    def on_click(self) -> None:
        self.focus()

    def _badge(self, status: PanelStatus) -> str:
        badge = _BADGES[status.state]
        if status.state.is_breach and status.value is not None:
            return f"{badge} {self.data.format(status.value)}"
        return badge

    def _draw(self, width: int, height: int) -> list[Strip]:
        return draw_panel(self.data, width, height, self._palette())

    def _palette(self) -> Palette:
        return palette_for(self.app)

    def _update_table(self, states: Sequence[QueryState | None]) -> None:
        version = tuple(state.version if state else -1 for state in states)
        if version == self._table_version:
            return
        self._table_version = version
        columns, rows = table_rows(self.spec, states)
        table = self.query_one(DataTable)
        if [str(c.label) for c in table.columns.values()] != columns:
            table.clear(columns=True)
            table.add_columns(*columns)
        else:
            table.clear()
        table.add_rows(rows)
