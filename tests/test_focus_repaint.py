"""Moving the focus repaints the panels it restyles, not the whole screen.

Textual's `Screen.focused` repaints the whole screen when it changes; on a 160x48
dashboard that was about 30 KB through SSH for one Tab. Whether a frame is full or
partial is the compositor's decision, so the test watches `render_full_update`,
Textual's own method for the full frame, rather than counting bytes of a terminal
it does not have.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import Compositor

from console.clock import ManualClock
from console.profile_loader import LoadedProfile
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
