"""Drill-down: one panel at full size, its samples, its query and its levels."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, cast

import yaml
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from console.cloudwatch_cost import dashboard_cost
from console.durations import format_duration
from console.evaluation import evaluate_panel
from console.identity import local_user
from console.navigation_state import describe_end, panel_key, zoom_in, zoom_out
from console.profile_schema import Dashboard, Panel
from console.results import Cell
from console.silencing import Silencer
from console.sources.base import SourceError
from screens.acknowledge import AcknowledgeScreen
from screens.acknowledging import acknowledge_alert, unacknowledge_alert
from screens.confirm import ConfirmScreen
from screens.focus_repaint import FocusRepaintScreen
from widgets.drawing.number_format import format_value
from widgets.panel import PanelView
from widgets.panel_table import format_cell
from widgets.status_header import StatusHeader
from widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

SAMPLES_SHOWN = 500
"""Newest samples (or table rows) listed in the drill-down, across all series."""

SAMPLE_COLUMNS = ["time", "series", "value"]


class DrillDownScreen(FocusRepaintScreen[None]):
    """A closer look at one panel; Esc goes back to the dashboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("g", "follow_link", "Open linked dashboard"),
        Binding("r", "refresh", "Refresh"),
        Binding("plus,equals_sign", "zoom(False)", "Zoom this panel in", show=False),
        Binding("minus", "zoom(True)", "Zoom this panel out", show=False),
        Binding("A", "acknowledge", "Acknowledge"),
        Binding("U", "unacknowledge", "Unacknowledge"),
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
            self.deck.navigator.state.panel_range(self.dashboard, self.panel),
            dashboard_id=self.dashboard.id,
        )
        with Horizontal():
            table: DataTable[str] = DataTable(zebra_stripes=True, cursor_type="row")
            table.add_columns(*SAMPLE_COLUMNS)
            yield table
            with VerticalScroll(id="details"):
                yield Static(self._details(), markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._keys = [q.key for q in self.deck.session.panel_queries(self.panel)]
        header = self.query_one(StatusHeader)
        header.location = (
            f"{self.deck.loaded.profile.title} › {self.dashboard.title} › "
            f"{self.panel.title}"
        )
        navigation = self.deck.navigator.state
        header.time_range = format_duration(
            navigation.panel_range(self.dashboard, self.panel)
        )
        if navigation.range_end is not None:
            header.window_end = describe_end(
                navigation.range_end, self.deck.clock.now()
            )
        header.clock = time.strftime("%H:%M", time.localtime(self.deck.clock.now()))
        header.read_only = self.deck.read_only
        cost = dashboard_cost(self.deck.session, self.dashboard)
        header.cost = cost.short() if cost is not None else ""
        self.query_one(DataTable).focus()
        self.run_worker(self._show_alarm_history(), exclusive=True)

    def on_screen_resume(self) -> None:
        view = self.query_one(PanelView)
        demands = self.deck.session.demands(
            self.dashboard,
            [self.panel],
            {self.panel.id: 1000},
            ranges={self.panel.id: view.range_seconds},
            end=self.deck.navigator.state.range_end,
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
        end = self.deck.navigator.state.range_end
        status = evaluate_panel(self.panel, states, now, view.range_seconds, end)
        if end is None:
            alert = self.deck.triage.observe_panel(
                self.dashboard.id, self.panel, states, status, now
            )
            view.show(states, status, now, alert.since if alert else None, alert=alert)
        else:
            view.show(states, status, end)
        self.deck.triage.fill_header(self.query_one(StatusHeader), now)
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
            table.add_row(*(format_cell(cell, self.panel) for cell in row))
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
        lines += self._cost_lines()
        return "\n".join(lines)

    async def _show_alarm_history(self) -> None:
        """Add the recent state changes of a CloudWatch alarm panel's alarms to
        the details, once, where the API provides them."""
        alarms_module = sys.modules.get("console.sources.cloudwatch_alarms")
        if alarms_module is None:
            # No profile source has loaded the AWS SDK, so no panel reads alarms;
            # the SDK is only imported when a profile names an AWS source.
            return
        queries = self.deck.session.panel_queries(self.panel)
        source = self.deck.session.sources.get(queries[0].source) if queries else None
        if not isinstance(source, alarms_module.CloudWatchAlarmsSource):
            return
        names = alarms_module.alarm_names(
            [self.deck.store.get(key) for key in self._keys]
        )
        if not names:
            return
        history = await source.history(names)
        lines = ["", "alarm history (newest first):"]
        for when, alarm, change in history.rows:
            clock = (
                time.strftime("%m-%d %H:%M", time.localtime(when))
                if isinstance(when, float)
                else "–"
            )
            lines.append(f"{clock}  {alarm}  {change}")
        static = self.query_one("#details Static", Static)
        static.update(self._details() + "\n" + "\n".join(lines))

    def _cost_lines(self) -> list[str]:
        """What this panel and its dashboard cost in CloudWatch requests."""
        session = self.deck.session
        whole = dashboard_cost(session, self.dashboard)
        if whole is None:
            return []
        lines = ["", f"CloudWatch cost of this dashboard: {whole.long()}"]
        own = dashboard_cost(session, self.dashboard, [self.panel])
        if own is not None:
            lines.append(f"of which this panel: {own.long()}")
        return lines

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("acknowledge", "unacknowledge"):
            return self._silencer() is not None or self.panel.thresholds is not None
        return True

    def _silencer(self) -> Silencer | None:
        queries = self.panel.all_queries()
        if not queries:
            return None
        source = self.deck.session.sources.get(queries[0].source)
        return source if isinstance(source, Silencer) else None

    def _selected(self, column: str) -> str | None:
        """The `column` cell of the alert under the cursor, as the source gave it."""
        for key in self._keys:
            state = self.deck.store.get(key)
            if state is None or state.table is None:
                continue
            columns = list(state.table.columns)
            row = self.query_one(DataTable).cursor_row
            if column in columns and 0 <= row < len(state.table.rows):
                cell = state.table.rows[row][columns.index(column)]
                return None if cell is None else str(cell)
        return None

    @work(exclusive=True, group="acknowledge")
    async def action_acknowledge(self) -> None:
        """Silence the alert under the cursor, after a note and a duration; on a
        panel with thresholds, acknowledge the panel's alert."""
        silencer = self._silencer()
        if silencer is None:
            await self._acknowledge_panel_alert(unacknowledge=False)
            return
        if self.deck.read_only:
            self.notify("read-only: nothing was acknowledged", severity="warning")
            return
        fingerprint = self._selected("fingerprint")
        labels = silencer.alert_labels(fingerprint) if fingerprint else None
        if not labels:
            self.notify("pick an alert first", severity="warning")
            return
        name = labels.get("alertname", "this alert")
        answer = await self.app.push_screen_wait(AcknowledgeScreen(_describe(labels)))
        if answer is None:
            return
        try:
            reach = await silencer.matching_alerts(labels)
            if reach > 1:
                wide = await self.app.push_screen_wait(
                    ConfirmScreen(
                        f"A silence on these labels would hold {reach} alerts, "
                        f"not only {name}. Silence all {reach}?",
                        yes=f"Silence {reach}",
                    )
                )
                if not wide:
                    return
            silence_id = await silencer.silence(
                labels,
                duration_s=answer.seconds,
                comment=answer.note,
                created_by=local_user(),
            )
        except (SourceError, ValueError) as error:
            self.notify(str(error), title="not acknowledged", severity="error")
            return
        until = time.strftime(
            "%H:%M", time.localtime(self.deck.clock.now() + answer.seconds)
        )
        self.notify(f"{name} silenced until {until} ({silence_id[:8]})")
        self.deck.poller.refresh_now()

    @work(exclusive=True, group="acknowledge")
    async def action_unacknowledge(self) -> None:
        """End the silences holding the alert under the cursor, or withdraw the
        panel's acknowledgement."""
        silencer = self._silencer()
        if silencer is None:
            await self._acknowledge_panel_alert(unacknowledge=True)
            return
        if self.deck.read_only:
            self.notify("read-only: nothing was changed", severity="warning")
            return
        holders = [s for s in (self._selected("silenced by") or "").split(",") if s]
        if not holders:
            self.notify("this alert is not silenced", severity="warning")
            return
        try:
            for silence_id in holders:
                await silencer.expire(silence_id.strip())
        except (SourceError, ValueError) as error:
            self.notify(str(error), title="not unacknowledged", severity="error")
            return
        self.notify(f"ended {len(holders)} silence(s)")
        self.deck.poller.refresh_now()

    async def _acknowledge_panel_alert(self, *, unacknowledge: bool) -> None:
        alert = self.deck.triage.panel_alert(self.dashboard.id, self.panel.id)
        if alert is None:
            self.notify(f"{self.panel.title} is not alerting", severity="warning")
            return
        if unacknowledge:
            await unacknowledge_alert(self, alert)
        else:
            await acknowledge_alert(self, alert)

    def action_zoom(self, longer: bool) -> None:
        """Give this panel alone a longer or shorter range; it keeps it on the
        dashboard too, until the drill-down zooms it again."""
        view = self.query_one(PanelView)
        seconds = (
            zoom_out(view.range_seconds) if longer else zoom_in(view.range_seconds)
        )
        navigation = self.deck.navigator.state
        navigation.panel_ranges[panel_key(self.dashboard.id, self.panel.id)] = seconds
        view.set_range(seconds)
        self.query_one(StatusHeader).time_range = format_duration(seconds)
        self.on_screen_resume()

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
        self.app.call_later(self.deck.navigator.follow, link)


def _describe(labels: Mapping[str, str]) -> str:
    name = labels.get("alertname", "alert")
    rest = ", ".join(f"{k}={v}" for k, v in sorted(labels.items()) if k != "alertname")
    return f"{name}  {rest}"


def _level(level: float | None, unit: str) -> str:
    return "none" if level is None else f"{level:g}{unit}"
