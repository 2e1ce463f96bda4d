"""The alerts screen: every alert the console knows, most urgent first."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input

from console.alert_model import Alert
from console.durations import format_duration
from screens.acknowledging import acknowledge_alert, unacknowledge_alert
from screens.focus_repaint import FocusRepaintScreen
from widgets.status_header import StatusHeader
from widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

COLUMNS = (
    "severity",
    "state",
    "alert",
    "why",
    "for",
    "source",
    "acknowledged",
    "runbook",
)
"""The columns of the alerts table."""

_GLYPHS = {"critical": "✖", "warning": "▲", "info": "●"}


class AlertsScreen(FocusRepaintScreen[None]):
    """Sorted by severity, then the longest firing first; resolved ones last.

    `/` filters on any text of a row; Enter opens the alert's dashboard with its
    panel focused; `A` acknowledges and `U` withdraws an acknowledgement.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "open", "Open panel", priority=False),
        Binding("slash", "filter", "Filter"),
        Binding("A", "acknowledge", "Acknowledge"),
        Binding("U", "unacknowledge", "Unacknowledge"),
    ]

    DEFAULT_CSS = """
    AlertsScreen > Input { display: none; height: 3; }
    AlertsScreen.-filtering > Input { display: block; }
    AlertsScreen > DataTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[Alert] = []
        self._filter = ""

    @property
    def deck(self) -> WatchdeckApp:
        """The application, with its alerts."""
        return cast("WatchdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Input(placeholder="filter alerts (Enter to apply, Esc to clear)")
        table: DataTable[str] = DataTable(zebra_stripes=True, cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield SteadyFooter()

    def on_mount(self) -> None:
        header = self.query_one(StatusHeader)
        header.location = f"{self.deck.loaded.profile.title} › alerts"
        header.read_only = self.deck.read_only
        header.clock = time.strftime("%H:%M", time.localtime(self.deck.clock.now()))
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.fill()

    def data_arrived(self, keys: frozenset[str] | None) -> None:
        """Let the dashboard underneath judge its panels, then list the alerts."""
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        handler = getattr(below, "data_arrived", None)
        if callable(handler) and not isinstance(below, AlertsScreen):
            handler(keys)
        self.fill()

    def fill(self) -> None:
        """List the alerts as the model has them now, keeping the cursor's alert."""
        now = self.deck.clock.now()
        table = self.query_one(DataTable)
        current = self.selected()
        words = self._filter.lower().split()
        alerts = [
            alert
            for alert in self.deck.triage.model.alerts(now)
            if all(word in _row_text(alert, now).lower() for word in words)
        ]
        self._shown = alerts
        table.clear()
        for alert in alerts:
            table.add_row(*_cells(alert, now), key=alert.key)
        if current is not None:
            keys = [a.key for a in alerts]
            if current.key in keys:
                table.move_cursor(row=keys.index(current.key))
        self.deck.triage.fill_header(self.query_one(StatusHeader), now)

    def selected(self) -> Alert | None:
        """The alert under the cursor."""
        row = self.query_one(DataTable).cursor_row
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self.fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_filter(self) -> None:
        """Show the filter and type into it."""
        self.add_class("-filtering")
        self.query_one(Input).focus()

    def action_back(self) -> None:
        """Esc clears a filter first, then leaves."""
        field = self.query_one(Input)
        if self.has_class("-filtering"):
            field.value = ""
            self.remove_class("-filtering")
            self.query_one(DataTable).focus()
            return
        self.dismiss()

    def action_open(self) -> None:
        """Go to the alert's dashboard with its panel focused."""
        alert = self.selected()
        if alert is None:
            return
        dashboard, panel = alert.signal.dashboard, alert.signal.panel
        if dashboard is None:
            self.notify("this alert belongs to no panel", severity="warning")
            return
        self.dismiss()
        self.deck.show_panel(dashboard, panel)

    @work(exclusive=True, group="acknowledge")
    async def action_acknowledge(self) -> None:
        """Acknowledge the alert under the cursor."""
        alert = self.selected()
        if alert is None:
            self.notify("no alert to acknowledge", severity="warning")
            return
        if await acknowledge_alert(self, alert):
            self.fill()

    @work(exclusive=True, group="acknowledge")
    async def action_unacknowledge(self) -> None:
        """Withdraw the acknowledgement of the alert under the cursor."""
        alert = self.selected()
        if alert is None:
            return
        if await unacknowledge_alert(self, alert):
            self.fill()


def _cells(alert: Alert, now: float) -> tuple[str, ...]:
    severity = alert.severity.value
    ack = alert.acknowledgement
    acked = ""
    if ack is not None:
        until = time.strftime("%H:%M", time.localtime(ack.until))
        acked = f"{ack.user} until {until}: {ack.note}"
    age_from = alert.resolved_at if alert.resolved_at is not None else now
    state = alert.state.value
    if alert.escalation:
        state += " ⚑"
    return (
        f"{_GLYPHS[severity]} {severity}",
        state,
        alert.title,
        alert.signal.summary,
        format_duration(age_from - alert.since),
        alert.signal.source,
        acked,
        alert.signal.runbook or "",
    )


def _row_text(alert: Alert, now: float) -> str:
    labels = " ".join(f"{k}={v}" for k, v in alert.signal.labels.items())
    return " ".join([*_cells(alert, now), labels, alert.signal.runbook or ""])
