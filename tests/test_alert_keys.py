"""The triage keys through Textual's pilot on the demo incident: a (alerts), / and
Enter there, A and U (acknowledge), m (note), t (timeline), and read-only mode."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from console.alert_model import AlertState
from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from console.storage.sqlite_store import SqliteStateStore
from screens.acknowledge import AcknowledgeScreen
from screens.alerts import AlertsScreen
from screens.annotate import AnnotateScreen
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.timeline import TimelineScreen
from tests.pilot_support import wait_for_data
from widgets.panel import PanelView
from widgets.status_header import StatusHeader

SIZE = (160, 48)
KEY = "panel:service/latency-alert"


async def firing(pilot: Pilot[Any], clock: ManualClock) -> None:
    """Wait for data, then move the demo into its incident."""
    app = pilot.app
    assert isinstance(app, WatchdeckApp)
    await wait_for_data(pilot)
    clock.advance(60)
    app.poller.refresh_now()
    for _ in range(40):
        await pilot.pause(0.1)
        if app.triage.panel_alert("service", "latency-alert") is not None:
            return
    raise AssertionError("the demo incident never fired")


async def focus(pilot: Pilot[Any], panel_id: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    screen.focus_panel(panel_id)
    await pilot.pause()


async def test_a_lists_alerts_critical_first_and_enter_focuses_the_panel(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count >= 2
        severities = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert severities[0].endswith("critical")
        ranks = [0 if s.endswith("critical") else 1 for s in severities]
        assert ranks == sorted(ranks)
        await pilot.press("slash")
        await pilot.press(*"latency alert")
        await pilot.press("enter")
        assert table.row_count == 1
        assert "p99 latency alert" in str(table.get_row_at(0)[2])
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DashboardScreen)
        focused = app.focused
        assert isinstance(focused, PanelView)
        assert focused.spec.id == "latency-alert"


async def test_A_on_the_dashboard_acknowledges_with_a_note_and_U_withdraws(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    store = SqliteStateStore.in_memory()
    app = WatchdeckApp(demo_profile, clock=frozen_clock, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await focus(pilot, "latency-alert")
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AcknowledgeScreen)
        await pilot.press(*"rolling back")
        await pilot.press("enter")
        await pilot.pause(0.2)
        [ack] = store.acknowledgements(active_at=frozen_clock.now())
        assert ack.alert_key == KEY
        assert ack.note == "rolling back"
        assert ack.until == ack.at + 3600
        alert = app.triage.panel_alert("service", "latency-alert")
        assert alert is not None and alert.state is AlertState.ACKNOWLEDGED
        panel = app.screen.query_one("#panel-latency-alert", PanelView)
        assert "ACK" in str(panel.border_subtitle)
        header = app.screen.query_one(StatusHeader)
        assert header.acknowledged >= 1
        changes = store.alert_changes(since=0)
        assert ("acknowledged", KEY) in [(c.state, c.alert_key) for c in changes]

        await pilot.press("U")
        await pilot.pause(0.2)
        assert store.acknowledgements(active_at=frozen_clock.now()) == []
        alert = app.triage.panel_alert("service", "latency-alert")
        assert alert is not None and alert.state is AlertState.FIRING


async def test_an_acknowledgement_survives_a_restart(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Any
) -> None:
    path = tmp_path / "state.db"
    first = WatchdeckApp(
        demo_profile, clock=frozen_clock, state_store=SqliteStateStore(path)
    )
    async with first.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await focus(pilot, "latency-alert")
        await pilot.press("A", *"mine", "enter")
        await pilot.pause(0.2)
    again = WatchdeckApp(
        demo_profile, clock=frozen_clock, state_store=SqliteStateStore(path)
    )
    async with again.run_test(size=SIZE) as pilot:
        # The demo's incident starts afresh with each console.
        await firing(pilot, frozen_clock)
        alert = again.triage.panel_alert("service", "latency-alert")
        assert alert is not None and alert.state is AlertState.ACKNOWLEDGED
        assert alert.acknowledgement is not None
        assert alert.acknowledgement.note == "mine"


async def test_A_on_a_calm_panel_says_it_is_not_alerting(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert any("not alerting" in str(n.message) for n in app._notifications)


async def test_m_adds_a_note_marked_on_charts_and_t_shows_it_in_the_timeline(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    store = SqliteStateStore.in_memory()
    app = WatchdeckApp(demo_profile, clock=frozen_clock, state_store=store)
    async with app.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press(*"rolled back to v41", "enter")
        await pilot.pause(0.2)
        [note] = store.annotations(since=0)
        assert note.text == "rolled back to v41"
        assert note.dashboard == "service"
        chart = app.screen.query_one("#panel-latency", PanelView)
        assert chart.data.markers == [note.at]
        await pilot.press("t")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one(DataTable)
        rows = [
            " ".join(str(c) for c in table.get_row_at(i))
            for i in range(table.row_count)
        ]
        assert any("rolled back to v41" in row for row in rows)
        assert any("p99 latency alert firing" in row for row in rows)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_read_only_keys_say_so_and_write_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    store = SqliteStateStore.in_memory()
    app = WatchdeckApp(
        demo_profile, clock=frozen_clock, state_store=store, read_only=True
    )
    async with app.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await focus(pilot, "latency-alert")
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("a", "A")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        messages = [str(n.message) for n in app._notifications]
        assert sum("read-only" in m for m in messages) >= 3
        assert store.acknowledgements() == []
        assert store.annotations(since=0) == []


async def test_escape_in_the_alerts_filter_clears_it(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await firing(pilot, frozen_clock)
        await pilot.press("a", "slash", *"nothing-matches-this")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        assert screen.query_one(DataTable).row_count == 0
        await pilot.press("escape")
        assert screen.query_one(Input).value == ""
        assert screen.query_one(DataTable).row_count >= 2
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
