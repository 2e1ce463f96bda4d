"""A source that hangs shows its reason in its own panel, backs off, and never stops
another panel from updating or the keyboard from answering."""

from __future__ import annotations

import time

import pytest

from console.evaluation import PanelState
from console.profile_loader import load_profile_text
from screens.app import WatchdeckApp
from tests.server_faults import silent_server
from widgets.panel import PanelView

pytestmark = pytest.mark.integration

PROFILE = """
profile: isolation
title: Isolation
sources:
  hung: {{type: http, base_url: "{url}", timeout: 1s}}
  shop: {{type: testdata}}
dashboards:
  - id: main
    title: Main
    refresh: 1s
    panels:
      - id: hung
        title: Hung API
        type: single_value
        at: {{x: 0, y: 0, w: 6, h: 6}}
        query: {{source: hung, path: /value, reading: value}}
      - id: live
        title: Live data
        type: single_value
        at: {{x: 6, y: 0, w: 6, h: 6}}
        query: {{source: shop, metric: requests, shape: counter}}
"""


async def test_a_hung_source_fails_alone_and_backs_off() -> None:
    async with silent_server() as url:
        loaded = load_profile_text(PROFILE.format(url=url), "isolation.yaml")
        app = WatchdeckApp(loaded)
        async with app.run_test(size=(120, 30)) as pilot:
            hung = app.screen.query_one("#panel-hung", PanelView)
            live = app.screen.query_one("#panel-live", PanelView)
            deadline = time.monotonic() + 10
            while hung.state is not PanelState.ERROR and time.monotonic() < deadline:
                await pilot.pause(0.1)
            assert hung.state is PanelState.ERROR
            assert "timed out" in hung.data.status.reason
            assert live.state is PanelState.OK, "the other source kept answering"

            live_state = next(s for s in app.store if s.key.startswith("shop:"))
            newest_before = live_state.latest_time()
            # Keys are handled while one source hangs: the focus moves. How long
            # that takes is a benchmark's business (bench/key_latency.py), not a
            # test's.
            focused_before = app.focused
            await pilot.press("tab")
            assert isinstance(app.focused, PanelView)
            assert app.focused is not focused_before, "keys answer while one hangs"
            assert newest_before is not None
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                await pilot.pause(0.2)
                newest_after = live_state.latest_time()
                if newest_after is not None and newest_after > newest_before:
                    break
            else:
                raise AssertionError("the live panel stopped updating")
            assert hung.state is PanelState.ERROR, "the hung one still says so"

            groups = app.poller.group_sizes()
            assert ("hung", 1.0) in groups
            due = app.poller.next_due()
            assert due is not None
            hung_state = next(s for s in app.store if s.key.startswith("hung:"))
            assert hung_state.failures >= 1
