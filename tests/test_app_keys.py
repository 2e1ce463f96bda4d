"""Every key of the console, pressed through Textual's pilot on the demo profile."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandPalette
from textual.geometry import Region
from textual.widgets import DataTable

from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.dashboard_list import DashboardListScreen
from screens.drilldown import DrillDownScreen
from screens.help import HelpScreen
from tests.pilot_support import wait_for_data
from widgets.drawing_view import DrawingView
from widgets.panel import PanelView
from widgets.status_header import StatusHeader

SIZE = (160, 48)


def focused_panel(app: WatchdeckApp) -> str:
    focused = app.focused
    assert isinstance(focused, PanelView), f"focus is on {focused!r}"
    return focused.spec.id


async def test_demo_opens_on_its_first_dashboard_with_data(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.id == "service"
        header = screen.query_one(StatusHeader)
        assert "checkout: service health" in header.location
        assert header.clock == "08:00"
        assert focused_panel(app) == "requests"


async def test_tab_and_shift_tab_walk_the_panels(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert focused_panel(app) == "error-rate"
        await pilot.press("tab", "tab")
        assert focused_panel(app) == "latency-alert"
        await pilot.press("shift+tab")
        assert focused_panel(app) == "pool-cpu"


async def test_arrows_and_hjkl_move_to_the_neighbouring_panel(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right")
        assert focused_panel(app) == "error-rate"
        await pilot.press("l")
        assert focused_panel(app) == "pool-cpu"
        await pilot.press("j")
        assert focused_panel(app) == "latency"
        await pilot.press("down")
        assert focused_panel(app) in ("latency-heatmap", "endpoints-bars")
        await pilot.press("k", "k")
        assert focused_panel(app) in ("requests", "error-rate", "pool-cpu")
        await pilot.press("h", "h", "h", "left")
        assert focused_panel(app) == "requests"


async def test_enter_drills_down_and_escape_returns(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        await pilot.press("j")
        assert focused_panel(app) == "latency"
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DrillDownScreen)
        assert screen.panel.id == "latency"
        table = screen.query_one(DataTable)
        assert table.row_count > 0, "datapoints are listed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_drill_link_opens_the_linked_dashboard(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.id == "latency"


async def test_dashboard_list_opens_the_chosen_one(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardListScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.dashboard.id == "host"
        await pilot.press("d", "escape")
        await pilot.pause()
        assert app.screen is screen


async def test_r_polls_now_and_p_pauses_and_resumes(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        calls = app.poller.calls
        await pilot.press("r")
        await pilot.pause(0.2)
        assert app.poller.calls > calls
        header = app.screen.query_one(StatusHeader)
        await pilot.press("p")
        assert app.poller.paused and header.paused
        await pilot.press("p")
        assert not app.poller.paused and not header.paused


async def test_question_mark_shows_help_built_from_the_bindings(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = dict((d, k) for k, d in screen._rows())
        assert "Drill down" in rows and "Pause" in rows and "Quit" in rows
        assert "h" in rows["Panel left"]
        assert "Sort column" not in rows, "the focused panel is not a table"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_colon_opens_the_command_palette_with_dashboards(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"this host")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.dashboard.id == "host"


async def test_q_quits(demo_profile: LoadedProfile, frozen_clock: ManualClock) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_unchanged_data_repaints_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """With the clock held still, a refresh returns the same samples, so no chart
    line may be marked for repaint."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.3)
        views = list(app.screen.query(DrawingView))
        before = [view.lines_refreshed for view in views]
        whole_panel_repaints: list[str] = []
        for panel in app.screen.query(PanelView):
            original = panel.refresh

            def counting(
                *regions: Region,
                _panel: PanelView = panel,
                _original: Callable[..., PanelView] = original,
                **options: bool,
            ) -> PanelView:
                if not regions:
                    whole_panel_repaints.append(_panel.spec.id)
                return _original(*regions, **options)

            panel.refresh = counting  # type: ignore[method-assign]
        app.screen.data_arrived(None)  # type: ignore[attr-defined]
        await pilot.pause(0.1)
        assert [view.lines_refreshed for view in views] == before
        assert whole_panel_repaints == []


async def test_s_sorts_a_table_panel_and_shift_s_reverses(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        table = app.screen.query_one("#panel-endpoints", PanelView)
        table.focus()
        await pilot.pause()
        assert table.sort_by == "requests/s"

        def first_row() -> str:
            view = table.query_one(DrawingView)
            return "".join(s.text for s in view.render_line(1))

        busiest = first_row()
        await pilot.press("S")
        await pilot.pause()
        assert not table.sort_descending
        assert first_row() != busiest, "ascending puts the quietest first"
        await pilot.press("s")
        await pilot.pause()
        assert table.sort_by == "errors %"
        header = "".join(s.text for s in table.query_one(DrawingView).render_line(0))
        assert "errors % ▲" in header


async def test_drill_variables_retitle_the_linked_dashboard(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        app.open_dashboard("latency", {"service": "payments"})
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.dashboard.title == "payments: latency detail"
        assert app.loaded.variables["service"] == "payments"

        app.open_dashboard("service", {"service": "no-such-service"})
        await pilot.pause(0.2)
        assert app.screen is screen, "a value outside the choices changes nothing"
        assert app.loaded.variables["service"] == "payments"


async def test_drill_down_of_a_table_lists_its_rows(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        app.screen.query_one("#panel-endpoints", PanelView).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        table = app.screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[:2] == ["endpoint", "requests/s"]
        assert table.row_count >= 5
