"""Usage through the real app: open dashboards, drill, acknowledge, give feedback,
look at the performance overlay; then read what the state store kept."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot

from console.clock import ManualClock
from console.profile_loader import LoadedProfile
from console.storage.records import Acknowledgement, UsageRecord
from console.storage.sqlite_store import SqliteStateStore
from screens.app import WatchdeckApp
from screens.drilldown import DrillDownScreen
from screens.feedback import FeedbackScreen
from tests.pilot_support import wait_for_data
from widgets.performance_overlay import PerformanceOverlay

SIZE = (160, 48)


async def wait_for_load(pilot: Pilot[int], app: WatchdeckApp) -> None:
    """Wait until the dashboard on screen has its load time; fail if never."""
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if app.usage.load is not None and app.usage.load.result is not None:
            return
    raise AssertionError("the dashboard never finished loading")


def kept(path: Path) -> list[UsageRecord]:
    store = SqliteStateStore(path)
    try:
        return store.usage(since=0)
    finally:
        store.close()


async def test_a_session_leaves_dashboards_drills_acks_actions_and_load_times(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    path = tmp_path / "state.sqlite"
    app = WatchdeckApp(
        demo_profile, clock=frozen_clock, state_store=SqliteStateStore(path)
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        frozen_clock.advance(40)
        await pilot.press("enter")
        assert isinstance(app.screen, DrillDownScreen)
        # Acknowledging from a panel lands in the state store (the alerts work
        # stores it there); this stands in for that screen, which is not built yet.
        app.state_store.acknowledge(
            Acknowledgement(
                "panel:service/requests", "ana", frozen_clock.now(), 1e12, "on it"
            )
        )
        await pilot.press("escape")
        # The dashboard list opens on the current one; the next is `host`.
        await pilot.press("d", "down", "enter")
        await wait_for_load(pilot, app)
        frozen_clock.advance(20)
        await pilot.press("q")
    records = kept(path)
    kinds = [record.kind for record in records]
    assert kinds[0] == "start" and kinds.count("end") == 1
    opened = [(r.dashboard, r.duration) for r in records if r.kind == "dashboard"]
    assert opened == [("service", 40.0), ("host", 20.0)]
    drill = next(r for r in records if r.kind == "drill")
    assert (drill.dashboard, drill.panel) == ("service", "requests")
    ack = next(r for r in records if r.kind == "ack")
    assert (ack.dashboard, ack.panel, ack.user) == ("service", "requests", "ana")
    loads = [r.dashboard for r in records if r.kind == "load"]
    assert loads[:2] == ["service", "host"]
    counts = next(r for r in records if r.kind == "actions").detail["counts"]
    assert counts["drill"] == 1 and counts["dashboards"] == 1 and counts["back"] == 1
    sources = next(r for r in records if r.kind == "source_stats").detail["stats"]
    assert {"shop", "host"} <= set(sources)
    assert all(figures["calls"] >= 1 for figures in sources.values())
    renders = next(r for r in records if r.kind == "render_stats").detail["stats"]
    assert "service/requests" in renders


async def test_no_usage_keeps_nothing(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    path = tmp_path / "state.sqlite"
    app = WatchdeckApp(
        demo_profile,
        clock=frozen_clock,
        state_store=SqliteStateStore(path),
        usage=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        await pilot.press("enter", "escape", "q")
    assert kept(path) == []


async def test_feedback_is_kept_with_its_dashboard_and_panel(
    demo_profile: LoadedProfile, frozen_clock: ManualClock, tmp_path: Path
) -> None:
    path = tmp_path / "state.sqlite"
    app = WatchdeckApp(
        demo_profile, clock=frozen_clock, state_store=SqliteStateStore(path)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "f")
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press(*"needs p99", "enter")
        assert not isinstance(app.screen, FeedbackScreen)
        await pilot.press("f", "escape")
        await pilot.press("q")
    notes = [r for r in kept(path) if r.kind == "feedback"]
    assert [(n.dashboard, n.panel, n.detail["text"]) for n in notes] == [
        ("service", "error-rate", "needs p99")
    ]


async def test_the_overlay_shows_every_panel_and_its_sources_and_goes_away(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_data(pilot)
        await pilot.press("o")
        await pilot.pause()
        overlay = app.screen.query_one(PerformanceOverlay)
        text = str(overlay.render())
        assert "loaded in" in text
        assert "Requests" in text and "shop" in text
        # Draw reports arrive as messages, so the overlay may be one cycle behind:
        # bring it up to date once, then the same figures must not repaint it.
        app.usage.refresh_overlay()
        painted = overlay.repaints
        app.usage.refresh_overlay()
        assert overlay.repaints == painted, "same figures, no repaint"
        await pilot.press("o")
        await pilot.pause()
        assert not app.screen.query(PerformanceOverlay)
