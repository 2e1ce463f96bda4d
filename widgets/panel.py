"""One dashboard panel: a titled border showing its state, a reason line, a body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Static

from console.alert_model import Alert, AlertState
from console.evaluation import PanelState, PanelStatus
from console.profile_schema import Panel
from console.store import QueryState
from widgets.draw_queue import draw_queue_for
from widgets.drawing.palette import Palette
from widgets.drawing.table_draw import draw_table
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


def _alert_word(alert: Alert) -> str:
    ack = alert.acknowledgement
    if ack is not None:
        return f"ACK {ack.user}"
    return alert.state.label


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
    PanelView.-stale:focus, PanelView.-no-data:focus, PanelView.-error:focus {
        border: heavy $accent;
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
    PanelView > Markdown { height: 1fr; margin: 0; padding: 0; }
    PanelView.-acknowledged { border-subtitle-style: bold; }
    PanelView.-escalated {
        border: thick $error;
        border-title-color: $text;
        border-title-background: $error;
        border-title-style: bold;
    }
    PanelView.-escalated:focus { border: heavy $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort column", show=False),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    state: reactive[PanelState] = reactive(PanelState.NO_DATA, init=False)
    """The panel's state, which picks its border style and badge."""

    class Drilled(Message):
        """Posted when the user asks to drill into this panel; handled by the
        dashboard screen's `on_panel_view_drilled`."""

        def __init__(self, panel: PanelView) -> None:
            super().__init__()
            self.panel = panel

    class Drawn(Message):
        """Posted after the panel drew its picture, with how long that took;
        handled by the app's `on_panel_view_drawn` for the usage figures."""

        def __init__(self, dashboard_id: str, panel_id: str, seconds: float) -> None:
            super().__init__()
            self.dashboard_id = dashboard_id
            self.panel_id = panel_id
            self.seconds = seconds

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
        self.sort_by = spec.sort_by
        """The column a table panel is sorted on; `s` moves it along."""
        self.sort_descending = spec.sort_descending
        self._redraw_pending = False

    def compose(self) -> ComposeResult:
        yield Static("waiting for data", classes="panel--reason", markup=False)
        if self.spec.type == "text":
            # Imported here: the Markdown widget and its parser cost 45 ms of
            # every start, and most dashboards have no text panel.
            from textual.widgets import Markdown  # noqa: PLC0415

            yield Markdown(self.spec.text or "")
        else:
            yield DrawingView(self._draw, on_drawn=self._drawn)

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
        *,
        alert: Alert | None = None,
        earlier: Sequence[QueryState | None] = (),
    ) -> None:
        """Take the newest data, judgement and alert (and, for a line chart with
        `compare`, the earlier window's states); repaint what they changed."""
        self.data.update(states, status, now, since)
        self.data.alert = alert
        self.data.earlier = [state for state in earlier if state is not None]
        self.state = status.state
        held = alert is not None and alert.state is AlertState.ACKNOWLEDGED
        self.set_class(held, "-acknowledged")
        self.set_class(alert is not None and alert.inverted, "-escalated")
        badge = self._badge(status, alert)
        # Setting a border label repaints the whole panel even when it is the
        # same text, so it is only set when it changes.
        if badge != self.border_subtitle:
            self.border_subtitle = badge
        reason = self.query_one(".panel--reason", Static)
        if str(reason.content) != status.reason:
            # The line is one row high whatever it says, so new words need no
            # layout of the screen (a breach's reason changes with every answer).
            reason.update(status.reason, layout=False)
        self._schedule_redraw()

    def _schedule_redraw(self) -> None:
        """Draw the picture from the app's draw queue, once however many updates
        arrive first: a dashboard's answers then draw panel by panel, one at a
        time, and a key pressed meanwhile is handled between two panels, not
        after all of them."""
        if self.spec.type == "text" or self._redraw_pending:
            return
        self._redraw_pending = True
        draw_queue_for(self.app).request(self, self._redraw_now)

    def _redraw_now(self) -> None:
        self._redraw_pending = False
        # The queue may reach a panel whose screen is being taken down, its
        # children already gone.
        views = self.query_children(DrawingView)
        if self.is_attached and views:
            views.first().redraw()

    def on_unmount(self) -> None:
        draw_queue_for(self.app).forget(self)
        self._redraw_pending = False

    def redraw(self) -> None:
        """Draw the panel again from what it holds (markers changed)."""
        if self.spec.type != "text":
            self.query_one(DrawingView).redraw()

    def set_range(self, range_seconds: float) -> None:
        """Show `range_seconds` of history from the next `show` on (zoomed)."""
        self.range_seconds = range_seconds
        self.data.range_seconds = range_seconds

    def watch_state(self, old: PanelState, new: PanelState) -> None:
        self.remove_class(_STATE_CLASSES[old])
        self.add_class(_STATE_CLASSES[new])

    def on_click(self) -> None:
        self.focus()

    def _badge(self, status: PanelStatus, alert: Alert | None) -> str:
        badge = _BADGES[status.state]
        if status.state.is_breach and status.value is not None:
            badge = f"{badge} {self.data.format(status.value)}"
        if alert is not None and alert.state is not AlertState.FIRING:
            badge = f"{badge} · {_alert_word(alert)}"
        forecast = self.data.forecast_text()
        if forecast:
            badge = f"{badge} · {forecast}"
        return badge

    def _draw(self, width: int, height: int) -> list[Strip]:
        if self.spec.type == "table":
            view = table_rows(
                self.spec, self.data.states, self.sort_by, self.sort_descending
            )
            return draw_table(
                view.columns,
                view.rows,
                numeric=view.numeric,
                sort_column=view.sort_column,
                descending=self.sort_descending,
                width=width,
                height=height,
                palette=self._palette(),
            )
        return draw_panel(self.data, width, height, self._palette())

    def _drawn(self, seconds: float) -> None:
        self.post_message(self.Drawn(self.dashboard_id, self.spec.id, seconds))

    def _palette(self) -> Palette:
        return palette_for(self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort_next", "sort_reverse"):
            return self.spec.type == "table"
        return True

    def action_sort_next(self) -> None:
        """Sort a table panel on its next column."""
        columns = self._table_columns()
        if not columns:
            return
        position = columns.index(self.sort_by) if self.sort_by in columns else -1
        self.sort_by = columns[(position + 1) % len(columns)]
        self.query_one(DrawingView).redraw()

    def action_sort_reverse(self) -> None:
        """Flip a table panel's sort order."""
        if self.spec.type == "table":
            self.sort_descending = not self.sort_descending
            self.query_one(DrawingView).redraw()

    def _table_columns(self) -> list[str]:
        if self.spec.type != "table":
            return []
        return table_rows(self.spec, self.data.states, None, True).columns
