"""Helpers for tests that drive the app through Textual's pilot."""

from __future__ import annotations

import time
from typing import Any

from textual.pilot import Pilot

from console.evaluation import PanelState
from widgets.panel import PanelView


async def wait_for_data(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until every panel on screen shows data (or an error); fail if never."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        panels = list(pilot.app.screen.query(PanelView))
        if panels and all(p.state is not PanelState.NO_DATA for p in panels):
            return
    raise AssertionError("panels never got data")
