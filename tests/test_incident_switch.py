"""Incident mode: a critical alert opens the profile's incident dashboard once, and
every screen's header names it."""

from __future__ import annotations

from pathlib import Path

from console.clock import ManualClock
from console.profile_loader import load_profile
from screens.alerts import AlertsScreen
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.drilldown import DrillDownScreen
from screens.timeline import TimelineScreen
from tests.pilot_support import wait_for_data
from widgets.status_header import StatusHeader

# The latency shape without its incident stays near 180 ms: a critical level of
# 100 ms makes the panel critical from its first sample.
PROFILE = """\
profile: paged
title: Paged
incident: {dashboard: war-room, switch: true}
sources:
  shop: {type: testdata, seed: 5}
dashboards:
  - id: overview
    title: Overview
    refresh: 5s
    range: 15m
    panels:
      - id: latency
        title: Checkout latency
        type: alert_status
        at: {x: 0, y: 0, w: 6, h: 6}
        query: {source: shop, metric: lat, shape: latency, incident: false}
        thresholds: {warning: 50, critical: 100}
      - id: traffic
        title: Traffic
        type: single_value
        at: {x: 6, y: 0, w: 6, h: 6}
        query: {source: shop, metric: req, shape: counter}
  - id: war-room
    title: War room
    kind: incident
    refresh: 5s
    range: 15m
    panels:
      - id: latency
        title: Checkout latency
        type: alert_status
        at: {x: 0, y: 0, w: 6, h: 6}
        query: {source: shop, metric: lat, shape: latency, incident: false}
        thresholds: {warning: 50, critical: 100}
      - id: errors
        title: Errors
        type: single_value
        at: {x: 6, y: 0, w: 6, h: 6}
        query: {source: shop, metric: err, shape: errors, incident: false}
"""


def _dashboard_id(app: WatchdeckApp) -> str | None:
    screen = app.screen
    return screen.dashboard.id if isinstance(screen, DashboardScreen) else None


async def test_a_critical_alert_opens_the_incident_dashboard_once(
    tmp_path: Path, frozen_clock: ManualClock
) -> None:
    path = tmp_path / "paged.yaml"
    path.write_text(PROFILE)
    app = WatchdeckApp(load_profile(path), dashboard_id="overview", clock=frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(40):
            await pilot.pause(0.1)
            if _dashboard_id(app) == "war-room":
                break
        assert _dashboard_id(app) == "war-room"
        await wait_for_data(pilot)
        await pilot.pause(0.2)

        # Every screen's header names the critical alert.
        header = app.screen.query_one(StatusHeader)
        assert header.critical == 1
        assert header.incident == "Checkout latency"
        for key, kind in (("a", AlertsScreen), ("t", TimelineScreen)):
            await pilot.press(key)
            await pilot.pause(0.2)
            assert isinstance(app.screen, kind)
            shown = app.screen.query_one(StatusHeader)
            assert shown.critical == 1
            assert shown.incident == "Checkout latency"
            await pilot.press("escape")
            await pilot.pause(0.1)
        assert _dashboard_id(app) == "war-room"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, DrillDownScreen)
        assert app.screen.query_one(StatusHeader).incident == "Checkout latency"
        await pilot.press("escape")
        await pilot.pause(0.1)

        # Going back to the overview re-raises the same alert: no second switch.
        app.open_dashboard("overview")
        await wait_for_data(pilot)
        for _ in range(3):
            frozen_clock.advance(5)
            app.poller.refresh_now()
            await pilot.pause(0.3)
        assert _dashboard_id(app) == "overview"
        assert app.screen.query_one(StatusHeader).incident == "Checkout latency"
