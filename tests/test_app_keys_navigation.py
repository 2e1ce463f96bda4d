"""The navigation keys, pressed through Textual's pilot: zoom, pan, live, back,
drill links, the variable selector and the panel filter."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Footer, Input, OptionList

from console.clock import ManualClock
from console.navigation_state import NavigationState
from console.profile_loader import LoadedProfile, load_profile_text
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.drilldown import DrillDownScreen
from screens.variable_picker import VariableListScreen, VariableValueScreen
from widgets.panel import PanelView
from widgets.panel_filter import PanelFilter
from widgets.status_header import StatusHeader

SIZE = (160, 48)
HOUR = 3600.0

OWN_RANGE_PROFILE = """\
profile: ranges
title: Ranges
sources:
  shop: {type: testdata, seed: 3}
dashboards:
  - id: main
    title: Main
    range: 1h
    panels:
      - id: follows
        title: Follows the zoom
        type: line_chart
        at: {x: 0, y: 0, w: 6, h: 8}
        query: {source: shop, metric: a}
      - id: keeps
        title: Keeps a week
        type: line_chart
        range: 7d
        at: {x: 6, y: 0, w: 6, h: 8}
        query: {source: shop, metric: b}
"""


def header(app: WatchdeckApp) -> StatusHeader:
    return app.screen.query_one(StatusHeader)


def header_text(app: WatchdeckApp) -> str:
    line = header(app).render_line(0)
    return "".join(segment.text for segment in line)


def on_dashboard(app: WatchdeckApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen), f"on {screen!r}"
    return screen


def polled_ranges(app: WatchdeckApp) -> set[float]:
    return {window[0] for window in app.poller.windows().values()}


async def test_plus_and_minus_zoom_through_the_steps(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert header(app).time_range == "1h"
        await pilot.press("minus")
        assert header(app).time_range == "3h"
        assert app.navigator.state.range == 3 * HOUR
        panel = app.screen.query_one("#panel-requests", PanelView)
        assert panel.range_seconds == 3 * HOUR
        # Single values keep twice their range to compare with the window before.
        assert polled_ranges(app) == {3 * HOUR, 6 * HOUR}
        await pilot.press("plus", "plus", "plus")
        assert header(app).time_range == "15m", "stops at the shortest step"
        await pilot.press("equals_sign")
        assert header(app).time_range == "15m"
        assert "15m ◌ LIVE" in header_text(app), "no data yet: not fresh"


async def test_brackets_pan_by_half_a_range_and_zero_returns_to_live(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("left_square_bracket")
        now = frozen_clock.now()
        assert app.navigator.state.range_end == now - HOUR / 2
        assert header(app).window_end == "07:30 (-30m)"
        assert "1h ◷ to 07:30 (-30m)" in header_text(app)
        assert "LIVE" not in header_text(app)
        ends = {window[1] for window in app.poller.windows().values()}
        assert ends == {now - HOUR / 2}
        await pilot.press("left_square_bracket")
        assert header(app).window_end == "07:00 (-1h)"
        await pilot.press("right_square_bracket")
        assert header(app).window_end == "07:30 (-30m)"
        await pilot.press("right_square_bracket")
        assert app.navigator.state.range_end is None, "forward to now is live"
        assert "LIVE" in header_text(app)
        await pilot.press("left_square_bracket", "left_square_bracket", "0")
        assert app.navigator.state.live
        assert {window[1] for window in app.poller.windows().values()} == {None}


async def test_a_panel_with_its_own_range_keeps_it_when_zooming(
    frozen_clock: ManualClock,
) -> None:
    loaded = load_profile_text(OWN_RANGE_PROFILE, "ranges.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus", "minus")
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.query_one("#panel-follows", PanelView).range_seconds == 12 * HOUR
        assert screen.query_one("#panel-keeps", PanelView).range_seconds == 7 * 86400
        assert polled_ranges(app) == {12 * HOUR, 7 * 86400}


async def test_zoom_follows_to_the_next_dashboard(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("minus", "minus")
        # Digits recall bookmarked views; the dashboard list opens another one.
        app.open_dashboard("latency")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.dashboard.id == "latency"
        assert header(app).time_range == "12h"


async def test_v_picks_a_variable_value_from_its_choices(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_dashboard("latency")
        await pilot.pause(0.2)
        await pilot.press("v")
        await pilot.pause(0.2)
        assert isinstance(app.screen, VariableListScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, VariableValueScreen)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0, "the current value is highlighted"
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert app.loaded.variables["service"] == "payments"
        assert screen.dashboard.title == "payments: latency detail"
        assert app.navigator.state.drill_path == [("latency", {"service": "payments"})]
        keys = {key for key in app.poller.windows() if "payments-latency" in key}
        assert keys, "the panels re-query with the new value"


async def test_v_with_escape_changes_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("v", "enter", "down", "escape")
        await pilot.pause(0.2)
        assert app.screen is screen
        assert app.loaded.variables["service"] == "checkout"
        await pilot.press("v", "escape")
        await pilot.pause(0.2)
        assert app.screen is screen


async def test_a_variable_without_choices_takes_a_typed_value(
    frozen_clock: ManualClock,
) -> None:
    text = OWN_RANGE_PROFILE.replace(
        "sources:", "variables:\n  metric: {default: a}\nsources:"
    ).replace("metric: a}", "metric: '${metric}'}")
    loaded = load_profile_text(text, "typed.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "enter")
        await pilot.pause(0.2)
        field = app.screen.query_one(Input)
        assert field.value == "a"
        field.value = ""
        await pilot.press(*"orders", "enter")
        await pilot.pause(0.3)
        assert app.loaded.variables["metric"] == "orders"
        assert any('"orders"' in key for key in app.poller.windows())


async def test_g_follows_the_link_and_escape_walks_back_with_the_variables(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.navigator.set_variable(on_dashboard(app).dashboard, "service", "cart")
        await pilot.pause(0.2)
        app.screen.query_one("#panel-latency", PanelView).focus()
        await pilot.press("g")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.dashboard.id == "latency"
        assert app.loaded.variables["service"] == "checkout", "the link sets it"
        assert header(app).location == (
            "Demo › checkout: service health › checkout: latency detail"
        )
        assert "Demo › checkout: service health › checkout: latency" in header_text(app)
        await pilot.press("escape")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.dashboard.id == "service"
        assert app.loaded.variables["service"] == "cart", "back restores them"
        assert header(app).location == "Demo › checkout: service health"
        await pilot.press("backspace")
        await pilot.pause(0.2)
        assert app.screen is screen, "nothing further back"


async def test_g_on_a_panel_without_a_link_stays(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("g")
        await pilot.pause(0.2)
        assert app.screen is screen
        assert len(app.navigator.state.drill_path) == 1


async def test_enter_still_opens_the_drill_down_whose_g_follows_the_link(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#panel-latency", PanelView).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DrillDownScreen)
        await pilot.press("g")
        await pilot.pause(0.3)
        assert isinstance(app.screen, DashboardScreen)
        assert [step[0] for step in app.navigator.state.drill_path] == [
            "service",
            "latency",
        ]
        await pilot.press("backspace")
        await pilot.pause(0.3)
        assert on_dashboard(app).dashboard.id == "service"


async def test_slash_filters_panels_by_title_and_escape_clears(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("slash", *"LATENCY")
        await pilot.pause(0.2)
        shown = [p.spec.id for p in screen.query(PanelView) if p.display]
        titles = {p.spec.id: p.spec.title.lower() for p in screen.query(PanelView)}
        assert shown == [pid for pid, title in titles.items() if "latency" in title]
        assert 0 < len(shown) < len(titles)
        assert app.navigator.state.filter == "LATENCY"
        line = screen.query_one(PanelFilter)
        footer = screen.query_one(Footer)
        assert line.region.height == 1
        assert line.region.bottom <= footer.region.y, "the line sits above the footer"
        assert header(app).unhealthy <= len(shown), "hidden panels are not counted"
        polled = app.poller.windows()
        assert not any("requests" in key for key in polled), "hidden: not polled"
        await pilot.press("enter")
        await pilot.pause(0.2)
        focused = app.focused
        assert isinstance(focused, PanelView) and focused.spec.id in shown
        await pilot.press("g")  # a key again, not typed into the filter
        await pilot.pause(0.3)
        assert on_dashboard(app).dashboard.id == "latency"
        assert app.navigator.state.filter == "", "a new dashboard starts unfiltered"
        await pilot.press("escape")
        await pilot.pause(0.3)
        screen = app.screen
        await pilot.press("slash", *"cpu", "enter")
        await pilot.pause(0.2)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is screen, "the first Esc clears the filter"
        assert all(p.display for p in screen.query(PanelView))
        assert app.navigator.state.filter == ""


async def test_palette_offers_time_and_navigation_commands(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("colon")
        await pilot.pause(0.2)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"range: 7d")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.navigator.state.range == 7 * 86400
        assert header(app).time_range == "7d"
        await pilot.press("colon")
        await pilot.pause(0.2)
        await pilot.press(*"zoom in")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert header(app).time_range == "1d"


async def test_a_saved_navigation_state_comes_back_whole(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    saved = NavigationState(
        range=12 * HOUR,
        range_end=frozen_clock.now() - HOUR,
        filter="latency",
        drill_path=[
            ("service", {"service": "checkout"}),
            ("latency", {"service": "cart"}),
        ],
    )
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.navigator.restore(saved)
        await pilot.pause(0.3)
        screen = on_dashboard(app)
        assert screen.dashboard.title == "cart: latency detail"
        assert header(app).location == (
            "Demo › checkout: service health › cart: latency detail"
        )
        assert header(app).time_range == "12h"
        assert header(app).window_end == "07:00 (-1h)"
        assert [p.spec.id for p in screen.query(PanelView) if p.display] == [
            "percentiles",
            "distribution",
        ]
        await pilot.press("escape", "escape")
        await pilot.pause(0.3)
        assert on_dashboard(app).dashboard.id == "service"
        assert app.loaded.variables["service"] == "checkout"


async def test_plus_and_minus_in_a_drill_down_zoom_that_panel_alone(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#panel-latency", PanelView).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DrillDownScreen)
        await pilot.press("minus", "minus")
        assert header(app).time_range == "12h"
        assert app.navigator.state.panel_ranges == {"service/latency": 12 * HOUR}
        assert polled_ranges(app) == {12 * HOUR}
        await pilot.press("escape")
        await pilot.pause(0.2)
        screen = on_dashboard(app)
        assert screen.query_one("#panel-latency", PanelView).range_seconds == 12 * HOUR
        assert (
            screen.query_one("#panel-latency-heatmap", PanelView).range_seconds == HOUR
        )
        assert header(app).time_range == "1h", "the dashboard's own range is unchanged"
        await pilot.press("minus")
        assert (
            screen.query_one("#panel-latency-heatmap", PanelView).range_seconds
            == 3 * HOUR
        )
        assert screen.query_one("#panel-latency", PanelView).range_seconds == 12 * HOUR
