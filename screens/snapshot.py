"""`watchdeck snapshot`: render a dashboard once, headless, after its data arrives."""

from __future__ import annotations

import asyncio
import time

from console.clock import Clock
from console.evaluation import PanelState
from console.profile_loader import LoadedProfile
from screens.app import WatchdeckApp
from widgets.panel import PanelView

SETTLE = 0.2
"""Seconds to let the last answers paint before the picture is taken."""


def render_snapshot(
    loaded: LoadedProfile,
    *,
    dashboard_id: str | None,
    size: tuple[int, int],
    image: bool,
    wait: float,
    clock: Clock | None = None,
) -> str:
    """The dashboard as plain text (or SVG when `image`), once every panel has data
    or an error, or once `wait` seconds have passed, whichever comes first."""
    return asyncio.run(
        _render(
            loaded,
            dashboard_id=dashboard_id,
            size=size,
            image=image,
            wait=wait,
            clock=clock,
        )
    )


async def _render(
    loaded: LoadedProfile,
    *,
    dashboard_id: str | None,
    size: tuple[int, int],
    image: bool,
    wait: float,
    clock: Clock | None,
) -> str:
    app = WatchdeckApp(loaded, dashboard_id=dashboard_id, clock=clock)
    async with app.run_test(size=size) as pilot:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            await pilot.pause(0.1)
            panels = list(app.screen.query(PanelView))
            if panels and all(p.state is not PanelState.NO_DATA for p in panels):
                break
        await pilot.pause(SETTLE)
        if image:
            return app.export_screenshot(title=f"watchdeck: {loaded.profile.title}")
        # The compositor holds the frame as drawn; reading it is the only way to get
        # the picture as text without a terminal.
        strips = app.screen._compositor.render_strips()
        return "\n".join("".join(s.text for s in strip).rstrip() for strip in strips)
