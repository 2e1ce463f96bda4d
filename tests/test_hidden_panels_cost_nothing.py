"""Panels scrolled out of view are not drawn when their data changes; they are
drawn once they scroll into view."""

from __future__ import annotations

from bench.scale_profile import make_profile
from console.clock import ManualClock
from console.profile_loader import load_profile_text
from screens.app import WatchdeckApp
from widgets.drawing_view import DrawingView
from widgets.panel import PanelView

SIZE = (120, 30)


async def test_a_panel_below_the_screen_is_drawn_only_once_scrolled_to(
    frozen_clock: ManualClock,
) -> None:
    loaded = load_profile_text(make_profile(30, 300), "generated.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.poller.calls and all(
                p.state.name != "NO_DATA" for p in app.screen.query(PanelView)
            ):
                break
        panels = list(app.screen.query(PanelView))
        first, last = panels[0], panels[-1]
        first_view = first.query_one(DrawingView)
        last_view = last.query_one(DrawingView)
        drawn_first, drawn_last = first_view.draws, last_view.draws
        # New data for every panel: only those on screen draw it.
        frozen_clock.advance(5.0)
        app.poller.refresh_now()
        for _ in range(30):
            await pilot.pause(0.1)
            if first_view.draws > drawn_first:
                break
        assert first_view.draws > drawn_first, "a panel on screen draws new data"
        assert last_view.draws == drawn_last, "a panel out of view draws nothing"
        last.focus()
        last.scroll_visible(animate=False)
        await pilot.pause(0.3)
        assert last_view.draws > drawn_last, "it draws once scrolled into view"
