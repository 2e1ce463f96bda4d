"""The demo's promise: its incident turns panels warning, then critical, within the
first minute, and everything recovers by itself a few minutes later."""

from __future__ import annotations

from console.clock import ManualClock
from console.evaluation import PanelState
from console.profile_loader import LoadedProfile
from screens.app import WatchdeckApp
from tests.pilot_support import wait_for_data
from widgets.panel import PanelView
from widgets.status_header import StatusHeader


async def test_incident_fires_within_a_minute_and_recovers(
    demo_profile: LoadedProfile, frozen_clock: ManualClock
) -> None:
    app = WatchdeckApp(demo_profile, clock=frozen_clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_data(pilot)
        start = frozen_clock.now()

        async def states_at(seconds: float) -> dict[str, PanelState]:
            frozen_clock.set(start + seconds)
            app.poller.refresh_now()
            await pilot.pause(0.4)
            return {p.spec.id: p.state for p in app.screen.query(PanelView)}

        calm = await states_at(10)
        assert calm["latency-alert"] is PanelState.OK
        assert calm["error-rate"] is PanelState.OK

        early = await states_at(30)
        assert early["latency-alert"] in (PanelState.WARNING, PanelState.CRITICAL)

        firing = await states_at(55)
        assert firing["latency-alert"] is PanelState.CRITICAL
        assert firing["error-rate"] is PanelState.CRITICAL
        header = app.screen.query_one(StatusHeader)
        assert header.critical >= 2

        recovered = await states_at(600)
        assert recovered["latency-alert"] is PanelState.OK
        assert recovered["error-rate"] is PanelState.OK
        assert header.critical == 0
