"""The dashboard screen: a profile's dashboard as a grid of live panels."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.timer import Timer

from console.alert_model import Alert
from console.cloudwatch_cost import dashboard_cost
from console.durations import format_duration
from console.evaluation import PanelState, evaluate_panel
from console.health import health_status, score_panels
from console.navigation_state import describe_end, matches_filter
from console.profile_schema import Dashboard
from console.storage.interface import StorageError
from console.store import Freshness
from screens.acknowledging import acknowledge_alert, unacknowledge_alert
from screens.dashboard_list import DashboardListScreen
from screens.drilldown import DrillDownScreen
from screens.focus_repaint import FocusRepaintScreen
from screens.variable_picker import VariableListScreen, VariableValueScreen
from widgets.panel import PanelView
from widgets.panel_filter import PanelFilter
from widgets.panel_grid import PanelGrid
from widgets.status_header import StatusHeader
from widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from screens.app import WatchdeckApp

STALE_AGE_STEP = 60.0
"""While a panel shows an age ("last data 3m ago"), re-judge it this often."""


class DashboardScreen(FocusRepaintScreen[None]):
    """One dashboard of the profile. It owns which panels are polled and shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "drill", "Drill down"),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "pause", "Pause"),
        Binding("d", "dashboards", "Dashboards"),
        Binding("A", "acknowledge", "Acknowledge"),
        Binding("U", "unacknowledge", "Unacknowledge", show=False),
        Binding("colon", "app.command_palette", "Commands"),
        Binding(
            "plus,equals_sign", "zoom(False)", "Zoom in: shorter range", show=False
        ),
        Binding("minus", "zoom(True)", "Zoom out: longer range", show=False),
        Binding("left_square_bracket", "pan(-1)", "Back half a range", show=False),
        Binding("right_square_bracket", "pan(1)", "Forward half a range", show=False),
        Binding("0", "live", "Back to live", show=False),
        Binding("v", "variables", "Variables", show=False),
        Binding("slash", "filter", "Filter panels", show=False),
        Binding("g", "follow_link", "Open linked dashboard", show=False),
        Binding("escape,backspace", "back", "Back", show=False),
        Binding("tab", "app.focus_next", "Next panel", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous panel", show=False),
        Binding("left,h", "move('left')", "Panel left", show=False),
        Binding("right,l", "move('right')", "Panel right", show=False),
        Binding("up,k", "move('up')", "Panel above", show=False),
        Binding("down,j", "move('down')", "Panel below", show=False),
    ]

    def __init__(self, dashboard: Dashboard, *, focus: str | None = None) -> None:
        super().__init__()
        self.dashboard = dashboard
        self._initial_focus = focus
        """The panel to focus when the screen opens (a saved view's); else the
        first."""
        self._keys: dict[str, list[str]] = {}
        self._recheck: Timer | None = None
        self._panel_views: list[PanelView] = []
        self._compare_keys: dict[str, list[str]] = {}
        """Per panel, the keys of its `compare` window's queries."""

    @property
    def deck(self) -> WatchdeckApp:
        """The application, with its store, poller and session."""
        return cast("WatchdeckApp", self.app)

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with PanelGrid():
            navigation = self.deck.navigator.state
            for spec in self.dashboard.panels:
                yield PanelView(
                    spec,
                    navigation.panel_range(self.dashboard, spec),
                    dashboard_id=self.dashboard.id,
                )
        yield PanelFilter()
        yield SteadyFooter()

    def on_mount(self) -> None:
        session = self.deck.session
        for spec in self.dashboard.panels:
            self._keys[spec.id] = [q.key for q in session.panel_queries(spec)]
            self._compare_keys[spec.id] = session.compare_keys(spec)
        header = self.query_one(StatusHeader)
        header.location = " › ".join(self.deck.navigator.breadcrumbs())
        self._show_window()
        header.read_only = self.deck.read_only
        cost = dashboard_cost(session, self.dashboard)
        header.cost = cost.short() if cost is not None else ""
        self._show_filter()
        self._tick_clock()
        panels = self.panel_views()
        wanted = [p for p in panels if p.spec.id == self._initial_focus]
        if wanted:
            wanted[0].focus()
            wanted[0].scroll_visible()
        elif panels:
            panels[0].focus()

    def panel_views(self) -> list[PanelView]:
        """The dashboard's panels in profile order. They never change after
        compose, so the list is looked up once: a query per answer costs a
        200-panel dashboard a tenth of a core."""
        if not self._panel_views:
            self._panel_views = list(self.query(PanelView))
        return self._panel_views

    def on_screen_resume(self) -> None:
        self.show_markers()
        self.query_one(StatusHeader).paused = self.deck.poller.paused
        # A drill-down may have changed a panel's range meanwhile.
        self.navigation_changed()

    def on_resize(self) -> None:
        if self.is_current:
            self._demand()

    def _demand(self) -> None:
        """Ask the poller for this dashboard's queries, each at the resolution
        its panel can show: two samples per cell across a braille chart."""
        points = {
            panel.spec.id: panel.content_size.width * 2
            for panel in self.panel_views()
            if panel.content_size.width > 0
        }
        navigation = self.deck.navigator.state
        shown = [
            spec
            for spec in self.dashboard.panels
            if matches_filter(spec.title, navigation.filter)
        ]
        ranges = {
            spec.id: navigation.panel_range(self.dashboard, spec)
            for spec in self.dashboard.panels
        }
        demands = self.deck.session.demands(
            self.dashboard,
            shown,
            points=points,
            ranges=ranges,
            end=navigation.range_end,
        )
        self.deck.poller.set_demands(demands)

    def navigation_changed(self) -> None:
        """The time window or filter changed: re-range the panels, ask again."""
        navigation = self.deck.navigator.state
        for panel in self.panel_views():
            panel.set_range(navigation.panel_range(self.dashboard, panel.spec))
        self._show_window()
        self._show_filter()
        self._demand()
        self.data_arrived(None)

    def _show_filter(self) -> None:
        """Hide the panels the filter leaves out; keep focus on one shown."""
        text = self.deck.navigator.state.filter
        shown: list[PanelView] = []
        for panel in self.panel_views():
            panel.display = matches_filter(panel.spec.title, text)
            if panel.display:
                shown.append(panel)
        field = self.query_one(PanelFilter)
        if text and not field.has_class("-shown"):
            field.value = text
            field.add_class("-shown")
        focused = self.focused
        if isinstance(focused, PanelView) and not focused.display and shown:
            shown[0].focus()

    def _show_window(self) -> None:
        """Put the range, and where a past window ends, in the header."""
        navigation = self.deck.navigator.state
        header = self.query_one(StatusHeader)
        header.time_range = format_duration(navigation.dashboard_range(self.dashboard))
        end = navigation.range_end
        now = self.deck.clock.now()
        header.window_end = "" if end is None else describe_end(end, now)

    def data_arrived(self, keys: frozenset[str] | None) -> None:
        """Show new data on the panels that read any of `keys` (all when None)."""
        # The header is the screen's child: looking among the children only
        # spares walking the whole tree (about 10 ms per answer at 200 panels).
        headers = self.query_children(StatusHeader)
        if not headers:
            # Answers can land while a big dashboard is still composing or is being
            # taken down at exit; a composing one shows everything once mounted.
            return
        now = self.deck.clock.now()
        # Panels the filter hides are not polled: judging them would count their
        # missing data as unhealthy and clear their alerts.
        shown = [panel for panel in self.panel_views() if panel.display]
        for panel in shown:
            panel_keys = self._keys.get(panel.spec.id, [])
            if panel.spec.health is None and (
                keys is None
                or keys.intersection(panel_keys)
                or keys.intersection(self._compare_keys.get(panel.spec.id, ()))
            ):
                self._show(panel, panel_keys, now)
        self._show_health(shown, now)
        header = headers.first()
        # The clock follows the time the data was judged at, so that it never shows
        # a minute before the alerts' "since" (the timer ticks on wall minutes).
        header.clock = clock_text(now)
        self.deck.triage.fill_header(header, now)
        header.unhealthy = sum(
            panel.state in (PanelState.STALE, PanelState.ERROR, PanelState.NO_DATA)
            for panel in shown
        )
        self._schedule_recheck(now)

    def _show(self, panel: PanelView, keys: list[str], now: float) -> None:
        store = self.deck.store
        states = [store.get(key) for key in keys]
        end = self.deck.navigator.state.range_end
        status = evaluate_panel(panel.spec, states, now, panel.range_seconds, end)
        if end is not None:
            # A window in the past is history: it raises and clears no alerts.
            panel.show(states, status, end)
            return
        alert = self.deck.triage.observe_panel(
            self.dashboard.id, panel.spec, states, status, now
        )
        earlier = [store.get(key) for key in self._compare_keys.get(panel.spec.id, [])]
        panel.show(
            states,
            status,
            now,
            alert.since if alert else None,
            alert=alert,
            earlier=earlier,
        )

    def _show_health(self, shown: list[PanelView], now: float) -> None:
        """Score the health panels from the states of the panels shown; a panel the
        filter hides counts as unknown, as it is not polled."""
        scored = [panel for panel in shown if panel.spec.health is not None]
        if not scored:
            return
        states = {p.spec.id: p.state for p in shown if p.spec.health is None}
        titles = {p.spec.id: p.spec.title for p in self.panel_views()}
        live = self.deck.navigator.state.range_end is None
        for panel in scored:
            weights = panel.spec.health
            assert weights is not None
            health = score_panels(weights.panels, states, titles)
            history = self.deck.health.history(self.dashboard.id, panel.spec)
            if live and health.score is not None:
                # A window in the past is history already; it adds no samples.
                history.add(now, health.score)
            panel.data.health = health
            panel.data.health_history = history
            panel.show([], health_status(panel.spec, health), now)

    def _schedule_recheck(self, now: float) -> None:
        """Arm one timer for the next moment a panel's freshness changes by
        itself (fresh data turning stale, or a shown age ticking over)."""
        if self._recheck is not None:
            self._recheck.stop()
            self._recheck = None
        moments: list[float] = []
        for keys in self._keys.values():
            for key in keys:
                state = self.deck.store.get(key)
                if state is None or state.last_success is None:
                    continue
                freshness = state.freshness(now)
                if freshness is Freshness.LIVE:
                    moments.append(state.last_success + 2 * state.interval)
                else:
                    moments.append(now + STALE_AGE_STEP)
        if moments:
            delay = max(0.5, min(moments) - now + 0.05)
            self._recheck = self.set_timer(delay, self._recheck_fired)

    def _recheck_fired(self) -> None:
        self._recheck = None
        self.data_arrived(None)

    def _tick_clock(self) -> None:
        now = self.deck.clock.now()
        self.query_one(StatusHeader).clock = clock_text(now)
        self._show_window()
        wall = time.time()
        self.set_timer(60.0 - wall % 60.0 + 0.05, self._tick_clock)

    def focus_panel(self, panel_id: str) -> None:
        """Focus one panel and scroll it into view."""
        for panel in self.panel_views():
            if panel.spec.id == panel_id:
                panel.focus()
                panel.scroll_visible()

    def show_markers(self) -> None:
        """Mark the annotations in the charts' windows on every chart."""
        now = self.deck.clock.now()
        longest = max(
            (p.range or self.dashboard.range for p in self.dashboard.panels),
            default=self.dashboard.range,
        )
        try:
            notes = self.deck.state_store.annotations(
                since=now - longest, profile=self.deck.loaded.profile.profile
            )
        except StorageError as error:
            self.notify(str(error), title="annotations", severity="error")
            return
        times = [n.at for n in notes if n.dashboard in (None, self.dashboard.id)]
        for panel in self.panel_views():
            if panel.data.markers != times:
                panel.data.markers = times
                panel.redraw()

    def action_drill(self) -> None:
        focused = self.focused
        if isinstance(focused, PanelView):
            self.app.push_screen(DrillDownScreen(self.dashboard, focused.spec))

    def _focused_alert(self) -> Alert | None:
        """The alert of the focused panel; says why when there is none."""
        focused = self.focused
        if not isinstance(focused, PanelView):
            self.notify("focus an alerting panel first", severity="warning")
            return None
        alert = self.deck.triage.panel_alert(self.dashboard.id, focused.spec.id)
        if alert is None:
            self.notify(
                f"{focused.spec.title} is not alerting; a lists every alert",
                severity="warning",
            )
        return alert

    @work(exclusive=True, group="acknowledge")
    async def action_acknowledge(self) -> None:
        """Acknowledge the focused panel's alert, after a note and a duration."""
        if self.deck.read_only:
            self.notify("read-only: nothing was acknowledged", severity="warning")
            return
        alert = self._focused_alert()
        if alert is not None and await acknowledge_alert(self, alert):
            self.data_arrived(None)

    @work(exclusive=True, group="acknowledge")
    async def action_unacknowledge(self) -> None:
        """Withdraw the acknowledgement of the focused panel's alert."""
        if self.deck.read_only:
            self.notify("read-only: nothing was changed", severity="warning")
            return
        alert = self._focused_alert()
        if alert is not None and await unacknowledge_alert(self, alert):
            self.data_arrived(None)

    def action_zoom(self, longer: bool) -> None:
        """Show a longer or shorter range on every panel without one of its own."""
        self.deck.navigator.zoom(self.dashboard, longer=longer)

    def action_pan(self, steps: int) -> None:
        """Move the window back or forward by half its range."""
        self.deck.navigator.pan(self.dashboard, steps)

    def action_live(self) -> None:
        """Return the window to now."""
        self.deck.navigator.go_live()

    def action_filter(self) -> None:
        """Show the filter line and type into it."""
        field = self.query_one(PanelFilter)
        field.add_class("-shown")
        field.focus()

    def on_input_changed(self, event: PanelFilter.Changed) -> None:
        navigator = self.deck.navigator
        if (
            isinstance(event.input, PanelFilter)
            and event.value != navigator.state.filter
        ):
            navigator.set_filter(event.value)

    def on_input_submitted(self, event: PanelFilter.Submitted) -> None:
        if isinstance(event.input, PanelFilter):
            self._leave_filter(keep=bool(event.value.strip()))

    def on_panel_filter_cleared(self, event: PanelFilter.Cleared) -> None:
        self._leave_filter(keep=False)

    def _leave_filter(self, *, keep: bool) -> None:
        """Back to the panels; the line stays shown while a filter is kept."""
        field = self.query_one(PanelFilter)
        if not keep:
            field.value = ""
            self.deck.navigator.set_filter("")
            field.remove_class("-shown")
        shown = [panel for panel in self.panel_views() if panel.display]
        if shown:
            shown[0].focus()
        elif keep:
            self.notify("no panel title matches the filter", severity="warning")

    def action_back(self) -> None:
        """Clear a filter first; otherwise go back along the drill path."""
        if self.deck.navigator.state.filter:
            self._leave_filter(keep=False)
            return
        if not self.deck.navigator.back():
            self.notify("nothing to go back to", timeout=2)

    def action_follow_link(self) -> None:
        """Open the focused panel's linked dashboard with the link's variables."""
        focused = self.focused
        if not isinstance(focused, PanelView) or focused.spec.drill is None:
            self.notify("this panel links to no other dashboard", severity="warning")
            return
        self.deck.navigator.follow(focused.spec.drill)

    @work(exclusive=True, group="variables")
    async def action_variables(self) -> None:
        """Pick a variable and a value for it; the dashboard re-queries with it."""
        loaded = self.deck.loaded
        variables = loaded.profile.variables
        if not variables:
            self.notify("this profile has no variables", severity="warning")
            return
        name = await self.app.push_screen_wait(
            VariableListScreen(variables, loaded.variables)
        )
        if name is None:
            return
        variable = variables[name]
        navigator = self.deck.navigator
        value = await self.app.push_screen_wait(
            VariableValueScreen(
                name,
                variable,
                loaded.variables.get(name, variable.default),
                partial(navigator.discover, name) if variable.discover else None,
            )
        )
        if value is not None:
            navigator.set_variable(self.dashboard, name, value)

    def action_refresh(self) -> None:
        self.deck.poller.refresh_now()
        self.notify("refreshing every panel now", timeout=2)

    def action_pause(self) -> None:
        poller = self.deck.poller
        if poller.paused:
            poller.resume()
        else:
            poller.pause()
        self.query_one(StatusHeader).paused = poller.paused

    def action_dashboards(self) -> None:
        def chosen(dashboard_id: str | None) -> None:
            if dashboard_id is not None and dashboard_id != self.dashboard.id:
                self.deck.open_dashboard(dashboard_id)

        profile = self.deck.loaded.profile
        listing = DashboardListScreen(
            profile, self.dashboard.id, self.deck.visible_dashboards()
        )
        self.app.push_screen(listing, chosen)

    def action_move(self, direction: str) -> None:
        """Focus the nearest panel in `direction` from the focused one."""
        panels = self.panel_views()
        current = self.focused
        if not isinstance(current, PanelView):
            if panels:
                panels[0].focus()
            return
        here = current.region
        best: tuple[tuple[int, int, int, int], PanelView] | None = None
        for panel in panels:
            if panel is current:
                continue
            score = _nearness(here, panel.region, direction)
            if score is not None and (best is None or score < best[0]):
                best = (score, panel)
        if best is not None:
            best[1].focus()
            best[1].scroll_visible()


def _nearness(
    here: Region, there: Region, direction: str
) -> tuple[int, int, int, int] | None:
    """How near `there` lies to `here` going `direction`; None if not that way.

    Panels that share a row (or column) span with `here` come first, as a person
    expects "down" to land on what is under the panel, then the closest edge, then
    the widest shared span, then the smallest sideways offset.
    """
    if direction in ("up", "down"):
        ahead = there.y - here.bottom if direction == "down" else here.y - there.bottom
        overlap = min(here.right, there.right) - max(here.x, there.x)
        aside = abs(there.x + there.width // 2 - here.x - here.width // 2)
    else:
        ahead = there.x - here.right if direction == "right" else here.x - there.right
        overlap = min(here.bottom, there.bottom) - max(here.y, there.y)
        aside = abs(there.y + there.height // 2 - here.y - here.height // 2)
    if ahead < 0:
        return None
    return (0 if overlap > 0 else 1, ahead, -max(overlap, 0), aside)


def clock_text(now: float) -> str:
    """The header's clock: local hours and minutes of `now`."""
    return time.strftime("%H:%M", time.localtime(now))
