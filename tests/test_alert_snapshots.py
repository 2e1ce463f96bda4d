"""Pictures of alerts in their states: acknowledged, escalated, and the alerts list.

The clock stands at 2027-01-15 08:00 UTC; the demo's incident is critical a minute
in, and the demo's escalation (bell_invert after 1m, banner after 2m) is paced for
its short incident. Look at the pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from console.alert_model import AlertState
from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from tests.test_snapshots import incident_at, settle
from widgets.status_header import StatusHeader

SnapCompare = Callable[..., bool]


def test_acknowledged_tile_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the p99 latency alert tile reading ACKNOWLEDGED CRITICAL in
    red without reverse video, `ack … until 09:01: rolling back` under the
    headline, its badge ending `· ACK <user>`, and the header counting `✓ 1 ack`
    beside the other critical panels."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    firing = incident_at(frozen_clock, 60)

    async def run_before(pilot: Pilot[Any]) -> None:
        await firing(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.focus_panel("latency-alert")
        await pilot.press("A", *"rolling back", "enter")
        await pilot.pause(0.3)
        alert = app.triage.panel_alert("service", "latency-alert")
        assert alert is not None and alert.state is AlertState.ACKNOWLEDGED

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_escalated_tile_and_banner_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see, two minutes after the alerts went critical, every critical
    panel with a thick red border and its title on red, the p99 latency alert tile
    entirely in reverse video, and under the header a red banner `ESCALATED: …
    critical since 08:01 …, not acknowledged (+N more). Press a for alerts, A to
    acknowledge.`"""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    firing = incident_at(frozen_clock, 60)

    async def run_before(pilot: Pilot[Any]) -> None:
        await firing(pilot)
        frozen_clock.advance(125)
        app.poller.refresh_now()
        await pilot.pause(0.5)
        await settle(pilot)
        alert = app.triage.panel_alert("service", "latency-alert")
        assert alert is not None and alert.bannered and alert.inverted
        header = app.screen.query_one(StatusHeader)
        for _ in range(50):
            if header.banner:
                break
            await pilot.pause(0.1)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_alerts_screen_at_120x30(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the alerts list a minute into the incident: critical rows
    first (`✖ critical`, firing), the longest firing at the top, then warnings,
    each with why, for how long, its source (`threshold`), and the latency alert's
    runbook; the header reads `… › alerts` and the footer lists Back,
    Filter, Acknowledge and Unacknowledge."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    firing = incident_at(frozen_clock, 60)

    async def run_before(pilot: Pilot[Any]) -> None:
        await firing(pilot)
        await pilot.press("a")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)
