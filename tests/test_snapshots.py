"""Pictures of the demo pinned as SVG snapshots, with a fixed seed and clock.

The clock stands at 2027-01-15 08:00 UTC. The demo's incident starts 20 s after the
synthetic source is created; tests that want it move the clock on and poll again.
Update after a deliberate change with `pytest tests/test_snapshots.py
--snapshot-update`, and look at the pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from console.clock import ManualClock
from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import LoadedProfile, load_profile
from screens.app import WatchdeckApp
from tests.pilot_support import wait_for_data

SnapCompare = Callable[..., bool]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every panel shows data and no call is in flight (a chart's
    comparison window may land after its live data), then let the last paint
    finish."""
    await wait_for_data(pilot)
    app = pilot.app
    assert isinstance(app, WatchdeckApp)
    for _ in range(100):
        if not app.poller.in_flight():
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


def incident_at(clock: ManualClock, seconds: float) -> Callable[[Pilot[Any]], Any]:
    """A run_before that waits for data, moves the clock on and polls again."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, WatchdeckApp)
        await settle(pilot)
        clock.advance(seconds)
        app.poller.refresh_now()
        await pilot.pause(0.5)
        await settle(pilot)

    return run_before


def test_demo_calm_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the checkout service dashboard before the incident: every
    panel bordered in grey with a green `● OK` badge, `2k req/s` in big digits in
    the focused (orange, heavy-bordered) Requests panel, the p99 latency chart with
    two series near 200 ms under dotted warning (400) and critical (800) lines, a
    four-slice region bar, bars per endpoint, a sortable endpoints table, six green
    service tiles, and the header reading `● LIVE`, `no alerts`, `08:00`."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    assert snap_compare(app, terminal_size=(160, 48), run_before=settle)


def test_demo_calm_at_80x24(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the panels reflowed into two columns in reading order
    (Requests beside Error rate, then Worker pool CPU beside the latency alert),
    the rest below the fold behind a scrollbar, and the footer keys."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_demo_incident_critical_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the incident one minute in: the header red with
    `✖ … critical`; the p99 latency alert tile reversed, reading FIRING CRITICAL
    with `checkout … ms >= 800ms`; the latency chart, error rate and services
    `payments` and `api` tiles in red with `✖ CRIT` badges; the heatmap's slow
    buckets lit in the last columns."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    assert snap_compare(
        app, terminal_size=(160, 48), run_before=incident_at(frozen_clock, 60)
    )


def test_demo_incident_critical_at_80x24(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the reflowed dashboard one minute into the incident: a red
    header counting critical panels, Error rate red with `✖ CRIT`, and the latency
    alert tile reversed reading FIRING CRITICAL."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=incident_at(frozen_clock, 60)
    )


def test_drill_down_of_latency_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the p99 latency chart at full width on top, its samples in a
    table at the bottom left (newest first, 08:00:00), and at the bottom right the
    panel's query as YAML, its thresholds (warning 400ms, critical 800ms) and
    `g opens dashboard 'latency'`; the header's breadcrumb ends in `p99 latency`."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_help_at_80x24(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see a framed list of keys over the dimmed dashboard: Enter drill
    down, r refresh, p pause, d dashboards, : commands, + = zoom in, - zoom out,
    [ and ] back and forward half a range, 0 back to live, v variables, / filter,
    g linked dashboard, esc and backspace back, then tab and the arrows with h j k
    l (the rest scrolls: bookmarks, alerts, notes, feedback, q quit, ? help)."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_drilled_zoomed_and_panned_header_at_160x48(
    snap_compare: SnapCompare, demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    """You should see the latency detail dashboard reached by `g` from the p99
    latency panel, its header reading `Demo › checkout: service health › checkout:
    latency detail` and, on the right, `3h ◷ to 06:30 (-1h30m)` in the warning
    colour where `● LIVE` would be; the percentile chart's time axis runs from
    about 03:30 to 06:30, not to 08:00."""
    app = WatchdeckApp(demo_profile, clock=frozen_clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app.screen.query_one("#panel-latency").focus()
        await pilot.press("g")
        await pilot.pause(0.3)
        await pilot.press("minus", "left_square_bracket")
        await pilot.pause(0.3)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)


def test_executive_health_score_during_the_incident(
    snap_compare: SnapCompare, frozen_clock: ManualClock
) -> None:
    """You should see the executive overview 80 s into its incident: the tall Health
    score panel on the left bordered red or orange with a score well under 90 in
    big digits and `/100`, a `▼ .. pts vs ..` line, a sparkline falling from full
    height, and the worst contributors under it (`✖ Customers cannot check out`
    first, each with the points it costs), next to red and orange executive
    panels."""
    loaded = load_profile(shipped_profiles_dir() / "executive.yaml")
    app = WatchdeckApp(loaded, clock=frozen_clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for _ in range(4):
            frozen_clock.advance(20)
            app.poller.refresh_now()
            await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(160, 48), run_before=run_before)
