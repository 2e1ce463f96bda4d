"""Every fault against every network source, through the real poller: the panel
shows the reason and the age of its data, the poller backs off further with each
failure, and the panel recovers by itself once the server does. Clock jumps keep
freshness honest.

The server is real (aiohttp on 127.0.0.1) and so are the sources and the poller;
only the clock is a ManualClock, so that backoff and ages can be read exactly, and
name resolution is a stand-in, because no test may ask a real DNS server.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from console.clock import ManualClock
from console.evaluation import PanelState, PanelStatus, evaluate_panel
from console.poller import Poller
from console.profile_loader import load_profile_text
from console.profile_schema import Panel
from console.session import Session
from console.sources.alertmanager import AlertmanagerOptions, AlertmanagerSource
from console.sources.base import Source
from console.sources.http_json import HttpSource
from console.sources.http_options import HttpOptions
from console.sources.prometheus import PrometheusOptions, PrometheusSource
from console.store import Freshness, QueryState, Store
from screens.app import WatchdeckApp
from screens.dashboard import DashboardScreen
from screens.help import HelpScreen
from tests.server_faults import silent_server
from tests.server_switchable import (
    FAULTS,
    SwitchableResolver,
    SwitchableServer,
    switchable_server,
)
from widgets.panel import PanelView

pytestmark = [pytest.mark.reliability, pytest.mark.integration]

T0 = 1_800_000_000.0
INTERVAL = 10.0

PROFILES = {
    "prometheus": """
profile: faults
title: Faults
sources:
  src: {{type: prometheus, url: "{url}", timeout: 1s}}
dashboards:
  - id: main
    title: Main
    refresh: 10s
    range: 10m
    panels:
      - id: panel
        title: Up
        type: single_value
        at: {{x: 0, y: 0, w: 6, h: 6}}
        query: {{source: src, promql: up}}
""",
    "alertmanager": """
profile: faults
title: Faults
sources:
  src: {{type: alertmanager, url: "{url}", timeout: 1s}}
dashboards:
  - id: main
    title: Main
    refresh: 10s
    panels:
      - id: panel
        title: Alerts
        type: table
        at: {{x: 0, y: 0, w: 6, h: 6}}
        query: {{source: src}}
""",
    "http": """
profile: faults
title: Faults
sources:
  src: {{type: http, base_url: "{url}", timeout: 1s}}
dashboards:
  - id: main
    title: Main
    refresh: 10s
    panels:
      - id: panel
        title: Value
        type: single_value
        at: {{x: 0, y: 0, w: 6, h: 6}}
        query: {{source: src, path: /value, path_in_response: value, reading: value}}
""",
}

EXPECTED_REASON = {
    "hang": "timed out",
    "drip": "timed out",
    "unavailable": "503",
    "throttled": "429",
    "expired": "401",
    "malformed": "JSON",
    "html": "502",
    "oversize": "MB",
    "reset": "connection",
    "dns": "cannot resolve",
}
"""A word each fault's reason must hold, whatever the source."""


@dataclass
class Rig:
    """One source kind polled for one panel, against the switchable server."""

    server: SwitchableServer
    resolver: SwitchableResolver
    clock: ManualClock
    store: Store
    poller: Poller
    session: Session
    panel: Panel

    async def poll(self) -> None:
        """Run the poll that is due now (moving the clock to it) and wait for it."""
        due = self.poller.next_due()
        assert due is not None
        self.clock.set(max(self.clock.now(), due))
        tasks = self.poller.poll_due(self.clock.now())
        assert tasks, "a poll was due"
        await asyncio.gather(*tasks)

    def state(self) -> QueryState:
        (query,) = self.session.panel_queries(self.panel)
        state = self.store.get(query.key)
        assert state is not None
        return state

    def status(self) -> PanelStatus:
        return evaluate_panel(self.panel, [self.state()], self.clock.now(), 600.0)

    def wait(self) -> float:
        """Seconds until the next poll."""
        due = self.poller.next_due()
        assert due is not None
        return due - self.clock.now()


def make_source(kind: str, url: str, resolver: SwitchableResolver) -> Source:
    if kind == "prometheus":
        options = PrometheusOptions.model_validate({"url": url, "timeout": "1s"})
        return PrometheusSource("src", options, resolver=resolver)
    if kind == "alertmanager":
        am = AlertmanagerOptions.model_validate({"url": url, "timeout": "1s"})
        return AlertmanagerSource("src", am, ManualClock(T0), resolver=resolver)
    http = HttpOptions.model_validate({"base_url": url, "timeout": "1s"})
    return HttpSource("src", http, ManualClock(T0), resolver=resolver)


@pytest.fixture
async def server() -> AsyncIterator[SwitchableServer]:
    async with switchable_server() as running:
        yield running


async def make_rig(kind: str, server: SwitchableServer) -> Rig:
    clock = ManualClock(T0)
    loaded = load_profile_text(PROFILES[kind].format(url=server.url), "faults.yaml")
    session = Session(loaded.profile, clock)
    resolver = SwitchableResolver()
    for source in session.sources.values():
        await source.close()
    session.sources = {"src": make_source(kind, server.url, resolver)}
    store = Store()
    poller = Poller(
        session.sources,
        store,
        clock,
        lambda _keys: None,
        min_intervals=session.min_intervals(),
        source_timeouts=session.source_timeouts(),
        batch_sizes=session.batch_sizes(),
        timeout=1.0,
        rng=random.Random(7),
    )
    dashboard = loaded.profile.dashboards[0]
    poller.set_demands(session.demands(dashboard))
    return Rig(server, resolver, clock, store, poller, session, dashboard.panels[0])


@pytest.mark.parametrize("fault", [*FAULTS, "dns"])
@pytest.mark.parametrize("kind", sorted(PROFILES))
async def test_a_fault_shows_its_reason_backs_off_and_recovers(
    server: SwitchableServer, kind: str, fault: str
) -> None:
    rig = await make_rig(kind, server)
    try:
        await rig.poll()
        assert rig.status().state is PanelState.OK, rig.status().reason
        assert rig.wait() == pytest.approx(INTERVAL)

        if fault == "dns":
            rig.resolver.failing = True
            # A kept-alive connection (and aiohttp's DNS cache) would carry on
            # without asking the resolver; a new connection must ask, as after
            # the server closes an idle one.
            await rig.session.sources["src"].close()
        else:
            server.mode = fault
        await rig.poll()
        status = rig.status()
        assert status.state is PanelState.ERROR
        prefix = "throttled" if fault == "throttled" else "error"
        assert status.reason.startswith(f"{prefix}: ")
        assert EXPECTED_REASON[fault].lower() in status.reason.lower(), status.reason
        assert status.reason.endswith(" old)"), "the panel says how old its data is"
        assert "Traceback" not in status.reason and "\n" not in status.reason
        first = rig.wait()
        assert first > INTERVAL, "the first failure already waits longer"

        await rig.poll()
        second = rig.wait()
        assert second > first, "each failure in a row waits longer"
        assert rig.state().failures == 2
        assert rig.status().reason.endswith(" old)")

        server.mode = "ok"
        rig.resolver.failing = False
        server.value = 5.0
        await rig.poll()
        assert rig.status().state is PanelState.OK, rig.status().reason
        assert rig.state().failures == 0
        assert rig.wait() == pytest.approx(INTERVAL), "back to the normal rate"
    finally:
        await rig.poller.close()
        await rig.session.close()


async def test_clock_jumps_keep_freshness_honest(server: SwitchableServer) -> None:
    rig = await make_rig("http", server)
    try:
        await rig.poll()
        state = rig.state()
        assert state.freshness(rig.clock.now()) is Freshness.LIVE

        # Forwards by an hour (a suspended laptop, an NTP step): the data is old
        # and must say so, and the poll is overdue at once.
        rig.clock.advance(3600)
        assert state.freshness(rig.clock.now()) is Freshness.STALE
        assert rig.status().state is PanelState.STALE
        assert "1h" in rig.status().reason
        assert rig.wait() < 0, "the overdue poll runs straight away"
        await rig.poll()
        assert state.freshness(rig.clock.now()) is Freshness.LIVE

        # Backwards by an hour: data from "the future" must not be called stale,
        # nor may the next poll wait an hour for the clock to catch up.
        last = rig.clock.now()
        rig.clock.set(last - 3600)
        assert state.freshness(rig.clock.now()) is not Freshness.STALE
        assert rig.wait() <= INTERVAL + 3600
        rig.clock.set(last + INTERVAL)
        await rig.poll()
        assert state.freshness(rig.clock.now()) is Freshness.LIVE

        # A failure after a jump forward reports the age across the jump.
        server.mode = "unavailable"
        rig.clock.advance(7200)
        await rig.poll()
        assert rig.status().reason.endswith("(data 2h old)"), rig.status().reason
    finally:
        await rig.poller.close()
        await rig.session.close()


HUNG_PROFILE = """
profile: hung
title: Hung
sources:
  prom: {{type: prometheus, url: "{url}", timeout: 2s}}
  am: {{type: alertmanager, url: "{url}", timeout: 2s}}
  api: {{type: http, base_url: "{url}", timeout: 2s}}
dashboards:
  - id: first
    title: First board
    refresh: 1s
    panels:
      - id: prom
        title: Prom
        type: line_chart
        at: {{x: 0, y: 0, w: 4, h: 6}}
        query: {{source: prom, promql: up}}
      - id: am
        title: Alerts
        type: table
        at: {{x: 4, y: 0, w: 4, h: 6}}
        query: {{source: am}}
      - id: api
        title: Api
        type: single_value
        at: {{x: 8, y: 0, w: 4, h: 6}}
        query: {{source: api, path: /value, reading: value}}
  - id: second
    title: Second board
    panels:
      - id: other
        title: Other
        type: single_value
        at: {{x: 0, y: 0, w: 6, h: 6}}
        query: {{source: api, path: /other, reading: value}}
"""


async def test_keys_answer_while_every_source_hangs() -> None:
    async with silent_server() as url:
        loaded = load_profile_text(HUNG_PROFILE.format(url=url), "hung.yaml")
        app = WatchdeckApp(loaded)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause(0.3)
            assert app.poller.calls >= 3, "every source was asked and is hanging"
            took: list[str] = []

            async def press(key: str) -> None:
                started = time.monotonic()
                await pilot.press(key)
                took.append(f"{key} {(time.monotonic() - started) * 1000:.0f} ms")

            before = app.focused
            await press("tab")
            assert isinstance(app.focused, PanelView) and app.focused is not before
            # Digits recall bookmarks; the dashboard list switches dashboards.
            await press("d")
            await press("down")
            await press("enter")
            second = app.screen
            assert isinstance(second, DashboardScreen)
            assert second.dashboard.id == "second"
            await press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await press("escape")
            await press("d")
            await press("up")
            await press("enter")
            first = app.screen
            assert isinstance(first, DashboardScreen)
            assert first.dashboard.id == "first"
            await press("r")
            await press("tab")
            assert isinstance(app.focused, PanelView)
            # Still hanging: nothing answered, and the panels say they wait.
            states = {p.state for p in app.screen.query(PanelView)}
            assert PanelState.OK not in states
            # Recorded for docs/reliability.md (run with -s); never asserted.
            print("\nkeys under hung sources:", ", ".join(took))
