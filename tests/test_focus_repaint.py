"""Moving the focus repaints the panels it restyles, not the whole screen, and
rebuilds the footer only when the keys it shows change.

Textual's `Screen.focused` repaints the whole screen when it changes; on a 160x48
dashboard that was about 30 KB through SSH for one Tab. Whether a frame is full or
partial is the compositor's decision, so the test watches `render_full_update`,
Textual's own method for the full frame, rather than counting bytes of a terminal
it does not have.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from console.clock import ManualClock
from console.profile_loader import LoadedProfile, load_profile_text
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from tests.pilot_support import wait_for_data
from widgets.panel import PanelView


async def test_tab_restyles_two_panels_without_a_full_frame(
    demo_profile: LoadedProfile,
    frozen_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full_frames: list[int] = []
    original = Compositor.render_full_update

    def counted(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        full_frames.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_full_update", counted)
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        before = screen.focused
        assert isinstance(before, PanelView)
        full_frames.clear()
        await pilot.press("tab")
        await pilot.pause(0.3)
        after = screen.focused
        assert isinstance(after, PanelView)
        assert after is not before
        assert after.has_pseudo_class("focus")
        assert not before.has_pseudo_class("focus")
        assert full_frames == []


FOOTER_PROFILE = """\
profile: footer
title: Footer
sources:
  shop: {type: testdata, seed: 3}
dashboards:
  - id: main
    title: Main
    panels:
      - id: first
        title: First chart
        type: line_chart
        at: {x: 0, y: 0, w: 4, h: 8}
        query: {source: shop, metric: a}
      - id: second
        title: Second chart
        type: line_chart
        at: {x: 4, y: 0, w: 4, h: 8}
        query: {source: shop, metric: b}
      - id: endpoints
        title: Endpoints
        type: table
        at: {x: 8, y: 0, w: 4, h: 8}
        query: {source: shop, table: endpoints}
"""


async def test_the_footer_rebuilds_only_when_its_keys_change(
    frozen_clock: ManualClock,
) -> None:
    app = WatchdeckApp(
        load_profile_text(FOOTER_PROFILE, "footer.yaml"), clock=frozen_clock
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.2)
        screen = app.screen
        keys_before = list(screen.query(FooterKey))
        assert keys_before
        await pilot.press("tab")  # first chart to second: the same keys
        await pilot.pause(0.2)
        assert isinstance(screen.focused, PanelView)
        assert screen.focused.spec.id == "second"
        assert list(screen.query(FooterKey)) == keys_before
        await pilot.press("tab")  # to the table, which can be sorted
        await pilot.pause(0.2)
        assert isinstance(screen.focused, PanelView)
        assert screen.focused.spec.id == "endpoints"
        keys_after = list(screen.query(FooterKey))
        assert keys_after
        assert not set(keys_after) & set(keys_before)


async def test_new_reason_words_repaint_without_a_layout(
    demo_profile: LoadedProfile,
    frozen_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A breach's reason names the newest value, so it changes with every answer;
    its line is one row high, and new words must not lay out the whole screen."""
    layouts: list[int] = []
    original = DashboardScreen._refresh_layout

    def counted(self: DashboardScreen, *args: Any, **kwargs: Any) -> None:
        layouts.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(DashboardScreen, "_refresh_layout", counted)
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.3)
        panel = app.screen.query(PanelView).first()
        data = panel.data
        reason = panel.query_one(".panel--reason", Static)
        layouts.clear()
        for words in ("latency 912ms >= 800ms", "latency 1.02s >= 800ms"):
            status = replace(data.status, reason=words)
            panel.show(data.states, status, data.now, data.since)
            await pilot.pause(0.1)
            assert str(reason.content) == words
        assert layouts == []
