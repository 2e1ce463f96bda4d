"""Acknowledging a firing alert from the console creates a silence that the real
Alertmanager reports, with who and why; unacknowledging expires it. The alert comes
from a real Prometheus rule that fires at once."""

from __future__ import annotations

import getpass
import json
import time
import urllib.request
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from console.profile_catalog import shipped_profiles_dir
from console.profile_loader import load_profile
from console.silencing import Silencer
from screens.app import WatchdeckApp
from screens.confirm import ConfirmScreen
from screens.drilldown import DrillDownScreen
from screens.snapshot import render_snapshot
from tests.server_prometheus import MonitoringServers, shared_servers
from widgets.panel import PanelView

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MonitoringServers:
    return shared_servers(request, tmp_path_factory)


def silences(alertmanager_url: str) -> list[dict[str, Any]]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{alertmanager_url}/api/v2/silences", timeout=5) as answer:
        found: list[dict[str, Any]] = json.load(answer)
    return found


async def until(pilot: Pilot[Any], check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        await pilot.pause(0.2)
    raise AssertionError(f"never happened: {what}")


def alert_row(table: DataTable[Any]) -> int | None:
    for index in range(table.row_count):
        if "WatchdeckTestAlert" in [str(cell) for cell in table.get_row_at(index)]:
            return index
    return None


async def test_acknowledge_and_unacknowledge_round_trip(
    servers: MonitoringServers,
) -> None:
    loaded = load_profile(
        shipped_profiles_dir() / "prometheus.yaml",
        {
            "prometheus_url": servers.prometheus_url,
            "alertmanager_url": servers.alertmanager_url,
        },
    )
    app = WatchdeckApp(loaded)
    note = f"on it {time.time():.0f}"
    async with app.run_test(size=(160, 48)) as pilot:
        alerts = app.screen.query_one("#panel-alerts", PanelView)
        alerts.focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        drill = app.screen
        assert isinstance(drill, DrillDownScreen)
        table = drill.query_one(DataTable)

        async def refreshed() -> None:
            app.poller.refresh_now()
            await pilot.pause(0.5)

        deadline = time.monotonic() + 30
        while alert_row(table) is None and time.monotonic() < deadline:
            await refreshed()
        row = alert_row(table)
        assert row is not None, "the firing alert reached the console"
        table.move_cursor(row=row)

        await pilot.press("A")
        await pilot.pause(0.3)
        await pilot.press(*note)
        await pilot.press("enter")

        def made() -> list[dict[str, Any]]:
            return [
                s
                for s in silences(servers.alertmanager_url)
                if s["comment"] == note and s["status"]["state"] == "active"
            ]

        await until(pilot, lambda: bool(made()), 10, "a silence was created")
        (silence,) = made()
        assert silence["createdBy"] == getpass.getuser()
        matchers = {m["name"]: m["value"] for m in silence["matchers"]}
        assert matchers["alertname"] == "WatchdeckTestAlert"

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            await refreshed()
            row = alert_row(table)
            if row is not None and silence["id"] in str(table.get_row_at(row)):
                break
        assert row is not None
        assert silence["id"] in str(table.get_row_at(row)), "shown as silenced"
        table.move_cursor(row=row)

        await pilot.press("U")

        def expired() -> bool:
            return any(
                s["id"] == silence["id"] and s["status"]["state"] == "expired"
                for s in silences(servers.alertmanager_url)
            )

        await until(pilot, expired, 10, "the silence was expired")


async def test_read_only_acknowledges_nothing(servers: MonitoringServers) -> None:
    loaded = load_profile(
        shipped_profiles_dir() / "prometheus.yaml",
        {
            "prometheus_url": servers.prometheus_url,
            "alertmanager_url": servers.alertmanager_url,
        },
    )
    before = len(silences(servers.alertmanager_url))
    app = WatchdeckApp(loaded, read_only=True)
    async with app.run_test(size=(160, 48)) as pilot:
        app.screen.query_one("#panel-alerts", PanelView).focus()
        await pilot.press("enter")
        await pilot.pause(1.0)
        await pilot.press("A")
        await pilot.pause(0.5)
        assert isinstance(app.screen, DrillDownScreen), "no prompt opened"
    assert len(silences(servers.alertmanager_url)) == before


@pytest.mark.parametrize("dashboard_id", ["overview", "job"])
def test_prometheus_profile_shows_live_data(
    servers: MonitoringServers, dashboard_id: str
) -> None:
    """Every panel of the shipped Prometheus profile has data from the real
    servers: no error, nothing waiting, nothing too small, at 160x48."""
    loaded = load_profile(
        shipped_profiles_dir() / "prometheus.yaml",
        {
            "prometheus_url": servers.prometheus_url,
            "alertmanager_url": servers.alertmanager_url,
        },
    )
    picture = render_snapshot(
        loaded, dashboard_id=dashboard_id, size=(160, 48), image=False, wait=20
    )
    assert "ERROR" not in picture
    assert "NO DATA" not in picture
    assert "too small" not in picture
    if dashboard_id == "overview":
        assert "WatchdeckTestAlert" in picture


def push_alert(
    alertmanager_url: str, labels: dict[str, str], lasting: float = 30.0
) -> None:
    """Send an alert to Alertmanager directly, as a second Prometheus would; it
    resolves itself after `lasting` seconds (at once when not positive)."""
    ends = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + lasting))
    alert = {"labels": labels, "annotations": {"summary": "pushed"}, "endsAt": ends}
    body = json.dumps([alert])
    request = urllib.request.Request(
        f"{alertmanager_url}/api/v2/alerts",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=5):
        pass


async def test_a_silence_wider_than_the_alert_needs_confirmation(
    servers: MonitoringServers,
) -> None:
    """A second alert with the same labels plus one more would also be held by a
    silence on the first alert's labels: the console asks, and `n` silences
    nothing."""
    loaded = load_profile(
        shipped_profiles_dir() / "prometheus.yaml",
        {
            "prometheus_url": servers.prometheus_url,
            "alertmanager_url": servers.alertmanager_url,
        },
    )
    app = WatchdeckApp(loaded)
    async with app.run_test(size=(160, 48)) as pilot:
        app.screen.query_one("#panel-alerts", PanelView).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        table = app.screen.query_one(DataTable)
        deadline = time.monotonic() + 30
        while alert_row(table) is None and time.monotonic() < deadline:
            app.poller.refresh_now()
            await pilot.pause(0.5)
        row = alert_row(table)
        assert row is not None
        source = app.session.sources["am"]
        assert isinstance(source, Silencer)
        fingerprint = str(table.get_row_at(row)[-1])
        labels = dict(source.alert_labels(fingerprint) or {})
        assert labels, "the row's alert is known to the source"
        pushed = {**labels, "replica": "b"}
        push_alert(servers.alertmanager_url, pushed)
        before = len(silences(servers.alertmanager_url))

        table.move_cursor(row=row)
        await pilot.press("A")
        await pilot.pause(0.3)
        await pilot.press(*"wide one", "enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, ConfirmScreen),
            10,
            "a confirmation was asked for",
        )
        await pilot.press("n")
        await pilot.pause(0.5)
        assert len(silences(servers.alertmanager_url)) == before
        # Resolve the pushed alert so that later tests see the rule's alert alone.
        push_alert(servers.alertmanager_url, pushed, lasting=-1)
